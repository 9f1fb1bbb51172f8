"""Capacity (contracted hours less absences) and load per person-week and team-week."""

from collections import defaultdict
from dataclasses import dataclass, field

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
    # Days as ordinals: date(1, 1, 1), day 1, was a Monday, so (day + 6) % 7 is the weekday.
    first, last = horizon.start.toordinal(), horizon.end.toordinal()
    days: dict[int | None, set[int]] = defaultdict(set)
    for absence in absences:
        days[absence.person_id].update(
            day for day in range(max(absence.start.toordinal(), first),
                                 min(absence.end.toordinal(), last) + 1)
            if (day + 6) % 7 < WORKDAYS)
    everyone = days.pop(None, set())
    holidays = [0] * horizon.weeks
    for day in everyone:
        holidays[(day - first) // 7] += 1

    away = {}
    for person_id, own in days.items():
        counts = away[person_id] = holidays[:]
        for day in own - everyone:
            counts[(day - first) // 7] += 1
    return away, holidays


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
        span, first_share, last_share = horizon.cover(item.start, item.end)
        if not span:
            continue
        targets = [(loads.project if item.source == PROJECT else loads.operational)
                   [item.person_id]]
        if item.tentative:
            targets.append(loads.tentative[item.person_id])
        hours, full = item.hours_per_week, contracted[item.person_id]
        first, last = span.start, span.stop - 1
        # The first and last weeks may be partial: a share of their working days.
        for week, share in {first: first_share, last: last_share}.items():
            if item.scales_with_availability:
                share *= capacity[week] / full if full else 0.0
            for target in targets:
                target[week] += hours * share
        # The weeks in between are whole, the bulk of the work: one list operation each.
        if last - first > 1:
            middle = slice(first + 1, last)
            for target in targets:
                if not item.scales_with_availability:
                    target[middle] = [t + hours for t in target[middle]]
                elif full:
                    target[middle] = [t + hours * (c / full)
                                      for t, c in zip(target[middle], capacity[middle],
                                                      strict=True)]
                else:  # no contract: work that scales with it comes to nothing
                    target[middle] = [t + hours * 0.0 for t in target[middle]]

    for person in people:
        for mine, team in ((loads.capacity, loads.team_capacity),
                           (loads.project, loads.team_project),
                           (loads.operational, loads.team_operational)):
            row = team.get(person.team_id, [0.0] * weeks)
            team[person.team_id] = [t + h for t, h in zip(row, mine[person.id], strict=True)]
    return loads


__all__ = ["Loads", "compute_loads", "OPERATIONAL", "PROJECT"]
