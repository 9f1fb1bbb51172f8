"""The resources discipline's conflict rules: pure functions over the engine's plan."""

from collections import defaultdict
from datetime import date, timedelta
from functools import cache

from .choices import ConflictKind, Severity, severity_for_ratio
from .engine.calendar import Horizon
from .engine.records import ConflictRecord
from .engine.run import Plan

EPSILON = 0.05  # hours; below this, rounding, not a conflict


def overallocation(plan: Plan):
    """A person loaded over the threshold (100 % by default) of their capacity in a week."""
    threshold = float(plan.settings.get("overallocation_threshold", 1.0))
    loads, week_of = plan.loads, _weeks(plan.horizon)
    work_by_person = defaultdict(list)
    for item in plan.work:
        work_by_person[item.person_id].append(item)
    for person in plan.people:
        capacity, project, operational = (loads.capacity[person.id], loads.project[person.id],
                                          loads.operational[person.id])
        over = [week for week, (c, p, o) in enumerate(zip(capacity, project, operational,
                                                          strict=True))
                if p + o > c * threshold + EPSILON]
        for week in over:
            load = project[week] + operational[week]
            monday, sunday, label = week_of(week)
            ratio = load / capacity[week] if capacity[week] else float("inf")
            sources = [w for w in work_by_person[person.id]
                       if w.start <= sunday and w.end >= monday]
            percent = f"{ratio:.0%}" if capacity[week] else "away all week"
            yield ConflictRecord(
                kind=ConflictKind.OVERALLOCATION, subject_type="person", subject_id=person.id,
                subject_label=person.name, period_start=monday, period_end=sunday,
                severity=severity_for_ratio(ratio),
                message=f"{person.name} is booked {load:.1f} h against {capacity[week]:.1f} h "
                        f"({percent}) in the week of {label}.",
                details={"load": round(load, 1), "capacity": round(capacity[week], 1),
                         "project": round(project[week], 1),
                         "operational": round(operational[week], 1),
                         "sources": sorted({w.ref for w in sources if w.ref})},
                project_ids=tuple(sorted({w.project_id for w in sources if w.project_id})),
                person_id=person.id, team_id=person.team_id,
            )


def _weeks(horizon: Horizon):
    """Week index -> (Monday, Sunday, "07 Dec 2026"): the same few dates for every person."""
    @cache
    def week_of(week: int) -> tuple[date, date, str]:
        monday = horizon.week(week)
        return monday, monday + timedelta(days=6), f"{monday:%d %b %Y}"
    return week_of


def skill_gap(plan: Plan):
    """Unnamed demand for a skill in a week beyond the free hours of the people who have it
    at the level asked. With several levels, demand at level L and above must fit in the
    free hours of people at L and above, for every L (the worst shortfall is reported)."""
    loads, horizon, week_of = plan.loads, plan.horizon, _weeks(plan.horizon)
    demand = defaultdict(lambda: defaultdict(float))  # (skill, week) -> level -> hours
    projects = defaultdict(set)
    for item in plan.demands:
        span = horizon.span(item.start, item.end)
        for week in span:
            share = 1.0 if week not in (span.start, span.stop - 1) else \
                horizon.workday_share(week, item.start, item.end)
            demand[(item.skill_id, week)][item.min_level] += item.hours_per_week * share
            projects[(item.skill_id, week)].add(item.project_id)
    holders = defaultdict(list)  # skill -> [(level, person id)]
    for person in plan.people:
        for skill_id, level in person.skills:
            holders[skill_id].append((level, person.id))
    names = plan.settings.get("skill_names", {})

    free_by_person: dict[int, list[float]] = {}

    def free_of(person_id: int) -> list[float]:
        if person_id not in free_by_person:
            free_by_person[person_id] = [
                max(0.0, c - (p + o)) for c, p, o in zip(
                    loads.capacity[person_id], loads.project[person_id],
                    loads.operational[person_id], strict=True)]
        return free_by_person[person_id]

    @cache
    def free_at_level(skill_id: int, level: int) -> list[float]:
        """Free hours per week of the people with the skill at `level` or above, summed in
        the order of the people (the same sum, to the last bit, whatever the caller)."""
        rows = [free_of(pid) for lvl, pid in holders[skill_id] if lvl >= level]
        return [sum(week) for week in zip(*rows, strict=True)] if rows else [0] * horizon.weeks

    for (skill_id, week), by_level in demand.items():
        worst, worst_level = 0.0, None
        for level in sorted(by_level):
            needed = sum(h for lvl, h in by_level.items() if lvl >= level)
            free = free_at_level(skill_id, level)[week]
            if needed - free > worst:
                worst, worst_level = needed - free, level
        if worst <= EPSILON:
            continue
        total = sum(by_level.values())
        share = worst / total if total else 1.0
        severity = (Severity.LOW if share <= .25 else Severity.MEDIUM if share <= .5
                    else Severity.HIGH if share < 1 else Severity.CRITICAL)
        monday, sunday, label = week_of(week)
        name = names.get(skill_id, f"skill {skill_id}")
        yield ConflictRecord(
            kind=ConflictKind.SKILL_GAP, subject_type="skill", subject_id=skill_id,
            subject_label=name, period_start=monday, period_end=sunday,
            severity=severity,
            message=f"{worst:.1f} h short of {name} (level {worst_level}+) in the week of "
                    f"{label}: {total:.1f} h needed.",
            details={"short": round(worst, 1), "needed": round(total, 1),
                     "level": worst_level},
            project_ids=tuple(sorted(projects[(skill_id, week)])),
        )
