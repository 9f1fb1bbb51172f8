"""The portfolio API: role rules, scoping, validation, the ranking endpoint."""

import pytest

from portfolio.models import Project
from tests.factories import (
    MilestoneFactory,
    ObjectiveFactory,
    PersonFactory,
    ProjectFactory,
    ProjectObjectiveFactory,
    RiskFactory,
    ScoreFactory,
    ServiceFactory,
    TeamFactory,
    UserFactory,
)
from tests.support.permissions import assert_matrix

pytestmark = pytest.mark.django_db

READ_ALL = dict(anonymous=401, pmo_lead=200, itsm_manager=200, engineer=200, executive=200)


@pytest.mark.parametrize(
    "endpoint",
    [
        "objectives",
        "services",
        "criteria",
        "projects",
        "scores",
        "milestones",
        "risks",
        "benefits",
        "ranking",
    ],
)
def test_api_every_role_reads_every_list(api_clients, endpoint):
    assert_matrix(api_clients, "get", f"/api/portfolio/{endpoint}/", **READ_ALL)


def test_api_only_pmo_lead_creates_projects(api_clients):
    # Permission is checked before the body, so one body serves every role.
    assert_matrix(
        api_clients,
        "post",
        "/api/portfolio/projects/",
        {"code": "NEW-1", "name": "Chatbot"},
        anonymous=401,
        pmo_lead=201,
        itsm_manager=403,
        engineer=403,
        executive=403,
    )


def test_api_create_project_with_objectives_services_and_support(api):
    objective, service, team = ObjectiveFactory(), ServiceFactory(), TeamFactory()
    response = api.post(
        "/api/portfolio/projects/",
        {
            "code": "PRJ-9000",
            "name": "Chatbot",
            "services": [service.pk],
            "objectives": [{"objective": objective.pk, "contribution": 60}],
            "support_team": team.pk,
            "support_effort_hours": "4.5",
            "support_cover": "24x7",
        },
        format="json",
    )
    assert response.status_code == 201, response.json()
    project = Project.objects.get(code="PRJ-9000")
    assert project.stage == "proposed"
    assert project.objective_links.get().contribution == 60
    assert project.support_team == team and project.support_cover == "24x7"


def test_api_bad_project_is_400_with_fields_and_saves_nothing(api):
    objective = ObjectiveFactory()
    response = api.post(
        "/api/portfolio/projects/",
        {
            "code": "",
            "name": "X",
            "start_date": "2026-12-01",
            "end_date": "2026-11-01",
            "objectives": [{"objective": objective.pk, "contribution": 150}],
            "support_cover": "sometimes",
        },
        format="json",
    )
    assert response.status_code == 400
    fields = response.json()["fields"]
    assert {"code", "objectives", "support_cover"} <= set(fields)
    assert not Project.objects.exists()


def test_api_end_before_start_is_refused(api):
    response = api.post(
        "/api/portfolio/projects/",
        {
            "code": "P-1",
            "name": "X",
            "start_date": "2026-12-01",
            "end_date": "2026-11-01",
        },
        format="json",
    )
    assert response.status_code == 400
    assert "before the start" in response.json()["fields"]["end_date"][0]


def test_api_every_role_reads_every_project(api_clients, role_user):
    # given an engineer who works on one project, and a project of another team
    me = PersonFactory(user=role_user("engineer"), team=TeamFactory(name="Platform"))
    mine = ProjectFactory(owner=me)
    other = ProjectFactory()
    ScoreFactory(project=other)
    RiskFactory(project=other)
    client = api_clients("engineer")
    # then the engineer reads both (one shared picture: docs/decisions.md, visibility)
    codes = {p["code"] for p in client.get("/api/portfolio/projects/").json()["results"]}
    assert codes == {mine.code, other.code}
    assert client.get(f"/api/portfolio/projects/{other.pk}/").status_code == 200
    assert client.get("/api/portfolio/scores/").json()["count"] == 1
    assert client.get("/api/portfolio/risks/").json()["count"] == 1
    # and someone without a session reads nothing
    assert api_clients("anonymous").get("/api/portfolio/projects/").status_code == 401


def test_api_a_user_without_a_role_sees_no_project(api_clients):
    from rest_framework.test import APIClient

    from tests.factories import UserFactory

    ProjectFactory()
    assert api_clients("engineer").get("/api/portfolio/projects/").json()["count"] == 1
    nobody = APIClient()
    nobody.force_login(UserFactory(roles=[]))
    assert nobody.get("/api/portfolio/projects/").status_code in (403, 200)
    answer = nobody.get("/api/portfolio/projects/")
    assert answer.status_code == 403 or answer.json()["count"] == 0


