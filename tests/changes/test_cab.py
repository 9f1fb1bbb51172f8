"""The CAB queue, deciding in place, the approvers' and requesters' emails, and the change
form pre-filled from a go-live milestone."""

from datetime import date, datetime, time, timedelta

import pytest
from django.contrib.auth.models import Group
from django.utils import timezone

from changes import selectors, services
from changes.models import ApprovalPolicy, ChangeRequest, ConfigurationItem
from portfolio.models import Milestone
from resources.engine.calendar import monday_of
from resources.models import Allocation
from resources.snapshot import compute_and_publish
from tests.factories import PersonFactory, ProjectFactory, ServiceFactory, UserFactory
from tests.support.permissions import assert_matrix
from tests.support.queries import assert_constant_queries

from .factories import ChangeFactory, advance

pytestmark = pytest.mark.django_db


def next_week_at(day: int, hour: int) -> datetime:
    monday = monday_of(timezone.localdate()) + timedelta(weeks=1)
    return timezone.make_aware(datetime.combine(monday + timedelta(days=day), time(hour)))


def waiting_change(
    title="Patch the payments DB", *, requester=None, implementer=None, effort=4, start=None
):
    """A normal change on a tier 1 service, waiting in authorize for the CAB."""
    change = ChangeFactory(
        title=title,
        requester=requester or UserFactory(roles=["engineer"]),
        implementer=implementer or PersonFactory(),
        tier=1,
        backout_plan="Restore the snapshot",
        effort_hours=effort,
        planned_start=start or next_week_at(2, 20),
    )
    return advance(change, "authorize")


def test_cab_queue_is_for_itsm_managers(page_clients):
    assert_matrix(
        page_clients,
        "get",
        "/changes/cab/",
        anonymous=302,
        pmo_lead=403,
        itsm_manager=200,
        engineer=403,
        executive=403,
    )


def test_cab_queue_opens_to_a_member_of_the_group_a_policy_names(client):
    # given a policy naming the group `cab` for normal changes, and a change waiting for it
    cab = Group.objects.create(name="cab")
    ApprovalPolicy.objects.create(change_type="normal", risk="", approver_group=cab, quorum=1)
    change = waiting_change()
    member = UserFactory(roles=["engineer"])
    member.groups.add(cab)
    outsider = UserFactory(roles=["engineer"])
    # when the member and another engineer open the queue
    client.force_login(member)
    html = client.get("/changes/cab/").content.decode()
    client.force_login(outsider)
    refused = client.get("/changes/cab/")
    # then the member sees the change (and the queue's tab), the other engineer is refused
    assert change.number in html and 'href="/changes/cab/"' in html
    assert refused.status_code == 403


def test_cab_queue_lists_what_waits_for_me_only(page_clients, role_user):
    manager = role_user("itsm_manager")
    client = page_clients("itsm_manager")
    mine = waiting_change("Raised by me", requester=manager)
    implemented = waiting_change("Implemented by me", implementer=PersonFactory(user=manager))
    decided = waiting_change("Already approved")
    ApprovalPolicy.objects.create(
        change_type="normal",
        risk="",
        quorum=2,
        approver_group=Group.objects.get(name="itsm_manager"),
    )
    services.change_approve(change=decided, approver=manager, decision="approve")
    open_one = waiting_change("Waiting for me")
    html = client.get("/changes/cab/").content.decode()
    assert open_one.number in html and "0 of 2 approvals" in html
    for hidden in (mine, implemented, decided):
        assert hidden.number not in html
    # a policy naming another role takes it out of the queue
    ApprovalPolicy.objects.update(approver_group=Group.objects.get(name="pmo_lead"))
    assert open_one.number not in client.get("/changes/cab/").content.decode()


def test_cab_queue_shows_the_implementer_overbooked_that_week(page_clients):
    ana = PersonFactory(name="Ana Ruiz", contracted_hours=40)
    monday = monday_of(timezone.localdate()) + timedelta(weeks=1)
    Allocation.objects.create(
        person=ana,
        kind="bau",
        hours_per_week=38,
        start_date=monday,
        end_date=monday + timedelta(days=4),
    )
    change = waiting_change(implementer=ana, effort=6)
    relaxed = waiting_change("Rotate certificates", effort=2)
    compute_and_publish()
    html = page_clients("itsm_manager").get("/changes/cab/").content.decode()
    card = html[html.index(f"cab-card-{change.number}") : html.index(f"cab-card-{relaxed.number}")]
    assert "Overbooked" in card and "44.0 h booked of 40.0 h" in card
    assert "Implementer booked 110% that week" in card
    assert "Ana Ruiz, implementer of" in card  # the engine's conflict, too
    assert "Overbooked" not in html[html.index(f"cab-card-{relaxed.number}") :]


