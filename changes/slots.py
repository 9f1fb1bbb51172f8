"""Next free slots for a change: windows of the same length in the coming weeks that fall in
no freeze covering its services, hold none of its items or services with another change, and
leave the implementer at or under 100 % with the change's own effort counted."""

from dataclasses import dataclass
from datetime import datetime, time, timedelta

from django.utils import timezone

from .choices import ACTIVE_STATES
from .insight import (
    active_changes_between,
    freeze_covers,
    freezes_between,
    implementer_loads,
    occupies,
    service_ids_of,
)
from .models import ChangeRequest

EVENING = time(19, 0)  # the usual change window when a change has none yet


@dataclass(frozen=True)
class Slot:
    start: datetime
    end: datetime
    implementer_load: float | None  # utilisation that week with this change in it


def _duration(change: ChangeRequest) -> timedelta:
    if change.planned_start and change.planned_end:
        return change.planned_end - change.planned_start
    return timedelta(hours=min(max(float(change.effort_hours), 1.0), 8.0))


def _own_weekly_effort(change: ChangeRequest, snapshot) -> dict[int, float]:
    """What the change already adds to its implementer's weeks in the snapshot (the change
    provider spreads its effort over the weeks its window touches)."""
    if change.state not in ACTIVE_STATES or not (change.planned_start and change.planned_end):
        return {}
    first = (timezone.localdate(change.planned_start) - snapshot.week_start).days // 7
    last = (timezone.localdate(change.planned_end) - snapshot.week_start).days // 7
    share = float(change.effort_hours) / (last - first + 1)
    return {week: share for week in range(first, last + 1)}


def suggest_slots(
    change: ChangeRequest, *, weeks: int = 4, count: int = 5, today=None
) -> list[Slot]:
    """At most one slot a day, from tomorrow, at the change's usual time of day."""
    today = today or timezone.localdate()
    at = timezone.localtime(change.planned_start).time() if change.planned_start else EVENING
    duration = _duration(change)
    zone = timezone.get_current_timezone()
    days = [today + timedelta(days=n) for n in range(1, weeks * 7 + 1)]
    first = datetime.combine(days[0], at, zone)
    last = datetime.combine(days[-1], at, zone) + duration
    freezes, others = freezes_between(first, last), active_changes_between(first, last)
    item_ids = {i.pk for i in change.items.all()}
    services = service_ids_of(change)
    snapshot, loads = implementer_loads([change])
    row = loads.get(change.implementer_id)
    own = _own_weekly_effort(change, snapshot) if row is not None else {}
    slots = []
    for day in days:
        start = datetime.combine(day, at, zone)
        end = start + duration
        if any(freeze_covers(f, start, end, services) for f in freezes):
            continue
        if any(o.pk != change.pk and occupies(o, start, end, item_ids, services) for o in others):
            continue
        load = None
        if row is not None:
            week = (day - snapshot.week_start).days // 7
            if not 0 <= week < snapshot.weeks or not row.capacity[week]:
                continue
            booked = (
                row.project[week]
                + row.operational[week]
                - own.get(week, 0.0)
                + float(change.effort_hours)
            )
            load = booked / row.capacity[week]
            if load > 1.0:
                continue
        slots.append(Slot(start, end, load))
        if len(slots) == count:
            break
    return slots
