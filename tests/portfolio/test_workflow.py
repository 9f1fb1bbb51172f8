"""Every rule of the project workflow, allowed and refused, through the API."""

import pytest

from portfolio.choices import Stage
from portfolio.models import Project, ProjectTransition
from tests.factories import MilestoneFactory, PersonFactory, ProjectFactory, score_fully
from tests.support.permissions import assert_matrix

pytestmark = pytest.mark.django_db


def move(api, project, to, comment=None):
    body = {"to": to} if comment is None else {"to": to, "comment": comment}
    return api.post(f"/api/portfolio/projects/{project.pk}/transition/", body, format="json")


def test_workflow_assessing_needs_every_criterion_scored(api, criteria, ready_proposal):
    # when unscored
    refused = move(api, ready_proposal, "assessed")
    # then 409 with the allowed moves and what is missing
    assert refused.status_code == 409
    body = refused.json()
    assert body["code"] == "transition_not_allowed"
    assert set(body["allowed"]) == {"on_hold", "rejected"}
    assert "Value" in body["detail"] and "Risk" in body["detail"]
    assert "Alignment" not in body["detail"]  # computed, never scored
    # when scored
    score_fully(ready_proposal, criteria)
    allowed = move(api, ready_proposal, "assessed")
    # then
    assert allowed.status_code == 200, allowed.json()
    assert allowed.json()["stage"] == "assessed"


def test_workflow_approval_needs_owner_and_sponsor(api, criteria):
    project = ProjectFactory(stage=Stage.ASSESSED)
    score_fully(project, criteria)
    refused = move(api, project, "approved")
    assert refused.status_code == 409
    assert "owner" in refused.json()["detail"] and "sponsor" in refused.json()["detail"]
    assert "approved" not in refused.json()["allowed"]
    Project.objects.filter(pk=project.pk).update(sponsor="CFO", owner=PersonFactory())
    assert move(api, project, "approved").status_code == 200


def test_workflow_proposal_can_be_approved_directly_once_scored(api, criteria, ready_proposal):
    assert move(api, ready_proposal, "approved").status_code == 409
    score_fully(ready_proposal, criteria)
    response = move(api, ready_proposal, "approved")
    assert response.status_code == 200
    assert response.json()["stage"] == "approved"


def test_workflow_in_flight_needs_a_start_date(api):
    project = ProjectFactory(stage=Stage.APPROVED)
    assert move(api, project, "in_flight").status_code == 409
    Project.objects.filter(pk=project.pk).update(start_date="2026-12-01")
    assert move(api, project, "in_flight").status_code == 200


def test_workflow_handover_needs_a_go_live_milestone(api):
    project = ProjectFactory(stage=Stage.IN_FLIGHT)
    MilestoneFactory(project=project, kind="build")
    refused = move(api, project, "handover")
    assert refused.status_code == 409
    assert "go-live" in refused.json()["detail"]
    MilestoneFactory(project=project, kind="go_live")
    assert move(api, project, "handover").status_code == 200


@pytest.mark.parametrize("to", ["rejected", "on_hold"])
def test_workflow_reject_and_hold_need_a_comment(api, to):
    project = ProjectFactory()
    # when without a comment: 400 naming the field, and nothing changes
    refused = move(api, project, to, comment="  ")
    assert refused.status_code == 400
    assert "comment" in refused.json()["fields"]
    project.refresh_from_db()
    assert project.stage == "proposed"
    assert not ProjectTransition.objects.exists()
    # when with one
    assert move(api, project, to, comment="Not this year").status_code == 200


def test_workflow_move_outside_the_table_is_409_with_allowed_moves(api):
    project = ProjectFactory()
    response = move(api, project, "closed")
    assert response.status_code == 409
    assert response.json()["current"] == "proposed"
    assert "closed" not in response.json()["allowed"]


def test_workflow_closed_is_final(api):
    project = ProjectFactory(stage=Stage.CLOSED)
    response = move(api, project, "in_flight")
    assert response.status_code == 409
    assert response.json()["allowed"] == []


def test_workflow_unknown_stage_is_400(api):
    response = move(api, ProjectFactory(), "launched")
    assert response.status_code == 400
    assert "to" in response.json()["fields"]


def test_workflow_every_move_is_recorded_and_shown(api, page_clients, role_user):
    project = ProjectFactory()
    move(api, project, "on_hold", comment="Waiting for budget")
    record = ProjectTransition.objects.get()
    assert (record.from_state, record.to_state, record.comment, record.by) == (
        "proposed",
        "on_hold",
        "Waiting for budget",
        role_user("pmo_lead"),
    )
    page = page_clients("executive").get(project.get_absolute_url())
    assert b"Waiting for budget" in page.content
    assert b"Proposed \xe2\x86\x92 On hold" in page.content


def test_workflow_stage_cannot_be_written_by_update(api):
    project = ProjectFactory()
    response = api.patch(
        f"/api/portfolio/projects/{project.pk}/",
        {"stage": "closed", "name": "Renamed"},
        format="json",
    )
    assert response.status_code == 200
    project.refresh_from_db()
    assert (project.stage, project.name) == ("proposed", "Renamed")


def test_workflow_only_pmo_lead_moves_projects(api_clients):
    # Every role reads the project; only the PMO lead moves it.
    project = ProjectFactory()
    assert_matrix(
        api_clients,
        "post",
        f"/api/portfolio/projects/{project.pk}/transition/",
        {"to": "on_hold", "comment": "x"},
        anonymous=401,
        pmo_lead=200,
        itsm_manager=403,
        engineer=403,
        executive=403,
    )


def test_workflow_edits_keep_a_history(api, page_clients):
    project = ProjectFactory(name="Old name")
    api.patch(f"/api/portfolio/projects/{project.pk}/", {"name": "New name"}, format="json")
    assert [h.name for h in project.history.all()] == ["New name", "Old name"]
    assert project.history.first().history_user.username == "pmo_lead_user"


def test_workflow_on_hold_resumes_only_where_it_stopped(api, criteria):
    # given an unscored proposal put on hold
    project = ProjectFactory(start_date="2026-12-01")
    assert move(api, project, "on_hold", comment="Budget freeze").status_code == 200
    # when it tries to jump ahead: refused, it goes back to proposed
    jump = move(api, project, "in_flight")
    assert jump.status_code == 409
    assert "resumes where it stopped: Proposed" in jump.json()["detail"]
    assert set(jump.json()["allowed"]) == {"proposed", "rejected"}
    # then
    assert move(api, project, "proposed").status_code == 200
