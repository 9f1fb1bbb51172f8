"""The change calendar: changes, freezes and go-lives of a date range as plain events, the
days of a month or week to show them on, and the same events as an iCalendar feed.

No request in here: the page and the feed both call `calendar_events`, so they show the same
things, and each read is a fixed number of queries however many rows the range holds.
"""

import calendar as stdlib_calendar
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta

from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from icalendar import Calendar, Event

from itsm_pmo.permissions import Actor
from itsm_pmo.workflow import require
from portfolio.choices import MilestoneKind
from portfolio.selectors import milestones as portfolio_milestones
from resources.selectors import conflicts_in, current_snapshot

from .choices import ChangeState
from .models import CalendarFeedToken, ChangeRequest, FreezeWindow, new_feed_key
from .permissions import may_follow_calendar

FEED_PAST, FEED_AHEAD = timedelta(days=60), timedelta(days=180)

CHANGE, FREEZE, GO_LIVE = "change", "freeze", "go_live"
# Within a day: the freeze that shades it, then go-lives, then changes by time.
KIND_ORDER = {FREEZE: 0, GO_LIVE: 1, CHANGE: 2}
# Before authorisation a change's window may still move; calendar clients show it dimmed.
TENTATIVE_STATES = {ChangeState.NEW, ChangeState.ASSESS, ChangeState.AUTHORIZE}


@dataclass(frozen=True)
class CalendarEvent:
    """One thing on the calendar, whatever its source. Times are in the portal's time zone;
    `end` is exclusive for timed events and the day itself for a go-live."""

    kind: str
    key: str  # stable identity: the change number, freeze-<pk>, go-live-<pk>
    title: str
    start: datetime | date
    end: datetime | date
    url: str = ""
    label: str = ""  # the change number or the project code
    state: str = ""
    state_label: str = ""
    change_type: str = ""
    type_label: str = ""
    implementer: str = ""
    detail: str = ""  # a freeze's services and reason, a go-live's milestone
    conflict_messages: tuple[str, ...] = ()

    @property
    def conflicted(self) -> bool:
        return bool(self.conflict_messages)

    @property
    def all_day(self) -> bool:
        return not isinstance(self.start, datetime)

    @property
    def first_day(self) -> date:
        return self.start.date() if isinstance(self.start, datetime) else self.start

    @property
    def last_day(self) -> date:
        if isinstance(self.end, datetime):
            # A window that ends at midnight does not reach into the next day.
            return max(self.first_day, (self.end - timedelta(microseconds=1)).date())
        return self.end

    def sort_key(self):
        return (self.first_day, KIND_ORDER[self.kind], self.start, self.key)


def _aware_midnight(day: date) -> datetime:
    return timezone.make_aware(datetime.combine(day, time.min))


def calendar_events(start: date, end: date) -> list[CalendarEvent]:
    """Changes (except cancelled ones) whose window overlaps the days start..end (both
    included), freezes overlapping them and go-lives due in them, sorted by day.

    Six queries at most, whatever the number of rows: changes, the snapshot pointer and the
    conflicts of those changes, freezes and their services, go-lives with their projects.
    """
    since, until = _aware_midnight(start), _aware_midnight(end + timedelta(days=1))
    events = _change_events(since, until) + _freeze_events(since, until)
    events += _go_live_events(start, end)
    return sorted(events, key=CalendarEvent.sort_key)


def _change_events(since: datetime, until: datetime) -> list[CalendarEvent]:
    changes = list(
        ChangeRequest.objects.exclude(state=ChangeState.CANCELLED)
        .filter(planned_start__lt=until)
        # A change with a start and no end yet is shown at its start.
        .filter(Q(planned_end__gt=since) | Q(planned_end__isnull=True, planned_start__gte=since))
        .select_related("implementer", "project")
        .order_by("planned_start", "number")
    )
    messages = _conflict_messages()
    events = []
    for change in changes:
        start = timezone.localtime(change.planned_start)
        end = timezone.localtime(change.planned_end) if change.planned_end else start
        events.append(
            CalendarEvent(
                kind=CHANGE,
                key=change.number or f"change-{change.pk}",
                title=change.title,
                start=start,
                end=end,
                url=change.get_absolute_url(),
                label=change.number or "",
                state=change.state,
                state_label=change.get_state_display(),
                change_type=change.change_type,
                type_label=change.get_change_type_display(),
                implementer=change.implementer.name if change.implementer else "",
                detail=f"{change.project.code} {change.project.name}" if change.project else "",
                conflict_messages=tuple(messages.get(change.pk, ())),
            )
        )
    return events


