"""Lessons captured and marked applied, on a hand-made data set worked out by hand.

The period is Q1 2026; the previous period is 3 October – 31 December 2025."""

from datetime import date, datetime, time

import pytest
from django.utils import timezone

from itsm_pmo.dashboard.metrics import knowledge_metrics, lessons_by_quarter
from itsm_pmo.dashboard.period import Period
from knowledge.models import Lesson, LessonApplication
from tests.factories import UserFactory
from tests.knowledge.factories import LessonFactory
from tests.support.queries import assert_constant_queries

pytestmark = pytest.mark.django_db
Q1 = Period(date(2026, 1, 1), date(2026, 3, 31))


def at(day: date, hour: int = 12, minute: int = 0) -> datetime:
    return datetime.combine(day, time(hour, minute), tzinfo=timezone.get_current_timezone())


def lesson(created: datetime) -> Lesson:
    made = LessonFactory(published=True)  # the dashboard counts published lessons
    Lesson.objects.filter(pk=made.pk).update(created_at=created)
    return made


def applied(made: Lesson, moment: datetime, context: str = "project:1") -> None:
    mark = LessonApplication.objects.create(lesson=made, by=UserFactory(), context=context)
    LessonApplication.objects.filter(pk=mark.pk).update(applied_at=moment)


@pytest.fixture
def data_set():
    old = lesson(at(date(2025, 11, 3)))  # previous period
    a = lesson(at(date(2026, 1, 1), 0, 0))  # the period's first moment
    b = lesson(at(date(2026, 2, 10)))
    lesson(at(date(2026, 3, 31), 23, 59))  # its last minute
    lesson(at(date(2026, 4, 1), 0, 0))  # the next period's first moment
    lesson(at(date(2026, 6, 1)))
    # a applied twice in Q1 (one lesson), old once in Q1 and once in December; b in April.
    applied(a, at(date(2026, 1, 5)), "project:1")
    applied(a, at(date(2026, 3, 1)), "change:2")
    applied(old, at(date(2026, 2, 1)))
    applied(old, at(date(2025, 12, 1)))
    applied(b, at(date(2026, 4, 2)))


def by_key(period: Period) -> dict:
    return {metric.key: metric for metric in knowledge_metrics(period)}


def test_lessons_captured_counts_those_recorded_in_the_period(data_set):
    # Q1: a, b and the one of 31 March 23:59 → 3; previous: old → 1.
    metric = by_key(Q1)["lessons_captured"]
    assert (metric.value, metric.previous, metric.change) == (3, 1, 2)
    assert metric.drill.url == (
        "/knowledge/?state=published&created_after=2026-01-01&created_before=2026-03-31"
    )


def test_a_draft_is_not_captured_until_it_is_published(data_set):
    LessonFactory(title="draft")  # created now, not in Q1 anyway: put it there
    Lesson.objects.filter(title="draft").update(created_at=at(date(2026, 2, 1)))
    assert by_key(Q1)["lessons_captured"].value == 3
    Lesson.objects.filter(title="draft").update(state="published")
    assert by_key(Q1)["lessons_captured"].value == 4


def test_lessons_applied_counts_each_lesson_marked_applied_once(data_set):
    # Q1: a (twice) and old → 2 lessons; previous: old in December → 1.
    metric = by_key(Q1)["lessons_applied"]
    assert (metric.value, metric.previous) == (2, 1)


def test_an_empty_period_counts_zero_lessons_a_known_number():
    metrics = by_key(Period(date(2020, 1, 1), date(2020, 3, 31)))
    assert [(m.value, m.why_missing) for m in metrics.values()] == [(0, ""), (0, "")]


def test_lessons_by_quarter_lists_every_quarter_the_period_touches(data_set):
    # 1 Nov 2025 – 30 Apr 2026 touches Q4 2025, Q1 and Q2 2026. Q4: old captured (3 Nov),
    # old applied (1 Dec). Q1: 3 captured, 2 applied. Q2, the whole quarter (a bar is a whole
    # quarter, not only the part in the period): 1 April and 1 June captured, b applied.
    rows = lessons_by_quarter(Period(date(2025, 11, 1), date(2026, 4, 30)))
    assert rows == [
        (date(2025, 10, 1), 1, 1),
        (date(2026, 1, 1), 3, 2),
        (date(2026, 4, 1), 2, 1),
    ]


def test_a_quarter_without_lessons_is_a_zero_not_a_gap():
    assert lessons_by_quarter(Q1) == [(date(2026, 1, 1), 0, 0)]


def test_the_number_of_queries_does_not_grow_with_the_data(data_set):
    def grow():
        for n in range(10):
            made = lesson(at(date(2026, 2, 1 + n)))
            applied(made, at(date(2026, 2, 20)))

    assert_constant_queries(lambda: knowledge_metrics(Q1), grow, expected=4)
    assert_constant_queries(lambda: lessons_by_quarter(Q1), grow, expected=2)
