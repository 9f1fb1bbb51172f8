"""How many hours an engagement on a major incident costs a person, day by day: pure.

An engagement counts the clock hours of its span that fall in each calendar day (weekends
too: a major incident does not wait for Monday), capped at the person's daily contracted
hours (their weekly hours / 5). Someone engaged from 09:00 to 21:00 on a 40-hour contract
counts 8 hours that day, not 12: the heatmap shows who was taken off their planned work, and
nobody's planned work was more than their day. Hours already logged on the same incident that
day (WorkLog) are not counted twice: the engagement adds only what it exceeds them by.
"""

from collections.abc import Iterator
from datetime import date, datetime, time, timedelta

WORKDAYS_A_WEEK = 5


def daily_cap(weekly_hours: float) -> float:
    return max(0.0, float(weekly_hours)) / WORKDAYS_A_WEEK


def engaged_days(start: datetime, end: datetime) -> Iterator[tuple[date, float]]:
    """(day, clock hours of [start, end) inside that day) for each day the span touches."""
    day = start.date()
    while start < end and day <= end.date():
        midnight = datetime.combine(day + timedelta(days=1), time.min, tzinfo=start.tzinfo)
        hours = (min(end, midnight) - max(start, midnight - timedelta(days=1))).total_seconds()
        if hours > 0:
            yield day, hours / 3600
        day += timedelta(days=1)


def engagement_hours(
    start: datetime,
    end: datetime,
    weekly_hours: float,
    logged: dict[date, float] | None = None,
) -> dict[date, float]:
    """Hours an engagement from `start` to `end` counts each day, capped at the daily contract
    and less what was logged on the incident that day; days that count nothing are left out."""
    cap = daily_cap(weekly_hours)
    logged = logged or {}
    counted = {}
    for day, hours in engaged_days(start, end):
        extra = min(hours, cap) - logged.get(day, 0.0)
        if extra > 0:
            counted[day] = round(extra, 2)
    return counted
