"""seed_demo's year of history (issue 16): the dashboard's change, operational and knowledge
numbers have values in each of the four quarters before this one, and tell the story
(changes/, handover/ and knowledge/demo_history.py); the history stays out of the current
quarter, and a second run neither duplicates nor moves it."""

from datetime import datetime, time, timedelta

import pytest
from django.core.management import call_command
from django.utils import timezone

from changes import demo_history as change_history
from changes.models import Approval, ChangeRequest
from handover import demo_history as incident_history
from handover.models import Incident, WorkLog
from itsm_pmo.dashboard import metrics
from itsm_pmo.dashboard.period import Period
from knowledge import demo_history as lesson_history
from knowledge.models import Lesson, LessonApplication

pytestmark = pytest.mark.django_db

CHANGE_TITLES = [spec.title for _, spec in change_history.HISTORY]
INCIDENT_TITLES = [row[0] for row in incident_history.INCIDENTS]
LESSON_TITLES = [spec.title for spec, _ in lesson_history.LESSONS]


def last_four_quarters() -> list[Period]:
    """The four calendar quarters before today's, oldest first."""
    quarters = [Period.quarter_of(timezone.localdate())]
    for _ in range(4):
        quarters.insert(0, Period.quarter_of(quarters[0].start - timedelta(days=1)))
    return quarters[:4]


def by_key(period: Period, family) -> dict:
    return {m.key: m for m in family(period)}


def history():
    """The history's rows as the dashboard reads them (their times, outcomes and links)."""
    return (
        sorted(
            ChangeRequest.objects.filter(title__in=CHANGE_TITLES).values_list(
                "title", "state", "outcome", "planned_start", "created_at", "review__reviewed_at"
            )
        ),
        sorted(
            Approval.objects.filter(change__title__in=CHANGE_TITLES).values_list(
                "change__title", "decision", "decided_at"
            )
        ),
        sorted(
            Incident.objects.filter(title__in=INCIDENT_TITLES).values_list(
                "title",
                "priority",
                "project__code",
                "caused_by_change__title",
                "opened_at",
                "resolved_at",
            )
        ),
        sorted(
            WorkLog.objects.filter(incident__title__in=INCIDENT_TITLES).values_list(
                "incident__title", "day", "hours"
            )
        ),
        sorted(Lesson.objects.filter(title__in=LESSON_TITLES).values_list("title", "created_at")),
        sorted(
            LessonApplication.objects.filter(lesson__title__in=LESSON_TITLES).values_list(
                "lesson__title", "context", "applied_at"
            )
        ),
    )


def test_a_year_of_history_makes_the_dashboard_tell_its_story_before_this_quarter():
    # given the demo
    call_command("seed_demo")
    quarters = last_four_quarters()
    this_quarter = Period.quarter_of(timezone.localdate())

    # then each of the last four quarters has a change success rate, and it moves
    change = [by_key(q, metrics.change_metrics) for q in quarters]
    rates = [c["success_rate"].value for c in change]
    assert None not in rates, rates
    assert len(set(rates)) > 1, rates
    # every quarter has changes implemented (a lead time) and the year two CAB refusals
    assert all(c["lead_time"].value is not None for c in change)
    assert sum(c["refused"].value for c in change) == 2

    # the password reset go-live caused the P1: its quarter's failure rate counts it
    go_live = ChangeRequest.objects.get(title=change_history.P1_CHANGE)
    p1 = Incident.objects.get(caused_by_change=go_live)
    assert p1.priority == 1 and p1.project.code == "PRJ-0106"
    quarter = Period.quarter_of(timezone.localdate(go_live.review.reviewed_at))
    assert quarter in quarters
    failure = by_key(quarter, metrics.change_metrics)["failure_rate"].value
    assert failure is not None and failure > 0
    p2 = Incident.objects.get(caused_by_change__title=change_history.P2_CHANGE)
    assert p2.priority == 2

    # this quarter's tiles compare with the previous quarter's time to resolve
    operations = by_key(this_quarter, metrics.operations_metrics)
    assert operations["mttr_p1"].previous is not None or operations["mttr_p2"].previous is not None
    # and the operations tax has last quarter's hours
    tax, _ = metrics.operations_tax(this_quarter)
    assert tax.previous

    # lessons were captured in at least three of the last four quarters
    year = Period(quarters[0].start, quarters[-1].end)
    captured = [c for _, c, _ in metrics.lessons_by_quarter(year)]
    assert len(captured) == 4
    assert sum(1 for c in captured if c) >= 3, captured

    # and none of the history lands in this quarter (its story is the demo's own)
    zone = timezone.get_current_timezone()
    begins = datetime.combine(Period.quarter_of(timezone.localdate()).start, time.min, zone)

    changes = ChangeRequest.objects.filter(title__in=CHANGE_TITLES)
    assert changes.count() == len(CHANGE_TITLES)
    assert not changes.exclude(state="closed").exists()
    assert not changes.filter(review__reviewed_at__gte=begins).exists()
    assert not changes.filter(transitions__at__gte=begins).exists()
    incidents = Incident.objects.filter(title__in=INCIDENT_TITLES)
    assert incidents.count() == len(INCIDENT_TITLES)
    assert not incidents.filter(resolved_at__gte=begins).exists()
    assert not WorkLog.objects.filter(incident__in=incidents, day__gte=begins.date()).exists()
    lessons = Lesson.objects.filter(title__in=LESSON_TITLES)
    assert lessons.count() == len(LESSON_TITLES)
    assert not lessons.filter(created_at__gte=begins).exists()
    assert not LessonApplication.objects.filter(lesson__in=lessons, applied_at__gte=begins).exists()


def test_a_second_run_neither_duplicates_nor_moves_the_history():
    call_command("seed_demo")
    first = history()
    call_command("seed_demo")
    assert history() == first
