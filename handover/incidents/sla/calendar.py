"""Working time of a service's cover, without the ORM (docs/sla.md, "Calendar").

A cover says when the service-level clock runs, in the portal's TIME_ZONE:

- business hours: Monday to Friday, 08:00–18:00, public holidays excluded;
- extended: 07:00–22:00 every day; public holidays are *not* excluded (an extended service is
  staffed every day of the year, weekends included, so a bank holiday is one more such day);
- 24×7: always.

Arithmetic is done on UTC instants: each local working window is built from its local date
and wall-clock times and then converted, so a DST change moves the windows with the clocks
and never adds or loses working time (the windows never touch the 01:00–02:00 gap).
"""

from __future__ import annotations

from collections.abc import Collection, Iterator
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

BUSINESS_HOURS = "business_hours"
EXTENDED = "extended"
ALWAYS = "24x7"

# Local opening hours of each cover and the weekdays they apply to (Monday is 0).
WINDOWS: dict[str, tuple[time, time, frozenset[int]]] = {
    BUSINESS_HOURS: (time(8), time(18), frozenset(range(5))),
    EXTENDED: (time(7), time(22), frozenset(range(7))),
}
# Which covers stop on a public holiday.
HOLIDAYS_APPLY = frozenset({BUSINESS_HOURS})
# A walk that finds no working time in this many days has a calendar without any.
MAX_DAYS = 3660


@dataclass(frozen=True)
class WorkingCalendar:
    """When the clock runs for one cover: its windows, its holidays, its time zone."""

    cover: str
    timezone: str = "Europe/London"
    holidays: frozenset[date] = field(default_factory=frozenset)

    @classmethod
    def of(cls, cover: str, tz: str, holidays: Collection[date] = ()) -> WorkingCalendar:
        cover = cover if cover in WINDOWS or cover == ALWAYS else BUSINESS_HOURS
        kept = frozenset(holidays) if cover in HOLIDAYS_APPLY else frozenset()
        return cls(cover=cover, timezone=tz, holidays=kept)

    @property
    def always(self) -> bool:
        return self.cover == ALWAYS

    def _window(self, day: date) -> tuple[datetime, datetime] | None:
        """The working window of a local day, in UTC, or None on a closed day."""
        opens, closes, weekdays = WINDOWS[self.cover]
        if day.weekday() not in weekdays or day in self.holidays:
            return None
        zone = ZoneInfo(self.timezone)
        start = datetime.combine(day, opens, tzinfo=zone).astimezone(UTC)
        end = datetime.combine(day, closes, tzinfo=zone).astimezone(UTC)
        return start, end

    def _local_day(self, moment: datetime) -> date:
        return moment.astimezone(ZoneInfo(self.timezone)).date()

    def windows(self, start: datetime, end: datetime) -> Iterator[tuple[datetime, datetime]]:
        """The working intervals between two moments (UTC, clipped to them), in order."""
        start, end = start.astimezone(UTC), end.astimezone(UTC)
        if end <= start:
            return
        if self.always:
            yield start, end
            return
        day = self._local_day(start)
        last = self._local_day(end)
        while day <= last:
            window = self._window(day)
            if window is not None:
                lo, hi = max(window[0], start), min(window[1], end)
                if lo < hi:
                    yield lo, hi
            day += timedelta(days=1)

    def working(self, start: datetime, end: datetime) -> timedelta:
        """Working time from `start` to `end` (nothing when end is not after start), exact to
        the microsecond."""
        return sum((hi - lo for lo, hi in self.windows(start, end)), start=timedelta())

    def minutes_between(self, start: datetime, end: datetime) -> float:
        """Working minutes from `start` to `end`."""
        return self.working(start, end).total_seconds() / 60

    def add(self, moment: datetime, span: timedelta) -> datetime:
        """The moment `span` of working time after `moment` (before it when negative).

        Adding nothing to a moment outside working hours gives the moment itself: the clock
        has nothing left to run."""
        moment = moment.astimezone(UTC)
        if not span:
            return moment
        if self.always:
            return moment + span
        forward = span > timedelta()
        left = abs(span)
        day = self._local_day(moment)
        step = timedelta(days=1 if forward else -1)
        for _ in range(MAX_DAYS):
            window = self._window(day)
            if window is not None:
                if forward:
                    lo, hi = max(window[0], moment), window[1]
                else:
                    lo, hi = window[0], min(window[1], moment)
                if lo < hi:
                    if hi - lo >= left:
                        return lo + left if forward else hi - left
                    left -= hi - lo
            day += step
        raise ValueError(f"no working time within {MAX_DAYS} days of {moment}")

    def add_minutes(self, moment: datetime, minutes: float) -> datetime:
        """The moment `minutes` of working time after `moment`."""
        return self.add(moment, timedelta(minutes=minutes))
