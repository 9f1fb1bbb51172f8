"""The change family on a hand-made data set, each expected number worked out by hand.

The period is Q1 2026 (90 days); the previous period is 3 October – 31 December 2025.
"""

from datetime import date, datetime, time

import pytest
from django.utils import timezone

from changes.models import Approval, ChangeRequest, ChangeTransition, PostImplementationReview
from itsm_pmo.dashboard.metrics import (
    NO_IMPLEMENTED,
    NO_RAISED,
    NO_REVIEWS,
    change_metrics,
)
from itsm_pmo.dashboard.period import Period
from tests.factories import UserFactory
from tests.handover.factories import IncidentFactory
from tests.support.queries import assert_constant_queries

pytestmark = pytest.mark.django_db
Q1 = Period(date(2026, 1, 1), date(2026, 3, 31))


def at(day: date, hour: int = 12, minute: int = 0) -> datetime:
    return datetime.combine(day, time(hour, minute), tzinfo=timezone.get_current_timezone())


def change(raised: date, kind: str = "normal", **review) -> ChangeRequest:
    """A change raised at noon on `raised`; with `outcome=`, reviewed at noon on `reviewed`."""
    requester = UserFactory()
    made = ChangeRequest.objects.create(
        title="c", requester=requester, change_type=kind, backout_plan="Roll back"
    )
    ChangeRequest.objects.filter(pk=made.pk).update(created_at=at(raised))
    if review:
        reviewed = review.pop("reviewed")
        pir = PostImplementationReview.objects.create(change=made, reviewed_by=requester, **review)
        PostImplementationReview.objects.filter(pk=pir.pk).update(reviewed_at=at(reviewed))
    return made


def implemented(made: ChangeRequest, moment: datetime) -> None:
    ChangeTransition.objects.create(
        change=made, from_state="implement", to_state="review", at=moment
    )


def rejected(made: ChangeRequest, moment: datetime, round: int = 1) -> None:
    approval = Approval.objects.create(
        change=made, approver=UserFactory(), decision="reject", comment="No", round=round
    )
    Approval.objects.filter(pk=approval.pk).update(decided_at=moment)


@pytest.fixture
def data_set():
    c1 = change(date(2026, 1, 1), outcome="successful", reviewed=date(2026, 1, 20))
    c2 = change(date(2026, 1, 5), outcome="successful", reviewed=date(2026, 2, 1))
    c3 = change(date(2026, 2, 1), outcome="successful_with_issues", reviewed=date(2026, 2, 10))
    c4 = change(date(2026, 2, 2), "emergency", outcome="failed", reviewed=date(2026, 3, 31))
    c5 = change(date(2026, 3, 1), outcome="backed_out", reviewed=date(2026, 3, 2))
    c6 = change(date(2025, 11, 1), outcome="successful", reviewed=date(2025, 12, 1))
    c7 = change(date(2026, 3, 10), "emergency", outcome="failed", reviewed=date(2026, 4, 1))
    # c2 went well by its review, but an incident was linked to it since: it counts as failed.
    IncidentFactory(caused_by_change=c2, priority=3)
    IncidentFactory(caused_by_change=c4, priority=1)
    IncidentFactory(caused_by_change=c4, priority=4)
    IncidentFactory(caused_by_change=c7, priority=1)  # reviewed after the period
    # Lead times: c1 10 days (1 Jan → 11 Jan noon), c3 3 days (1 Feb → 4 Feb noon); c3's
    # second move into review is not its first; c7's move is after the period.
    implemented(c1, at(date(2026, 1, 11)))
    implemented(c3, at(date(2026, 2, 4)))
    implemented(c3, at(date(2026, 3, 20)))
    implemented(c7, at(date(2026, 4, 2)))
    # The CAB refused c4 twice in Q1 (one change) and c5 late on New Year's Eve (the previous).
    rejected(c4, at(date(2026, 1, 10)), round=1)
    rejected(c4, at(date(2026, 1, 12)), round=2)
    rejected(c5, at(date(2025, 12, 31), 23, 30))
    return {"c1": c1, "c6": c6}


def by_key(period: Period) -> dict:
    return {metric.key: metric for metric in change_metrics(period)}


def test_success_rate_is_successful_reviews_over_all_reviews_in_the_period(data_set):
    # Q1 reviews: c1, c2 successful; c3 with issues; c4 failed; c5 backed out → 2 / 5 = 40 %.
    # Previous: c6 successful → 1 / 1 = 100 %. c7, reviewed on 1 April, is in neither.
    metric = by_key(Q1)["success_rate"]
    assert (metric.value, metric.previous, metric.unit) == (40.0, 100.0, "%")
    assert metric.change == -60.0