def _conflict_messages() -> dict[int, list[str]]:
    """Messages of the current snapshot's open conflicts per change id, in one query. All of
    them rather than those of the range's changes: they are few (only active changes have
    any) and a long list of ids would not fit SQLite's limit on query parameters."""
    rows = (
        conflicts_in(current_snapshot())
        .filter(subject_type="change")
        .order_by("kind", "pk")
        .values_list("subject_id", "message")
    )
    found: dict[int, list[str]] = {}
    for change_id, message in rows:
        found.setdefault(change_id, []).append(message)
    return found


def _freeze_events(since: datetime, until: datetime) -> list[CalendarEvent]:
    freezes = (
        FreezeWindow.objects.filter(start__lt=until, end__gt=since)
        .prefetch_related("services")
        .order_by("start")
    )
    events = []
    for freeze in freezes:
        scope = (
            "All services"
            if freeze.all_services
            else ", ".join(s.name for s in freeze.services.all()) or "No service"
        )
        events.append(
            CalendarEvent(
                kind=FREEZE,
                key=f"freeze-{freeze.pk}",
                title=freeze.name,
                start=timezone.localtime(freeze.start),
                end=timezone.localtime(freeze.end),
                detail=f"{scope}. {freeze.reason}".strip(),
            )
        )
    return events


def _go_live_events(start: date, end: date) -> list[CalendarEvent]:
    milestones = (
        portfolio_milestones()
        .filter(kind=MilestoneKind.GO_LIVE, due_date__range=(start, end))
        .select_related("project")
        .order_by("due_date", "pk")
    )
    return [
        CalendarEvent(
            kind=GO_LIVE,
            key=f"go-live-{m.pk}",
            title=f"{m.project.name} go-live",
            start=m.due_date,
            end=m.due_date,
            url=m.project.get_absolute_url(),
            label=m.project.code,
            detail=m.name,
        )
        for m in milestones
    ]


# --- the days to show -----------------------------------------------------------------------


def month_grid(year: int, month: int) -> list[list[date]]:
    """The weeks of a month, Monday first, with the days of the neighbouring months that
    fill its first and last weeks."""
    return stdlib_calendar.Calendar(firstweekday=0).monthdatescalendar(year, month)


def week_days(day: date) -> list[date]:
    """Monday to Sunday of the ISO week holding `day`."""
    monday = day - timedelta(days=day.weekday())
    return [monday + timedelta(days=i) for i in range(7)]


@dataclass
class CalendarDay:
    """One cell of the calendar and what falls on it."""

    day: date
    in_month: bool = True
    is_today: bool = False
    changes: list[CalendarEvent] = field(default_factory=list)
    freezes: list[CalendarEvent] = field(default_factory=list)
    go_lives: list[CalendarEvent] = field(default_factory=list)
    # Keys of the events that began on an earlier day: shown as "continued", not again.
    continued: set[str] = field(default_factory=set)

    # How many changes the cell shows (the month's cells); the rest are a link to the week.
    limit: int | None = None

    @property
    def is_empty(self) -> bool:
        return not (self.changes or self.freezes or self.go_lives)

    @property
    def shown_changes(self) -> list[CalendarEvent]:
        return self.changes if self.limit is None else self.changes[: self.limit]

    @property
    def more_changes(self) -> int:
        return len(self.changes) - len(self.shown_changes)


BUCKETS = {CHANGE: "changes", FREEZE: "freezes", GO_LIVE: "go_lives"}


def place_on_days(
    events: Iterable[CalendarEvent],
    days: list[date],
    *,
    month: int | None = None,
    today: date | None = None,
) -> list[CalendarDay]:
    """Put each event on every one of `days` (consecutive) that it covers: a change over
    midnight shows on both days, a freeze shades each day of its period."""
    cells = {
        d: CalendarDay(d, in_month=month is None or d.month == month, is_today=d == today)
        for d in days
    }
    first, last = days[0], days[-1]
    for event in events:
        day = max(event.first_day, first)
        while day <= min(event.last_day, last):
            getattr(cells[day], BUCKETS[event.kind]).append(event)
            if day > event.first_day:
                cells[day].continued.add(event.key)
            day += timedelta(days=1)
    return list(cells.values())


