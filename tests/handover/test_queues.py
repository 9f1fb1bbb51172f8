"""Queues and assignment (issue 17): the category catalogue, assignment groups and assignees,
recorded reassignments, "assign to me", hold reasons, the queue pages and API, notifications
and query counts."""

from datetime import timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from handover.incidents import selectors, services
from handover.models import Incident, IncidentCategory, IncidentReassignment
from itsm_pmo.models import Notification
from tests.changes.factories import ConfigurationItemFactory
from tests.factories import PersonFactory, ServiceFactory, TeamFactory, UserFactory
from tests.handover.factories import IncidentFactory
from tests.support.object_rules import ObjectRuleCase, Write, snapshot
from tests.support.queries import assert_constant_queries

pytestmark = pytest.mark.django_db
URL = "/api/handover/incidents/"


@pytest.fixture
def desk():
    return TeamFactory(name="Service Desk")


@pytest.fixture
def network():
    return TeamFactory(name="Network")


def member(role_user, role, team):
    """The role's user with an active person record in `team`."""
    user = role_user(role)
    PersonFactory(user=user, team=team, name=f"{role} person")
    return user


def category(name, parent=None):
    return IncidentCategory.objects.get_or_create(name=name, parent=parent)[0]


# --- logging: classification and the default group --------------------------------------


def test_log_lands_in_the_services_support_group_else_its_owning_team(role_user, desk):
    # given a service supported by the desk and one with only an owning team
    supported = ServiceFactory(support_group=desk)
    owned = ServiceFactory()
    reporter = role_user("engineer")
    # when incidents are logged on each without a group
    first = services.incident_log(reporter=reporter, title="Down", service=supported)
    second = services.incident_log(reporter=reporter, title="Slow", service=owned)
    # then each lands in its queue, and the first assignment is recorded without a reason
    assert first.assignment_group == desk
    assert second.assignment_group == owned.owning_team
    row = first.reassignments.get()
    assert (row.from_group, row.to_group, row.reason) == (None, desk, "")


def test_log_refuses_a_subcategory_of_another_category(api_clients, desk):
    # given two categories and a subcategory of the second
    hardware, network = category("Hardware"), category("Network")
    vpn = category("VPN", network)
    service = ServiceFactory(support_group=desk)
    # when an incident is logged with Hardware › VPN
    response = api_clients("engineer").post(
        URL,
        {"title": "No VPN", "service": service.pk, "category": hardware.pk, "subcategory": vpn.pk},
        format="json",
    )
    # then it is refused naming the subcategory, and nothing is saved
    assert response.status_code == 400
    assert "subcategory" in response.json()["fields"]
    assert not Incident.objects.exists()


def test_log_takes_the_category_of_a_subcategory_given_alone(role_user, desk):
    network = category("Network")
    vpn = category("VPN", network)
    incident = services.incident_log(
        reporter=role_user("engineer"), title="No VPN", service=ServiceFactory(), subcategory=vpn
    )
    assert incident.category == network


def test_log_refuses_an_assignee_outside_the_group(api_clients, desk, network):
    # given someone of the network team
    outsider = PersonFactory(team=network)
    service = ServiceFactory(support_group=desk)
    # when the incident is logged for the desk with them as assignee
    response = api_clients("engineer").post(
        URL,
        {
            "title": "Down",
            "service": service.pk,
            "assignment_group": desk.pk,
            "assignee": outsider.pk,
        },
        format="json",
    )
    # then the assignee is refused with a clear reason
    assert response.status_code == 400
    assert "not an active member of Service Desk" in response.json()["fields"]["assignee"][0]
    assert not Incident.objects.exists()


def test_log_refuses_a_configuration_item_of_another_service(role_user):
    service, other = ServiceFactory(), ServiceFactory()
    item = ConfigurationItemFactory(service=other)
    with pytest.raises(ValidationError) as refused:
        services.incident_log(
            reporter=role_user("engineer"), title="x", service=service, configuration_item=item
        )
    assert "configuration_item" in refused.value.message_dict
    # an item of no service, or of the incident's own, is fine
    free = ConfigurationItemFactory(service=None)
    services.incident_log(
        reporter=role_user("engineer"), title="x", service=service, configuration_item=free
    )