def test_cab_queue_queries_stay_flat(page_clients):
    client = page_clients("itsm_manager")
    waiting_change("first")
    assert_constant_queries(
        lambda: client.get("/changes/cab/"), lambda: [waiting_change(f"c{i}") for i in range(8)]
    )


def test_cab_queue_shows_a_page_of_cards_and_counts_them_all(page_clients):
    # given more changes waiting than a page shows, a day apart
    from changes.views.cab import CAB_PAGE_SIZE

    waiting = [
        waiting_change(f"Wait {n}", start=next_week_at(0, 8) + timedelta(hours=n))
        for n in range(CAB_PAGE_SIZE + 3)
    ]
    client = page_clients("itsm_manager")

    # when the first and the second page are opened
    first = client.get("/changes/cab/").content.decode()
    second = client.get("/changes/cab/?page=2").content.decode()

    # then the soonest fill the first page, the rest the second, and both count them all
    on_first = [c for c in waiting if f"cab-card-{c.number}" in first]
    on_second = [c for c in waiting if f"cab-card-{c.number}" in second]
    assert on_first == waiting[:CAB_PAGE_SIZE] and on_second == waiting[CAB_PAGE_SIZE:]
    assert f"{CAB_PAGE_SIZE + 3} changes waiting for you" in first
    assert 'rel="next"' in first and 'rel="prev"' in second


def test_approve_in_place_and_reject_needs_a_reason(
    page_clients, in_process_tasks, django_capture_on_commit_callbacks, mailoutbox
):
    client = page_clients("itsm_manager")
    change = waiting_change()
    url = f"/changes/{change.pk}/decide/"
    refused = client.post(url, {"decision": "reject", "comment": " "}, HTTP_HX_REQUEST="true")
    assert refused.status_code == 400
    assert "Give the reason for the rejection." in refused.content.decode()
    assert not change.approvals.exists()
    with django_capture_on_commit_callbacks(execute=True):
        done = client.post(url, {"decision": "approve", "comment": "Go"}, HTTP_HX_REQUEST="true")
    assert done.status_code == 200 and "You approved" in done.content.decode()
    change.refresh_from_db()
    assert change.state == "scheduled"
    assert [m.subject for m in mailoutbox] == [
        f"{change.number} approved by the CAB: {change.title}"
    ]
    assert mailoutbox[0].to == [change.requester.email]
    # the queue no longer shows it; deciding again is refused without a second record
    assert change.number not in client.get("/changes/cab/").content.decode()
    again = client.post(url, {"decision": "approve"}, HTTP_HX_REQUEST="true")
    assert "no longer waits for you" in again.content.decode()
    assert change.approvals.count() == 1


def test_approvers_are_emailed_when_a_change_reaches_authorize(
    role_user, in_process_tasks, django_capture_on_commit_callbacks, mailoutbox
):
    cab = [UserFactory(username=f"cab{i}", roles=["itsm_manager"]) for i in range(2)]
    UserFactory(username="pmo", roles=["pmo_lead"])
    requester = UserFactory(username="req", roles=["engineer", "itsm_manager"])
    with django_capture_on_commit_callbacks(execute=True):
        change = waiting_change(requester=requester)
    # one e-mail each (through the notification service: each approver's preferences)
    assert sorted(m.to[0] for m in mailoutbox) == sorted(u.email for u in cab)  # not the requester
    assert all(len(m.to) == 1 for m in mailoutbox)
    assert mailoutbox[0].subject.startswith(f"[CAB] {change.number} waits for your approval")
    assert f"/changes/{change.pk}/" in mailoutbox[0].body
    # a rejection tells the requester why
    mailoutbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        services.change_approve(
            change=change, approver=cab[0], decision="reject", comment="No backout test"
        )
    assert [m.to for m in mailoutbox] == [[requester.email]]
    assert "rejected" in mailoutbox[0].subject and "No backout test" in mailoutbox[0].body


