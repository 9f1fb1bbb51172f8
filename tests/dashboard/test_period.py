"""The dashboard's date range: this quarter by default, the period before it to compare."""

from datetime import date, datetime, timedelta

import pytest

from itsm_pmo.dashboard.period import Period


def test_the_quarter_of_a_day_runs_from_its_first_to_its_last_day():
    assert Period.quarter_of(date(2026, 2, 14)) == Period(date(2026, 1, 1), date(2026, 3, 31))
    assert Period.quarter_of(date(2026, 11, 30)) == Period(date(2026, 10, 1), date(2026, 12, 31))


def test_the_previous_period_has_as_many_days_and_ends_the_day_before():
    # Q1 2026 has 31 + 28 + 31 = 90 days: the 90 days before end on 31 December 2025.
    q1 = Period(date(2026, 1, 1), date(2026, 3, 31))
    assert q1.days == 90
    assert q1.previous() == Period(date(2025, 10, 3), date(2025, 12, 31))
    assert q1.previous().days == 90


def test_bounds_are_half_open_so_adjacent_periods_share_no_moment():
    january = Period(date(2026, 1, 1), date(2026, 1, 31))
    start, end = january.bounds()
    assert start.date() == date(2026, 1, 1) and start.tzinfo is not None
    assert end == datetime.combine(date(2026, 2, 1), start.timetz())
    assert Period(date(2026, 2, 1), date(2026, 2, 28)).bounds()[0] == end
    assert end - start == timedelta(days=31)


def test_a_period_that_ends_before_it_starts_is_refused():
    with pytest.raises(ValueError):
        Period(date(2026, 3, 1), date(2026, 2, 1))
