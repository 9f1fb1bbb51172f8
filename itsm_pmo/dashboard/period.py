"""The date range a dashboard reads, and the period before it to compare with."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from django.utils import timezone


@dataclass(frozen=True)
class Period:
    """Whole days from `start` to `end`, both included, in the portal's time zone."""

    start: date
    end: date

    def __post_init__(self) -> None:
        if self.end < self.start:
            raise ValueError("A period ends on or after its start.")

    @classmethod
    def quarter_of(cls, day: date) -> Period:
        """The calendar quarter holding `day` (the dashboard's default: this quarter)."""
        first_month = 3 * ((day.month - 1) // 3) + 1
        start = date(day.year, first_month, 1)
        after = date(day.year + (first_month + 3 > 12), (first_month + 2) % 12 + 1, 1)
        return cls(start, after - timedelta(days=1))

    @property
    def days(self) -> int:
        return (self.end - self.start).days + 1

    def previous(self) -> Period:
        """The period of the same number of days that ends the day before this one starts."""
        end = self.start - timedelta(days=1)
        return Period(end - timedelta(days=self.days - 1), end)

    def bounds(self) -> tuple[datetime, datetime]:
        """[first moment, first moment after) as aware datetimes: a half-open range, so that
        a moment belongs to exactly one of two adjacent periods."""
        zone = timezone.get_current_timezone()
        return (
            datetime.combine(self.start, time.min, tzinfo=zone),
            datetime.combine(self.end + timedelta(days=1), time.min, tzinfo=zone),
        )