def test_incident_form_offers_the_catalogue_and_proposes_the_group(page_clients, desk):
    network = category("Network")
    category("VPN", network)
    ServiceFactory(name="Email", support_group=desk)
    html = page_clients("engineer").get("/incidents/new/").content.decode()
    assert f'data-category="{network.pk}"' in html  # the script filters subcategories by it
    assert f'data-group="{desk.pk}"' in html  # and proposes the service's group
    assert "incident_queue_fields.js" in html


# --- assignment and reassignment ---------------------------------------------------------


def test_reassignment_needs_a_reason_and_is_recorded(role_user, desk, network):
    # given an incident assigned to someone of the desk
    engineer = role_user("engineer")
    ann = PersonFactory(team=desk, name="Ann")
    incident = IncidentFactory(assignment_group=desk, assignee=ann)
    # when it is moved to the network team without a reason
    with pytest.raises(ValidationError) as refused:
        services.assign(incident=incident, group=network, person=None, by=engineer)
    # then it is refused, and nothing changed
    assert "reason" in refused.value.message_dict
    incident.refresh_from_db()
    assert (incident.assignment_group, incident.assignee) == (desk, ann)
    assert not IncidentReassignment.objects.exists()
    # when it is moved with a reason
    services.assign(
        incident=incident, group=network, person=None, reason="Firewall issue", by=engineer
    )
    # then it is in the network queue, unassigned, and the move is recorded
    incident.refresh_from_db()
    assert (incident.assignment_group, incident.assignee) == (network, None)
    row = incident.reassignments.get()
    assert (row.from_group, row.from_person, row.to_group, row.to_person) == (
        desk,
        ann,
        network,
        None,
    )
    assert (row.reason, row.by) == ("Firewall issue", engineer)


def test_assign_within_a_group_from_unassigned_needs_no_reason(api_clients, desk):
    incident = IncidentFactory(assignment_group=desk)
    ann = PersonFactory(team=desk)
    response = api_clients("itsm_manager").post(
        f"{URL}{incident.pk}/assign/", {"group": desk.pk, "person": ann.pk}, format="json"
    )
    assert response.status_code == 200, response.json()
    assert response.json()["assignee"] == ann.pk
    history = api_clients("executive").get(f"{URL}{incident.pk}/reassignments/").json()
    assert history[0]["to_person"] == ann.pk and history[0]["from_person"] is None


def test_assign_refuses_someone_outside_the_group_or_inactive(api_clients, desk, network):
    incident = IncidentFactory(assignment_group=desk)
    for person in (PersonFactory(team=network), PersonFactory(team=desk, active=False)):
        response = api_clients("engineer").post(
            f"{URL}{incident.pk}/assign/", {"group": desk.pk, "person": person.pk}, format="json"
        )
        assert response.status_code == 400
        assert "not an active member" in response.json()["fields"]["person"][0]
    assert Incident.objects.get(pk=incident.pk).assignee is None


def test_assign_the_same_again_changes_nothing(role_user, desk):
    incident = IncidentFactory(assignment_group=desk)
    services.assign(incident=incident, group=desk, by=role_user("engineer"))
    assert not IncidentReassignment.objects.exists()


@pytest.mark.parametrize("role", ["pmo_lead", "executive"])
def test_assign_refused_to_those_who_see_but_do_not_work_incidents(
    role, page_clients, api_clients, desk
):
    # given an incident in the desk's queue, visible to every role
    incident = IncidentFactory(assignment_group=desk)
    ann = PersonFactory(team=desk)
    assert page_clients(role).get(f"/incidents/{incident.pk}/").status_code == 200
    assert page_clients(role).get(f"/incidents/queues/{desk.pk}/").status_code == 200
    # when they try to assign it through the API, the page and "assign to me"
    api = api_clients(role).post(
        f"{URL}{incident.pk}/assign/", {"group": desk.pk, "person": ann.pk}, format="json"
    )
    page = page_clients(role).post(
        f"/incidents/{incident.pk}/assign/", {"group": desk.pk, "person": ann.pk}
    )
    take = page_clients(role).post(f"/incidents/{incident.pk}/take/")
    # then each is refused, and nothing changed
    assert (api.status_code, page.status_code, take.status_code) == (403, 403, 403)
    assert Incident.objects.get(pk=incident.pk).assignee is None
    assert not IncidentReassignment.objects.exists()


