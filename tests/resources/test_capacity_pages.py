"""The heatmap, the conflicts page and allocation editing with its preview."""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.utils import timezone

from resources import services
from resources.engine.calendar import monday_of
from resources.models import Allocation, Conflict
from resources.snapshot import compute_and_publish
from tests.factories import PersonFactory, ProjectFactory, TeamFactory
from tests.support.permissions import assert_matrix
from tests.support.queries import assert_constant_queries

pytestmark = pytest.mark.django_db
MONDAY = monday_of(timezone.localdate())


def overbook(person, hours=50, weeks=1):
    return Allocation.objects.create(
        person=person,
        kind="project",
        project=ProjectFactory(),
        hours_per_week=hours,
        start_date=MONDAY,
        end_date=MONDAY + timedelta(weeks=weeks - 1, days=4),
    )


def test_capacity_pages_role_rules(page_clients):
    for path in ["/resources/", "/resources/conflicts/", "/resources/status/"]:
        assert_matrix(
            page_clients,
            "get",
            path,
            anonymous=302,
            pmo_lead=200,
            itsm_manager=200,
            engineer=200,
            executive=200,
        )
    assert_matrix(
        page_clients,
        "get",
        "/resources/allocations/new/",
        anonymous=302,
        pmo_lead=200,
        itsm_manager=403,
        engineer=403,
        executive=403,
    )


def test_heatmap_before_the_first_snapshot_explains_itself(page_clients):
    html = page_clients("executive").get("/resources/").content.decode()
    assert "The capacity picture is being computed." in html


def test_heatmap_shows_team_utilisation_and_bounded_queries(page_clients):
    team = TeamFactory(name="Database")
    PersonFactory(team=team, contracted_hours=Decimal(40))
    overbook(PersonFactory(team=team, contracted_hours=Decimal(40)), 60)
    compute_and_publish()
    client = page_clients("pmo_lead")
    html = client.get("/resources/").content.decode()
    # 60 h against 80 h this week: 75 %
    assert "Database" in html and '<span class="heat-value">75</span>' in html
    assert "project 60 h · operational 0 h · capacity 80 h" in html

    def grow():
        for _ in range(15):
            overbook(PersonFactory(team=TeamFactory(), contracted_hours=Decimal(30)), 40)
        compute_and_publish()
        client.get("/resources/")  # the new snapshot's cells are computed once, then cached

    assert_constant_queries(lambda: client.get("/resources/"), grow)

    def cold():
        cache.clear()
        client.get("/resources/")

    # and on a cache miss too, the queries do not grow with the teams
    assert_constant_queries(cold, grow)


def test_team_page_shows_people_by_week_and_person_page_the_load(page_clients):
    ana = PersonFactory(name="Ana Overbooked", contracted_hours=Decimal(40))
    overbook(ana, 60)
    compute_and_publish()
    client = page_clients("executive")
    team_html = client.get(ana.team.get_absolute_url()).content.decode()
    assert "Ana Overbooked" in team_html and '<span class="heat-value">150</span>' in team_html
    person_html = client.get(ana.get_absolute_url()).content.decode()
    assert "load-chart" in person_html and "Ana Overbooked is booked 60.0 h" in person_html


def test_conflicts_page_filters_and_acknowledges(page_clients):
    ana = PersonFactory(name="Ana", contracted_hours=Decimal(40))
    overbook(ana, 50, weeks=2)
    compute_and_publish()
    client = page_clients("itsm_manager")
    html = client.get("/resources/conflicts/?kind=overallocation").content.decode()
    assert html.count('data-testid="conflict-row"') == 2
    assert (
        client.get("/resources/conflicts/?kind=skill_gap")
        .content.decode()
        .count('data-testid="conflict-row"')
        == 0
    )
    ids = list(Conflict.objects.values_list("pk", flat=True))
    refused = client.post("/resources/conflicts/acknowledge/", {"conflict": ids, "comment": ""})
    # refused input is answered in place with the API's status, saying why, saving nothing
    assert refused.status_code == 400 and "Say why" in refused.content.decode()
    assert not Conflict.objects.filter(acknowledged_at__isnull=False).exists()
    client.post("/resources/conflicts/acknowledge/", {"conflict": ids[:1], "comment": "Covered"})
    assert Conflict.objects.filter(acknowledged_at__isnull=False).count() == 1
    assert (
        page_clients("engineer")
        .post("/resources/conflicts/acknowledge/", {"conflict": ids, "comment": "x"})
        .status_code
        == 403
    )


def test_conflicts_page_queries_are_bounded(page_clients):
    client = page_clients("executive")
    overbook(PersonFactory(contracted_hours=Decimal(40)), 50)
    compute_and_publish()

    def grow():
        for _ in range(10):
            overbook(PersonFactory(contracted_hours=Decimal(40)), 50, weeks=2)
        compute_and_publish()

    assert_constant_queries(lambda: client.get("/resources/conflicts/?state=all"), grow)


