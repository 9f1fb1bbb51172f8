"""Writes of the service levels: refresh an incident's timers after its write, rebuild them
all, and the sweep that warns at 75 % and escalates at breach (docs/sla.md)."""

from __future__ import annotations

import logging
from collections.abc import Iterable, Sequence
from datetime import datetime
from typing import TYPE_CHECKING, Any

from django.contrib.auth import get_user_model
from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from itsm_pmo.notifications import Event, notify
from itsm_pmo.roles import Role
from resources.selectors import people, teams

from ...models import Incident
from .engine import KINDS, compute
from .history import PAUSING, calendars_for, histories, targets
from .models import SlaEvent, SlaEventKind, SlaTimer

if TYPE_CHECKING:
    from django.contrib.auth.models import User

logger = logging.getLogger(__name__)

TIMER_FIELDS = (
    "priority",
    "cover",
    "target_seconds",
    "started_at",
    "due_at",
    "warn_at",
    "elapsed_seconds",
    "paused_seconds",
    "is_paused",
    "stopped_at",
    "breached_at",
    "computed_at",
)
# Incidents a rebuild computes per round of queries.
BATCH = 500


def _refresh_many(ids: Sequence[int], now: datetime) -> dict[int, dict[str, SlaTimer]]:
    """Compute and store the timers of the incidents `ids`, and their resolution due moment,
    in a fixed number of queries."""
    found, covers = histories(ids)
    if not found:
        return {}
    calendars = calendars_for(found, now)
    goals = targets()
    rows: list[SlaTimer] = []
    due: dict[int, datetime | None] = {}
    by_incident: dict[int, dict[str, SlaTimer]] = {}
    for pk, history in found.items():
        computed = compute(
            history,
            targets=goals,
            calendar=calendars.of(covers[pk]),
            now=now,
            pausing_reasons=PAUSING,
        )
        for kind in KINDS:
            value = computed[kind]
            row = SlaTimer(
                incident_id=pk,
                kind=kind,
                priority=value.priority,
                cover=covers[pk],
                target_seconds=value.target_seconds,
                started_at=value.started_at,
                due_at=value.due_at,
                warn_at=value.warn_at,
                elapsed_seconds=value.elapsed_seconds,
                paused_seconds=value.paused_seconds,
                is_paused=value.status == "paused",
                stopped_at=value.stopped_at,
                breached_at=value.breached_at,
                computed_at=now,
            )
            rows.append(row)
            by_incident.setdefault(pk, {})[kind] = row
        due[pk] = computed["resolution"].due_at
    SlaTimer.objects.bulk_create(
        rows,
        update_conflicts=True,
        unique_fields=["incident", "kind"],
        update_fields=list(TIMER_FIELDS),
    )
    changed = [Incident(pk=pk, resolution_due_at=moment) for pk, moment in due.items()]
    Incident.objects.bulk_update(changed, ["resolution_due_at"])
    return by_incident


def sla_refresh(*, incident: Incident, now: datetime | None = None) -> dict[str, SlaTimer]:
    """Recompute an incident's two timers from its history, inside the caller's transaction,
    and write its resolution due moment (empty while paused or stopped) on it too."""
    timers = _refresh_many([incident.pk], now or timezone.now()).get(incident.pk, {})
    resolution = timers.get("resolution")
    incident.resolution_due_at = resolution.due_at if resolution else None
    return timers


def sla_refresh_incidents(*, ids: Sequence[int], now: datetime | None = None) -> None:
    """Recompute the timers of the incidents `ids` (a loader's or the demo's rewritten
    history), inside the caller's transaction."""
    _refresh_many(list(ids), now or timezone.now())


def sla_rebuild(*, batch: int = BATCH, now: datetime | None = None) -> int:
    """Recompute every incident's timers from history, `batch` incidents a transaction; the
    warnings and escalations already recorded stay. Returns how many incidents."""
    now = now or timezone.now()
    done = 0
    last = 0
    while True:
        ids = list(
            Incident.objects.filter(pk__gt=last).order_by("pk").values_list("pk", flat=True)[:batch]
        )
        if not ids:
            return done
        with transaction.atomic():
            _refresh_many(ids, now)
        done += len(ids)
        last = ids[-1]


# --- The sweep: warn at 75 %, escalate at breach -------------------------------------------


def _users_of(person_ids: Iterable[int | None]) -> list[int]:
    ids = [i for i in person_ids if i]
    if not ids:
        return []
    found = people().filter(pk__in=ids, user__isnull=False, user__is_active=True)
    return list(found.values_list("user", flat=True))


def _group_of(incident: Incident) -> int | None:
    service = incident.service
    return incident.assignment_group_id or service.support_group_id or service.owning_team_id


def _group_users(group: int | None) -> list[int]:
    if group is None:
        return []
    members = people().filter(team=group, active=True, user__isnull=False, user__is_active=True)
    return list(members.values_list("user", flat=True))


