"""Delivery on the data added for issue 16 (baselines, costs, re-plans), on hand-made data
sets worked out by hand, each drill-down followed as a signed-in executive. The period is
Q1 2026; the previous period is 3 October – 31 December 2025 (90 days). Today (the real
day) is after both: every baseline date in them has gone by."""

from datetime import date, datetime, time, timedelta
from decimal import Decimal

import pytest
from django.utils import timezone

from itsm_pmo.dashboard.metrics import (
    NO_BASELINE_DUE,
    NO_LIVE,
    NO_SPENDING,
    Drill,
    budget_by_project,
    budget_metrics,
    most_replanned,
    replan_metrics,
    schedule_metrics,
)
from itsm_pmo.dashboard.period import Period, Scope
from portfolio.models import Milestone, ProjectCost
from tests.factories import ObjectiveFactory, ProjectFactory, ProjectObjectiveFactory
from tests.support.queries import assert_constant_queries

pytestmark = pytest.mark.django_db
Q1 = Period(date(2026, 1, 1), date(2026, 3, 31))


def at(day: date, hour: int = 12) -> datetime:
    return datetime.combine(day, time(hour), tzinfo=timezone.get_current_timezone())


def listed(client, drill) -> int:
    """The count of the list a drill-down opens, as the signed-in reader sees it."""
    response = client.get(drill.url)
    assert response.status_code == 200
    return response.context["paginator"].count


@pytest.fixture
def executive(page_clients):
    return page_clients("executive")


def by_key(metrics):
    return {m.key: m for m in metrics}


# --- Schedule adherence -------------------------------------------------------------------


def milestone(project, baseline: date | None, completed: date | None = None) -> Milestone:
    due = baseline or date(2026, 2, 1)
    return Milestone.objects.create(
        project=project,
        name="M",
        due_date=due,
        baseline_date=baseline,
        completed_on=completed,
    )


@pytest.fixture
def schedule():
    p1, p2, p3, p4, p5 = (ProjectFactory(stage="in_flight") for _ in range(5))
    milestone(p1, date(2026, 1, 10), date(2026, 1, 10))  # met on its baseline day
    milestone(p1, date(2026, 2, 1), date(2026, 2, 2))  # missed by a day
    milestone(p2, date(2026, 3, 31))  # not completed, its day gone: missed
    milestone(p2, date(2026, 2, 15), date(2026, 1, 20))  # met early
    milestone(p3, date(2026, 4, 1), date(2026, 5, 1))  # Q2: not in the period
    milestone(p4, None, date(2026, 3, 1))  # no baseline: left out
    milestone(p5, date(2025, 12, 31), date(2025, 12, 30))  # previous period: met
    return p1, p2


def test_schedule_adherence_is_milestones_met_by_their_baseline_over_those_decided(schedule):
    # Q1: met 10 Jan, 15 Feb → 2; missed 1 Feb (done 2 Feb), 31 Mar (open) → 2: 2 / 4 = 50 %.
    # Late projects: p1 and p2. Previous: 31 Dec met → 100 %, no late project.
    metrics = by_key(schedule_metrics(Q1))
    adherence, late = metrics["schedule_adherence"], metrics["projects_late"]
    assert (adherence.value, adherence.previous, adherence.drill) == (50.0, 100.0, None)
    assert (late.value, late.previous) == (2, 0)


def test_a_milestone_open_on_its_baseline_day_is_not_decided_yet():
    today = timezone.localdate()
    project = ProjectFactory(stage="in_flight")
    milestone(project, today)  # open, due today: not missed yet
    around = Period(today - timedelta(days=3), today + timedelta(days=3))
    metric = by_key(schedule_metrics(around))["schedule_adherence"]
    assert (metric.value, metric.why_missing) == (None, NO_BASELINE_DUE)
    milestone(project, today - timedelta(days=1))  # open, due yesterday: missed
    assert by_key(schedule_metrics(around))["schedule_adherence"].value == 0.0


def test_the_late_projects_drill_lists_as_many_projects(schedule, executive):
    late = by_key(schedule_metrics(Q1))["projects_late"]
    assert late.drill.url == (
        "/portfolio/projects/?late=1&baseline_after=2026-01-01&baseline_before=2026-03-31"
    )
    assert listed(executive, late.drill) == 2
    # late=0, any day: no missed milestone at all → p4 (no baseline) and p5 (met); p3 missed
    # in Q2, p1 and p2 in Q1
    assert listed(executive, Drill("portfolio:project_list", {"late": "0"})) == 2


