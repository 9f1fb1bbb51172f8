"""Capacity (contracted hours less absences) and load per person-week and team-week."""

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, timedelta

from .calendar import WORKDAYS, Horizon
from .records import OPERATIONAL, PROJECT, AbsenceRecord, PersonRecord, WorkRecord


@dataclass
class Loads:
    """Hours per person-week (lists indexed by week) and their sums per team."""

    horizon: Horizon
    capacity: dict[int, list[float]] = field(default_factory=dict)
    project: dict[int, list[float]] = field(default_factory=dict)
    operational: dict[int, list[float]] = field(default_factory=dict)
    tentative: dict[int, list[float]] = field(default_factory=dict)
    team_capacity: dict[int, list[float]] = field(default_factory=dict)
    team_project: dict[int, list[float]] = field(default_factory=dict)
    team_operational: dict[int, list[float]] = field(default_factory=dict)

    def load(self, person_id: int, week: int) -> float:
        return self.project[person_id][week] + self.operational[person_id][week]

    def free(self, person_id: int, week: int) -> float:
        return max(0.0, self.capacity[person_id][week] - self.load(person_id, week))


def absent_days(horizon: Horizon, absences: list[AbsenceRecord]
                ) -> tuple[dict[int, list[int]], list[int]]:
    """Working days away per week: per person, and for everyone (public holidays).
    Overlapping absences count a day once."""
    dates: dict[int | None, set[date]] = defaultdict(set)
    for absence in absences:
        day = max(absence.start, horizon.start)
        last = min(absence.end, horizon.end)
        while day <= last:
            if day.weekday() < WORKDAYS:
                dates[absence.person_id].add(day)
            day += timedelta(days=1)
    everyone = dates.pop(None, set())

    def per_week(days: set[date]) -> list[int]:
        counts = [0] * horizon.weeks
        for day in days:
            counts[horizon.index(day)] += 1
        return counts

    return {person: per_week(days | everyone) for person, days in dates.items()}, \
        per_week(everyone)


def compute_loads(horizon: Horizon, people: list[PersonRecord], absences: list[AbsenceRecord],
                  work: list[WorkRecord]) -> Loads:
    weeks = horizon.weeks
    loads = Loads(horizon)
    away, holidays = absent_days(horizon, absences)
    for person in people:
        days = away.get(person.id, holidays)
        loads.capacity[person.id] = [person.hours * (WORKDAYS - d) / WORKDAYS for d in days]
        loads.project[person.id] = [0.0] * weeks
        loads.operational[person.id] = [0.0] * weeks
        loads.tentative[person.id] = [0.0] * weeks

    contracted = {person.id: person.hours for person in people}
    for item in work:
        capacity = loads.capacity.get(item.person_id)
        if capacity is None:
            continue  # someone who left: their work no longer loads anyone
        span = horizon.span(item.start, item.end)
        if not span:
            continue
        targets = [(loads.project if item.source == PROJECT else loads.operational)
                   [item.person_id]]
        if item.tentative:
            targets.append(loads.tentative[item.person_id])
        first, last = span.start, span.stop - 1
        hours = item.hours_per_week
        full = contracted[item.person_id]
        scales = item.scales_with_availability
        # The first and last weeks may be partial: a share of their working days.
        for week in {first, last}:
            share = horizon.workday_share(week, item.start, item.end)
            if scales:
                share *= capacity[week] / full if full else 0.0
            for target in targets:
                target[week] += hours * share
        # The weeks in between are whole, the bulk of the work: one list operation each.
        if last - first > 1:
            middle = slice(first + 1, last)
            if not scales:
                added = [hours] * (last - first - 1)
            elif full:
                added = [hours * (c / full) for c in capacity[middle]]
            else:
                added = [hours * 0.0] * (last - first - 1)
            for target in targets:
                target[middle] = [t + h for t, h in zip(target[middle], added, strict=True)]

    for person in people:
        for mine, team in ((loads.capacity, loads.team_capacity),
                           (loads.project, loads.team_project),
                           (loads.operational, loads.team_operational)):
            row = team.get(person.team_id, [0.0] * weeks)
            team[person.team_id] = [t + h for t, h in zip(row, mine[person.id], strict=True)]
    return loads


__all__ = ["Loads", "compute_loads", "OPERATIONAL", "PROJECT"]
