"""The engine as it was in plain Python (before numpy), kept as the reference the vectorised
engine must match to the last bit: capacity, loads and team sums, and the two rules."""

from collections import defaultdict
from functools import cache

from resources.choices import ConflictKind
from resources.conflicts import EPSILON, _weeks
from resources.engine.calendar import WORKDAYS
from resources.engine.records import PROJECT, ConflictRecord
from resources.engine.severity import excess_severity


def absent_days(horizon, absences):
    first, last = horizon.start.toordinal(), horizon.end.toordinal()
    days = defaultdict(set)
    for absence in absences:
        days[absence.person_id].update(
            day
            for day in range(
                max(absence.start.toordinal(), first), min(absence.end.toordinal(), last) + 1
            )
            if (day + 6) % 7 < WORKDAYS
        )
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


def compute_loads(horizon, people, absences, work) -> dict:
    weeks = horizon.weeks
    loads = {
        name: {}
        for name in (
            "capacity",
            "project",
            "operational",
            "tentative",
            "team_capacity",
            "team_project",
            "team_operational",
            "project_booked",
            "project_tentative",
        )
    }
    away, holidays = absent_days(horizon, absences)
    for person in people:
        days = away.get(person.id, holidays)
        loads["capacity"][person.id] = [person.hours * (WORKDAYS - d) / WORKDAYS for d in days]
        for name in ("project", "operational", "tentative"):
            loads[name][person.id] = [0.0] * weeks
    contracted = {person.id: person.hours for person in people}
    team_of = {person.id: person.team_id for person in people}
    for item in work:
        capacity = loads["capacity"].get(item.person_id)
        if capacity is None:
            continue
        span = horizon.span(item.start, item.end)
        targets = [loads["project" if item.source == PROJECT else "operational"][item.person_id]]
        if item.tentative:
            targets.append(loads["tentative"][item.person_id])
        if item.source == PROJECT and item.project_id is not None:
            key = (item.project_id, team_of[item.person_id])
            for name in ("project_booked", "project_tentative"):
                loads[name].setdefault(key, [0.0] * weeks)
            targets.append(loads["project_tentative" if item.tentative else "project_booked"][key])
        full = contracted[item.person_id]
        for week in span:
            share = (
                1.0
                if week not in (span.start, span.stop - 1)
                else horizon.workday_share(week, item.start, item.end)
            )
            if item.scales_with_availability:
                share *= capacity[week] / full if full else 0.0
            for target in targets:
                target[week] += item.hours_per_week * share
    for person in people:
        for mine, team in (
            ("capacity", "team_capacity"),
            ("project", "team_project"),
            ("operational", "team_operational"),
        ):
            row = loads[team].get(person.team_id, [0.0] * weeks)
            loads[team][person.team_id] = [
                t + h for t, h in zip(row, loads[mine][person.id], strict=True)
            ]
    return loads


def overallocation(plan, loads):
    threshold = float(plan.settings.get("overallocation_threshold", 1.0))
    week_of = _weeks(plan.horizon)
    for person in plan.people:
        capacity, project, operational = (
            loads["capacity"][person.id],
            loads["project"][person.id],
            loads["operational"][person.id],
        )
        for week in range(plan.horizon.weeks):
            load = project[week] + operational[week]
            if not load > capacity[week] * threshold + EPSILON:
                continue
            monday, sunday, label = week_of(week)
            ratio = load / capacity[week] if capacity[week] else float("inf")
            sources = [
                w
                for w in plan.work
                if w.person_id == person.id and w.start <= sunday and w.end >= monday
            ]
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


def skill_gap(plan, loads):
    horizon, week_of = plan.horizon, _weeks(plan.horizon)
    demand = defaultdict(lambda: defaultdict(float))
    projects = defaultdict(set)
    for item in plan.demands:
        span = horizon.span(item.start, item.end)
        for week in span:
            share = (
                1.0
                if week not in (span.start, span.stop - 1)
                else horizon.workday_share(week, item.start, item.end)
            )
            demand[(item.skill_id, week)][item.min_level] += item.hours_per_week * share
            projects[(item.skill_id, week)].add(item.project_id)
    holders = defaultdict(list)
    for person in plan.people:
        for skill_id, level in person.skills:
            holders[skill_id].append((level, person.id))
    names = plan.settings.get("skill_names", {})

    @cache
    def free_at_level(skill_id, level):
        rows = [
            [
                max(0.0, c - (p + o))
                for c, p, o in zip(
                    loads["capacity"][pid],
                    loads["project"][pid],
                    loads["operational"][pid],
                    strict=True,
                )
            ]
            for lvl, pid in holders[skill_id]
            if lvl >= level
        ]
        return [sum(week) for week in zip(*rows, strict=True)] if rows else [0] * horizon.weeks

    for (skill_id, week), by_level in demand.items():
        worst, worst_level, worst_free = 0.0, None, 0.0
        for level in sorted(by_level):
            needed = sum(h for lvl, h in by_level.items() if lvl >= level)
            free = free_at_level(skill_id, level)[week]
            if needed - free > worst:
                worst, worst_level, worst_free = needed - free, level, free
        if worst <= EPSILON:
            continue
        total = sum(by_level.values())
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
            project_ids=tuple(sorted(projects[(skill_id, week)])),
        )