def test_allocation_preview_shows_the_effect_before_saving(page_clients):
    ana = PersonFactory(contracted_hours=Decimal(40))
    overbook(ana, 30)
    compute_and_publish()
    project = ProjectFactory()
    form = {
        "person": ana.pk,
        "kind": "project",
        "project": project.pk,
        "hours_per_week": "20",
        "start_date": str(MONDAY),
        "end_date": str(MONDAY + timedelta(days=4)),
    }
    html = page_clients("pmo_lead").post("/resources/allocations/preview/", form)
    text = html.content.decode()
    # 30 h now, 50 h after, against 40 h: over in one week; nothing saved
    assert "Over capacity in 1 week" in text
    assert "30.0 h" in text and "50.0 h" in text and "(125 %)" in text
    assert Allocation.objects.count() == 1


def test_allocation_preview_names_what_is_missing_by_its_label(page_clients):
    # given a form with hours only (the rest not chosen yet)
    compute_and_publish()
    form = {"hours_per_week": "20", "start_date": str(MONDAY)}
    # when the preview is asked for, then it names the missing fields as the form labels them
    text = page_clients("pmo_lead").post("/resources/allocations/preview/", form).content.decode()
    assert "Complete the form to see the effect" in text
    assert "<li>Person: This field is required.</li>" in text
    assert "End date" in text and "end_date" not in text


def test_allocation_preview_when_editing_replaces_the_old_hours(page_clients):
    ana = PersonFactory(contracted_hours=Decimal(40))
    existing = overbook(ana, 50)
    compute_and_publish()
    form = {
        "allocation": existing.pk,
        "person": ana.pk,
        "kind": "project",
        "project": existing.project_id,
        "hours_per_week": "20",
        "start_date": str(MONDAY),
        "end_date": str(MONDAY + timedelta(days=4)),
    }
    text = page_clients("pmo_lead").post("/resources/allocations/preview/", form).content.decode()
    assert "Fits: no week goes over capacity." in text and "(50 %)" in text


def test_allocation_editing_by_team_manager_only_for_their_team(page_clients, role_user):
    manager = PersonFactory(user=role_user("engineer"))
    team = TeamFactory(manager=manager)
    mine, other = PersonFactory(team=team), PersonFactory()
    client = page_clients("engineer")
    data = {
        "kind": "bau",
        "hours_per_week": "10",
        "start_date": str(MONDAY),
        "end_date": str(MONDAY + timedelta(weeks=4)),
    }
    assert client.get("/resources/allocations/new/").status_code == 200
    ok = client.post("/resources/allocations/new/", {**data, "person": mine.pk})
    assert ok.status_code == 302 and Allocation.objects.filter(person=mine).exists()
    refused = client.post("/resources/allocations/new/", {**data, "person": other.pk})
    assert refused.status_code == 200  # not a choice for them
    assert "Select a valid choice" in refused.content.decode()
    assert not Allocation.objects.filter(person=other).exists()
    foreign = overbook(other, 10)
    assert client.get(f"/resources/allocations/{foreign.pk}/edit/").status_code == 403


def test_allocation_form_validation(page_clients):
    person = PersonFactory()
    response = page_clients("pmo_lead").post(
        "/resources/allocations/new/",
        {
            "person": person.pk,
            "kind": "project",
            "hours_per_week": "0",
            "start_date": str(MONDAY),
            "end_date": str(MONDAY - timedelta(days=1)),
        },
    )
    html = response.content.decode()
    assert "Project work needs a project." in html
    assert "The end date is before the start date." in html
    assert not Allocation.objects.exists()


def test_status_poll_tells_the_page_when_a_newer_snapshot_is_published(page_clients):
    first = compute_and_publish()
    client = page_clients("executive")
    same = client.get(f"/resources/status/?shown={first.pk}")
    assert "HX-Trigger" not in same
    second = compute_and_publish()
    newer = client.get(f"/resources/status/?shown={first.pk}")
    assert newer["HX-Trigger"] == "snapshot-published"
    assert f'data-snapshot="{second.pk}"' in newer.content.decode()


def test_home_shows_conflicts_to_managers_and_overbooking_to_the_person(page_clients, role_user):
    me = PersonFactory(user=role_user("engineer"), contracted_hours=Decimal(40), name="Elena")
    overbook(me, 60)
    compute_and_publish()
    manager_home = page_clients("itsm_manager").get("/").content.decode()
    assert "Conflicts to look at" in manager_home and "Elena is booked 60.0 h" in manager_home
    mine = page_clients("engineer").get("/").content.decode()
    assert "I am over-booked" in mine and "Conflicts to look at" not in mine
    assert "I am over-booked" not in page_clients("executive").get("/").content.decode()


