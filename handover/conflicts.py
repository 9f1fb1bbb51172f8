"""Handover's conflict rules: pure functions over the engine's plan."""

from datetime import date, datetime, timedelta

from itsm_pmo.dates import short_date
from resources.choices import ConflictKind, Severity
from resources.engine.calendar import monday_of
from resources.engine.records import ConflictRecord
from resources.engine.severity import excess_severity, rank


def _week(day: date) -> tuple[date, date]:
    monday = monday_of(day)
    return monday, monday + timedelta(days=6)


def _local_day(moment: datetime) -> date:
    return moment.date()  # freeze records carry local times (changes.providers.freezes)


def go_live_in_freeze(plan):
    """A go-live milestone on a day inside a change freeze covering the project's services."""
    freezes = plan.extra.get("FreezeRecord", [])
    for go_live in plan.extra.get("GoLiveRecord", []):
        hits = [
            f
            for f in freezes
            if _local_day(f.start) <= go_live.day <= _local_day(f.end)
            and (f.all_services or f.service_ids & go_live.service_ids)
        ]
        if not hits:
            continue
        start, end = _week(go_live.day)
        yield ConflictRecord(
            kind=ConflictKind.GO_LIVE_IN_FREEZE,
            subject_type="project",
            subject_id=go_live.project_id,
            subject_label=go_live.label,
            period_start=start,
            period_end=end,
            severity=Severity.HIGH,
            message=f"{go_live.label} goes live on {short_date(go_live.day)}, inside "
            f"{', '.join(f.name for f in hits)}.",
            details={"freezes": [f.id for f in hits], "go_live": go_live.day.isoformat()},
            project_ids=(go_live.project_id,),
        )


def handover_not_ready(plan):
    """Go-live close (HANDOVER_READY_DAYS) and mandatory readiness checks still open."""
    for h in plan.extra.get("HandoverRecord", []):
        if not (h.go_live and h.open_mandatory) or h.state not in ("planning", "readiness_review"):
            continue
        days = (h.go_live - h.as_of).days
        if not 0 <= days <= h.ready_days:
            continue
        start, end = _week(h.go_live)
        checks = len(h.open_mandatory)
        yield ConflictRecord(
            kind=ConflictKind.HANDOVER_NOT_READY,
            subject_type="handover",
            subject_id=h.id,
            subject_label=h.label,
            period_start=start,
            period_end=end,
            severity=Severity.CRITICAL
            if days <= 3
            else Severity.HIGH
            if days <= 7
            else Severity.MEDIUM,
            message=f"{h.label} goes live in {days} day{'s' if days != 1 else ''} with "
            f"{checks} mandatory check{'s' if checks != 1 else ''} "
            f"open: {', '.join(h.open_mandatory)}.",
            details={"open": list(h.open_mandatory), "days": days},
            project_ids=(h.project_id,),
            team_id=h.team_id,
        )


def support_overload(plan):
    """The receiving team over 100 % in the early-life support window (its effort counted:
    the handover provider spreads it over the team as operational work)."""
    loads, horizon = plan.loads, plan.horizon
    for h in plan.extra.get("HandoverRecord", []):
        if not (h.els_start and h.team_id in loads.team_capacity):
            continue
        capacity = loads.team_capacity[h.team_id]
        project, operational = loads.team_project[h.team_id], loads.team_operational[h.team_id]
        worst = None  # the most severe week, then the largest excess
        for week in horizon.span(h.els_start, h.els_end):
            load = project[week] + operational[week]
            if load > capacity[week] + 0.05:
                severity = excess_severity(
                    excess_hours=load - capacity[week],
                    capacity_hours=capacity[week],
                    weeks_ahead=week,
                )
                key = (rank(severity), load - capacity[week])
                if worst is None or key > worst[0]:
                    worst = (key, severity, week, load, capacity[week])
        if worst is None:
            continue
        _, severity, week, load, cap = worst
        monday = horizon.week(week)
        yield ConflictRecord(
            kind=ConflictKind.SUPPORT_OVERLOAD,
            subject_type="handover",
            subject_id=h.id,
            subject_label=h.label,
            period_start=monday,
            period_end=monday + timedelta(days=6),
            severity=severity,
            message=f"{h.team_name} takes on early-life support of {h.label}: "
            f"{load:.1f} h booked against {cap:.1f} h in the week of {short_date(monday)} "
            f"({h.els_hours:.0f} h a week of support included).",
            details={"load": round(load, 1), "capacity": round(cap, 1)},
            project_ids=(h.project_id,),
            team_id=h.team_id,
        )
