"""Ranges of whole days (itsm_pmo/dates.py): the moments they hold and how they are said."""

from datetime import date, datetime, time

import pytest
from django.db.models import Q
from django.utils import timezone

from itsm_pmo.dates import day_bounds, day_span, moment_between


def test_a_range_of_days_is_the_half_open_range_of_its_moments_in_the_portal_time_zone():
    zone = timezone.get_current_timezone()
    first, after = day_bounds(date(2026, 1, 1), date(2026, 3, 31))
    assert first == datetime.combine(date(2026, 1, 1), time.min, tzinfo=zone)
    assert after == datetime.combine(date(2026, 4, 1), time.min, tzinfo=zone)
    # An end not given leaves that side open.
    assert day_bounds(None, date(2026, 3, 31))[0] is None
    assert day_bounds(date(2026, 1, 1), None)[1] is None


def test_an_open_end_does_not_bound_the_moment():
    start = datetime(2026, 1, 1, tzinfo=timezone.get_current_timezone())
    assert moment_between("at", start, None) == Q(at__gte=start)
    assert moment_between("at", None, None) == Q()


@pytest.mark.parametrize(
    ("first", "last", "said"),
    [
        (date(2026, 10, 1), date(2026, 12, 31), "1 Oct – 31 Dec 2026"),
        (date(2025, 12, 1), date(2026, 1, 31), "1 Dec 2025 – 31 Jan 2026"),
        (date(2026, 10, 1), None, "from 1 Oct 2026"),
        (None, date(2026, 12, 31), "until 31 Dec 2026"),
        (None, None, ""),
    ],
)
def test_a_range_of_days_is_said_with_its_year(first, last, said):
    assert day_span(first, last) == said
