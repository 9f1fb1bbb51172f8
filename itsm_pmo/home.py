"""The home page ("my work"): one inbox per person, from every app, most urgent first.

Each app registers its kinds of work in its AppConfig.ready(); the home page knows none of
them by name. A kind of work is a `WorkSource`: whom it asks (`asks`), how many entries wait
by urgency (`tally`) and a page of them, most urgent first (`entries`). Every entry says
what to do and when it is due; the rules of the inbox (docs/decisions.md, issue 15):

- **Urgency bands** by the entry's due moment: overdue (before now), today, the next seven
  days, later, and no date. A date-only due moment is overdue from the day after it.
- **Order**: inside a group, due soonest first (so overdue first, the longest overdue at the
  top), undated last. The groups (one per kind of work) are ordered by the band of their most
  urgent entry, then by the kind's own order (an incident before an article review when both
  are overdue), then by that entry's due moment.
- **Bounded**: a group shows its first `SHOWN` entries and its count; the whole group is a
  paginated page of its own (`my_work_list`). A source answers its tally with one aggregate
  query and its first entries with one more (a few for the CAB queue): the page does not grow
  with the data.
- **The navigation's count** is the sum of the tallies (`navigation_tally`), kept per user
  while the tables it read are unchanged (`itsm_pmo.table_versions.kept`).

Besides the inbox, an app may register a context panel (`register_work_provider`: my team,
my projects, my weeks over-booked): what surrounds a person's work, shown beside the inbox and
not counted.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from enum import IntEnum
from typing import Any

from django.conf import settings
from django.db.models import Count, DateTimeField, Q, QuerySet
from django.utils import timezone

# Entries a group shows on the home page; the rest are one click away.
SHOWN = 5
# Entries a page of a whole group shows.
PAGE_SIZE = 25


class Band(IntEnum):
    """How urgent an entry is, most urgent first."""

    OVERDUE = 0
    TODAY = 1
    WEEK = 2
    LATER = 3
    UNDATED = 4

    @property
    def label(self) -> str:
        return BAND_LABELS[self]


BAND_LABELS = {
    Band.OVERDUE: "Overdue",
    Band.TODAY: "Today",
    Band.WEEK: "Next 7 days",
    Band.LATER: "Later",
    Band.UNDATED: "No date",
}
BAND_TONES = {
    Band.OVERDUE: "danger",
    Band.TODAY: "warning",
    Band.WEEK: "primary",
    Band.LATER: "secondary",
    Band.UNDATED: "secondary",
}


@dataclass(frozen=True)
class Clock:
    """The moment the inbox is read, and the edges of its bands."""

    now: datetime  # aware

    @classmethod
    def current(cls) -> Clock:
        return cls(now=timezone.now())

    @property
    def today(self) -> date:
        return timezone.localtime(self.now).date()

    def edges(self, *, moments: bool) -> tuple[Any, Any, Any]:
        """(overdue before, today before, next seven days before): dates, or aware moments
        for a due moment that has a time of day."""
        today = self.today
        if not moments:
            return today, today + timedelta(days=1), today + timedelta(days=7)
        midnight = [
            timezone.make_aware(datetime.combine(today + timedelta(days=n), time.min))
            for n in (1, 7)
        ]
        return self.now, midnight[0], midnight[1]

    def band(self, due: date | datetime | None) -> Band:
        if due is None:
            return Band.UNDATED
        moments = isinstance(due, datetime)
        overdue, today, week = self.edges(moments=moments)
        if moments and timezone.is_naive(due):
            due = timezone.make_aware(due)
        if due < overdue:
            return Band.OVERDUE
        if due < today:
            return Band.TODAY
        if due < week:
            return Band.WEEK
        return Band.LATER

    def when(self, due: date | datetime | None) -> str:
        """The due moment as a person reads it: "3 days overdue", "today 19:00", "Thu 10 Dec"."""
        if due is None:
            return "no date"
        day = timezone.localtime(due).date() if isinstance(due, datetime) else due
        at = f" {timezone.localtime(due):%H:%M}" if isinstance(due, datetime) else ""
        late = (self.today - day).days
        if self.band(due) == Band.OVERDUE:
            if late <= 0:
                return f"overdue since{at}"
            return f"{late} day{'s' if late > 1 else ''} overdue"
        if late == 0:
            return f"today{at}"
        if late == -1:
            return f"tomorrow{at}"
        year = f" {day:%Y}" if day.year != self.today.year else ""
        return f"{day:%a %d %b}{year}{at}"


def on(due: date | datetime | None, clock: Clock | None = None) -> str:
    """A due moment in an action phrase ("Implement by {on(due)}"): "Thu 10 Dec 19:00"."""
    if due is None:
        return "no date"
    today = (clock or Clock.current()).today
    if isinstance(due, datetime):
        local = timezone.localtime(due)
        year = f" {local:%Y}" if local.year != today.year else ""
        return f"{local:%a %d %b}{year} {local:%H:%M}"
    year = f" {due:%Y}" if due.year != today.year else ""
    return f"{due:%a %d %b}{year}"


@dataclass(frozen=True)
class Tally:
    """How many entries wait, by band."""

    overdue: int = 0
    today: int = 0
    week: int = 0
    later: int = 0
    undated: int = 0

    @property
    def total(self) -> int:
        return self.overdue + self.today + self.week + self.later + self.undated

    def __add__(self, other: Tally) -> Tally:
        return Tally(
            self.overdue + other.overdue,
            self.today + other.today,
            self.week + other.week,
            self.later + other.later,
            self.undated + other.undated,
        )

    def by_band(self) -> list[tuple[Band, int]]:
        counts = [self.overdue, self.today, self.week, self.later, self.undated]
        return list(zip(Band, counts, strict=True))

    @classmethod
    def of(cls, dues: Iterable[date | datetime | None], clock: Clock) -> Tally:
        """The tally of due moments already in memory."""
        counts = [0] * len(Band)
        for due in dues:
            counts[clock.band(due)] += 1
        return cls(*counts)

    @classmethod
    def of_queryset(cls, rows: QuerySet, clock: Clock, due: str = "due") -> Tally:
        """The tally of a queryset's `due` field or annotation, in one aggregate query."""
        output = rows.query.annotations.get(due)
        due_field = output.output_field if output is not None else rows.model._meta.get_field(due)
        overdue, today, week = clock.edges(moments=isinstance(due_field, DateTimeField))
        counted = rows.order_by().aggregate(
            overdue=Count("pk", filter=Q(**{f"{due}__lt": overdue})),
            today=Count("pk", filter=Q(**{f"{due}__gte": overdue, f"{due}__lt": today})),
            week=Count("pk", filter=Q(**{f"{due}__gte": today, f"{due}__lt": week})),
            later=Count("pk", filter=Q(**{f"{due}__gte": week})),
            undated=Count("pk", filter=Q(**{f"{due}__isnull": True})),
        )
        return cls(**{name: counted[name] or 0 for name in counted})


