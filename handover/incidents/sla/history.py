"""Rows -> the engine's records: an incident's history, its service's calendar and the
targets, read in a fixed number of queries for any number of incidents (the only ORM code of
the computation)."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from datetime import date, datetime, timedelta

from django.conf import settings
from django.db.models import Q

from resources.selectors import public_holidays

from ...choices import PAUSING_HOLD_REASONS
from ...models import Incident, IncidentPriorityChange, IncidentReassignment, IncidentTransition
from .calendar import HOLIDAYS_APPLY, WorkingCalendar
from .engine import Assignment, History, Move, PriorityChange
from .models import SlaTarget

# The targets a priority has when the table lacks its row (the data migration seeds the
# same): (first response, resolution) in working minutes.
DEFAULT_TARGETS: dict[int, tuple[int, int]] = {
    1: (15, 4 * 60),
    2: (30, 8 * 60),
    3: (4 * 60, 3 * 600),
    4: (8 * 60, 5 * 600),
    5: (2 * 600, 10 * 600),
}
PAUSING = frozenset(str(reason) for reason in PAUSING_HOLD_REASONS)
# How far ahead of the earliest opening holidays are read: past any target's due moment.
HOLIDAY_REACH = timedelta(days=800)


def targets() -> dict[int, tuple[int, int]]:
    """Priority -> (response, resolution) minutes: the table's, else the defaults."""
    found = dict(DEFAULT_TARGETS)
    for row in SlaTarget.objects.values_list("priority", "response_minutes", "resolution_minutes"):
        found[row[0]] = (row[1], row[2])
    return found


class Calendars:
    """One working calendar per cover, with the public holidays from `first` on."""

    def __init__(self, first: date, last: date) -> None:
        self.holidays = frozenset(public_holidays(first, last))
        self.zone = settings.TIME_ZONE
        self._made: dict[str, WorkingCalendar] = {}

    def of(self, cover: str) -> WorkingCalendar:
        if cover not in self._made:
            days = self.holidays if cover in HOLIDAYS_APPLY else frozenset()
            self._made[cover] = WorkingCalendar.of(cover, self.zone, days)
        return self._made[cover]


def histories(ids: Iterable[int]) -> tuple[dict[int, History], dict[int, str]]:
    """The histories of the incidents `ids` and their services' covers, in four queries."""
    ids = list(ids)
    rows = Incident.objects.filter(pk__in=ids).values_list(
        "pk", "opened_at", "priority", "service__support_hours"
    )
    moves: dict[int, list[Move]] = defaultdict(list)
    for incident, at, to_state, reason in IncidentTransition.objects.filter(
        incident__in=ids
    ).values_list("incident", "at", "to_state", "hold_reason"):
        moves[incident].append(Move(at=at, to_state=to_state, hold_reason=reason or ""))
    assignments: dict[int, list[Assignment]] = defaultdict(list)
    # The assignment made as it was logged (nothing before it) is the reporter's choice, not
    # the desk's answer: only later ones can be the first response.
    logged_with = Q(from_group__isnull=True, from_person__isnull=True)
    for incident, at, person in (
        IncidentReassignment.objects.filter(incident__in=ids)
        .exclude(logged_with)
        .values_list("incident", "at", "to_person")
    ):
        assignments[incident].append(Assignment(at=at, to_person=person is not None))
    changes: dict[int, list[PriorityChange]] = defaultdict(list)
    for incident, at, before, after in IncidentPriorityChange.objects.filter(
        incident__in=ids
    ).values_list("incident", "at", "from_priority", "to_priority"):
        changes[incident].append(PriorityChange(at=at, from_priority=before, to_priority=after))
    found: dict[int, History] = {}
    covers: dict[int, str] = {}
    for pk, opened_at, priority, cover in rows:
        found[pk] = History(
            opened_at=opened_at,
            priority=priority,
            moves=tuple(moves[pk]),
            assignments=tuple(assignments[pk]),
            priority_changes=tuple(changes[pk]),
        )
        covers[pk] = cover
    return found, covers


def calendars_for(found: dict[int, History], now: datetime) -> Calendars:
    """The calendars covering every history in `found` and their due moments."""
    # UTC days, with a day's slack either side for the local time zone.
    first = min((h.opened_at.date() for h in found.values()), default=now.date())
    return Calendars(first - timedelta(days=1), max(first, now.date()) + HOLIDAY_REACH)