def _manager_users(group: int | None) -> list[int]:
    if group is None:
        return []
    manager = teams().filter(pk=group).values_list("manager", flat=True).first()
    return _users_of([manager])


def _itsm_managers() -> list[int]:
    users = get_user_model().objects.filter(groups__name=Role.ITSM_MANAGER, is_active=True)
    return list(users.values_list("pk", flat=True))


def _names(user_ids: Sequence[int]) -> str:
    users: Iterable[User] = get_user_model().objects.filter(pk__in=user_ids).order_by("username")
    names = [u.get_full_name() or u.get_username() for u in users]
    return ", ".join(names)[:500]


def _record(timer: SlaTimer, kind: str, told: Sequence[int], now: datetime) -> SlaEvent:
    event = SlaEvent.objects.create(
        incident_id=timer.incident_id, timer=timer, kind=kind, at=now, told_names=_names(told)
    )
    if told:
        event.told.set(told)
    return event


def _label(timer: SlaTimer) -> str:
    return "first response" if timer.kind == "response" else "resolution"


def _warn(timer: SlaTimer, incident: Incident, now: datetime) -> None:
    group = _group_of(incident)
    told = sorted({*_users_of([incident.assignee_id]), *_group_users(group)})
    notify(
        Event.SLA_WARNING,
        told,
        title=f"{incident.number}: 75 % of its {_label(timer)} target used",
        url=incident.get_absolute_url(),
        body=f"Due {timezone.localtime(timer.due_at):%a %d %b %H:%M}." if timer.due_at else "",
    )
    _record(timer, SlaEventKind.WARNING, told, now)


def _breach(timer: SlaTimer, incident: Incident, now: datetime) -> None:
    group = _group_of(incident)
    url = incident.get_absolute_url()
    workers = sorted({*_users_of([incident.assignee_id]), *_group_users(group)})
    notify(
        Event.SLA_BREACH,
        workers,
        title=f"{incident.number}: {_label(timer)} target breached",
        url=url,
    )
    _record(timer, SlaEventKind.BREACH, workers, now)
    managers = _manager_users(group)
    title = f"{incident.number} (P{timer.priority}) breached its {_label(timer)} target"
    notify(Event.ESCALATION, managers, title=title, url=url)
    _record(timer, SlaEventKind.ESCALATED_TO_MANAGER, managers, now)
    if timer.priority == 1:
        itsm = _itsm_managers()
        notify(Event.ESCALATION, itsm, title=title, url=url)
        _record(timer, SlaEventKind.ESCALATED_TO_ITSM, itsm, now)


def sla_sweep(*, now: datetime | None = None, limit: int = 200) -> dict[str, int]:
    """Warn once for every running timer past 75 % of its target and escalate once at its
    breach (SLA_BREACH to the assignee and group, ESCALATION to the group's manager and, for
    P1, to the ITSM managers), recorded on the incident. Safe to run twice at once: a run
    claims the incidents under a row lock that skips those another run (or a write) holds,
    and each mark is a conditional update."""
    now = now or timezone.now()
    done = {"warned": 0, "breached": 0}
    warn = Q(warn_at__lte=now, warned_at__isnull=True)
    due = warn | Q(due_at__lte=now, escalated_at__isnull=True)
    candidates = set(
        SlaTimer.objects.filter(due, due_at__isnull=False)
        .order_by("due_at")
        .values_list("incident_id", flat=True)[:limit]
    )
    if not candidates:
        return done
    with transaction.atomic():
        # The incident's row is the lock its writes take too (services.py).
        claimed = list(
            Incident.objects.select_for_update(skip_locked=True)
            .filter(pk__in=candidates)
            .order_by("pk")
            .values_list("pk", flat=True)
        )
        # History is the truth, the rows may be stale: bring them up to the moment first.
        _refresh_many(claimed, now)
        timers = (
            SlaTimer.objects.filter(due, incident__in=claimed, due_at__isnull=False)
            .select_related("incident__service")
            .order_by("due_at", "pk")
        )
        for timer in timers:
            incident = timer.incident
            assert timer.due_at is not None
            breached = timer.due_at <= now
            if timer.warn_at is not None and timer.warn_at <= now:
                if _claim(timer.pk, "warned_at", now) and not breached:
                    # (a breach found first says it all: no warning after it)
                    _warn(timer, incident, now)
                    done["warned"] += 1
            if breached and _claim(timer.pk, "escalated_at", now):
                _breach(timer, incident, now)
                done["breached"] += 1
    if done["warned"] or done["breached"]:
        logger.info("sla sweep: %(warned)s warned, %(breached)s breached", done)
    return done


def _claim(pk: int, field: str, now: datetime) -> bool:
    """Mark a timer's warning or escalation as done, if nobody has: True for the one run
    that did."""
    claimed: Any = SlaTimer.objects.filter(pk=pk, **{f"{field}__isnull": True}).update(
        **{field: now}
    )
    return bool(claimed)
