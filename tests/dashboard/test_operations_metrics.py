"""Operational impact without new data: incidents linked to projects and to their changes,
transition time and mean time to resolve by priority, on a hand-made data set worked out by
hand. The period is Q1 2026; the previous period is 3 October – 31 December 2025."""

from datetime import date, datetime, time, timedelta

import pytest
from django.utils import timezone

from changes.models import ChangeRequest
from handover.models import Handover
from itsm_pmo.dashboard.metrics import operations_metrics
from itsm_pmo.dashboard.period import Period
from tests.factories import ProjectFactory, UserFactory
from tests.handover.factories import HandoverFactory, IncidentFactory
from tests.support.queries import assert_constant_queries

pytestmark = pytest.mark.django_db
Q1 = Period(date(2026, 1, 1), date(2026, 3, 31))


def at(day: date, hour: int = 12, minute: int = 0) -> datetime:
    return datetime.combine(day, time(hour, minute), tzinfo=timezone.get_current_timezone())


def incident(opened: datetime, resolved_after: timedelta | None = None, **fields):
    resolved = opened + resolved_after if resolved_after is not None else None
    return IncidentFactory(opened_at=opened, resolved_at=resolved, **fields)


def closed_handover(closed: datetime, days: int | None) -> Handover:
    handover = HandoverFactory()
    Handover.objects.filter(pk=handover.pk).update(
        state="closed", closed_at=closed, transition_days=days
    )
    return handover


@pytest.fixture
def data_set():
    alpha, beta = ProjectFactory(), ProjectFactory()
    change = ChangeRequest.objects.create(
        title="c", requester=UserFactory(), backout_plan="Roll back", project=beta
    )
    loose = ChangeRequest.objects.create(title="d", requester=UserFactory(), backout_plan="x")
    # Opened in Q1: two on alpha, one caused by beta's change (and on alpha: counted in both),
    # one caused by a change of no project, one on nothing.
    incident(at(date(2026, 1, 2)), timedelta(hours=3), project=alpha, priority=1)
    incident(at(date(2026, 2, 2)), timedelta(hours=5), project=alpha, priority=1)
    incident(at(date(2026, 2, 3)), timedelta(hours=30), caused_by_change=change, priority=2)
    incident(at(date(2026, 2, 4)), None, caused_by_change=change, project=alpha, priority=3)
    incident(at(date(2026, 2, 5)), timedelta(hours=1), caused_by_change=loose, priority=4)
    incident(at(date(2026, 2, 6)), None, priority=4)
    # Opened on 31 December 22:00 (previous) and resolved in Q1 after 4 hours (a P1).
    incident(at(date(2025, 12, 31), 22), timedelta(hours=4), project=beta, priority=1)
    # Resolved after the period.
    incident(at(date(2026, 3, 31), 20), timedelta(hours=10), priority=1)
    closed_handover(at(date(2026, 1, 15)), 20)
    closed_handover(at(date(2026, 3, 1)), 31)
    closed_handover(at(date(2026, 3, 2)), None)  # closed without a go-live: not counted
    closed_handover(at(date(2025, 12, 1)), 10)


def by_key(period: Period) -> dict:
    return {metric.key: metric for metric in operations_metrics(period)}


def test_incidents_linked_to_projects_and_through_their_changes(data_set):
    # To projects, opened in Q1: alpha ×2 and the P3 on alpha → 3; previous: beta's → 1.
    # Through a project's change: beta's change ×2 → 2 (the loose change's is not); prev 0.
    metrics = by_key(Q1)
    assert (metrics["incidents_to_projects"].value, metrics["incidents_to_projects"].previous) == (
        3,
        1,
    )
    through = metrics["incidents_through_changes"]
    assert (through.value, through.previous) == (2, 0)
    assert through.drill.url == (
        "/incidents/?linked=project_change&opened_after=2026-01-01&opened_before=2026-03-31"
    )


def test_transition_time_is_the_mean_days_of_handovers_closed_in_the_period(data_set):
    # (20 + 31) / 2 = 25.5 days; the one without a go-live is left out; previous: 10.
    metric = by_key(Q1)["transition_time"]
    assert (metric.value, metric.previous, metric.unit) == (25.5, 10.0, "days")


def test_mean_time_to_resolve_by_priority_over_incidents_resolved_in_the_period(data_set):
    # P1 resolved in Q1: 3 h, 5 h and the one opened on New Year's Eve, 4 h → 4.0 h (the one
    # opened on 31 March 20:00 is resolved on 1 April). P2: 30 h. P4: 1 h. P3 and P5: none.
    metrics = by_key(Q1)
    assert metrics["mttr_p1"].value == 4.0
    assert metrics["mttr_p2"].value == 30.0
    assert metrics["mttr_p4"].value == 1.0
    assert metrics["mttr_p3"].value is None
    assert metrics["mttr_p3"].why_missing == "No P3 incident was resolved in this period."
    assert metrics["mttr_p1"].previous is None
    assert metrics["mttr_p1"].drill.params == {
        "priority": "1",
        "resolved_after": "2026-01-01",
        "resolved_before": "2026-03-31",
    }


def test_an_empty_period_counts_zero_incidents_and_says_why_the_means_are_missing():
    metrics = by_key(Period(date(2020, 1, 1), date(2020, 3, 31)))
    assert metrics["incidents_to_projects"].value == 0
    assert metrics["transition_time"].value is None
    assert metrics["transition_time"].why_missing == "No handover was closed in this period."
    assert all(metrics[f"mttr_p{p}"].value is None for p in range(1, 6))


def test_the_number_of_queries_does_not_grow_with_the_data(data_set):
    def grow():
        project = ProjectFactory()
        for n in range(10):
            incident(at(date(2026, 2, 1 + n)), timedelta(hours=n + 1), project=project)
            closed_handover(at(date(2026, 2, 1 + n)), n)

    # Three aggregate queries a period, and stability's two (the incidents after go-lives,
    # counted even with no go-live so the statements are the same whatever the data, and
    # the go-lives), for the period and the previous.
    assert_constant_queries(lambda: operations_metrics(Q1), grow, expected=10)