@dataclass(frozen=True)
class WorkItem:
    """One entry: what it is, where it opens, what to do and by when."""

    title: str
    url: str
    action: str = ""  # what to do, as a button would say it: "Accept or send back"
    due: date | datetime | None = None
    meta: str = ""
    badge: str = ""
    tone: str = "secondary"  # a Bootstrap colour name for the badge


class WorkSource:
    """One kind of work waiting for people (subclass it, or use `QuerySource`)."""

    kind: str = ""  # unique and stable: the address of the group's own page
    title: str = ""
    icon: str = "inbox"
    order: int = 100  # among groups equally urgent, the lower first
    empty: str = "Nothing waits for you here."
    link: tuple[str, str] | None = None  # (label, url name) of the app's own page for it

    def asks(self, user: Any) -> bool:
        """This kind of work belongs in the user's inbox (their role does it)."""
        raise NotImplementedError

    def tally(self, user: Any, clock: Clock) -> Tally:
        raise NotImplementedError

    def entries(self, user: Any, clock: Clock, start: int, stop: int) -> list[WorkItem]:
        """Entries start..stop, most urgent first."""
        raise NotImplementedError

    def first(self, user: Any, clock: Clock, shown: int) -> tuple[Tally, list[WorkItem]]:
        """The tally and the first `shown` entries (a source that reads both at once says so
        here). The entries are read even when the tally is nought: a page runs the same
        queries whatever the data (tests/bench/test_query_counts.py)."""
        return self.tally(user, clock), self.entries(user, clock, 0, shown)


@dataclass(frozen=True, eq=False, kw_only=True)
class QuerySource(WorkSource):
    """A kind of work read from one queryset annotated with `due` and ordered by it."""

    kind: str
    title: str
    icon: str
    who: Callable[[Any], bool]
    rows: Callable[[Any, Clock], QuerySet]
    entry: Callable[[Any, Clock], WorkItem]
    order: int = 100
    empty: str = "Nothing waits for you here."
    link: tuple[str, str] | None = None

    def asks(self, user: Any) -> bool:
        return bool(self.who(user))

    def tally(self, user: Any, clock: Clock) -> Tally:
        return Tally.of_queryset(self.rows(user, clock), clock)

    def entries(self, user: Any, clock: Clock, start: int, stop: int) -> list[WorkItem]:
        return [self.entry(row, clock) for row in self.rows(user, clock)[start:stop]]


