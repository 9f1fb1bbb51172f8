"""Publishing a run of the engine: a new snapshot, then the pointer flipped in one short
transaction. Readers only ever follow the pointer, so they see a whole snapshot or the one
before, never a mix."""

import logging
import threading
import time
import zlib
from collections.abc import Iterable
from contextlib import contextmanager
from datetime import timedelta

from django.conf import settings
from django.db import connection, transaction
from django.utils import timezone

from .engine import registry
from .engine.calendar import Horizon, monday_of
from .engine.records import ConflictRecord
from .engine.run import Plan, run
from .models import Conflict, PersonLoad, PlanState, Snapshot, SnapshotStatus, TeamLoad
from .providers import engine_settings

logger = logging.getLogger(__name__)
LOCK_ID = zlib.crc32(b"itsm_pmo.capacity.recompute")
_local_lock = threading.Lock()  # SQLite: one process, several threads


def current_horizon() -> Horizon:
    return Horizon(monday_of(timezone.localdate()), settings.PLAN_HORIZON_WEEKS)


def gather(horizon: Horizon) -> list:
    """Every registered provider's records for the horizon."""
    records = []
    for provider in registry.providers.values():
        records.extend(provider(horizon))
    return records


@contextmanager
def exclusive_run():
    """Only one recompute at a time: a PostgreSQL advisory lock (any process, any machine),
    a thread lock on SQLite. Yields False when another run holds it."""
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_try_advisory_lock(%s)", [LOCK_ID])
            acquired = cursor.fetchone()[0]
        try:
            yield acquired
        finally:
            if acquired:
                with connection.cursor() as cursor:
                    cursor.execute("SELECT pg_advisory_unlock(%s)", [LOCK_ID])
    else:
        acquired = _local_lock.acquire(blocking=False)
        try:
            yield acquired
        finally:
            if acquired:
                _local_lock.release()


def compute_and_publish(*, horizon: Horizon | None = None) -> Snapshot:
    """Gather, run the engine, write the cells, publish. The caller holds the run lock."""
    horizon = horizon or current_horizon()
    started = time.perf_counter()
    snapshot = Snapshot.objects.create(week_start=horizon.start, weeks=horizon.weeks)
    try:
        records = gather(horizon)
        plan = Plan.from_records(horizon, records, settings=engine_settings())
        loads, conflicts = run(plan, registry.rules)
        _write_cells(snapshot, plan, loads)
        _publish(snapshot, conflicts, started, stats={
            "people": len(plan.people), "work": len(plan.work), "demands": len(plan.demands),
            "absences": len(plan.absences), "conflicts": len(conflicts)})
    except Exception as exc:
        Snapshot.objects.filter(pk=snapshot.pk).update(status=SnapshotStatus.FAILED,
                                                       error=repr(exc)[:2000])
        raise
    prune()
    snapshot.refresh_from_db()
    return snapshot


def _write_cells(snapshot: Snapshot, plan: Plan, loads) -> None:
    """The new snapshot's cells; invisible to readers until the pointer moves."""
    def rounded(values):
        return [round(v, 2) for v in values]

    PersonLoad.objects.bulk_create(
        (PersonLoad(snapshot=snapshot, person_id=p.id, team_id=p.team_id,
                    capacity=rounded(loads.capacity[p.id]), project=rounded(loads.project[p.id]),
                    operational=rounded(loads.operational[p.id]),
                    tentative=rounded(loads.tentative[p.id])) for p in plan.people),
        batch_size=1000)
    headcount = {}
    for person in plan.people:
        headcount[person.team_id] = headcount.get(person.team_id, 0) + 1
    TeamLoad.objects.bulk_create(
        (TeamLoad(snapshot=snapshot, team_id=team_id, people=headcount[team_id],
                  capacity=rounded(loads.team_capacity[team_id]),
                  project=rounded(loads.team_project[team_id]),
                  operational=rounded(loads.team_operational[team_id]))
         for team_id in loads.team_capacity), batch_size=1000)