def test_failure_rate_counts_failed_backed_out_and_those_that_caused_an_incident(data_set):
    # c4 failed, c5 backed out, c2 caused a P3 → 3 / 5 = 60 %; previous: 0 / 1 = 0 %.
    metric = by_key(Q1)["failure_rate"]
    assert (metric.value, metric.previous) == (60.0, 0.0)
    assert metric.why_missing == ""


def test_a_review_that_counts_incidents_itself_makes_the_change_a_failure():
    change(date(2026, 1, 5), outcome="successful", reviewed=date(2026, 1, 6), incidents_caused=1)
    change(date(2026, 1, 5), outcome="successful", reviewed=date(2026, 1, 6))
    # 1 of 2 reviewed caused an incident by its review's count → 50 %; both successful → 100 %.
    metrics = by_key(Q1)
    assert metrics["failure_rate"].value == 50.0
    assert metrics["success_rate"].value == 100.0


def test_emergency_share_is_emergency_changes_over_all_raised_in_the_period(data_set):
    # Raised in Q1: c1, c2, c3, c4 (emergency), c5, c7 (emergency) → 2 / 6 = 33.3 %.
    # Previous: c6 only, normal → 0 / 1 = 0 % (known: a change was raised).
    metric = by_key(Q1)["emergency_share"]
    assert (metric.value, metric.previous) == (33.3, 0.0)


def test_lead_time_is_the_mean_days_from_raised_to_the_first_move_into_review(data_set):
    # (10 + 3) / 2 = 6.5 days; nothing was implemented in the previous period.
    metric = by_key(Q1)["lead_time"]
    assert (metric.value, metric.unit) == (6.5, "days")
    assert metric.previous is None
    assert metric.change is None


def test_refused_counts_each_change_the_cab_rejected_once(data_set):
    # c4 rejected twice in Q1 → 1; c5 at 23:30 on 31 December belongs to the previous → 1.
    metric = by_key(Q1)["refused"]
    assert (metric.value, metric.previous) == (1, 1)


def test_success_score_weighs_outcomes_and_the_incidents_the_changes_caused(data_set):
    # Outcomes: 2 successful × 3 + 1 with issues × −2 + 2 failed/backed out × −5 = −6.
    # Incidents of changes reviewed in Q1: c2's P3 −2, c4's P1 −10, c4's P4 0 = −12.
    # c7's P1 is not counted (reviewed in April). Total −18; previous: c6 successful = 3.
    metric = by_key(Q1)["score"]
    assert (metric.value, metric.previous, metric.unit) == (-18, 3, "points")


def test_an_empty_period_says_why_each_number_is_missing_never_zero():
    metrics = by_key(Period(date(2020, 1, 1), date(2020, 3, 31)))
    for key, why in [
        ("success_rate", NO_REVIEWS),
        ("failure_rate", NO_REVIEWS),
        ("score", NO_REVIEWS),
        ("emergency_share", NO_RAISED),
        ("lead_time", NO_IMPLEMENTED),
    ]:
        assert metrics[key].value is None, key
        assert metrics[key].why_missing == why
    # A count of refusals is known even when there were none.
    assert (metrics["refused"].value, metrics["refused"].why_missing) == (0, "")


def test_each_metric_drills_into_the_change_list_filtered_to_the_period(data_set):
    metrics = by_key(Q1)
    failure = metrics["failure_rate"].drill
    assert failure.url_name == "changes:index"
    assert failure.url == (
        "/changes/?failed=1&reviewed_after=2026-01-01&reviewed_before=2026-03-31"
    )
    assert metrics["emergency_share"].drill.params == {
        "change_type": "emergency",
        "raised_after": "2026-01-01",
        "raised_before": "2026-03-31",
    }


def test_the_number_of_queries_does_not_grow_with_the_data(data_set):
    def grow():
        for n in range(10):
            made = change(date(2026, 2, 1 + n), outcome="failed", reviewed=date(2026, 2, 15))
            IncidentFactory(caused_by_change=made, priority=2)
            implemented(made, at(date(2026, 2, 20)))
            rejected(made, at(date(2026, 2, 3)))

    # Five aggregate queries a period (reviews, incidents by priority, raised, lead time,
    # refusals), for the period and the previous one: 10.
    assert_constant_queries(lambda: change_metrics(Q1), grow, expected=10)