def test_assign_to_me_from_my_teams_queue(page_clients, role_user, desk):
    # given an engineer of the desk and an unassigned incident in its queue
    me = member(role_user, "engineer", desk)
    incident = IncidentFactory(assignment_group=desk)
    # when they take it from the queue page
    response = page_clients("engineer").post(
        f"/incidents/{incident.pk}/take/", {"next": f"/incidents/queues/{desk.pk}/"}
    )
    # then it is theirs, without a reason asked
    assert response.status_code == 302
    incident.refresh_from_db()
    assert incident.assignee.user == me and incident.assignment_group == desk
    assert incident.reassignments.get().reason == ""


def test_engineer_takes_only_from_their_own_teams_queue(role_user, desk, network):
    # given an engineer of the desk and an incident in the network queue
    engineer = member(role_user, "engineer", desk)
    incident = IncidentFactory(assignment_group=network)
    # when they take it, they are refused
    with pytest.raises(PermissionDenied):
        services.take(incident=incident, by=engineer)
    assert Incident.objects.get(pk=incident.pk).assignee is None
    # while an ITSM manager takes from any queue (into their own team)
    manager = member(role_user, "itsm_manager", desk)
    services.take(incident=incident, by=manager)
    incident.refresh_from_db()
    assert incident.assignee.user == manager and incident.assignment_group == desk


def test_assign_to_me_without_a_person_record_says_so(page_clients, desk):
    incident = IncidentFactory(assignment_group=desk)
    response = page_clients("engineer").post(f"/incidents/{incident.pk}/take/")
    assert response.status_code == 400
    assert "person record" in response.content.decode()


def test_reassign_page_refuses_without_a_reason_and_keeps_the_input(page_clients, desk, network):
    incident = IncidentFactory(assignment_group=desk, assignee=PersonFactory(team=desk))
    response = page_clients("engineer").post(
        f"/incidents/{incident.pk}/assign/", {"group": network.pk, "reason": ""}
    )
    assert response.status_code == 400
    assert "Say why it moves" in response.content.decode()
    assert Incident.objects.get(pk=incident.pk).assignment_group == desk


def test_editing_an_assignee_away_goes_through_assign(api_clients, desk):
    incident = IncidentFactory(assignment_group=desk, assignee=PersonFactory(team=desk))
    other = PersonFactory(team=desk)
    response = api_clients("engineer").patch(
        f"{URL}{incident.pk}/", {"assignee": other.pk}, format="json"
    )
    assert response.status_code == 400 and "assignee" in response.json()["fields"]


# --- notifications -----------------------------------------------------------------------


def test_assignment_tells_the_assignee_and_the_group_not_the_actor(
    role_user, desk, network, django_capture_on_commit_callbacks, in_process_tasks
):
    # given the network team of two with sign-ins, and the ITSM manager acting
    ann = PersonFactory(team=network, user=UserFactory(username="ann"))
    PersonFactory(team=network, user=UserFactory(username="bob"))
    manager = member(role_user, "itsm_manager", network)
    incident = IncidentFactory(assignment_group=desk, number="INC0000042")
    # when the manager moves it to the network team with Ann as assignee
    with django_capture_on_commit_callbacks(execute=True):
        services.assign(incident=incident, group=network, person=ann, reason="Routing", by=manager)
    # then Ann is told it is hers, Bob that it is in his group's queue, the manager nothing
    rows = set(Notification.objects.values_list("recipient__username", "event"))
    assert rows == {("ann", "assigned_to_me"), ("bob", "assigned_to_group")}
    assert Notification.objects.filter(url=incident.get_absolute_url()).count() == 2


