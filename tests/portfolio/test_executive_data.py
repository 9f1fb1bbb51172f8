"""The data the executive metrics need (issue 16): a project's costs by month, a milestone's
baseline date and its re-plans, a benefit's numbers."""

import importlib
from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.apps import apps
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from portfolio import selectors, services
from portfolio.choices import CostKind, Stage
from portfolio.models import Benefit, Milestone, ProjectCost, ProjectTransition
from portfolio.rules import benefit_unit_problem, first_of_month_problem
from tests.factories import MilestoneFactory, ProjectFactory, score_fully
from tests.portfolio.factories import BenefitFactory, CostFactory

pytestmark = pytest.mark.django_db

MARCH = date(2026, 3, 1)
COST = {"month": MARCH, "kind": CostKind.CAPITAL, "amount": Decimal("40000.00"), "note": "HW"}


# --- costs: the services -----------------------------------------------------------------------


def test_cost_is_recorded_by_a_pmo_lead_and_refused_to_others(role_user):
    project = ProjectFactory()
    cost = services.cost_create(project=project, by=role_user("pmo_lead"), fields=COST)
    assert (cost.project, cost.month, cost.kind, cost.amount) == (
        project,
        MARCH,
        "capital",
        Decimal("40000.00"),
    )
    with pytest.raises(PermissionDenied):
        services.cost_create(
            project=project, by=role_user("engineer"), fields={**COST, "kind": "operating"}
        )
    with pytest.raises(PermissionDenied):
        services.cost_delete(cost=cost, by=role_user("executive"))
    assert ProjectCost.objects.count() == 1


def test_cost_month_is_the_first_of_a_month(role_user):
    assert first_of_month_problem(date(2026, 3, 1)) is None
    assert "2026-03-01" in first_of_month_problem(date(2026, 3, 15))
    with pytest.raises(ValidationError) as refused:
        services.cost_create(
            project=ProjectFactory(),
            by=role_user("pmo_lead"),
            fields={**COST, "month": date(2026, 3, 15)},
        )
    assert set(refused.value.message_dict) == {"month"}
    assert not ProjectCost.objects.exists()


def test_cost_amount_may_be_zero_not_negative(role_user):
    lead, project = role_user("pmo_lead"), ProjectFactory()
    services.cost_create(project=project, by=lead, fields={**COST, "amount": Decimal("0")})
    with pytest.raises(ValidationError) as refused:
        services.cost_create(
            project=project,
            by=lead,
            fields={**COST, "kind": "operating", "amount": Decimal("-1")},
        )
    assert set(refused.value.message_dict) == {"amount"}
    assert ProjectCost.objects.count() == 1


def test_cost_one_row_per_month_and_kind(role_user):
    lead, project = role_user("pmo_lead"), ProjectFactory(code="PRJ-0777")
    services.cost_create(project=project, by=lead, fields=COST)
    # the other kind in the same month is another row
    other = services.cost_create(project=project, by=lead, fields={**COST, "kind": "operating"})
    with pytest.raises(ValidationError) as refused:
        services.cost_create(project=project, by=lead, fields=COST)
    assert refused.value.message_dict["month"] == [
        "PRJ-0777 already has a capital cost for 2026-03: change that one."
    ]
    # and an update may not move a row onto another's month and kind
    with pytest.raises(ValidationError):
        services.cost_update(cost=other, by=lead, fields={"kind": "capital"})
    # while correcting its own amount is fine
    services.cost_update(cost=other, by=lead, fields={"amount": Decimal("5.00")})
    assert sorted(ProjectCost.objects.values_list("kind", "amount")) == [
        ("capital", Decimal("40000.00")),
        ("operating", Decimal("5.00")),
    ]


# --- costs: the API ----------------------------------------------------------------------------


