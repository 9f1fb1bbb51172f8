"""The resources API: role rules, allocations, conflicts, load, snapshots, recompute."""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.utils import timezone

from resources import selectors
from resources.engine.calendar import monday_of
from resources.models import Allocation, PlanState
from resources.snapshot import compute_and_publish
from tests.factories import PersonFactory, ProjectFactory, TeamFactory
from tests.support.permissions import assert_matrix

pytestmark = pytest.mark.django_db
MONDAY = monday_of(timezone.localdate())
READ_ALL = dict(anonymous=401, pmo_lead=200, itsm_manager=200, engineer=200, executive=200)


@pytest.mark.parametrize(
    "endpoint",
    ["teams", "people", "skills", "absences", "allocations", "demands", "conflicts", "load"],
)
def test_resources_api_every_role_reads(api_clients, endpoint):
    assert_matrix(api_clients, "get", f"/api/resources/{endpoint}/", **READ_ALL)


def booking(person, hours=25, **extra):
    return {
        "person": person.pk,
        "kind": "project",
        "project": ProjectFactory().pk,
        "hours_per_week": str(hours),
        "start_date": str(MONDAY),
        "end_date": str(MONDAY + timedelta(days=11)),
        **extra,
    }


def test_resources_api_allocation_writes_for_pmo_lead_only(api_clients):
    person = PersonFactory()
    assert_matrix(
        api_clients,
        "post",
        "/api/resources/allocations/",
        booking(person),
        anonymous=401,
        pmo_lead=201,
        itsm_manager=403,
        engineer=403,
        executive=403,
    )


def test_resources_api_team_manager_plans_their_team_only(api_clients, role_user):
    # given an engineer who manages the Network team
    manager = PersonFactory(user=role_user("engineer"))
    team = TeamFactory(name="Network", manager=manager)
    mine, other = PersonFactory(team=team), PersonFactory()
    client = api_clients("engineer")
    # then
    assert (
        client.post("/api/resources/allocations/", booking(mine), format="json").status_code == 201
    )
    assert (
        client.post("/api/resources/allocations/", booking(other), format="json").status_code == 403
    )
    foreign = Allocation.objects.create(
        person=other, kind="bau", hours_per_week=5, start_date=MONDAY, end_date=MONDAY
    )
    assert (
        client.patch(
            f"/api/resources/allocations/{foreign.pk}/", {"hours_per_week": "1"}, format="json"
        ).status_code
        == 403
    )


def test_resources_api_allocation_validation(api):
    person = PersonFactory()
    response = api.post(
        "/api/resources/allocations/",
        booking(person, hours=0, kind="bau", end_date=str(MONDAY - timedelta(days=3))),
        format="json",
    )
    assert response.status_code == 400
    fields = response.json()["fields"]
    assert "hours_per_week" in fields
    assert not Allocation.objects.exists()
    mixed = api.post("/api/resources/allocations/", booking(person, kind="bau"), format="json")
    assert mixed.json()["fields"]["project"] == ["Operational work is not booked to a project."]
    no_project = api.post(
        "/api/resources/allocations/", booking(person, project=None), format="json"
    )
    assert no_project.json()["fields"]["project"] == ["Project work needs a project."]


def test_resources_api_saving_an_allocation_recomputes_in_process(
    api, django_capture_on_commit_callbacks, in_process_tasks
):
    # given no broker (the embedded default runs the task in-process after the commit)
    person = PersonFactory(contracted_hours=Decimal(40))
    # when
    with django_capture_on_commit_callbacks(execute=True):
        api.post("/api/resources/allocations/", booking(person, 30), format="json")
    with django_capture_on_commit_callbacks(execute=True):
        api.post("/api/resources/allocations/", booking(person, 30), format="json")
    # then the conflict is there without a manual step
    body = api.get("/api/resources/conflicts/?kind=overallocation").json()
    assert body["count"] == 2
    assert body["results"][0]["state"] == "open"
    assert body["results"][0]["subject_id"] == person.pk
    assert PlanState.objects.get().dirty is False


def test_resources_api_conflict_acknowledge(
    api_clients, django_capture_on_commit_callbacks, in_process_tasks
):
    person = PersonFactory(contracted_hours=Decimal(40))
    with django_capture_on_commit_callbacks(execute=True):
        api_clients("pmo_lead").post(
            "/api/resources/allocations/", booking(person, 50), format="json"
        )
    conflict_id = (
        api_clients("pmo_lead").get("/api/resources/conflicts/").json()["results"][0]["id"]
    )
    url = f"/api/resources/conflicts/{conflict_id}/acknowledge/"
    assert api_clients("engineer").post(url, {"comment": "ok"}, format="json").status_code == 403
    empty = api_clients("itsm_manager").post(url, {"comment": " "}, format="json")
    assert empty.status_code == 400 and "comment" in empty.json()["fields"]
    done = api_clients("itsm_manager").post(url, {"comment": "Covered by Ben"}, format="json")
    assert done.status_code == 200 and done.json()["state"] == "acknowledged"
    client = api_clients("executive")
    # two weeks over: one acknowledged, one still open
    assert client.get("/api/resources/conflicts/").json()["count"] == 1  # open by default
    assert client.get("/api/resources/conflicts/?state=acknowledged").json()["count"] == 1
    assert client.get("/api/resources/conflicts/?state=all").json()["count"] == 2


