"""Weeks of the plan: ISO weeks starting on Monday, and the working days (Mon-Fri) in them."""

from dataclasses import dataclass
from datetime import date, timedelta
from functools import cached_property

WORKDAYS = 5


def monday_of(day: date) -> date:
    return day - timedelta(days=day.weekday())


@dataclass(frozen=True)
class Horizon:
    start: date  # a Monday
    weeks: int

    def __post_init__(self) -> None:
        if self.start.weekday() != 0:
            raise ValueError("A horizon starts on a Monday.")

    @property
    def end(self) -> date:
        """The last day (a Sunday) of the horizon."""
        return self.start + timedelta(weeks=self.weeks, days=-1)

    @cached_property
    def _first(self) -> int:
        """The first Monday as a day number: the hot paths count days in integers."""
        return self.start.toordinal()

    def week(self, index: int) -> date:
        return date.fromordinal(self._first + 7 * index)

    def index(self, day: date) -> int:
        return (day.toordinal() - self._first) // 7

    def span(self, start: date, end: date) -> range:
        """The week indexes that [start, end] touches, clipped to the horizon."""
        first = max(0, self.index(start))
        last = min(self.weeks - 1, self.index(end))
        return range(first, last + 1) if first <= last else range(0)

    def workday_share(self, index: int, start: date, end: date) -> float:
        """Which share of week `index`'s five working days falls inside [start, end]."""
        monday = self._first + 7 * index
        first = max(start.toordinal(), monday)
        last = min(end.toordinal(), monday + WORKDAYS - 1)
        if first > last:
            return 0.0
        return (last - first + 1) / WORKDAYS

    def cover(self, start: date, end: date) -> tuple[range, float, float]:
        """The weeks [start, end] touches (as span()), with the share of working days inside
        it of the first and of the last of them (as workday_share()); the weeks between are
        whole. One call for what a week-by-week loop would ask of every week."""
        span = self.span(start, end)
        if not span:
            return span, 0.0, 0.0
        return (
            span,
            self.workday_share(span.start, start, end),
            self.workday_share(span.stop - 1, start, end),
        )