def test_costs_api_writes_through_the_service_and_names_the_field(api, api_clients):
    project = ProjectFactory()
    body = {"project": project.pk, "month": "2026-03-01", "kind": "capital", "amount": "10.50"}
    created = api.post("/api/portfolio/costs/", body, format="json")
    assert created.status_code == 201, created.content
    assert created.json()["amount"] == "10.50"
    duplicate = api.post("/api/portfolio/costs/", body, format="json")
    assert duplicate.status_code == 400 and "month" in duplicate.json()["fields"]
    mid_month = api.post("/api/portfolio/costs/", {**body, "month": "2026-03-02"}, format="json")
    assert mid_month.status_code == 400 and "month" in mid_month.json()["fields"]
    negative = api.post(
        "/api/portfolio/costs/", {**body, "kind": "operating", "amount": "-3"}, format="json"
    )
    assert negative.status_code == 400 and "amount" in negative.json()["fields"]
    refused = api_clients("engineer").post(
        "/api/portfolio/costs/", {**body, "kind": "operating"}, format="json"
    )
    assert refused.status_code == 403
    assert ProjectCost.objects.count() == 1


def test_costs_api_filters_by_project_and_month_range(api):
    project, other = ProjectFactory(), ProjectFactory()
    for month in (1, 2, 3, 4):
        CostFactory(project=project, month=date(2026, month, 1))
    CostFactory(project=other, month=date(2026, 2, 1))
    response = api.get(
        "/api/portfolio/costs/",
        {"project": project.pk, "month_from": "2026-02-01", "month_to": "2026-03-01"},
    )
    assert response.status_code == 200
    months = [row["month"] for row in response.json()["results"]]
    assert months == ["2026-02-01", "2026-03-01"]
    assert api.get("/api/portfolio/costs/", {"month_from": "someday"}).status_code == 400


# --- milestones: the baseline ----------------------------------------------------------------


def test_approval_sets_baselines_once(api, criteria, ready_proposal, role_user):
    project = ready_proposal
    plain = MilestoneFactory(project=project, due_date=date(2026, 9, 1))
    kept = MilestoneFactory(project=project, due_date=date(2026, 10, 1))
    Milestone.objects.filter(pk=kept.pk).update(baseline_date=date(2026, 8, 1))
    assert plain.baseline_date is None  # a proposal has no baseline yet
    score_fully(project, criteria)
    services.project_transition(project=project, to=Stage.APPROVED, by=role_user("pmo_lead"))
    plain.refresh_from_db()
    kept.refresh_from_db()
    assert plain.baseline_date == date(2026, 9, 1)
    assert kept.baseline_date == date(2026, 8, 1)  # a baseline never moves


def test_milestone_added_to_an_approved_project_takes_its_due_date_as_baseline(role_user):
    lead = role_user("pmo_lead")
    fields = {"name": "Go-live", "kind": "go_live", "due_date": date(2026, 11, 2)}
    approved = services.milestone_create(
        project=ProjectFactory(stage=Stage.IN_FLIGHT), by=lead, fields=fields
    )
    proposed = services.milestone_create(
        project=ProjectFactory(stage=Stage.PROPOSED), by=lead, fields=fields
    )
    assert approved.baseline_date == date(2026, 11, 2)
    assert proposed.baseline_date is None


def test_replanning_moves_the_due_date_not_the_baseline_and_counts(role_user, api):
    lead = role_user("pmo_lead")
    project, calm = ProjectFactory(stage=Stage.IN_FLIGHT), ProjectFactory(stage=Stage.IN_FLIGHT)
    fields = {"name": "Go-live", "kind": "go_live", "due_date": date(2026, 11, 2)}
    milestone = services.milestone_create(project=project, by=lead, fields=fields)
    services.milestone_create(project=calm, by=lead, fields=fields)
    services.milestone_update(milestone=milestone, by=lead, fields={"due_date": date(2026, 12, 1)})
    # a change that does not touch the due date is no re-plan
    services.milestone_update(milestone=milestone, by=lead, fields={"name": "Cut-over"})
    # the API cannot set the baseline either: it is read-only there
    response = api.patch(
        f"/api/portfolio/milestones/{milestone.pk}/",
        {"due_date": "2027-01-04", "baseline_date": "2020-01-01"},
        format="json",
    )
    assert response.status_code == 200
    assert response.json()["baseline_date"] == "2026-11-02"
    milestone.refresh_from_db()
    assert (milestone.due_date, milestone.baseline_date) == (date(2027, 1, 4), date(2026, 11, 2))
    assert selectors.replans_by_project() == {project.pk: 2}
    assert selectors.replans_by_project(projects=project.__class__.objects.none()) == {}