def test_allocation_create_page_refuses_who_plans_nobody(page_clients):
    # given an engineer who manages no team
    person = PersonFactory()
    data = {
        "person": person.pk,
        "kind": "bau",
        "hours_per_week": "10",
        "start_date": str(MONDAY),
        "end_date": str(MONDAY + timedelta(weeks=1)),
    }
    # when they post the form anyway, then it is the API's 403 and nothing is saved
    assert page_clients("engineer").post("/resources/allocations/new/", data).status_code == 403
    assert not Allocation.objects.exists()


def test_allocation_page_shortens_work_of_a_closed_project_and_a_leaver(page_clients):
    # given work booked to a project since closed, for someone who has since left
    project = ProjectFactory(stage="closed")
    gone = PersonFactory(active=False)
    booked = Allocation.objects.create(
        person=gone,
        kind="project",
        project=project,
        hours_per_week=20,
        start_date=MONDAY,
        end_date=MONDAY + timedelta(weeks=4),
    )
    client = page_clients("pmo_lead")
    # when the PMO lead opens it, the leaver and the closed project are still its choices
    html = client.get(f"/resources/allocations/{booked.pk}/edit/").content.decode()
    assert project.code in html and gone.name in html
    # and shortens it (as the API may), then it is saved
    response = client.post(
        f"/resources/allocations/{booked.pk}/edit/",
        {
            "person": gone.pk,
            "kind": "project",
            "project": project.pk,
            "hours_per_week": "20",
            "start_date": str(MONDAY),
            "end_date": str(MONDAY + timedelta(weeks=1)),
        },
    )
    assert response.status_code == 302
    booked.refresh_from_db()
    assert booked.end_date == MONDAY + timedelta(weeks=1)


def test_allocation_page_refuses_new_work_to_a_closed_project(page_clients):
    # given a closed project (not among the form's choices)
    project = ProjectFactory(stage="closed")
    response = page_clients("pmo_lead").post(
        "/resources/allocations/new/",
        {
            "person": PersonFactory().pk,
            "kind": "project",
            "project": project.pk,
            "hours_per_week": "20",
            "start_date": str(MONDAY),
            "end_date": str(MONDAY + timedelta(weeks=1)),
        },
    )
    # then the form says so and nothing is saved
    assert response.status_code == 200 and "Select a valid choice" in response.content.decode()
    assert not Allocation.objects.exists()


def test_allocation_form_fills_its_date_inputs_in_iso(page_clients):
    # given an allocation (the locale writes dates as 30/11/2026, which a date input rejects)
    booked = overbook(PersonFactory(), 10)
    # when its form opens, then the date inputs carry ISO dates and show them
    html = page_clients("pmo_lead").get(f"/resources/allocations/{booked.pk}/edit/").content
    assert f'name="start_date" value="{booked.start_date.isoformat()}"'.encode() in html
    assert f'name="end_date" value="{booked.end_date.isoformat()}"'.encode() in html


def test_allocation_page_shows_what_the_service_refuses_and_saves_nothing(
    page_clients, monkeypatch
):
    # given a service that refuses the booking (say the project closed a moment ago)
    def refuse(**kwargs):
        raise ValidationError({"project": "PRJ-X is closed; no work is booked to it."})

    monkeypatch.setattr(services, "allocation_save", refuse)
    data = {
        "person": PersonFactory().pk,
        "kind": "project",
        "project": ProjectFactory().pk,
        "hours_per_week": "10",
        "start_date": str(MONDAY),
        "end_date": str(MONDAY + timedelta(weeks=1)),
    }
    # when the PMO lead saves the form
    response = page_clients("pmo_lead").post("/resources/allocations/new/", data)
    # then the form comes back with the reason, and nothing is saved
    assert response.status_code == 200
    assert "PRJ-X is closed; no work is booked to it." in response.content.decode()
    assert not Allocation.objects.exists()


def test_conflicts_filter_lists_only_the_chosen_project(page_clients):
    # given many projects, one of them in a conflict
    for _ in range(20):
        ProjectFactory()
    allocation = overbook(PersonFactory(contracted_hours=Decimal(40)), 50)
    compute_and_publish()
    client = page_clients("pmo_lead")
    # when the list opens: the project filter offers no option but "any"
    html = client.get("/resources/conflicts/").content.decode()
    select = html[
        html.index('name="project"') : html.index("</select>", html.index('name="project"'))
    ]
    assert select.count("<option") == 1 and "Any project" in select
    # when it is reached from a project: that project is chosen and its conflicts shown
    project = allocation.project
    html = client.get(f"/resources/conflicts/?project={project.pk}").content.decode()
    select = html[
        html.index('name="project"') : html.index("</select>", html.index('name="project"'))
    ]
    assert select.count("<option") == 2 and f'value="{project.pk}" selected' in select
    assert html.count('data-testid="conflict-row"') == 1
    assert f'<a href="{project.get_absolute_url()}">{project.code}</a>' in html