def test_nothing_is_told_when_the_assignment_is_refused(
    role_user, desk, django_capture_on_commit_callbacks, in_process_tasks
):
    ann = PersonFactory(team=desk, user=UserFactory(username="ann"))
    incident = IncidentFactory(assignment_group=desk, assignee=PersonFactory(team=desk))
    with django_capture_on_commit_callbacks(execute=True), pytest.raises(ValidationError):
        services.assign(incident=incident, group=desk, person=ann, by=role_user("engineer"))
    assert not Notification.objects.exists()


# --- hold reasons ------------------------------------------------------------------------


def test_putting_on_hold_needs_a_reason_kept_until_it_leaves_hold(api_clients, desk):
    incident = IncidentFactory(assignment_group=desk, state="in_progress")
    api = api_clients("engineer")
    # when it is put on hold without a reason, or with one that is not a hold reason
    for body in ({"to": "on_hold"}, {"to": "on_hold", "hold_reason": "lunch"}):
        refused = api.post(f"{URL}{incident.pk}/transition/", body, format="json")
        # then it is refused naming the field
        assert refused.status_code == 400 and "hold_reason" in refused.json()["fields"]
    assert Incident.objects.get(pk=incident.pk).state == "in_progress"
    # when it waits for the vendor
    held = api.post(
        f"{URL}{incident.pk}/transition/",
        {"to": "on_hold", "hold_reason": "awaiting_vendor"},
        format="json",
    )
    # then the reason is on the incident and on the move
    assert held.status_code == 200 and held.json()["hold_reason"] == "awaiting_vendor"
    assert incident.transitions.get(to_state="on_hold").hold_reason == "awaiting_vendor"
    # and leaving hold clears it
    api.post(f"{URL}{incident.pk}/transition/", {"to": "in_progress"}, format="json")
    assert Incident.objects.get(pk=incident.pk).hold_reason == ""


def test_the_page_asks_why_it_waits_and_shows_it(page_clients, desk):
    incident = IncidentFactory(assignment_group=desk, state="in_progress")
    client = page_clients("engineer")
    html = client.get(f"/incidents/{incident.pk}/").content.decode()
    assert 'name="hold_reason"' in html and "Awaiting vendor" in html
    refused = client.post(f"/incidents/{incident.pk}/transition/", {"to": "on_hold"})
    assert refused.status_code == 400
    client.post(
        f"/incidents/{incident.pk}/transition/", {"to": "on_hold", "hold_reason": "awaiting_caller"}
    )
    html = client.get(f"/incidents/{incident.pk}/").content.decode()
    assert 'data-testid="hold-reason">Awaiting caller' in html


# --- the queues --------------------------------------------------------------------------


def test_queue_orders_unassigned_first_then_priority_then_time_left(desk):
    # given open incidents of the desk in every combination, and one closed
    now = timezone.now()
    ann = PersonFactory(team=desk)

    def make(title, *, impact=2, due=None, assignee=None, opened=0):
        return IncidentFactory(
            title=title,
            assignment_group=desk,
            impact=impact,
            urgency=impact,
            assignee=assignee,
            resolution_due_at=due,
            opened_at=now - timedelta(hours=opened),
        )

    make("assigned P1", impact=1, assignee=ann)
    make("unassigned P3 no due", impact=2, opened=5)
    make("unassigned P3 due later", impact=2, due=now + timedelta(hours=5))
    make("unassigned P3 due soon", impact=2, due=now + timedelta(hours=1))
    make("unassigned P1", impact=1)
    make("unassigned P3 no due, newer", impact=2, opened=1)
    IncidentFactory(title="closed", assignment_group=desk, state="closed")
    IncidentFactory(title="another group's")
    # then the queue lists them in that order
    assert [i.title for i in selectors.queue(desk.pk)] == [
        "unassigned P1",
        "unassigned P3 due soon",
        "unassigned P3 due later",
        "unassigned P3 no due",
        "unassigned P3 no due, newer",
        "assigned P1",
    ]


