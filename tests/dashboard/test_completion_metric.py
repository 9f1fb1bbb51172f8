"""Completion rate of the top-ranked quarter of the portfolio, on a hand-made data set worked
out by hand. The period is Q1 2026; the previous period is 3 October – 31 December 2025.

Two criteria of weight 1: a project's score follows the sum of its two values."""

from datetime import date, datetime, time

import pytest
from django.utils import timezone

from itsm_pmo.dashboard.metrics import NO_RANKED, completion_metric
from itsm_pmo.dashboard.period import Period
from portfolio.models import ProjectTransition
from tests.factories import CriterionFactory, ProjectFactory, ScoreFactory
from tests.support.queries import assert_constant_queries

pytestmark = pytest.mark.django_db
Q1 = Period(date(2026, 1, 1), date(2026, 3, 31))


def at(day: date) -> datetime:
    return datetime.combine(day, time(12), tzinfo=timezone.get_current_timezone())


@pytest.fixture
def criteria():
    return CriterionFactory(), CriterionFactory()


def project(criteria, values, stage="in_flight", closed_on: date | None = None):
    made = ProjectFactory(stage=stage)
    for criterion, value in zip(criteria, values, strict=True):
        ScoreFactory(project=made, criterion=criterion, value=value)
    if closed_on:
        ProjectTransition.objects.create(
            project=made, from_state="handover", to_state="closed", at=at(closed_on)
        )
    return made


@pytest.fixture
def data_set(criteria):
    project(criteria, (5, 5), "closed", date(2026, 2, 1))  # K1: 10, closed in Q1
    project(criteria, (5, 4))  # L1: 9, live
    project(criteria, (4, 4))  # L2: 8, live
    project(criteria, (3, 3), "closed", date(2026, 3, 1))  # K2: 6, closed in Q1
    project(criteria, (2, 2))  # L3: 4, live
    project(criteria, (4, 3), "closed", date(2025, 12, 1))  # P1: 7, closed in the previous
    project(criteria, (5, 5), "rejected")  # not in the portfolio


def test_completion_rate_of_the_top_ranked_quarter(data_set):
    # Q1's pool: K1 10, L1 9, L2 8, K2 6, L3 4 (P1 was closed before the period) → 5
    # projects, top quarter ceil(5 / 4) = 2: K1 and L1, of which K1 closed → 1 / 2 = 50 %.
    # Previous pool: L1 9, L2 8, P1 7, L3 4 → top 1: L1, not closed → 0 %.
    metric = completion_metric(Q1)
    assert (metric.value, metric.previous, metric.unit) == (50.0, 0.0, "%")


def test_without_any_ranked_project_the_rate_says_why():
    metric = completion_metric(Q1)
    assert (metric.value, metric.why_missing) == (None, NO_RANKED)


def test_the_number_of_queries_does_not_grow_with_the_data(data_set, criteria):
    def grow():
        for n in range(10):
            project(criteria, (1 + n % 5, 2), "closed", date(2026, 2, 1 + n))
            project(criteria, (2, 1 + n % 5))

    # The closed ones and the ranking's five, for the period and the previous: 12.
    assert_constant_queries(lambda: completion_metric(Q1), grow, expected=12)
