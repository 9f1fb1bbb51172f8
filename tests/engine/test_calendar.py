"""Weeks of the plan: spans, working-day shares and cover() agree, day by day."""

from datetime import date, timedelta

import pytest

from resources.engine.calendar import Horizon

H = Horizon(date(2027, 1, 4), 6)  # Mon 4 Jan .. Sun 14 Feb 2027


def day(n: int) -> date:
    return H.start + timedelta(days=n)


@pytest.mark.parametrize(
    ("start", "end", "weeks", "first_share", "last_share"),
    [
        (day(0), day(4), [0], 1.0, 1.0),  # Monday to Friday
        (day(2), day(8), [0, 1], 0.6, 0.4),  # Wednesday to next Tuesday
        (day(5), day(6), [0], 0.0, 0.0),  # a weekend only
        (day(-30), day(50), [0, 1, 2, 3, 4, 5], 1.0, 1.0),  # clipped at both ends
        (day(38), day(60), [5], 0.4, 0.4),  # Thursday of the last week, past the end
        (day(42), day(60), [], 0.0, 0.0),  # after the horizon
    ],
)
def test_calendar_cover_is_span_and_edge_shares(start, end, weeks, first_share, last_share):
    # when
    span, first, last = H.cover(start, end)
    # then
    assert list(span) == weeks == list(H.span(start, end))
    assert (first, last) == (first_share, last_share)
    if weeks:
        assert first == H.workday_share(weeks[0], start, end)
        assert last == H.workday_share(weeks[-1], start, end)


def test_calendar_week_and_index_are_inverse():
    for n in range(-3, 9):
        assert H.week(n) == H.start + timedelta(weeks=n)
        for offset in range(7):
            assert H.index(H.week(n) + timedelta(days=offset)) == n
