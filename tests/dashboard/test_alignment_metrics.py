"""Strategic alignment: the objectives' weight against their share of the live portfolio's
budget, and benefits realised against target, on hand-made data sets worked out by hand.
The period is Q1 2026; the previous period is 3 October – 31 December 2025. Today (the real
day) is after both."""

from datetime import date
from decimal import Decimal

import pytest

from itsm_pmo.dashboard.alignment import (
    NO_BENEFIT_ASSESSED,
    alignment_rows,
    benefit_metrics,
    benefit_table,
)
from itsm_pmo.dashboard.capacity import NO_SNAPSHOT
from itsm_pmo.dashboard.period import Period, Scope
from portfolio.models import Benefit
from tests.factories import (
    ObjectiveFactory,
    ProjectFactory,
    ProjectObjectiveFactory,
    ServiceFactory,
)
from tests.support.queries import assert_constant_queries

pytestmark = pytest.mark.django_db
Q1 = Period(date(2026, 1, 1), date(2026, 3, 31))


def listed(client, drill) -> int:
    response = client.get(drill.url)
    assert response.status_code == 200
    return response.context["paginator"].count


def link(project, objective, pct: int) -> None:
    ProjectObjectiveFactory(project=project, objective=objective, contribution=pct)


@pytest.fixture
def portfolio():
    o1, o2, o3 = ObjectiveFactory(weight=6), ObjectiveFactory(weight=3), ObjectiveFactory(weight=1)
    ObjectiveFactory(weight=10, active=False)  # inactive: not a row, not in the weights
    a = ProjectFactory(stage="in_flight", budget=Decimal(1000))
    link(a, o1, 100)
    link(a, o2, 50)
    link(ProjectFactory(stage="proposed", budget=Decimal(400)), o2, 100)
    link(ProjectFactory(stage="closed", budget=Decimal(5000)), o1, 100)  # not live
    link(ProjectFactory(stage="in_flight", budget=None), o3, 50)  # no budget: a project only
    served = ProjectFactory(stage="in_flight", budget=Decimal(100))
    link(served, o3, 100)
    service = ServiceFactory()
    served.services.add(service)
    return (o1, o2, o3), service


def test_each_objectives_weight_share_against_its_budget_share(portfolio):
    # Weights 6, 3, 1 of 10 → 60, 30, 10 %. Budgets: o1 1000 (a × 100 %); o2 500 (a × 50 %)
    # + 400 = 900; o3 100 → of 2000: 50, 45, 5 %. Live projects: o1 a; o2 a, the proposal;
    # o3 the unbudgeted one and `served`.
    rows = alignment_rows(Q1)
    assert [(r.weight_share, r.budget, r.budget_share, r.projects) for r in rows] == [
        (60.0, 1000.0, 50.0, 1),
        (30.0, 900.0, 45.0, 2),
        (10.0, 100.0, 5.0, 2),
    ]
    # No capacity plan is published here: the hours side says why.
    assert {(r.hours_share, r.hours_why_missing) for r in rows} == {(None, NO_SNAPSHOT)}


def test_a_service_narrows_the_budget_an_objective_does_not(portfolio, page_clients):
    (o1, o2, o3), service = portfolio
    # Only `served` (o3, 100): shares 0, 0, 100 %; weight shares unchanged.
    rows = alignment_rows(Period(Q1.start, Q1.end, Scope(objective=o1.pk, service=service.pk)))
    assert [(r.weight_share, r.budget_share, r.projects) for r in rows] == [
        (60.0, 0.0, 0),
        (30.0, 0.0, 0),
        (10.0, 100.0, 1),
    ]
    assert rows[2].drill.params == {
        "objective": str(o3.pk),
        "live": "1",
        "service": str(service.pk),
    }
    client = page_clients("executive")
    assert [listed(client, r.drill) for r in rows] == [0, 0, 1]


def test_each_objectives_drill_lists_its_live_projects(portfolio, page_clients):
    client = page_clients("executive")
    assert [listed(client, r.drill) for r in alignment_rows(Q1)] == [1, 2, 2]