def test_queue_list_counts_each_group_and_puts_mine_first(page_clients, role_user, desk, network):
    # given an engineer of the network team, whose queue is the quieter one
    member(role_user, "engineer", network)
    past = timezone.now() - timedelta(hours=1)
    IncidentFactory(assignment_group=desk)
    IncidentFactory(assignment_group=desk, resolution_due_at=past)
    IncidentFactory(assignment_group=desk, assignee=PersonFactory(team=desk))
    IncidentFactory(assignment_group=network, assignee=PersonFactory(team=network))
    IncidentFactory(assignment_group=network, state="resolved")
    # when they open the queues
    rows = [
        (q.name, q.open, q.unassigned, q.breached) for q in selectors.queues(role_user("engineer"))
    ]
    # then their team comes first, each with its open, unassigned and breached counts
    assert rows == [("Network", 1, 0, 0), ("Service Desk", 3, 2, 1)]
    html = page_clients("engineer").get("/incidents/queues/").content.decode()
    assert "Your team" in html and f"/incidents/queues/{desk.pk}/" in html
    api = page_clients("engineer").get("/api/handover/queues/").json()
    assert [r["name"] for r in api["results"]] == ["Network", "Service Desk"]


def test_queue_page_offers_assign_to_me_to_members_only(page_clients, role_user, desk, network):
    member(role_user, "engineer", desk)
    incident = IncidentFactory(assignment_group=desk)
    mine = page_clients("engineer").get(f"/incidents/queues/{desk.pk}/").content.decode()
    assert f'data-testid="take-{incident.number}"' in mine
    assert f'data-testid="assign-{incident.number}"' in mine
    other = IncidentFactory(assignment_group=network)
    theirs = page_clients("engineer").get(f"/incidents/queues/{network.pk}/").content.decode()
    assert f'data-testid="take-{other.number}"' not in theirs
    executive = page_clients("executive").get(f"/incidents/queues/{desk.pk}/").content.decode()
    assert "Assign to me" not in executive and "Reassign" not in executive


def test_incident_filters_by_group_unassigned_and_category(page_clients, api_clients, desk):
    hardware = category("Hardware")
    ann = PersonFactory(team=desk)
    wanted = IncidentFactory(title="Wanted", assignment_group=desk, category=hardware)
    IncidentFactory(title="Taken", assignment_group=desk, category=hardware, assignee=ann)
    IncidentFactory(title="Elsewhere", category=hardware)
    query = f"?assignment_group={desk.pk}&unassigned=true&category={hardware.pk}"
    api = api_clients("engineer").get(f"{URL}{query}").json()
    assert [r["id"] for r in api["results"]] == [wanted.pk]
    page = page_clients("engineer").get(f"/incidents/{query}").content.decode()
    assert "Wanted" in page and "Taken" not in page and "Elsewhere" not in page


def test_categories_api_lists_the_catalogue_with_subcategories(api_clients):
    network = category("Network")
    category("VPN", network)
    rows = api_clients("executive").get("/api/handover/categories/").json()["results"]
    found = {r["name"]: [s["name"] for s in r["subcategories"]] for r in rows}
    assert "VPN" in found["Network"]


# --- query counts ------------------------------------------------------------------------


def _grow(team, count=20):
    people = [PersonFactory(team=team) for _ in range(3)]
    for n in range(count):
        IncidentFactory(
            assignment_group=team,
            assignee=people[n % 3] if n % 2 else None,
            service=ServiceFactory(),
            resolution_due_at=timezone.now() + timedelta(hours=n),
        )


def test_queue_pages_constant_queries(page_clients, role_user, desk, network):
    member(role_user, "itsm_manager", desk)
    client = page_clients("itsm_manager")
    _grow(desk, 2)
    _grow(network, 2)
    assert_constant_queries(
        lambda: client.get(f"/incidents/queues/{desk.pk}/"), lambda: _grow(desk), expected=18
    )
    assert_constant_queries(
        lambda: client.get("/incidents/queues/"),
        lambda: _grow(TeamFactory()),
        expected=14,
    )


