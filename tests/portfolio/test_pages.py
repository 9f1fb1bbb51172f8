"""Portfolio pages: bounded queries, role rules, the what-if, CSV export, forms."""

import csv
import io
from datetime import timedelta

import pytest

from portfolio.models import Project, ProjectObjective, Score
from tests.factories import (
    ObjectiveFactory,
    PersonFactory,
    ProjectFactory,
    ScoreFactory,
    TeamFactory,
    score_fully,
)
from tests.support.permissions import assert_matrix
from tests.support.queries import assert_constant_queries

pytestmark = pytest.mark.django_db

STAGES = ["proposed", "assessed", "approved", "in_flight", "handover", "on_hold", "closed"]


def make_portfolio(count, criteria, start=0):
    """`count` projects over every stage, each scored and serving an objective (bulk)."""
    objective = ObjectiveFactory()
    owner = PersonFactory()
    projects = Project.objects.bulk_create(
        Project(
            code=f"BULK-{start + i:04d}",
            name=f"Bulk {i}",
            stage=STAGES[i % len(STAGES)],
            owner=owner,
            sponsor="CFO",
        )
        for i in range(count)
    )
    Score.objects.bulk_create(
        Score(project=p, criterion=c, value=1 + (p.pk + c.pk) % 5)
        for p in projects
        for c in criteria
        if c.kind == "scored"
    )
    ProjectObjective.objects.bulk_create(
        ProjectObjective(project=p, objective=objective, contribution=p.pk % 100) for p in projects
    )


@pytest.mark.parametrize(
    "path",
    [
        "/portfolio/",
        "/portfolio/ranking/",
        "/portfolio/projects/",
        "/api/portfolio/ranking/",
        "/api/portfolio/projects/",
    ],
)
def test_pages_same_queries_for_10_and_300_projects(page_clients, criteria, path):
    client = page_clients("pmo_lead")
    make_portfolio(10, criteria)
    assert_constant_queries(
        lambda: client.get(path), lambda: make_portfolio(290, criteria, start=10)
    )


def test_pages_board_and_ranking_are_read_by_every_role(page_clients):
    for path in ["/portfolio/", "/portfolio/ranking/", "/portfolio/projects/"]:
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


def test_pages_forms_are_for_pmo_lead_only(page_clients):
    project = ProjectFactory()
    for path in [
        "/portfolio/projects/new/",
        f"/portfolio/projects/{project.pk}/edit/",
        f"/portfolio/projects/{project.pk}/scores/",
        "/portfolio/import/",
    ]:
        assert_matrix(
            page_clients,
            "get",
            path,
            anonymous=302,
            pmo_lead=200,
            itsm_manager=403,
            engineer=403,
            executive=403,
        )


def test_pages_engineer_opens_every_project_but_moves_none(page_clients, role_user):
    me = PersonFactory(user=role_user("engineer"))
    mine, other = ProjectFactory(owner=me, name="Mine"), ProjectFactory(name="Theirs")
    client = page_clients("engineer")
    board = client.get("/portfolio/").content.decode()
    assert f'href="{mine.get_absolute_url()}"' in board
    assert f'href="{other.get_absolute_url()}"' in board
    assert client.get(other.get_absolute_url()).status_code == 200
    # reading is not moving: the project's stage stays the PMO lead's
    moved = client.post(f"/portfolio/projects/{other.pk}/transition/", {"to": "on_hold"})
    assert moved.status_code == 403


def test_pages_board_orders_cards_by_rank_and_filters(page_clients, criteria):
    value = criteria[0]
    low, high = ProjectFactory(name="Low one", health="red"), ProjectFactory(name="High one")
    ScoreFactory(project=low, criterion=value, value=1)
    ScoreFactory(project=high, criterion=value, value=5)
    content = page_clients("executive").get("/portfolio/").content.decode()
    assert content.index("High one") < content.index("Low one")
    red = page_clients("executive").get("/portfolio/?health=red").content.decode()
    assert "Low one" in red and "High one" not in red


def test_pages_ranking_what_if_reorders_without_saving(page_clients, criteria):
    value, risk, _ = criteria
    strong, safe = ProjectFactory(name="Strong"), ProjectFactory(name="Safe")
    ScoreFactory(project=strong, criterion=value, value=5)
    ScoreFactory(project=strong, criterion=risk, value=5)
    ScoreFactory(project=safe, criterion=value, value=2)
    ScoreFactory(project=safe, criterion=risk, value=1)
    client = page_clients("executive")
    saved = client.get("/portfolio/ranking/").content.decode()
    assert saved.index("Strong") < saved.index("Safe")
    # when (htmx asks for the table with another weight)
    what_if = client.get(f"/portfolio/ranking/?w{risk.pk}=10", HTTP_HX_REQUEST="true")
    # then the fragment comes back reordered and flagged, and nothing was saved
    html = what_if.content.decode()
    assert "<html" not in html
    assert html.index("Safe") < html.index("Strong")
    assert "What-if: weights not saved" in html
    risk.refresh_from_db()
    assert risk.weight == 1


