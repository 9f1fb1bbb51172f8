"""The resources discipline's conflict rules: pure functions over the engine's plan.

The screening is done on the engine's arrays (numpy); what a conflict says (its figures, its
message) is worked out in plain Python floats from the same lists and in the same order of
additions as ever, so the conflicts are the same to the last digit.
"""

from collections import defaultdict
from datetime import date, timedelta
from functools import cache

import numpy as np

from itsm_pmo.dates import short_date

from .choices import ConflictKind
from .engine.calendar import WORKDAYS, Horizon
from .engine.records import ConflictRecord
from .engine.run import Plan
from .engine.severity import excess_severity

EPSILON = 0.05  # hours; below this, rounding, not a conflict


def overallocation(plan: Plan):
    """A person loaded over the threshold (100 % by default) of their capacity in a week."""
    threshold = float(plan.settings.get("overallocation_threshold", 1.0))
    loads, week_of = plan.loads, _weeks(plan.horizon)
    rows, capacity_m = loads.matrix("capacity")
    project_m, operational_m = loads.matrix("project")[1], loads.matrix("operational")[1]
    # The same comparison, cell by cell, as a loop over the Python floats would make.
    over_rows, over_weeks = np.nonzero(project_m + operational_m > capacity_m * threshold + EPSILON)
    over_by_row: dict[int, list[int]] = defaultdict(list)
    for row, week in zip(over_rows.tolist(), over_weeks.tolist(), strict=True):
        over_by_row[row].append(week)
    work_by_person = defaultdict(list)
    for item in plan.work:
        work_by_person[item.person_id].append(item)
    for person in plan.people:
        over = over_by_row.get(rows[person.id])
        if not over:
            continue
        capacity, project, operational = (
            loads.capacity[person.id],
            loads.project[person.id],
            loads.operational[person.id],
        )
        work = work_by_person[person.id]
        for week in over:
            load = project[week] + operational[week]
            monday, sunday, label = week_of(week)
            ratio = load / capacity[week] if capacity[week] else float("inf")
            sources = [w for w in work if w.start <= sunday and w.end >= monday]
            percent = f"{ratio:.0%}" if capacity[week] else "away all week"
            yield ConflictRecord(
                kind=ConflictKind.OVERALLOCATION,
                subject_type="person",
                subject_id=person.id,
                subject_label=person.name,
                period_start=monday,
                period_end=sunday,
                severity=excess_severity(
                    excess_hours=load - capacity[week],
                    capacity_hours=capacity[week],
                    weeks_ahead=week,
                ),
                message=f"{person.name} is booked {load:.1f} h against {capacity[week]:.1f} h "
                f"({percent}) in the week of {label}.",
                details={
                    "load": round(load, 1),
                    "capacity": round(capacity[week], 1),
                    "project": round(project[week], 1),
                    "operational": round(operational[week], 1),
                    "sources": sorted({w.ref for w in sources if w.ref}),
                },
                project_ids=tuple(sorted({w.project_id for w in sources if w.project_id})),
                person_id=person.id,
                team_id=person.team_id,
            )


def _sum_rows_by(groups: list[int], rows: list[int], matrix, ngroups: int):
    """result[g] = the sum of matrix[r] over the (g, r) pairs, one column at a time."""
    group, row = np.array(groups, dtype=np.int64), np.array(rows, dtype=np.int64)
    columns = matrix.shape[1]
    result = np.zeros((ngroups, columns))
    if len(group):
        for column in range(columns):
            result[:, column] = np.bincount(group, weights=matrix[row, column], minlength=ngroups)
    return result


def _weeks(horizon: Horizon):
    """Week index -> (Monday, Sunday, "07 Dec 2026"): the same few dates for every person."""

    @cache
    def week_of(week: int) -> tuple[date, date, str]:
        monday = horizon.week(week)
        return monday, monday + timedelta(days=6), short_date(monday)

    return week_of