def test_migration_baselines_milestones_of_projects_past_approval():
    migration = importlib.import_module(
        "portfolio.migrations.0007_baseline_milestones_of_approved_projects"
    )
    flying = MilestoneFactory(project=ProjectFactory(stage=Stage.IN_FLIGHT))
    held = ProjectFactory(stage=Stage.ON_HOLD)
    ProjectTransition.objects.create(project=held, from_state="assessed", to_state="approved")
    held_milestone = MilestoneFactory(project=held)
    proposal = MilestoneFactory(project=ProjectFactory(stage=Stage.PROPOSED))
    migration.set_baselines(apps, None)
    baselines = dict(Milestone.objects.values_list("pk", "baseline_date"))
    assert baselines[flying.pk] == flying.due_date
    assert baselines[held_milestone.pk] == held_milestone.due_date
    assert baselines[proposal.pk] is None


# --- benefits: the numbers -------------------------------------------------------------------


def test_benefit_numbers_need_their_unit(role_user):
    assert benefit_unit_problem("", None, None, None) is None
    assert benefit_unit_problem("%", Decimal(1), None, None) is None
    assert benefit_unit_problem(" ", None, Decimal(5), None)
    lead, project = role_user("pmo_lead"), ProjectFactory()
    plan = {"description": "Faster", "measure": "minutes", "target": "5"}
    with pytest.raises(ValidationError) as refused:
        services.benefit_create(
            project=project, by=lead, fields={**plan, "target_value": Decimal("5")}
        )
    assert set(refused.value.message_dict) == {"unit"}
    benefit = services.benefit_create(
        project=project,
        by=lead,
        fields={
            **plan,
            "unit": " min ",
            "baseline_value": Decimal("12"),
            "target_value": Decimal("5"),
        },
    )
    assert (benefit.unit, benefit.baseline_value, benefit.realised_on) == ("min", 12, None)


def test_benefit_realised_value_alone_is_a_realisation_dated_today(role_user):
    benefit = BenefitFactory(unit="%", target_value=Decimal("-30"))
    services.benefit_update(
        benefit=benefit, by=role_user("pmo_lead"), fields={"realised_value": Decimal("-12.5")}
    )
    benefit.refresh_from_db()
    assert (benefit.realised_value, benefit.realised_on) == (
        Decimal("-12.5"),
        timezone.localdate(),
    )
    with pytest.raises(PermissionDenied):
        services.benefit_update(
            benefit=benefit, by=role_user("executive"), fields={"realised_value": Decimal(1)}
        )


def test_benefit_api_carries_the_numbers(api):
    project = ProjectFactory()
    body = {
        "project": project.pk,
        "description": "Fewer calls",
        "measure": "calls/month",
        "target": "-20 %",
        "unit": "calls/month",
        "baseline_value": "1000",
        "target_value": "800",
        "realised_value": "900",
        "realised_on": str(timezone.localdate() - timedelta(days=1)),
    }
    created = api.post("/api/portfolio/benefits/", body, format="json")
    assert created.status_code == 201, created.content
    row = created.json()
    assert (row["baseline_value"], row["target_value"], row["realised_value"]) == (
        "1000.00",
        "800.00",
        "900.00",
    )
    no_unit = api.post("/api/portfolio/benefits/", {**body, "unit": ""}, format="json")
    assert no_unit.status_code == 400 and "unit" in no_unit.json()["fields"]
    assert Benefit.objects.count() == 1