def test_pages_ranking_refuses_a_weight_naming_its_criterion(page_clients, criteria):
    value, risk, _ = criteria
    client = page_clients("executive")
    # when htmx asks for the table with a weight out of range (allowed: one in range)
    allowed = client.get(f"/portfolio/ranking/?w{risk.pk}=10", HTTP_HX_REQUEST="true")
    refused = client.get(f"/portfolio/ranking/?w{risk.pk}=500", HTTP_HX_REQUEST="true")
    # then it is a 400 whose fragment (swapped in all the same) names the criterion, not w<id>
    assert allowed.status_code == 200
    html = refused.content.decode()
    assert refused.status_code == 400 and "<html" not in html
    assert "<bdi>Risk</bdi>: A weight is between 0 and 100." in html and f"w{risk.pk}:" not in html
    # and the page itself says the same
    page = client.get(f"/portfolio/ranking/?w{risk.pk}=-1")
    assert (
        page.status_code == 400
        and "<bdi>Risk</bdi>: A weight is between 0 and 100." in page.content.decode()
    )


def test_pages_save_weights_pmo_only_and_validated(page_clients, criteria):
    risk = criteria[1]
    assert (
        page_clients("executive")
        .post("/portfolio/ranking/weights/", {f"w{risk.pk}": "4"})
        .status_code
        == 403
    )
    bad = page_clients("pmo_lead").post(
        "/portfolio/ranking/weights/", {f"w{risk.pk}": "-2"}, follow=True
    )
    assert bad.status_code == 400 and b"between 0 and 100" in bad.content
    risk.refresh_from_db()
    assert risk.weight == 1
    page_clients("pmo_lead").post("/portfolio/ranking/weights/", {f"w{risk.pk}": "4"})
    risk.refresh_from_db()
    assert risk.weight == 4


def test_pages_ranking_csv_has_the_page_rows(page_clients, criteria):
    score_fully(ProjectFactory(code="A-1", name="Alpha"), criteria, value=5)
    ProjectFactory(code="B-1", name="Beta")
    response = page_clients("executive").get("/portfolio/ranking.csv")
    assert response["Content-Type"].startswith("text/csv")
    rows = list(csv.reader(io.StringIO(response.content.decode())))
    assert rows[0][:7] == ["rank", "code", "name", "stage", "health", "owner", "score"]
    assert [r[1] for r in rows[1:]] == ["A-1", "B-1"]
    assert rows[1][-3:] == ["60.00", "0.00", "0.00"]  # value 5 is best, risk 5 is worst


def test_pages_intake_form_creates_a_proposal_with_support_needs(page_clients):
    team, objective = TeamFactory(name="Service Desk"), ObjectiveFactory()
    response = page_clients("pmo_lead").post(
        "/portfolio/projects/new/",
        {
            "code": "PRJ-7777",
            "name": "Chatbot",
            "health": "green",
            "objectives": [objective.pk],
            "support_team": team.pk,
            "support_effort_hours": "3",
            "support_cover": "extended",
        },
    )
    project = Project.objects.get(code="PRJ-7777")
    assert response.status_code == 302 and response["Location"] == project.get_absolute_url()
    assert project.support_team == team
    assert project.objective_links.get().objective == objective


def test_pages_intake_form_shows_errors_and_saves_nothing(page_clients):
    ProjectFactory(code="TAKEN")
    response = page_clients("pmo_lead").post(
        "/portfolio/projects/new/",
        {
            "code": "TAKEN",
            "name": "",
            "health": "green",
            "start_date": "2027-02-01",
            "end_date": "2027-01-01",
        },
    )
    assert response.status_code == 200
    html = response.content.decode()
    assert "A project with code TAKEN already exists." in html
    assert "This field is required." in html
    assert "The end date is before the start date." in html
    assert Project.objects.count() == 1