def _publish(snapshot: Snapshot, found: Iterable[ConflictRecord], started: float,
             stats: dict) -> None:
    """In one transaction: conflicts keep their identity (continue, open or resolve), the
    pointer moves to the new snapshot."""
    n = snapshot.pk
    found = {c.key: c for c in found}
    now = timezone.now()
    with transaction.atomic():
        state, _ = PlanState.objects.select_for_update().get_or_create(pk=1)
        open_rows = {c.key: c for c in Conflict.objects.select_for_update()
                     .filter(resolved_at__isnull=True)}
        projects_of = _open_conflict_projects(open_rows.values())

        vanished = [c.pk for key, c in open_rows.items() if key not in found]
        continuing = [c for key, c in open_rows.items() if key in found]
        for chunk in _chunks(vanished):
            Conflict.objects.filter(pk__in=chunk).update(resolved_at=now)
        for chunk in _chunks([c.pk for c in continuing]):
            Conflict.objects.filter(pk__in=chunk).update(last_seen=n)

        changed, through = [], Conflict.projects.through
        for row in continuing:
            record = found[row.key]
            if (row.severity, row.message, row.details) != (record.severity, record.message,
                                                           record.details):
                row.severity, row.message, row.details = (record.severity, record.message,
                                                          record.details)
                changed.append(row)
            if projects_of.get(row.pk, set()) != set(record.project_ids):
                through.objects.filter(conflict_id=row.pk).delete()
                through.objects.bulk_create(through(conflict_id=row.pk, project_id=p)
                                            for p in record.project_ids)
        Conflict.objects.bulk_update(changed, ["severity", "message", "details"],
                                     batch_size=500)

        new = [found[key] for key in found if key not in open_rows]
        created = Conflict.objects.bulk_create(
            (Conflict(key=r.key, kind=r.kind, severity=r.severity, subject_type=r.subject_type,
                      subject_id=r.subject_id, subject_label=r.subject_label[:200],
                      period_start=r.period_start, period_end=r.period_end, message=r.message,
                      details=r.details, person_id=r.person_id, team_id=r.team_id,
                      first_seen=n, last_seen=n) for r in new), batch_size=1000)
        if not all(c.pk for c in created):  # backends that do not return ids
            by_key = dict(Conflict.objects.filter(first_seen=n).values_list("key", "pk"))
        else:
            by_key = {c.key: c.pk for c in created}
        through.objects.bulk_create(
            (through(conflict_id=by_key[r.key], project_id=p) for r in new
             for p in r.project_ids), batch_size=2000)

        stats.update(opened=len(new), resolved=len(vanished))
        Snapshot.objects.filter(pk=n).update(
            status=SnapshotStatus.PUBLISHED, computed_at=now, stats=stats,
            duration_ms=int((time.perf_counter() - started) * 1000))
        state.current_id = n
        state.save(update_fields=["current"])
    logger.info("capacity snapshot %s published: %s", n, stats)


def _open_conflict_projects(rows) -> dict[int, set[int]]:
    through = Conflict.projects.through
    ids = [r.pk for r in rows]
    result: dict[int, set[int]] = {}
    for chunk in _chunks(ids):
        for conflict_id, project_id in through.objects.filter(
                conflict_id__in=chunk).values_list("conflict_id", "project_id"):
            result.setdefault(conflict_id, set()).add(project_id)
    return result


def _chunks(items: list, size: int = 5000):
    for start in range(0, len(items), size):
        yield items[start:start + size]


def prune() -> int:
    """Delete all but the latest few published snapshots (and failed or abandoned builds)."""
    keep = list(Snapshot.objects.filter(status=SnapshotStatus.PUBLISHED)
                .order_by("-pk").values_list("pk", flat=True)[:settings.SNAPSHOTS_KEPT])
    stale = timezone.now() - timedelta(hours=1)
    old = (Snapshot.objects.exclude(pk__in=keep)
           .exclude(status=SnapshotStatus.BUILDING, started_at__gte=stale))
    deleted, _ = old.delete()
    return deleted