def test_change_form_from_a_go_live_milestone_is_prefilled(page_clients, role_user):
    engineer = role_user("engineer")  # owns the project, so sees its page
    lead, helper = PersonFactory(name="Lead Dev", user=engineer), PersonFactory(name="Helper")
    project = ProjectFactory(code="PRJ-0900", name="Payments gateway", owner=lead)
    service = ServiceFactory(name="Payments")
    project.services.add(service)
    item = ConfigurationItem.objects.create(name="pay-api", service=service)
    ConfigurationItem.objects.create(name="intranet-web", service=ServiceFactory())
    go_live = Milestone.objects.create(
        project=project, name="Cut-over", kind="go_live", due_date=date.today() + timedelta(days=30)
    )
    for person, hours in ((lead, 20), (helper, 5)):
        Allocation.objects.create(
            person=person,
            project=project,
            hours_per_week=hours,
            start_date=date.today(),
            end_date=date.today() + timedelta(days=60),
        )
    client = page_clients("engineer")
    form = client.get(f"/changes/new/?milestone={go_live.pk}").context["form"]
    assert form.initial["project"] == project and form.initial["implementer"] == lead
    assert form.initial["items"] == [item]
    assert timezone.localtime(form.initial["planned_start"]).date() == go_live.due_date
    assert client.get("/changes/new/?milestone=999999").status_code == 404
    # the project page offers it
    assert (
        f"/changes/new/?milestone={go_live.pk}"
        in client.get(project.get_absolute_url()).content.decode()
    )


def test_change_form_raises_a_change_and_refuses_bad_windows(page_clients):
    client = page_clients("engineer")
    item = ConfigurationItem.objects.create(name="pg-01", service=ServiceFactory())
    start = timezone.localtime(next_week_at(1, 19))
    fields = {
        "title": "Minor version upgrade",
        "change_type": "normal",
        "items": [item.pk],
        "planned_start": start.strftime("%Y-%m-%dT%H:%M"),
        "planned_end": (start - timedelta(hours=1)).strftime("%Y-%m-%dT%H:%M"),
        "effort_hours": "3",
        "backout_plan": "Downgrade",
    }
    bad = client.post("/changes/new/", fields)
    assert bad.status_code == 200 and not ChangeRequest.objects.exists()
    assert bad.context["form"].errors["planned_end"] == ["The window must end after it starts."]
    standard = client.post("/changes/new/", {**fields, "change_type": "standard"})
    assert (
        "A standard change is raised from a template."
        in standard.context["form"].errors["template"]
    )
    fields["planned_end"] = (start + timedelta(hours=2)).strftime("%Y-%m-%dT%H:%M")
    done = client.post("/changes/new/", fields)
    change = ChangeRequest.objects.get()
    assert done.status_code == 302 and done["Location"] == change.get_absolute_url()
    assert change.requester.username.startswith("engineer") and change.state == "new"
    assert list(change.items.all()) == [item]
    assert page_clients("executive").get("/changes/new/").status_code == 403


def test_home_page_shows_changes_to_decide_and_to_implement(page_clients, role_user):
    # given a change waiting for the CAB, and one the engineer implements in two days
    change = waiting_change(requester=role_user("engineer"))
    me = PersonFactory(user=role_user("engineer"))
    mine = advance(ChangeFactory(title="Patch the relays", implementer=me, days=2), "scheduled")
    later = advance(ChangeFactory(title="Next month", implementer=me, days=30), "scheduled")
    manager_home = page_clients("itsm_manager").get("/").content.decode()
    assert "Changes to decide" in manager_home and change.number in manager_home
    engineer_home = page_clients("engineer").get("/").content.decode()
    assert "Changes to implement" in engineer_home and mine.number in engineer_home
    assert later.number not in engineer_home  # not this week's
    assert "Changes to decide" not in engineer_home
    assert change.number not in page_clients("pmo_lead").get("/").content.decode()


def test_home_changes_to_decide_are_the_cab_queue_in_its_order(role_user):
    # given more changes waiting than the home page shows, the nearest one already decided
    from changes.home import cab_queue
    from itsm_pmo.home import Clock, on

    manager = role_user("itsm_manager")
    waiting = [
        waiting_change(f"Change {i}", start=next_week_at(1 + i % 4, 8 + i)) for i in range(8)
    ]
    services.change_approve(
        change=min(waiting, key=lambda c: c.planned_start), approver=manager, decision="approve"
    )
    clock = Clock.current()
    queue = selectors.cab_queue(manager)
    # when the inbox reads the kind: its count is the queue's, its entries the queue's first
    tally, first = cab_queue.first(manager, clock, 5)
    assert tally.total == len(queue) == 7
    assert [item.url for item in first] == [c.get_absolute_url() for c in queue[:5]]
    rest = cab_queue.entries(manager, clock, 5, 10)
    assert [item.url for item in rest] == [c.get_absolute_url() for c in queue[5:]]
    assert first[0].action == f"Approve or reject before {on(queue[0].planned_start)}"
    assert first[0].due == queue[0].planned_start