def test_pages_scores_form_saves_scores_and_rationale(page_clients, criteria):
    project = ProjectFactory()
    value, risk, _ = criteria
    client = page_clients("pmo_lead")
    bad = client.post(
        f"/portfolio/projects/{project.pk}/scores/",
        {f"c{value.pk}-rationale": "why", f"c{value.pk}-value": ""},
    )
    assert b"Give a score with the rationale." in bad.content
    client.post(
        f"/portfolio/projects/{project.pk}/scores/",
        {
            f"c{value.pk}-value": "4",
            f"c{value.pk}-rationale": "Saves 2 FTE",
            f"c{risk.pk}-value": "2",
        },
    )
    assert dict(project.scores.values_list("criterion__name", "value")) == {"Value": 4, "Risk": 2}
    page = client.get(project.get_absolute_url()).content.decode()
    assert "Saves 2 FTE" in page


def test_pages_transition_from_the_page_and_the_board(page_clients, criteria):
    project = ProjectFactory(owner=PersonFactory(), sponsor="COO")
    client = page_clients("pmo_lead")
    # refused: a message says why and the stage is unchanged
    refused = client.post(
        f"/portfolio/projects/{project.pk}/transition/", {"to": "approved"}, follow=True
    )
    assert refused.status_code == 409  # rendered in place, with the API's status
    assert b"Score every criterion before approving" in refused.content
    project.refresh_from_db()
    assert project.stage == "proposed" and not project.transitions.exists()
    # the board asks for JSON
    as_json = client.post(
        f"/portfolio/projects/{project.pk}/transition/",
        {"to": "approved"},
        HTTP_ACCEPT="application/json",
    )
    assert as_json.status_code == 409 and "allowed" in as_json.json()
    score_fully(project, criteria)
    ok = client.post(
        f"/portfolio/projects/{project.pk}/transition/",
        {"to": "approved"},
        HTTP_ACCEPT="application/json",
    )
    assert ok.status_code == 200 and ok.json()["stage"] == "approved"
    assert (
        page_clients("executive")
        .post(f"/portfolio/projects/{project.pk}/transition/", {"to": "on_hold"})
        .status_code
        == 403
    )


def test_pages_transition_does_not_redirect_off_site(page_clients):
    project = ProjectFactory()
    response = page_clients("pmo_lead").post(
        f"/portfolio/projects/{project.pk}/transition/",
        {"to": "on_hold", "comment": "x", "next": "https://evil.example/"},
    )
    assert response["Location"] == project.get_absolute_url()


def test_pages_project_page_shows_risk_matrix_and_milestones(page_clients):
    from tests.factories import MilestoneFactory, RiskFactory

    project = ProjectFactory()
    RiskFactory(
        project=project, likelihood=5, impact=5, title="Data loss", threatens_operations=True
    )
    MilestoneFactory(project=project, name="Go-live day")
    html = page_clients("executive").get(project.get_absolute_url()).content.decode()
    assert "Data loss" in html and "threatens operations" in html
    assert 'class="rm-cell rm-25"' in html and "rm-count" in html
    assert "Go-live day" in html


def test_pages_project_page_queries_are_bounded(page_clients, criteria):
    from tests.factories import MilestoneFactory, RiskFactory
    from tests.portfolio.factories import BenefitFactory

    project = ProjectFactory()
    # one benefit with an owner from the start: the owners' prefetch runs once there is one
    BenefitFactory(project=project, owner=PersonFactory())
    client = page_clients("pmo_lead")  # who sees each benefit's forms

    def grow():
        score_fully(project, criteria)
        for _ in range(5):
            RiskFactory(project=project)
            MilestoneFactory(project=project)
            BenefitFactory(project=project, owner=PersonFactory())

    assert_constant_queries(lambda: client.get(project.get_absolute_url()), grow)


def in_days(n: int):
    from django.utils import timezone

    return timezone.localdate() + timedelta(days=n)


def test_home_pmo_lead_sees_proposals_to_score_and_stage_moves(page_clients, criteria):
    # given a proposal to score, one fully scored, an approved project starting tomorrow,
    # one starting in two months and one in flight
    unscored = ProjectFactory(name="Needs scores")
    scored = ProjectFactory(name="Ready one", stage="assessed")
    score_fully(scored, criteria)
    starting = ProjectFactory(name="Starts tomorrow", stage="approved", start_date=in_days(1))
    ProjectFactory(name="Starts later", stage="approved", start_date=in_days(60))
    ProjectFactory(name="Running", stage="in_flight")
    html = page_clients("pmo_lead").get("/").content.decode()
    # then the PMO lead is asked to score the one, and to decide or start the others
    assert "Proposals to score" in html and "Stage moves that wait" in html
    assert "Score 2 criteria" in html and f"/portfolio/projects/{unscored.pk}/scores/" in html
    assert "Approve, hold or reject" in html and scored.name in html
    assert "Start it: planned start" in html and starting.name in html
    assert "Starts later" not in html and "Running" not in html
    assert "Proposals to score" not in page_clients("executive").get("/").content.decode()


