"""The effect of an allocation on someone's load, before it is saved.

The published snapshot has the person's load now; the engine, run on just this person,
says what the allocation adds (and, when editing, what the old version took away).
"""

from dataclasses import dataclass
from datetime import date

from django.db.models import Q

from .engine.calendar import Horizon
from .engine.capacity import compute_loads
from .engine.records import OPERATIONAL, PROJECT, AbsenceRecord, PersonRecord, WorkRecord
from .models import Absence, Allocation, Person, PersonLoad, Snapshot, WorkKind
from .providers import SCALES_WITH_AVAILABILITY
from .selectors import weeks_shown


@dataclass(frozen=True)
class Effect:
    week: date
    capacity: float
    before: float
    after: float

    def percent(self, hours: float) -> int | None:
        return round(100 * hours / self.capacity) if self.capacity else None

    @property
    def before_percent(self) -> int | None:
        return self.percent(self.before)

    @property
    def after_percent(self) -> int | None:
        return self.percent(self.after)

    @property
    def over(self) -> bool:
        return self.after > self.capacity + 0.05


def _hours_by_week(
    horizon: Horizon,
    person: Person,
    absences: list[AbsenceRecord],
    kind: str,
    hours: float,
    start: date,
    end: date,
) -> list[float]:
    record = PersonRecord(person.pk, person.name, person.team_id, float(person.contracted_hours))
    work = WorkRecord(
        person.pk,
        start,
        end,
        hours,
        PROJECT if kind == WorkKind.PROJECT else OPERATIONAL,
        kind,
        scales_with_availability=kind in SCALES_WITH_AVAILABILITY,
    )
    loads = compute_loads(horizon, [record], absences, [work])
    return [
        p + o for p, o in zip(loads.project[person.pk], loads.operational[person.pk], strict=True)
    ]


def allocation_effect(
    *,
    snapshot: Snapshot,
    person: Person,
    kind: str,
    hours: float,
    start: date,
    end: date,
    replacing: Allocation | None = None,
    weeks: int = 26,
) -> list[Effect]:
    """Week by week: capacity, load now, load with the allocation (only weeks it touches)."""
    horizon = Horizon(snapshot.week_start, snapshot.weeks)
    row = PersonLoad.objects.filter(snapshot=snapshot, person=person).first()
    if row is None:
        return []
    absences = [
        AbsenceRecord(p, s, e)
        for p, s, e in Absence.objects.filter(
            Q(person=person) | Q(person__isnull=True),
            end_date__gte=horizon.start,
            start_date__lte=horizon.end,
        ).values_list("person_id", "start_date", "end_date")
    ]
    added = _hours_by_week(horizon, person, absences, kind, hours, start, end)
    removed = [0.0] * horizon.weeks
    if replacing is not None:
        removed = _hours_by_week(
            horizon,
            person,
            absences,
            replacing.kind,
            float(replacing.hours_per_week),
            replacing.start_date,
            replacing.end_date,
        )
    first, dates = weeks_shown(snapshot, weeks)
    effects = []
    for index, week in zip(range(first, first + len(dates)), dates, strict=True):
        if not added[index] and not removed[index]:
            continue
        before = row.project[index] + row.operational[index]
        effects.append(
            Effect(week, row.capacity[index], before, before - removed[index] + added[index])
        )
    return effects