# --- Budget accuracy ----------------------------------------------------------------------


def cost(project, month: date, amount: int) -> None:
    ProjectCost.objects.create(project=project, month=month, amount=Decimal(amount))


@pytest.fixture
def budgets():
    over = ProjectFactory(code="PRJ-1001", budget=Decimal(100), stage="in_flight")
    cost(over, date(2025, 12, 1), 50)
    cost(over, date(2026, 1, 1), 60)  # through Q1: 110 > 100
    under = ProjectFactory(code="PRJ-1002", budget=Decimal(200), stage="in_flight")
    cost(under, date(2026, 2, 1), 50)
    cost(under, date(2026, 4, 1), 500)  # after Q1: not counted through 31 March
    earlier = ProjectFactory(code="PRJ-1003", budget=Decimal(100), stage="closed")
    cost(earlier, date(2025, 11, 1), 150)  # no cost in Q1: not in Q1's figures
    cost(ProjectFactory(budget=None), date(2026, 1, 1), 10)  # no budget: left out
    cost(ProjectFactory(budget=Decimal(0)), date(2026, 1, 1), 5)  # a 0 budget: left out
    return over, under


def test_budget_accuracy_is_cost_to_date_over_budget_of_the_projects_spending_in_the_period(
    budgets,
):
    # Q1: over (110 of 100) and under (50 of 200): 160 / 300 = 53.3 %, one over budget.
    # Previous (October–December): over (50 of 100, through 31 Dec) and earlier (150 of
    # 100): 200 / 200 = 100 %, one over budget (earlier).
    metrics = by_key(budget_metrics(Q1))
    accuracy, over = metrics["budget_accuracy"], metrics["projects_over_budget"]
    assert (accuracy.value, accuracy.previous) == (53.3, 100.0)
    assert (over.value, over.previous) == (1, 1)


def test_budget_accuracy_without_spending_says_why():
    metric = by_key(budget_metrics(Q1))["budget_accuracy"]
    assert (metric.value, metric.why_missing) == (None, NO_SPENDING)


def test_budget_by_project_most_over_first(budgets):
    bars = budget_by_project(Q1)
    assert [(b.label.split()[0], b.budget, b.spent, b.share, b.over) for b in bars] == [
        ("PRJ-1001", 100.0, 110.0, 110.0, True),
        ("PRJ-1002", 200.0, 50.0, 25.0, False),
    ]


def test_budget_drills_list_as_many_projects(budgets, executive):
    metrics = by_key(budget_metrics(Q1))
    assert metrics["projects_over_budget"].drill.params == {
        "over_budget": "1",
        "spent_after": "2026-01-01",
        "spent_before": "2026-03-31",
    }
    assert listed(executive, metrics["projects_over_budget"].drill) == 1
    assert listed(executive, metrics["budget_accuracy"].drill) == 2  # its denominator
    assert [listed(executive, bar.drill) for bar in budget_by_project(Q1)] == [1, 1]


def test_budget_in_an_objectives_scope(budgets, executive):
    over, _under = budgets
    objective = ObjectiveFactory()
    ProjectObjectiveFactory(project=over, objective=objective)
    scoped = Period(Q1.start, Q1.end, Scope(objective=objective.pk))
    # Only `over` is aligned: 110 / 100 = 110 %, one over budget.
    metrics = by_key(budget_metrics(scoped))
    assert (metrics["budget_accuracy"].value, metrics["projects_over_budget"].value) == (110.0, 1)
    assert metrics["projects_over_budget"].drill.params["objective"] == str(objective.pk)
    assert listed(executive, metrics["budget_accuracy"].drill) == 1
    assert listed(executive, metrics["projects_over_budget"].drill) == 1


# --- Scope stability ----------------------------------------------------------------------


def plan(project, steps: list[tuple[datetime, date, str]], baselined: bool = True) -> None:
    """A milestone whose history is `steps` (moment, due date, name): created at the first,
    changed at each next one; baselined at its first due date unless told not."""
    first_due = steps[0][1]
    made = Milestone.objects.create(
        project=project,
        name=steps[-1][2],
        due_date=steps[-1][1],
        baseline_date=first_due if baselined else None,
    )
    history = Milestone.history.model
    history.objects.filter(id=made.pk).delete()
    history.objects.bulk_create(
        history(
            id=made.pk,
            project_id=project.pk,
            name=name,
            kind=made.kind,
            due_date=due,
            baseline_date=made.baseline_date,
            history_date=moment,
            history_type="+" if n == 0 else "~",
        )
        for n, (moment, due, name) in enumerate(steps)
    )