def test_home_stage_moves_and_proposals_are_due_two_weeks_after_raising(criteria, role_user):
    from django.utils import timezone

    from itsm_pmo.home import Band, Clock
    from portfolio.home import stage_moves, to_score

    # given a proposal raised three weeks ago and one raised today
    old = ProjectFactory(name="Old proposal")
    Project.objects.filter(pk=old.pk).update(created_at=timezone.now() - timedelta(days=21))
    ProjectFactory(name="New proposal")
    clock = Clock.current()
    found = to_score.entries(role_user("pmo_lead"), clock, 0, 5)
    # then the old one is overdue and leads, the new one is due in two weeks
    assert [item.title.split(" ", 1)[1] for item in found] == ["Old proposal", "New proposal"]
    assert clock.band(found[0].due) == Band.OVERDUE
    assert found[1].due == timezone.localdate() + timedelta(days=14)
    assert not stage_moves.entries(role_user("pmo_lead"), clock, 0, 5)  # none is scored


def test_home_benefits_to_review_and_red_projects(page_clients):
    from tests.portfolio.factories import BenefitFactory

    # given a benefit due next week, one realised, a red project and a red proposal
    BenefitFactory(description="Calls down", review_date=in_days(5), project__stage="closed")
    BenefitFactory(
        description="Already measured",
        review_date=in_days(-5),
        realised="-10 %",
        realised_on=in_days(-1),
        project__stage="closed",
    )
    red = ProjectFactory(name="Burning", stage="in_flight", health="red")
    ProjectFactory(name="Red idea", stage="proposed", health="red")
    pmo = page_clients("pmo_lead").get("/").content.decode()
    executive = page_clients("executive").get("/").content.decode()
    # then the PMO lead is asked to record the one benefit; the executive about the red project
    assert "Benefits to review" in pmo and "Calls down" in pmo and "Already measured" not in pmo
    assert "Record what was realised" in pmo
    assert "Projects in the red" in executive and red.name in executive
    assert "Red idea" not in executive and "Benefits to review" not in executive
    assert "Projects in the red" not in pmo


def test_home_owner_sees_their_projects(page_clients, role_user):
    me = PersonFactory(user=role_user("engineer"))
    ProjectFactory(owner=me, name="My migration", health="amber")
    html = page_clients("engineer").get("/").content.decode()
    assert "My projects" in html and "My migration" in html and "Amber" in html


def test_pages_edit_history_shows_what_changed(page_clients):
    project = ProjectFactory(name="Old name")
    page_clients("pmo_lead").post(
        f"/portfolio/projects/{project.pk}/edit/",
        {"code": project.code, "name": "New name", "health": "amber"},
    )
    html = page_clients("executive").get(project.get_absolute_url()).content.decode()
    assert "<del>Old name</del> → New name" in html
    assert "<del>green</del> → amber" in html


def test_pages_ranking_csv_defuses_spreadsheet_formulas(page_clients):
    ProjectFactory(code="F-1", name='=HYPERLINK("http://evil.example","x")')
    body = page_clients("executive").get("/portfolio/ranking.csv").content.decode()
    assert "'=HYPERLINK" in body


def test_pages_project_form_keeps_percentages_and_retired_objectives(page_clients):
    active, retired = ObjectiveFactory(), ObjectiveFactory(active=False)
    project = ProjectFactory(owner=PersonFactory(active=False))
    ProjectObjective.objects.create(project=project, objective=retired, contribution=80)
    response = page_clients("pmo_lead").post(
        f"/portfolio/projects/{project.pk}/edit/",
        {
            "code": project.code,
            "name": "Kept",
            "health": "green",
            "objectives": [active.pk],
            "owner": project.owner_id,
        },
    )
    assert response.status_code == 302, response.context["form"].errors
    assert dict(project.objective_links.values_list("objective_id", "contribution")) == {
        active.pk: 100,
        retired.pk: 80,
    }


def test_pages_scores_form_can_clear_a_score(page_clients, criteria):
    value = criteria[0]
    score = ScoreFactory(criterion=value, value=4)
    page_clients("pmo_lead").post(
        f"/portfolio/projects/{score.project_id}/scores/", {f"c{value.pk}-value": ""}
    )
    assert not Score.objects.exists()