def test_incident_page_with_history_constant_queries(page_clients, role_user, desk, network):
    engineer = role_user("engineer")
    incident = IncidentFactory(assignment_group=desk)
    client = page_clients("engineer")

    def grow():
        for n in range(5):
            group = network if n % 2 == 0 else desk
            services.assign(incident=incident, group=group, reason=f"Move {n}", by=engineer)

    assert_constant_queries(lambda: client.get(f"/incidents/{incident.pk}/"), grow)


# --- the demo ----------------------------------------------------------------------------


def test_demo_tells_the_queue_story_and_is_the_same_on_a_second_run():
    from django.core.management import call_command

    from handover.demo import INCIDENTS
    from resources.models import Team

    TITLES = [row[0] for row in INCIDENTS]

    def story():
        desk = Team.objects.get(name="Service Desk")
        queue = list(selectors.queue(desk.pk))
        return (
            [(i.title, i.priority, i.assignee_id) for i in queue],
            sorted(
                IncidentReassignment.objects.exclude(reason="").values_list("reason", flat=True)
            ),
            sorted(Incident.objects.exclude(hold_reason="").values_list("title", "hold_reason")),
            Incident.objects.filter(title__in=TITLES, category__isnull=True).count(),
        )

    # given the demo
    call_command("seed_demo")
    queue, reasons, held, uncategorised = story()
    # then a P2 waits unassigned in the Service Desk queue, first
    assert queue[0][1:] == (2, None) and "attachments" in queue[0][0]
    # and reassignments say why, one incident waits for its vendor, every demo one has a category
    assert len(reasons) == 2 and any("Triaged" in r for r in reasons)
    assert ("Payments dashboard shows stale figures", "awaiting_vendor") in held
    assert uncategorised == 0
    # when it runs again, the story is the same
    call_command("seed_demo")
    assert story() == (queue, reasons, held, uncategorised)


def test_my_inbox_holds_the_unassigned_of_my_groups_queue(role_user, desk, network):
    # given an engineer of the desk; a service the network team owns but the desk supports
    engineer = member(role_user, "engineer", desk)
    ours = IncidentFactory(
        title="Ours", service=ServiceFactory(owning_team=network), assignment_group=desk
    )
    # an incident on a desk-owned service moved to the network queue, one in no queue yet
    theirs = IncidentFactory(
        title="Theirs", service=ServiceFactory(owning_team=desk), assignment_group=network
    )
    legacy = IncidentFactory(title="Legacy", service=ServiceFactory(owning_team=desk))
    # then the inbox follows the queue, and the owning team where there is none
    waiting = set(selectors.waiting_for(engineer).values_list("title", flat=True))
    assert waiting == {ours.title, legacy.title} and theirs.title not in waiting


def test_taking_what_someone_took_first_says_who_holds_it(role_user, desk):
    # given an incident a colleague took a moment ago
    engineer = member(role_user, "engineer", desk)
    incident = IncidentFactory(assignment_group=desk, assignee=PersonFactory(team=desk, name="Ann"))
    # when the engineer presses "assign to me" on the stale queue page
    with pytest.raises(ValidationError) as refused:
        services.take(incident=incident, by=engineer)
    # then they are told who holds it, and it stays with Ann
    assert "Ann holds it already" in refused.value.message_dict["reason"][0]
    assert Incident.objects.get(pk=incident.pk).assignee.name == "Ann"


def test_logging_tells_the_group_whose_queue_it_lands_in(
    role_user, desk, django_capture_on_commit_callbacks, in_process_tasks
):
    PersonFactory(team=desk, user=UserFactory(username="desk_analyst"))
    reporter = member(role_user, "engineer", desk)
    with django_capture_on_commit_callbacks(execute=True):
        services.incident_log(
            reporter=reporter, title="Down", service=ServiceFactory(support_group=desk)
        )
    # the desk is told, the reporter (of the desk too) is not
    assert list(Notification.objects.values_list("recipient__username", "event")) == [
        ("desk_analyst", "assigned_to_group")
    ]