# --- the feed --------------------------------------------------------------------------------


def feed_token_for(user: Actor) -> CalendarFeedToken:
    """The user's feed token, made on first use."""
    token, _ = CalendarFeedToken.objects.get_or_create(user=user)
    return token


def feed_owner(key: str) -> Actor | None:
    """The active user a feed key stands for (calendar clients cannot sign in), or None."""
    if not key:
        return None
    token = (
        CalendarFeedToken.objects.select_related("user")
        .filter(key=key, user__is_active=True)
        .first()
    )
    return token.user if token else None


def feed_events(*, user: Actor, today: date) -> list[CalendarEvent]:
    """What the feed serves its owner (`may_follow_calendar`): 60 days back to 180 ahead."""
    require(may_follow_calendar(user), "This feed's owner may not see changes.")
    return calendar_events(today - FEED_PAST, today + FEED_AHEAD)


@transaction.atomic
def feed_token_reset(*, user: Actor) -> CalendarFeedToken:
    """Give the user a new feed key (`may_follow_calendar`); the old URL stops working at
    once (e.g. it leaked)."""
    require(may_follow_calendar(user), "Your role does not see changes.")
    token, _ = CalendarFeedToken.objects.select_for_update().get_or_create(user=user)
    token.key = new_feed_key()
    token.created_at = timezone.now()
    token.save(update_fields=["key", "created_at"])
    return token


def feed_ical(events: Iterable[CalendarEvent], *, absolute: Callable[[str], str]) -> bytes:
    """The events as an iCalendar document; `absolute` turns a page path into a full URL.

    Times go out in UTC, so no VTIMEZONE is needed and every client agrees on the instant.
    """
    calendar = Calendar()
    calendar.add("prodid", "-//ITSM-PMO portal//Change calendar//EN")
    calendar.add("version", "2.0")
    calendar.add("x-wr-calname", "Change calendar")
    stamp = timezone.now().astimezone(UTC)
    for event in events:
        entry = Event()
        entry.add("uid", f"{event.key}@itsm-pmo")
        entry.add("dtstamp", stamp)
        if event.kind == CHANGE:
            _add_change(entry, event, absolute)
        elif event.kind == FREEZE:
            entry.add("summary", f"Change freeze: {event.title}")
            _add_window(entry, event)
            entry.add("description", event.detail)
            entry.add("categories", ["Freeze"])
            entry.add("transp", "TRANSPARENT")  # a freeze does not make anyone busy
        else:
            entry.add("summary", f"{event.label} {event.title}")
            entry.add("dtstart", event.start)
            entry.add("dtend", event.end + timedelta(days=1))  # all-day: DTEND is exclusive
            entry.add("description", f"{event.detail}\n{absolute(event.url)}")
            entry.add("url", absolute(event.url))
            entry.add("categories", ["Go-live"])
            entry.add("transp", "TRANSPARENT")
        calendar.add_component(entry)
    return calendar.to_ical()


def _add_change(entry, event: CalendarEvent, absolute: Callable[[str], str]) -> None:
    url = absolute(event.url)
    lines = [
        f"State: {event.state_label}",
        f"Type: {event.type_label}",
        f"Implementer: {event.implementer or 'not assigned'}",
    ]
    if event.detail:
        lines.append(f"Project: {event.detail}")
    lines += [f"Conflict: {message}" for message in event.conflict_messages]
    lines.append(url)
    entry.add("summary", f"{event.label} {event.title}")
    _add_window(entry, event)
    entry.add("description", "\n".join(lines))
    entry.add("url", url)
    entry.add("categories", ["Change", event.type_label, event.state_label])
    entry.add("status", "TENTATIVE" if event.state in TENTATIVE_STATES else "CONFIRMED")


def _add_window(entry, event: CalendarEvent) -> None:
    entry.add("dtstart", event.start.astimezone(UTC))
    if event.end > event.start:  # a change with no end yet is a point in time: no DTEND
        entry.add("dtend", event.end.astimezone(UTC))