@pytest.fixture
def replans():
    busy = ProjectFactory(code="PRJ-2001", stage="in_flight")
    plan(
        busy,
        [
            (at(date(2025, 12, 1)), date(2026, 2, 1), "Go-live"),
            (at(date(2026, 1, 15)), date(2026, 2, 15), "Go-live"),  # re-plan in Q1
            (at(date(2026, 2, 1)), date(2026, 2, 15), "Cut-over"),  # a rename: no re-plan
            (at(date(2026, 3, 31), 23), date(2026, 3, 1), "Cut-over"),  # re-plan in Q1
        ],
    )
    closed = ProjectFactory(code="PRJ-2002", stage="closed")
    plan(
        closed,
        [
            (at(date(2025, 11, 1)), date(2026, 1, 1), "M"),
            (at(date(2026, 2, 10)), date(2026, 1, 20), "M"),
        ],
    )
    earlier = ProjectFactory(code="PRJ-2003", stage="in_flight")
    plan(
        earlier,
        [
            (at(date(2025, 11, 1)), date(2026, 1, 1), "M"),
            (at(date(2025, 12, 15)), date(2026, 2, 1), "M"),
        ],
    )
    ProjectFactory(stage="proposed")  # live, no plan
    unbaselined = ProjectFactory(stage="approved")
    plan(
        unbaselined,
        [
            (at(date(2025, 12, 1)), date(2026, 2, 1), "M"),
            (at(date(2026, 2, 1)), date(2026, 3, 1), "M"),
        ],
        baselined=False,
    )
    ProjectFactory(stage="rejected")  # not live


def test_replans_per_live_project(replans):
    # Live now: busy, earlier, the proposal, unbaselined → 4. Q1's re-plans of live projects:
    # busy's two (the rename is none; unbaselined's move has no baseline; closed's is not a
    # live project's) → 2 / 4 = 0.5. Projects re-planned in Q1 (any stage): busy, closed → 2.
    # Previous: earlier's one → 0.25; one project.
    metrics = by_key(replan_metrics(Q1))
    mean, replanned = metrics["replans_per_project"], metrics["projects_replanned"]
    assert (mean.value, mean.previous) == (0.5, 0.25)
    assert (replanned.value, replanned.previous) == (2, 1)


def test_without_a_live_project_replans_per_project_says_why():
    metric = by_key(replan_metrics(Q1))["replans_per_project"]
    assert (metric.value, metric.why_missing) == (None, NO_LIVE)


def test_most_replanned_projects(replans):
    assert [(s.label.split()[0], s.value) for s in most_replanned(Q1)] == [
        ("PRJ-2001", 2),
        ("PRJ-2002", 1),
    ]


def test_replan_drills_list_as_many_projects(replans, executive):
    metrics = by_key(replan_metrics(Q1))
    assert listed(executive, metrics["replans_per_project"].drill) == 4  # the live projects
    assert listed(executive, metrics["projects_replanned"].drill) == 2
    assert [listed(executive, s.drill) for s in most_replanned(Q1)] == [1, 1]


def test_the_number_of_queries_does_not_grow_with_the_data(schedule, budgets, replans):
    def grow():
        for n in range(10):
            project = ProjectFactory(stage="in_flight", budget=Decimal(10))
            milestone(project, date(2026, 2, 1 + n))
            cost(project, date(2026, 2, 1), 20)
            plan(
                project,
                [
                    (at(date(2026, 1, 1)), date(2026, 3, 1), "M"),
                    (at(date(2026, 2, 1)), date(2026, 3, 2), "M"),
                ],
            )

    assert_constant_queries(lambda: schedule_metrics(Q1), grow, expected=2)
    assert_constant_queries(lambda: budget_metrics(Q1), grow, expected=2)
    assert_constant_queries(lambda: budget_by_project(Q1), grow, expected=1)
    assert_constant_queries(lambda: replan_metrics(Q1), grow, expected=6)
    assert_constant_queries(lambda: most_replanned(Q1), grow, expected=2)