def test_api_scores_validate_range_uniqueness_and_alignment(api, criteria):
    project = ProjectFactory()
    value, _risk, align = criteria
    ok = api.post(
        "/api/portfolio/scores/",
        {"project": project.pk, "criterion": value.pk, "value": 4, "rationale": "Big"},
        format="json",
    )
    assert ok.status_code == 201 and ok.json()["scored_by"] == "pmo_lead_user"
    again = api.post(
        "/api/portfolio/scores/",
        {"project": project.pk, "criterion": value.pk, "value": 2},
        format="json",
    )
    assert again.status_code == 400
    out_of_range = api.post(
        "/api/portfolio/scores/",
        {"project": project.pk, "criterion": _risk.pk, "value": 6},
        format="json",
    )
    assert "value" in out_of_range.json()["fields"]
    aligned = api.post(
        "/api/portfolio/scores/",
        {"project": project.pk, "criterion": align.pk, "value": 3},
        format="json",
    )
    assert aligned.status_code == 400 and "criterion" in aligned.json()["fields"]


def test_api_ranking_lists_rank_score_and_terms_in_order(api, criteria):
    value, risk, align = criteria
    objective = ObjectiveFactory(weight=4)
    best, worst = ProjectFactory(code="B"), ProjectFactory(code="W")
    ScoreFactory(project=best, criterion=value, value=5)
    ScoreFactory(project=best, criterion=risk, value=1)
    ProjectObjectiveFactory(project=best, objective=objective, contribution=100)
    ScoreFactory(project=worst, criterion=value, value=1)
    ProjectFactory(code="GONE", stage="closed")
    body = api.get("/api/portfolio/ranking/").json()
    assert [r["project"]["code"] for r in body["results"]] == ["B", "W"]
    top = body["results"][0]
    assert top["rank"] == 1 and top["score"] == "100.00"
    assert [t["criterion"] for t in top["terms"]] == ["Value", "Risk", "Alignment"]
    assert [t["points"] for t in top["terms"]] == ["60.00", "20.00", "20.00"]
    assert body["results"][1]["terms"][1]["missing"] is True


def test_api_ranking_what_if_weights_and_bad_weight(api, criteria):
    value, risk, _ = criteria
    strong, safe = ProjectFactory(code="STRONG"), ProjectFactory(code="SAFE")
    ScoreFactory(project=strong, criterion=value, value=5)
    ScoreFactory(project=strong, criterion=risk, value=5)
    ScoreFactory(project=safe, criterion=value, value=2)
    ScoreFactory(project=safe, criterion=risk, value=1)
    first = lambda q: api.get(f"/api/portfolio/ranking/{q}").json()["results"][0]  # noqa: E731
    assert first("")["project"]["code"] == "STRONG"
    assert first(f"?w{risk.pk}=10")["project"]["code"] == "SAFE"
    bad = api.get(f"/api/portfolio/ranking/?w{risk.pk}=-1")
    assert bad.status_code == 400 and f"w{risk.pk}" in bad.json()["fields"]


def test_api_ranking_filters_like_the_projects_list(api, criteria):
    service = ServiceFactory()
    on_service = ProjectFactory(health="red")
    on_service.services.add(service)
    ProjectFactory(health="red")
    ranking = api.get(f"/api/portfolio/ranking/?service={service.pk}").json()
    listing = api.get(f"/api/portfolio/projects/?service={service.pk}").json()
    assert [r["project"]["id"] for r in ranking["results"]] == [on_service.pk]
    assert [p["id"] for p in listing["results"]] == [on_service.pk]


def test_api_milestones_and_risks_crud_for_pmo_only(api_clients):
    project = ProjectFactory()
    body = {"project": project.pk, "name": "Go-live", "kind": "go_live", "due_date": "2027-01-15"}
    assert (
        api_clients("pmo_lead").post("/api/portfolio/milestones/", body, format="json").status_code
        == 201
    )
    assert (
        api_clients("engineer").post("/api/portfolio/milestones/", body, format="json").status_code
        == 403
    )
    risk = {"project": project.pk, "title": "Slip", "likelihood": 0, "impact": 9}
    bad = api_clients("pmo_lead").post("/api/portfolio/risks/", risk, format="json")
    assert bad.status_code == 400 and {"likelihood", "impact"} <= set(bad.json()["fields"])
    assert MilestoneFactory._meta.model.objects.count() == 1


def test_api_user_with_no_role_reads_nothing(api_clients):
    from rest_framework.test import APIClient

    client = APIClient()
    client.force_login(UserFactory(username="nobody"))
    assert client.get("/api/portfolio/projects/").status_code == 403