def test_without_objectives_or_budget_there_is_no_share():
    ObjectiveFactory(weight=4)
    (row,) = alignment_rows(Q1)
    assert (row.weight_share, row.budget_share) == (100.0, None)


def benefit(project, baseline, target, realised=None, realised_on=None, review=None) -> Benefit:
    def number(value):
        return None if value is None else Decimal(value)

    return Benefit.objects.create(
        project=project,
        description="B",
        measure="m",
        target="t",
        unit="%",
        baseline_value=number(baseline),
        target_value=number(target),
        realised_value=number(realised),
        realised_on=realised_on,
        review_date=review,
    )


@pytest.fixture
def benefits():
    pa, pb, pc, pd, pe = (ProjectFactory(code=f"PRJ-300{n}", stage="closed") for n in range(1, 6))
    benefit(pa, 0, -30, -30, date(2026, 2, 1))  # a reduction, reached at the target
    benefit(pa, 55, 70, 65, date(2026, 3, 1))  # short of the target
    benefit(pb, 55, 70, 70, date(2026, 3, 31))  # reached on the period's last day
    benefit(pc, 100, 200, review=date(2026, 2, 15))  # not measured, overdue: not realised
    benefit(pd, None, 10, 20, date(2026, 2, 1))  # no baseline: not measurable
    benefit(pd, 1, 2, 3, date(2026, 4, 1))  # measured in Q2
    benefit(pe, 1, 2, 1, date(2025, 12, 1))  # previous period, short
    return pa, pc


def test_benefits_realised_is_the_share_of_assessed_benefits_that_reached_their_target(benefits):
    # Q1 assessed: pa's two, pb's, pc's overdue → 4; reached pa's reduction and pb's → 2:
    # 50 %. Not realised: pa (65 of 70), pc (overdue) → 2 projects. Previous: pe's, short →
    # 0 %, one project.
    realised, unrealised = benefit_metrics(Q1)
    assert (realised.value, realised.previous, realised.drill) == (50.0, 0.0, None)
    assert (unrealised.value, unrealised.previous) == (2, 1)


def test_the_benefit_table_lists_the_not_realised_first(benefits):
    rows = benefit_table(Q1)
    assert [(r.code, r.target, r.realised, r.reached) for r in rows] == [
        ("PRJ-3001", 70.0, 65.0, False),
        ("PRJ-3003", 200.0, None, False),
        ("PRJ-3001", -30.0, -30.0, True),
        ("PRJ-3002", 70.0, 70.0, True),
    ]


def test_no_assessed_benefit_says_why():
    realised, unrealised = benefit_metrics(Q1)
    assert (realised.value, realised.why_missing, unrealised.value) == (
        None,
        NO_BENEFIT_ASSESSED,
        0,
    )


def test_the_unrealised_drill_lists_as_many_projects(benefits, page_clients):
    client = page_clients("executive")
    _realised, unrealised = benefit_metrics(Q1)
    assert unrealised.drill.url == (
        "/portfolio/projects/?benefit=unrealised&assessed_after=2026-01-01"
        "&assessed_before=2026-03-31"
    )
    assert listed(client, unrealised.drill) == 2
    # the other states on the same days: realised pa, pb; assessed pa, pb, pc
    realised = unrealised.drill.params | {"benefit": "realised"}
    assessed = unrealised.drill.params | {"benefit": "assessed"}
    assert listed(client, type(unrealised.drill)("portfolio:project_list", realised)) == 2
    assert listed(client, type(unrealised.drill)("portfolio:project_list", assessed)) == 3


def test_the_number_of_queries_does_not_grow_with_the_data(portfolio, benefits):
    def grow():
        (o1, o2, _o3), _service = portfolio
        for n in range(10):
            project = ProjectFactory(stage="in_flight", budget=Decimal(10 + n))
            link(project, (o1, o2)[n % 2], 50)
            benefit(project, 0, 10, n, date(2026, 2, 1))

    assert_constant_queries(
        lambda: alignment_rows(Q1), grow, expected=2
    )  # the budgets, and the plan pointer (no plan here)
    assert_constant_queries(lambda: benefit_metrics(Q1), grow, expected=2)
    assert_constant_queries(lambda: benefit_table(Q1), grow, expected=1)