def skill_gap(plan: Plan):
    """Unnamed demand for a skill in a week beyond the free hours of the people who have it
    at the level asked. With several levels, demand at level L and above must fit in the
    free hours of people at L and above, for every L (the worst shortfall is reported).

    Every (skill, week) with demand is screened at once on arrays, with a margin far wider
    than the rounding of the array sums; the few that may be short are then worked out as
    before, in Python floats summed in the order of the demands and of the people."""
    loads, horizon, week_of = plan.loads, plan.horizon, _weeks(plan.horizon)
    weeks, first = horizon.weeks, horizon.start.toordinal()
    demands = plan.demands
    if not demands:
        return
    skills = {skill: i for i, skill in enumerate(dict.fromkeys(d.skill_id for d in demands))}
    levels = sorted({d.min_level for d in demands})
    level_at = {level: i for i, level in enumerate(levels)}
    nskills, nlevels = len(skills), len(levels)

    # One entry per (demand, week it touches), in the order of the demands (as span()).
    start = np.array([d.start.toordinal() for d in demands], dtype=np.int64)
    end = np.array([d.end.toordinal() for d in demands], dtype=np.int64)
    first_week = np.maximum(0, (start - first) // 7)
    last_week = np.minimum(weeks - 1, (end - first) // 7)
    lengths = np.where(first_week <= last_week, last_week - first_week + 1, 0)
    entry = np.repeat(np.arange(len(demands)), lengths)
    if not len(entry):
        return
    week = (
        first_week[entry] + np.arange(len(entry)) - np.repeat(np.cumsum(lengths) - lengths, lengths)
    )
    monday = first + 7 * week
    inside = np.minimum(end[entry], monday + WORKDAYS - 1) - np.maximum(start[entry], monday) + 1
    edge = (week == first_week[entry]) | (week == last_week[entry])
    share = np.where(edge, np.where(inside > 0, inside, 0) / WORKDAYS, 1.0)
    hours = np.array([float(d.hours_per_week) for d in demands])[entry] * share
    skill = np.array([skills[d.skill_id] for d in demands], dtype=np.int64)[entry]
    level = np.array([level_at[d.min_level] for d in demands], dtype=np.int64)[entry]

    # Demand per skill, level and week, and at each level and above.
    cell = skill * weeks + week
    asked = np.bincount(
        (skill * nlevels + level) * weeks + week, weights=hours, minlength=nskills * nlevels * weeks
    ).reshape(nskills, nlevels, weeks)
    needed = np.cumsum(asked[:, ::-1], axis=1)[:, ::-1]

    # Free hours per skill, level and week of the people at that level or above.
    rows, capacity_m = loads.matrix("capacity")
    load_m = loads.matrix("project")[1] + loads.matrix("operational")[1]
    free_m = np.maximum(0.0, capacity_m - load_m)
    # One entry per (skill and level, person holding it): as many as the people's skills, so
    # the sums stay linear in the data (a skills × people matrix grew with its square).
    holding, holder_row = [], []
    holders = defaultdict(list)  # skill -> [(level, person id)], in the order of the people
    for person in plan.people:
        for skill_id, held in person.skills:
            holders[skill_id].append((held, person.id))
            if skill_id in skills:
                for i, lvl in enumerate(levels):
                    if held >= lvl:
                        holding.append(skills[skill_id] * nlevels + i)
                        holder_row.append(rows[person.id])
    free = _sum_rows_by(holding, holder_row, free_m, nskills * nlevels)
    free = free.reshape(nskills, nlevels, weeks)

    # Short, give or take the rounding of the sums above: the only cells worth a closer look.
    margin = 1e-6 + 1e-9 * (np.abs(needed[:, 0]) + free[:, 0])
    maybe = (np.bincount(cell, minlength=nskills * weeks).reshape(nskills, weeks) > 0) & (
        (needed - free).max(axis=1) > EPSILON - margin
    )
    if not maybe.any():
        return
    look = maybe.reshape(-1)[cell]
    by_cell: dict[int, list[int]] = defaultdict(list)  # first seen first, as the demands go
    for c, d in zip(cell[look].tolist(), entry[look].tolist(), strict=True):
        by_cell[c].append(d)

    names = plan.settings.get("skill_names", {})
    capacity, project, operational = loads.capacity, loads.project, loads.operational

    def free_of(person_id: int, week: int) -> float:
        return max(
            0.0,
            capacity[person_id][week] - (project[person_id][week] + operational[person_id][week]),
        )

    for c, entries in by_cell.items():
        week = c % weeks
        skill_id = demands[entries[0]].skill_id
        by_level: dict[int, float] = defaultdict(float)
        projects = set()
        for d in (demands[i] for i in entries):
            span = horizon.span(d.start, d.end)
            share = (
                1.0
                if week not in (span.start, span.stop - 1)
                else horizon.workday_share(week, d.start, d.end)
            )
            by_level[d.min_level] += d.hours_per_week * share
            projects.add(d.project_id)
        worst, worst_level, worst_free = 0.0, None, 0.0
        for level in sorted(by_level):
            needed = sum(h for lvl, h in by_level.items() if lvl >= level)
            free = sum(free_of(pid, week) for lvl, pid in holders[skill_id] if lvl >= level)
            if needed - free > worst:
                worst, worst_level, worst_free = needed - free, level, free
        if worst <= EPSILON:
            continue
        total = sum(by_level.values())
        # Demand over the free hours that could serve it, as a load over a capacity.
        severity = excess_severity(excess_hours=worst, capacity_hours=worst_free, weeks_ahead=week)
        monday, sunday, label = week_of(week)
        name = names.get(skill_id, f"skill {skill_id}")
        yield ConflictRecord(
            kind=ConflictKind.SKILL_GAP,
            subject_type="skill",
            subject_id=skill_id,
            subject_label=name,
            period_start=monday,
            period_end=sunday,
            severity=severity,
            message=f"{worst:.1f} h short of {name} (level {worst_level}+) in the week of "
            f"{label}: {total:.1f} h needed.",
            details={"short": round(worst, 1), "needed": round(total, 1), "level": worst_level},
            project_ids=tuple(sorted(projects)),
        )