def test_api_objective_link_needs_a_contribution(api):
    objective = ObjectiveFactory()
    response = api.post(
        "/api/portfolio/projects/",
        {"code": "X1", "name": "x", "objectives": [{"objective": objective.pk}]},
        format="json",
    )
    assert response.status_code == 400
    assert "contribution" in response.json()["fields"]["objectives"][0]
    assert not Project.objects.exists()


def test_api_criterion_weights_stay_between_0_and_100_and_not_all_zero(api, criteria):
    value, risk, align = criteria
    too_big = api.patch(f"/api/portfolio/criteria/{value.pk}/", {"weight": "150"}, format="json")
    assert too_big.status_code == 400 and "weight" in too_big.json()["fields"]
    for criterion in (risk, align):
        assert (
            api.patch(
                f"/api/portfolio/criteria/{criterion.pk}/", {"weight": "0"}, format="json"
            ).status_code
            == 200
        )
    last = api.patch(f"/api/portfolio/criteria/{value.pk}/", {"weight": "0"}, format="json")
    assert last.status_code == 400
    assert "above 0" in last.json()["fields"]["weight"][0]


def test_api_ranking_ignores_parameters_that_are_not_weights(api, criteria):
    # "w²" looks like a digit to str.isdigit() but is no criterion id
    assert api.get("/api/portfolio/ranking/?w%C2%B2=1").status_code == 200


def test_api_ranking_refuses_unknown_criteria_with_400(api, criteria):
    response = api.get("/api/portfolio/ranking/?w99999=2")
    assert response.status_code == 400
    assert response.json()["fields"]["w99999"] == ["There is no such criterion."]


def test_api_a_score_stays_with_its_project_and_criterion(api, criteria):
    # given a score, and another project and criterion
    value, risk, _ = criteria
    score = ScoreFactory(criterion=value, value=2)
    other = ProjectFactory()
    # when a PATCH names them
    response = api.patch(
        f"/api/portfolio/scores/{score.pk}/",
        {"project": other.pk, "criterion": risk.pk, "value": 5},
        format="json",
    )
    # then the value changes, through score_set, and the score stays where it was
    assert response.status_code == 200, response.json()
    project_id = score.project_id
    score.refresh_from_db()
    assert (score.project_id, score.criterion_id, score.value) == (project_id, value.pk, 5)
    assert score.scored_by.username == "pmo_lead_user"


@pytest.mark.parametrize("endpoint", ["milestones", "risks", "benefits"])
def test_api_plan_rows_stay_with_their_project(api, endpoint):
    # given a row of one project's plan
    from tests.portfolio.factories import BenefitFactory

    row = {"milestones": MilestoneFactory, "risks": RiskFactory, "benefits": BenefitFactory}[
        endpoint
    ]()
    other = ProjectFactory()
    # when a PATCH moves it to another project
    response = api.patch(
        f"/api/portfolio/{endpoint}/{row.pk}/", {"project": other.pk}, format="json"
    )
    # then it stays with its own
    assert response.status_code == 200
    row.refresh_from_db()
    assert row.project_id != other.pk


def test_api_the_last_weighted_criterion_cannot_be_deleted(api, criteria):
    # given every criterion but one at weight 0 (the ranking page refuses all-zero weights)
    value, risk, align = criteria
    for criterion in (risk, align):
        api.patch(f"/api/portfolio/criteria/{criterion.pk}/", {"weight": "0"}, format="json")
    # when the one with a weight is deleted
    response = api.delete(f"/api/portfolio/criteria/{value.pk}/")
    # then it is refused and stays
    assert response.status_code == 400
    assert "above 0" in response.json()["fields"]["weight"][0]
    assert value._meta.model.objects.filter(pk=value.pk).exists()
    # and one without weight may go
    assert api.delete(f"/api/portfolio/criteria/{risk.pk}/").status_code == 204


def test_api_project_delete_takes_its_stage_log(api):
    # given a project that moved once
    project = ProjectFactory()
    api.post(
        f"/api/portfolio/projects/{project.pk}/transition/",
        {"to": "on_hold", "comment": "Wait"},
        format="json",
    )
    # when it is deleted, then it goes with its (append-only) log
    assert api.delete(f"/api/portfolio/projects/{project.pk}/").status_code == 204
    assert not Project.objects.exists()


def test_portfolio_api_superuser_reads_every_project(client):
    # given a project and a superuser who holds no role
    project = ProjectFactory()
    root = UserFactory(username="root", is_superuser=True, is_staff=True)
    nobody = UserFactory(username="no_role")
    # when each asks for it
    client.force_login(root)
    seen = client.get(f"/api/portfolio/projects/{project.pk}/")
    client.force_login(nobody)
    unseen = client.get(f"/api/portfolio/projects/{project.pk}/")
    # then the superuser reads it (it counts as holding every role); a user with no role is
    # refused at the door
    assert seen.status_code == 200
    assert unseen.status_code == 403
