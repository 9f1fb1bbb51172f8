"""Delivery without new data: throughput and the live portfolio by stage and health, on a
hand-made data set worked out by hand. The period is Q1 2026; the previous period is
3 October – 31 December 2025."""

from datetime import date, datetime, time

import pytest
from django.utils import timezone

from itsm_pmo.dashboard.metrics import (
    delivery_metrics,
    projects_by_stage_and_health,
    throughput_by_quarter,
)
from itsm_pmo.dashboard.period import Period
from portfolio.models import Project, ProjectTransition
from tests.factories import ProjectFactory
from tests.support.queries import assert_constant_queries

pytestmark = pytest.mark.django_db
Q1 = Period(date(2026, 1, 1), date(2026, 3, 31))


def at(day: date, hour: int = 12, minute: int = 0) -> datetime:
    return datetime.combine(day, time(hour, minute), tzinfo=timezone.get_current_timezone())


def closed(*moves: datetime, stage: str = "closed") -> Project:
    """A project moved to closed at each moment (reopened in between), now in `stage`."""
    project = ProjectFactory(stage=stage)
    for moment in moves:
        ProjectTransition.objects.create(
            project=project, from_state="handover", to_state="closed", at=moment
        )
    return project


@pytest.fixture
def data_set():
    closed(at(date(2026, 1, 1), 0, 0))  # Q1's first moment
    closed(at(date(2026, 3, 31), 23, 59))
    closed(at(date(2025, 12, 31), 23, 59))  # the previous period
    closed(at(date(2025, 11, 1)), at(date(2026, 2, 1)))  # first closed in November
    closed(at(date(2026, 2, 2)), stage="in_flight")  # reopened since: not delivered
    closed(at(date(2026, 4, 1), 0, 0))  # Q2
    ProjectFactory(stage="in_flight", health="green")
    ProjectFactory(stage="in_flight", health="red")
    ProjectFactory(stage="in_flight", health="red")
    ProjectFactory(stage="proposed", health="amber")
    ProjectFactory(stage="rejected", health="red")  # not live


def test_throughput_counts_projects_first_closed_in_the_period_and_still_closed(data_set):
    # Q1: 1 January 00:00 and 31 March 23:59 → 2. Previous: 31 December and 1 November → 2.
    metric = delivery_metrics(Q1)[0]
    assert (metric.key, metric.value, metric.previous, metric.change) == ("throughput", 2, 2, 0)
    assert metric.drill.params == {
        "stage": "closed",
        "closed_after": "2026-01-01",
        "closed_before": "2026-03-31",
    }


def test_throughput_by_quarter_covers_each_whole_quarter_touched(data_set):
    # 15 Dec 2025 – 15 Apr 2026: Q4 2025 (1 Nov, 31 Dec → 2), Q1 (2), Q2 (1 April → 1).
    rows = throughput_by_quarter(Period(date(2025, 12, 15), date(2026, 4, 15)))
    assert rows == [(date(2025, 10, 1), 2), (date(2026, 1, 1), 2), (date(2026, 4, 1), 1)]


def test_an_empty_period_closed_no_project_a_known_zero():
    metric = delivery_metrics(Period(date(2020, 1, 1), date(2020, 3, 31)))[0]
    assert (metric.value, metric.previous, metric.why_missing) == (0, 0, "")
    assert throughput_by_quarter(Period(date(2020, 1, 1), date(2020, 3, 31))) == [
        (date(2020, 1, 1), 0)
    ]


def test_the_live_portfolio_by_stage_and_health_in_the_boards_order(data_set):
    # Live: proposed amber 1; in flight green 1, red 2 (plus the reopened one, green by
    # default → in flight green 2). Closed and rejected projects are not live.
    segments = projects_by_stage_and_health()
    assert [(s.label, s.value) for s in segments] == [
        ("Proposed – Amber", 1),
        ("In flight – Green", 2),
        ("In flight – Red", 2),
    ]
    assert segments[2].drill.url == "/portfolio/projects/?stage=in_flight&health=red"


def test_the_number_of_queries_does_not_grow_with_the_data(data_set):
    def grow():
        for n in range(10):
            closed(at(date(2026, 2, 1 + n)))
            ProjectFactory(stage="approved", health="amber")

    # For the period and the previous: throughput's count (2), the completion rate's six
    # (test_completion_metric, 12), schedule adherence's one (2), budget accuracy's one (2)
    # and the re-plans' three (6): 24.
    assert_constant_queries(lambda: delivery_metrics(Q1), grow, expected=24)
    assert_constant_queries(lambda: throughput_by_quarter(Q1), grow, expected=1)
    assert_constant_queries(projects_by_stage_and_health, grow, expected=1)
