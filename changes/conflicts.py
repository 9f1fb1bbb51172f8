"""Change control's conflict rules: pure functions over the engine's plan."""

from datetime import timedelta

from itsm_pmo.dates import short_date
from resources.choices import ConflictKind, Severity
from resources.engine.calendar import monday_of
from resources.engine.records import ConflictRecord
from resources.engine.severity import excess_severity, rank

from .choices import ChangeType


def _changes(plan):
    return plan.extra.get("ChangeRecord", [])


def _week(change) -> tuple:
    monday = monday_of(change.start.date())
    return monday, monday + timedelta(days=6)


def change_in_freeze(plan):
    """A change whose window falls in a freeze covering its services, without an exception
    (emergencies are flagged too: they may go ahead, but people should know)."""
    freezes = plan.extra.get("FreezeRecord", [])
    for change in _changes(plan):
        if change.freeze_exception:
            continue
        hits = [f for f in freezes if f.covers(change)]
        if not hits:
            continue
        start, end = _week(change)
        emergency = change.change_type == ChangeType.EMERGENCY
        yield ConflictRecord(
            kind=ConflictKind.CHANGE_IN_FREEZE,
            subject_type="change",
            subject_id=change.id,
            subject_label=f"{change.number} {change.title}",
            period_start=start,
            period_end=end,
            severity=Severity.MEDIUM if emergency else Severity.HIGH,
            message=f"{change.number} is planned {short_date(change.start, time=True)} inside "
            f"{', '.join(f.name for f in hits)} without an exception.",
            details={"freezes": [f.id for f in hits]},
            project_ids=(change.project_id,) if change.project_id else (),
        )


def change_collision(plan):
    """Two changes on the same item or service with overlapping windows (reported once, on
    the later-raised change)."""
    changes = sorted(_changes(plan), key=lambda c: c.start)
    for i, change in enumerate(changes):
        for other in changes[i + 1 :]:
            if other.start >= change.end:
                break
            shared_items = change.item_ids & other.item_ids
            shared_services = change.service_ids & other.service_ids
            if not (shared_items or shared_services):
                continue
            first, second = sorted((change, other), key=lambda c: c.id)
            start, end = _week(second)
            what = "configuration item" if shared_items else "service"
            yield ConflictRecord(
                kind=ConflictKind.CHANGE_COLLISION,
                subject_type="change",
                subject_id=second.id,
                subject_label=f"{second.number} {second.title}",
                period_start=start,
                period_end=end,
                severity=Severity.HIGH if shared_items else Severity.MEDIUM,
                message=f"{second.number} and {first.number} overlap on the same {what} "
                f"({short_date(max(change.start, other.start), time=True)}).",
                details={
                    "with": first.id,
                    "items": sorted(shared_items),
                    "services": sorted(shared_services),
                },
                project_ids=tuple(sorted({p for p in (first.project_id, second.project_id) if p})),
            )


def implementer_overbooked(plan):
    """The implementer over 100 % in the weeks of the change, its own effort counted."""
    loads, horizon = plan.loads, plan.horizon
    for change in _changes(plan):
        person = change.implementer_id
        if person is None or person not in loads.capacity:
            continue
        first = max(0, horizon.index(change.start.date()))
        last = min(horizon.weeks - 1, horizon.index(change.end.date()))
        worst = None  # the most severe week, then the largest excess
        for week in range(first, last + 1):
            capacity, load = loads.capacity[person][week], loads.load(person, week)
            if load > capacity + 0.05:
                severity = excess_severity(
                    excess_hours=load - capacity, capacity_hours=capacity, weeks_ahead=week
                )
                if worst is None or (rank(severity), load - capacity) > worst[0]:
                    worst = ((rank(severity), load - capacity), severity, week, load, capacity)
        if worst is None:
            continue
        _, severity, week, load, capacity = worst
        monday = horizon.week(week)
        name = plan.person(person).name
        yield ConflictRecord(
            kind=ConflictKind.IMPLEMENTER_OVERBOOKED,
            subject_type="change",
            subject_id=change.id,
            subject_label=f"{change.number} {change.title}",
            period_start=monday,
            period_end=monday + timedelta(days=6),
            severity=severity,
            message=f"{name}, implementer of {change.number}, is booked {load:.1f} h against "
            f"{capacity:.1f} h in the week of {short_date(monday)}.",
            details={"person": person, "load": round(load, 1), "capacity": round(capacity, 1)},
            project_ids=(change.project_id,) if change.project_id else (),
            person_id=person,
            team_id=plan.person(person).team_id,
        )
