"""The resources discipline's conflict rules: pure functions over the engine's plan."""

from collections import defaultdict
from datetime import timedelta

from .choices import ConflictKind, Severity, severity_for_ratio
from .engine.records import ConflictRecord
from .engine.run import Plan

EPSILON = 0.05  # hours; below this, rounding, not a conflict


def overallocation(plan: Plan):
    """A person loaded over the threshold (100 % by default) of their capacity in a week."""
    threshold = float(plan.settings.get("overallocation_threshold", 1.0))
    loads = plan.loads
    work_by_person = defaultdict(list)
    for item in plan.work:
        work_by_person[item.person_id].append(item)
    for person in plan.people:
        capacity, project, operational = (loads.capacity[person.id], loads.project[person.id],
                                          loads.operational[person.id])
        for week in range(plan.horizon.weeks):
            load = project[week] + operational[week]
            if load <= capacity[week] * threshold + EPSILON:
                continue
            monday = plan.horizon.week(week)
            ratio = load / capacity[week] if capacity[week] else float("inf")
            sources = [w for w in work_by_person[person.id]
                       if w.start <= monday + timedelta(days=6) and w.end >= monday]
            percent = f"{ratio:.0%}" if capacity[week] else "away all week"
            yield ConflictRecord(
                kind=ConflictKind.OVERALLOCATION, subject_type="person", subject_id=person.id,
                subject_label=person.name, period_start=monday,
                period_end=monday + timedelta(days=6),
                severity=severity_for_ratio(ratio),
                message=f"{person.name} is booked {load:.1f} h against {capacity[week]:.1f} h "
                        f"({percent}) in the week of {monday:%d %b %Y}.",
                details={"load": round(load, 1), "capacity": round(capacity[week], 1),
                         "project": round(project[week], 1),
                         "operational": round(operational[week], 1),
                         "sources": sorted({w.ref for w in sources if w.ref})},
                project_ids=tuple(sorted({w.project_id for w in sources if w.project_id})),
                person_id=person.id, team_id=person.team_id,
            )


def skill_gap(plan: Plan):
    """Unnamed demand for a skill in a week beyond the free hours of the people who have it
    at the level asked. With several levels, demand at level L and above must fit in the
    free hours of people at L and above, for every L (the worst shortfall is reported)."""
    loads, horizon = plan.loads, plan.horizon
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

    for (skill_id, week), by_level in demand.items():
        worst, worst_level = 0.0, None
        for level in sorted(by_level):
            needed = sum(h for lvl, h in by_level.items() if lvl >= level)
            free = sum(loads.free(pid, week) for lvl, pid in holders[skill_id] if lvl >= level)
            if needed - free > worst:
                worst, worst_level = needed - free, level
        if worst <= EPSILON:
            continue
        total = sum(by_level.values())
        share = worst / total if total else 1.0
        severity = (Severity.LOW if share <= .25 else Severity.MEDIUM if share <= .5
                    else Severity.HIGH if share < 1 else Severity.CRITICAL)
        monday = horizon.week(week)
        name = names.get(skill_id, f"skill {skill_id}")
        yield ConflictRecord(
            kind=ConflictKind.SKILL_GAP, subject_type="skill", subject_id=skill_id,
            subject_label=name, period_start=monday, period_end=monday + timedelta(days=6),
            severity=severity,
            message=f"{worst:.1f} h short of {name} (level {worst_level}+) in the week of "
                    f"{monday:%d %b %Y}: {total:.1f} h needed.",
            details={"short": round(worst, 1), "needed": round(total, 1),
                     "level": worst_level},
            project_ids=tuple(sorted(projects[(skill_id, week)])),
        )