@dataclass(frozen=True)
class Entry:
    """An entry as the page shows it: with its band and its due moment in words."""

    item: WorkItem
    band: Band
    when: str

    @property
    def tone(self) -> str:
        return BAND_TONES[self.band]


@dataclass(frozen=True)
class WorkGroup:
    source: WorkSource
    entries: list[Entry]
    tally: Tally

    @property
    def more(self) -> int:
        return self.tally.total - len(self.entries)

    def urgency(self) -> tuple:
        """The band of the group's most urgent entry, then the kind's own order (incidents
        before articles when both are overdue), then that entry's due moment."""
        if not self.entries:
            return (len(Band), self.source.order, 0.0)
        first = self.entries[0]
        due = first.item.due
        if isinstance(due, datetime):
            stamp = due.timestamp()
        elif isinstance(due, date):
            stamp = timezone.make_aware(datetime.combine(due, time.max)).timestamp()
        else:
            stamp = float("inf")
        return (first.band, self.source.order, stamp)


@dataclass(frozen=True)
class Inbox:
    groups: list[WorkGroup]  # with entries, most urgent first
    clear: list[WorkGroup]  # the user's kinds of work with nothing waiting
    tally: Tally


_sources: list[WorkSource] = []


def register_work_source(source: WorkSource) -> WorkSource:
    if all(s.kind != source.kind for s in _sources):
        _sources.append(source)
    return source


def sources_for(user: Any) -> list[WorkSource]:
    if not getattr(user, "is_authenticated", False):
        return []
    return [source for source in _sources if source.asks(user)]


def source_for(user: Any, kind: str) -> WorkSource | None:
    """The user's kind of work of that name (None: not theirs, or no such kind)."""
    return next((s for s in sources_for(user) if s.kind == kind), None)


def entries_of(items: list[WorkItem], clock: Clock) -> list[Entry]:
    return [Entry(item, clock.band(item.due), clock.when(item.due)) for item in items]


def inbox(user: Any, *, clock: Clock | None = None, shown: int = SHOWN) -> Inbox:
    """Everything waiting for the user, grouped by kind, most urgent first."""
    clock = clock or Clock.current()
    groups = []
    for source in sources_for(user):
        tally, items = source.first(user, clock, shown)
        groups.append(WorkGroup(source, entries_of(items, clock), tally))
    total = sum((g.tally for g in groups), Tally())
    ordered = sorted(groups, key=WorkGroup.urgency)
    return Inbox(
        groups=[g for g in ordered if g.entries],
        clear=[g for g in ordered if not g.entries],
        tally=total,
    )


def inbox_tally(user: Any, clock: Clock | None = None) -> Tally:
    """How many entries wait for the user, by band: one aggregate query per kind of work."""
    clock = clock or Clock.current()
    return sum((source.tally(user, clock) for source in sources_for(user)), Tally())


def navigation_tally(user: Any) -> Tally:
    """The navigation's count on every page: kept per user while every table it read keeps
    its version, and for the minute at most (as the page cache keeps pages: an entry becomes
    overdue with time alone); with MY_WORK_COUNT_SECONDS at 0, computed on every page."""
    from . import table_versions

    seconds = min(settings.MY_WORK_COUNT_SECONDS, 60)
    if seconds <= 0:
        return inbox_tally(user)
    clock = Clock.current()
    minute = int(clock.now.timestamp() // 60)
    key = f"my-work-tally:{user.pk}:{minute}"
    return table_versions.kept(key, lambda: inbox_tally(user, clock), timeout=seconds)


# --- context panels: what surrounds a person's work (not counted) ---------------------------


@dataclass(frozen=True)
class WorkPanel:
    title: str
    icon: str
    items: list[WorkItem] = field(default_factory=list)
    empty: str = "Nothing waits for you here."
    more_url: str = ""
    order: int = 100


WorkProvider = Callable[[Any], WorkPanel | None]
_providers: list[WorkProvider] = []


def register_work_provider(provider: WorkProvider) -> WorkProvider:
    if provider not in _providers:
        _providers.append(provider)
    return provider


def my_work(user: Any) -> list[WorkPanel]:
    """The context panels for the user (my team, my projects…), in the apps' order."""
    panels = [panel for provider in _providers if (panel := provider(user)) is not None]
    return sorted(panels, key=lambda panel: (panel.order, panel.title))