def test_itsm_managers_keep_the_catalogue_through_the_api(api_clients):
    network = category("Network")
    vpn = category("VPN", network)
    manager, engineer = api_clients("itsm_manager"), api_clients("engineer")
    url = "/api/handover/categories/"
    # an engineer reads it but may not add to it
    assert engineer.get(f"{url}{vpn.pk}/").json()["parent"] == network.pk
    refused = engineer.post(url, {"name": "Guest network", "parent": network.pk}, format="json")
    assert refused.status_code == 403
    # an ITSM manager adds a subcategory, and retires another
    made = manager.post(url, {"name": "Guest network", "parent": network.pk}, format="json")
    assert made.status_code == 201, made.json()
    assert manager.patch(f"{url}{vpn.pk}/", {"active": False}, format="json").status_code == 200
    # but not a third level, nor the same name twice (any case)
    deeper = manager.post(url, {"name": "Portal", "parent": made.json()["id"]}, format="json")
    assert deeper.status_code == 400 and "parent" in deeper.json()["fields"]
    twice = manager.post(url, {"name": "guest NETWORK", "parent": network.pk}, format="json")
    assert twice.status_code == 400 and "name" in twice.json()["fields"]
    # and an entry an incident uses is retired, not deleted
    IncidentFactory(category=network, subcategory=vpn)
    assert manager.delete(f"{url}{vpn.pk}/").status_code == 409
    assert IncidentCategory.objects.filter(pk=vpn.pk, active=False).exists()
    # a retired entry is not chosen again
    vpn.refresh_from_db()
    with pytest.raises(ValidationError) as retired:
        services.incident_log(
            reporter=UserFactory(roles=["engineer"]),
            title="x",
            service=ServiceFactory(),
            subcategory=vpn,
        )
    assert "subcategory" in retired.value.message_dict


# --- object rules from both doors (tests/support/object_rules.py) ------------------------


class TestIncidentCategoryRules(ObjectRuleCase):
    """The catalogue: an engineer reads it but does not touch it; an ITSM manager keeps it."""

    basenames = ("handover-incidentcategory",)

    def make(self, role_user):
        n = IncidentCategory.objects.count()
        return IncidentCategory.objects.create(name=f"Printing {n}")

    def onlooker(self, role_user, obj):
        return role_user("engineer")

    def toucher(self, role_user, obj):
        return role_user("itsm_manager")

    def api_view(self, obj):
        return f"/api/handover/categories/{obj.pk}/"

    def writes(self, obj):
        url = f"/api/handover/categories/{obj.pk}/"
        return [
            Write("api", "patch", url, {"active": False}),
            Write("api", "put", url, {"name": f"{obj.name} and scanning", "active": True}),
            Write("api", "delete", url),
        ]

    def state(self, obj):
        return snapshot(obj)


class TestIncidentAssignmentRules(ObjectRuleCase):
    """An incident's assignment: a PMO lead sees it (the page, the queue, the API) but
    neither assigns, takes nor reassigns it; an engineer of the group does."""

    basenames = ("handover-incident",)

    def make(self, role_user):
        desk = TeamFactory()
        PersonFactory(team=desk, name="Ann")
        return IncidentFactory(assignment_group=desk)

    def onlooker(self, role_user, obj):
        return role_user("pmo_lead")

    def toucher(self, role_user, obj):
        user = role_user("engineer")
        if not hasattr(user, "person"):
            PersonFactory(user=user, team=obj.assignment_group)
        else:
            type(user.person).objects.filter(pk=user.person.pk).update(team=obj.assignment_group)
        return user

    def page_view(self, obj):
        return f"/incidents/queues/{obj.assignment_group_id}/"

    def api_view(self, obj):
        return f"{URL}{obj.pk}/"

    def writes(self, obj):
        ann = obj.assignment_group.members.get(name="Ann")
        group = obj.assignment_group_id
        return [
            Write("api", "post", f"{URL}{obj.pk}/assign/", {"group": group, "person": ann.pk}),
            Write(
                "page", "post", f"/incidents/{obj.pk}/assign/", {"group": group, "person": ann.pk}
            ),
            Write("page", "post", f"/incidents/{obj.pk}/take/", {"person": ann.pk}),
            Write("page", "post", f"/incidents/{obj.pk}/take/"),
        ]

    def state(self, obj):
        return snapshot(obj, "assignment_group", "assignee", related=["reassignments"])