def test_resources_api_load_filters_by_person_and_week(api):
    person, other = PersonFactory(contracted_hours=Decimal(40)), PersonFactory()
    Allocation.objects.create(
        person=person,
        kind="bau",
        hours_per_week=10,
        start_date=MONDAY,
        end_date=MONDAY + timedelta(weeks=3),
    )
    compute_and_publish()
    body = api.get(
        f"/api/resources/load/?person={person.pk}&week_from={MONDAY}"
        f"&week_to={MONDAY + timedelta(weeks=1)}"
    ).json()
    assert body["count"] == 2
    assert body["results"][0] == {
        "person": person.pk,
        "person_name": person.name,
        "team": person.team_id,
        "week": str(MONDAY),
        "capacity": 40.0,
        "project": 0.0,
        "operational": 10.0,
        "tentative": 0.0,
        "utilisation": 0.25,
    }
    assert api.get(f"/api/resources/load/?person={other.pk}").json()["count"] == 104
    bad = api.get("/api/resources/load/?week_from=2027-02-01&week_to=2027-01-01")
    assert bad.status_code == 400 and "week_to" in bad.json()["fields"]


def test_resources_api_snapshot_latest_and_recompute(
    api_clients, django_capture_on_commit_callbacks, in_process_tasks
):
    client = api_clients("executive")
    assert client.get("/api/resources/snapshots/latest/").status_code == 404
    assert client.post("/api/resources/recompute/").status_code == 403
    with django_capture_on_commit_callbacks(execute=True):
        response = api_clients("itsm_manager").post("/api/resources/recompute/")
    assert response.status_code == 202
    latest = client.get("/api/resources/snapshots/latest/").json()
    assert latest["status"] == "published" and latest["weeks"] == 104
    assert latest["id"] == selectors.current_snapshot().pk


def test_resources_api_books_no_work_to_an_inactive_person_as_the_page_offers_none(api):
    # given someone who has left (the page's form does not offer them)
    gone = PersonFactory(active=False)
    # when the API books their time
    response = api.post("/api/resources/allocations/", booking(gone), format="json")
    # then it is refused as bad input, and nothing saved
    assert response.status_code == 400 and "person" in response.json()["fields"]
    assert not Allocation.objects.exists()


def test_resources_api_books_no_work_to_a_closed_project_as_the_page_offers_none(api):
    # given a closed and a rejected project (the page's form offers neither)
    person = PersonFactory()
    for stage in ("closed", "rejected"):
        project = ProjectFactory(stage=stage)
        # when the API books work to it
        response = api.post(
            "/api/resources/allocations/", booking(person, project=project.pk), format="json"
        )
        # then it is refused as bad input, and nothing saved
        assert response.status_code == 400 and "project" in response.json()["fields"]
    assert not Allocation.objects.exists()


def test_resources_api_team_manager_moves_no_work_across_their_team_boundary(
    api_clients, role_user
):
    # given an engineer who manages a team, a member's allocation and an outsider's
    manager = PersonFactory(user=role_user("engineer"))
    mine = PersonFactory(team=TeamFactory(manager=manager))
    other = PersonFactory()
    own = Allocation.objects.create(
        person=mine, kind="bau", hours_per_week=5, start_date=MONDAY, end_date=MONDAY
    )
    foreign = Allocation.objects.create(
        person=other, kind="bau", hours_per_week=5, start_date=MONDAY, end_date=MONDAY
    )
    client = api_clients("engineer")
    # when they hand their member's work to the outsider, or take the outsider's work
    out = client.patch(f"/api/resources/allocations/{own.pk}/", {"person": other.pk}, format="json")
    into = client.patch(
        f"/api/resources/allocations/{foreign.pk}/", {"person": mine.pk}, format="json"
    )
    gone = client.delete(f"/api/resources/allocations/{foreign.pk}/")
    # then each is refused and nothing changed
    assert (out.status_code, into.status_code, gone.status_code) == (403, 403, 403)
    assert Allocation.objects.get(pk=own.pk).person == mine
    assert Allocation.objects.get(pk=foreign.pk).person == other


def test_resources_api_recompute_is_refused_to_engineers(api_clients):
    assert_matrix(
        api_clients,
        "post",
        "/api/resources/recompute/",
        anonymous=401,
        pmo_lead=202,
        itsm_manager=202,
        engineer=403,
        executive=403,
    )
