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
        if item.person_id not in loads.capacity:
            continue  # someone who left: their work no longer loads anyone
        target = (loads.project if item.source == PROJECT else loads.operational)[item.person_id]
        tentative = loads.tentative[item.person_id]
        capacity, full = loads.capacity[item.person_id], contracted[item.person_id]
        span = horizon.span(item.start, item.end)
        for week in span:
            share = 1.0 if week not in (span.start, span.stop - 1) else \
                horizon.workday_share(week, item.start, item.end)
            if item.scales_with_availability:
                share *= capacity[week] / full if full else 0.0
            hours = item.hours_per_week * share
            target[week] += hours
            if item.tentative:
                tentative[week] += hours

    for person in people:
        for mine, team in ((loads.capacity, loads.team_capacity),
                           (loads.project, loads.team_project),
                           (loads.operational, loads.team_operational)):
            row = team.setdefault(person.team_id, [0.0] * weeks)
            for week, hours in enumerate(mine[person.id]):
                row[week] += hours
    return loads


__all__ = ["Loads", "compute_loads", "OPERATIONAL", "PROJECT"]
