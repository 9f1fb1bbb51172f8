"""Dates and date-times a person could mean: one rule for the models, the forms, the API and
the filters.

A plan, a window or a filter date before 2000 or after 2100 is a typo, not a plan, and such
values reach the database's limits: PostgreSQL refuses a UTC offset beyond ±15:59 that
Python accepts, and old dates render with historical local offsets (-00:01:15). So every
date a person types is checked here, and a date-time with an offset is turned into UTC.
"""

from datetime import UTC, date, datetime, time, timedelta

import django_filters
from django import forms
from django.core.exceptions import ValidationError
from django.db.models import Q
from django.utils import timezone

EARLIEST, LATEST = date(2000, 1, 1), date(2100, 12, 31)
MAX_OFFSET = timedelta(hours=15, minutes=59)
OUTSIDE = f"Give a date between {EARLIEST:%Y} and {LATEST:%Y}."


def plausible_date(value: date | datetime | None) -> None:
    """Model-field validator: the date lies between 2000 and 2100."""
    if value is None:
        return
    day = value.date() if isinstance(value, datetime) else value
    if not EARLIEST <= day <= LATEST:
        raise ValidationError(f"{OUTSIDE} {day:%Y-%m-%d} is outside.", code="implausible_date")


def not_in_future(value: date | None) -> None:
    """Model-field validator: the day has come (today at the latest, in the portal's time
    zone): work is logged and a milestone completed when it happened, not ahead."""
    if value is not None and value > timezone.localdate():
        raise ValidationError(
            f"{short_date(value)} is in the future: give today or an earlier day.",
            code="future_date",
        )


def plausible_datetime(value: datetime | None) -> datetime | None:
    """The date-time in UTC when it has an offset; refused with a reason when the offset is
    not one a clock uses or the date is outside 2000–2100."""
    if value is None:
        return None
    offset = value.utcoffset()
    if offset is not None:
        if abs(offset) > MAX_OFFSET:
            raise ValidationError(
                "The UTC offset must lie between -15:59 and +15:59.", code="implausible_offset"
            )
        value = value.astimezone(UTC)
    plausible_date(value)
    return value


class PlausibleDateTimeField(forms.DateTimeField):
    def to_python(self, value):
        return plausible_datetime(super().to_python(value))


class PlausibleDateField(forms.DateField):
    def to_python(self, value):
        day = super().to_python(value)
        plausible_date(day)
        return day


class PlausibleDateTimeFilter(django_filters.DateTimeFilter):
    field_class = PlausibleDateTimeField


class PlausibleDateFilter(django_filters.DateFilter):
    field_class = PlausibleDateField


def short_date(value: date | datetime | None, *, weekday: bool = False, time: bool = False) -> str:
    """A date as people read it: `12 Mar` this year, `12 Mar 2025` in another year (the year
    only when it is not the current one), optionally with the weekday and, for a date-time,
    the local time: `Tue 12 Mar 14:30`. Empty for None. (Cheap: heatmaps call it per cell.)"""
    if value is None or value == "":
        return ""
    if isinstance(value, datetime):
        if timezone.is_aware(value):
            value = timezone.localtime(value)
        day = value.date()
    else:
        day, time = value, False
    text = f"{day:%a} " if weekday else ""
    text += f"{day.day} {day:%b}"
    if day.year != timezone.localdate().year:
        text += f" {day.year}"
    if time:
        text += f" {value:%H:%M}"
    return text


def day_bounds(first: date | None, last: date | None) -> tuple[datetime | None, datetime | None]:
    """Whole days from `first` to `last`, both included, as the half-open range of moments
    [first 00:00, the day after last 00:00) in the portal's time zone; an end not given is
    None (open). A moment then belongs to exactly one of two adjacent ranges."""
    zone = timezone.get_current_timezone()
    return (
        None if first is None else datetime.combine(first, time.min, tzinfo=zone),
        None if last is None else datetime.combine(last + timedelta(days=1), time.min, tzinfo=zone),
    )


def moment_between(field: str, start: datetime | None, end: datetime | None) -> Q:
    """`field` lies in [start, end); an end that is None does not bound it."""
    bounds = {f"{field}__gte": start, f"{field}__lt": end}
    return Q(**{lookup: value for lookup, value in bounds.items() if value is not None})


def day_span(first: date | None, last: date | None) -> str:
    """ "1 Oct – 31 Dec 2026", "1 Dec 2025 – 31 Jan 2026", "from 1 Oct 2026", "until 31 Dec
    2026": a range of days as people read it, always with its year (a link may be old)."""
    if first and last:
        head = f"{first.day} {first:%b}" + (f" {first.year}" if first.year != last.year else "")
        return f"{head} – {last.day} {last:%b %Y}"
    if first:
        return f"from {first.day} {first:%b %Y}"
    return f"until {last.day} {last:%b %Y}" if last else ""
