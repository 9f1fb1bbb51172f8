"""The date range a dashboard reads, the period before it to compare with, and the scope
(a strategic objective, a service) the numbers are narrowed to."""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from datetime import date, datetime, timedelta

from itsm_pmo.dates import day_bounds


@dataclass(frozen=True)
class Scope:
    """The part of the portfolio a dashboard reads: the projects aligned with one strategic
    objective, the work on one service, or both (docs/metrics.md, "Scope"). Empty: all."""

    objective: int | None = None
    service: int | None = None

    def params(self) -> dict[str, str]:
        """The query parameters that narrow a drill-down's list the same way."""
        named = {"objective": self.objective, "service": self.service}
        return {key: str(value) for key, value in named.items() if value is not None}

    def narrowing(self) -> dict[str, int | None]:
        """The keyword arguments of the apps' `in_scope` and of their metric selectors."""
        return {"objective": self.objective, "service": self.service}


@dataclass(frozen=True)
class Period:
    """Whole days from `start` to `end`, both included, in the portal's time zone, read in
    `scope`."""

    start: date
    end: date
    scope: Scope = field(default_factory=Scope)

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

    def within(self, other: Period) -> Period:
        """This period's days read in `other`'s scope (a chart's quarters in the page's)."""
        return replace(self, scope=other.scope)

    @property
    def days(self) -> int:
        return (self.end - self.start).days + 1

    def previous(self) -> Period:
        """The period of the same number of days that ends the day before this one starts."""
        end = self.start - timedelta(days=1)
        return replace(self, start=end - timedelta(days=self.days - 1), end=end)

    def bounds(self) -> tuple[datetime, datetime]:
        """[first moment, first moment after) as aware datetimes: a half-open range, so that
        a moment belongs to exactly one of two adjacent periods."""
        start, end = day_bounds(self.start, self.end)
        assert start is not None and end is not None  # both days are given
        return start, end
