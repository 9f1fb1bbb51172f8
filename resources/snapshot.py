"""Publishing a run of the engine: a new snapshot, then the pointer flipped in one short
transaction. Readers only ever follow the pointer, so they see a whole snapshot or the one
before, never a mix."""

import gc
import logging
import threading
import time
import zlib
from collections import Counter
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from datetime import timedelta

from django.conf import settings
from django.db import connection, transaction
from django.utils import timezone

from .engine import registry
from .engine.calendar import Horizon, monday_of
from .engine.records import ConflictRecord
from .engine.run import Plan, run
from .models import (
    Conflict,
    PersonLoad,
    PlanState,
    ProjectLoad,
    Snapshot,
    SnapshotStatus,
    TeamLoad,
)
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


@contextmanager
def collector_paused() -> Iterator[None]:
    """Pause Python's cyclic garbage collector for one run. A run allocates hundreds of
    thousands of small records that hold no cycles, and the collector's passes over them
    grew faster than the data (a third of the read at 16×); reference counting still frees
    them, and the collector, enabled again, finds any cycle on its next pass."""
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


def compute_and_publish(*, horizon: Horizon | None = None) -> Snapshot:
    """Gather, run the engine, write the cells, publish. The caller holds the run lock."""
    with collector_paused():
        return _compute_and_publish(horizon=horizon)


def _compute_and_publish(*, horizon: Horizon | None = None) -> Snapshot:
    horizon = horizon or current_horizon()
    started = time.perf_counter()
    snapshot = Snapshot.objects.create(week_start=horizon.start, weeks=horizon.weeks)
    try:
        records = gather(horizon)
        plan = Plan.from_records(horizon, records, settings=engine_settings())
        loads, conflicts = run(plan, registry.rules)
        _write_cells(snapshot, plan, loads)
        _publish(
            snapshot,
            conflicts,
            started,
            stats={
                "people": len(plan.people),
                "work": len(plan.work),
                "demands": len(plan.demands),
                "absences": len(plan.absences),
                "conflicts": len(conflicts),
            },
        )
    except Exception as exc:
        Snapshot.objects.filter(pk=snapshot.pk).update(
            status=SnapshotStatus.FAILED, error=repr(exc)[:2000]
        )
        raise
    prune()
    snapshot.refresh_from_db()
    return snapshot


def _write_cells(snapshot: Snapshot, plan: Plan, loads) -> None:
    """The new snapshot's cells; invisible to readers until the pointer moves."""
    _insert_rows(
        PersonLoad,
        ("snapshot", "person", "team", "capacity", "project", "operational", "tentative"),
        (
            (
                snapshot.pk,
                p.id,
                p.team_id,
                loads.capacity[p.id],
                loads.project[p.id],
                loads.operational[p.id],
                loads.tentative[p.id],
            )
            for p in plan.people
        ),
    )
    headcount = Counter(person.team_id for person in plan.people)
    _insert_rows(
        TeamLoad,
        ("snapshot", "team", "people", "capacity", "project", "operational"),
        (
            (
                snapshot.pk,
                team_id,
                headcount[team_id],
                loads.team_capacity[team_id],
                loads.team_project[team_id],
                loads.team_operational[team_id],
            )
            for team_id in loads.team_capacity
        ),
    )
    _insert_rows(
        ProjectLoad,
        ("snapshot", "project", "team", "booked", "tentative"),
        (
            (snapshot.pk, *key, booked, loads.project_tentative[key])
            for key, booked in loads.project_booked.items()
        ),
    )


def _insert_rows(model, fields: tuple[str, ...], rows: Iterable[tuple]) -> None:
    """Insert rows of integers (ids, counts) and lists of hours per week (kept to 0.01 h).

    On PostgreSQL (psycopg2) the rows go in one COPY, the lists as JSON text: the same rows
    bulk_create would write, at a fraction of the cost (2,000 people are 800,000 numbers to
    round, encode and quote, and tens of thousands of model instances). Elsewhere,
    bulk_create."""
    columns = [model._meta.get_field(name) for name in fields]
    with connection.cursor() as cursor:
        raw = getattr(cursor, "cursor", None)
        if connection.vendor == "postgresql" and hasattr(raw, "copy_expert"):
            names = ", ".join(connection.ops.quote_name(c.column) for c in columns)
            # Only integers and JSON of numbers: nothing that COPY's text format escapes.
            as_json = _HoursJson()
            lines = (
                "\t".join(as_json(v) if isinstance(v, list) else str(int(v)) for v in row) + "\n"
                for row in rows
            )
            with connection.wrap_database_errors:  # Django's exceptions, as for the ORM
                raw.copy_expert(
                    f"COPY {connection.ops.quote_name(model._meta.db_table)} ({names}) FROM STDIN",
                    _LineReader(lines),
                )
            return
    model.objects.bulk_create(
        (
            model(
                **{
                    c.attname: [round(h, 2) for h in v] if isinstance(v, list) else v
                    for c, v in zip(columns, row, strict=True)
                }
            )
            for row in rows
        ),
        batch_size=1000,
    )


class _HoursJson(dict):
    """Hours per week -> JSON text, each kept to 0.01 h: what json.dumps writes for
    [round(h, 2) for h in hours]. A plan has a few hundred distinct values in hundreds of
    thousands of cells, so each value's text is worked out once."""

    def __missing__(self, hours: float) -> str:
        text = self[hours] = repr(round(hours, 2))
        return text

    def __call__(self, hours: list[float]) -> str:
        return "[" + ", ".join(map(self.__getitem__, hours)) + "]"


class _LineReader:
    """A file over an iterator of lines, for COPY: the database parses the first rows while
    the next ones are being formatted."""

    def __init__(self, lines: Iterable[str]):
        self._lines = iter(lines)
        self._pending = ""

    def read(self, size: int = -1) -> str:
        parts, length = [self._pending], len(self._pending)
        while size < 0 or length < size:
            line = next(self._lines, None)
            if line is None:
                break
            parts.append(line)
            length += len(line)
        text = "".join(parts)
        if size < 0:
            self._pending = ""
            return text
        self._pending = text[size:]
        return text[:size]


def _publish(
    snapshot: Snapshot, found: Iterable[ConflictRecord], started: float, stats: dict
) -> None:
    """In one transaction: conflicts keep their identity (continue, open or resolve), the
    pointer moves to the new snapshot."""
    n = snapshot.pk
    found = {c.key: c for c in found}
    now = timezone.now()
    with transaction.atomic():
        # Locks in the order writers take them, so a writer and a run never wait on each
        # other in a circle: conflict rows first, in id order (acknowledging conflicts locks
        # them so; deleting a person updates its conflicts before its save marks the plan
        # dirty), the plan state last. The advisory lock keeps runs apart from each other,
        # not from writers.
        # key -> (pk, severity, message, details) of every open conflict, locked
        open_rows = {
            key: rest
            for key, *rest in Conflict.objects.select_for_update()
            .filter(resolved_at__isnull=True)
            .order_by("pk")
            .values_list("key", "pk", "severity", "message", "details")
        }
        state, _ = PlanState.objects.select_for_update().get_or_create(pk=1)

        vanished = [pk for key, (pk, *_) in open_rows.items() if key not in found]
        for chunk in _chunks(vanished):
            Conflict.objects.filter(pk__in=chunk).update(resolved_at=now, resolved_in=n)
        # The open conflicts left are the ones found again: they continue into this snapshot
        # without a write (membership is first_seen <= N and not resolved by N).

        changed, through = [], Conflict.projects.through
        projects_of = _open_conflict_projects()
        for key, (pk, severity, message, details) in open_rows.items():
            record = found.get(key)
            if record is None:
                continue
            if (severity, message, details) != (record.severity, record.message, record.details):
                changed.append(
                    Conflict(
                        pk=pk,
                        severity=record.severity,
                        message=record.message,
                        details=record.details,
                    )
                )
            if projects_of.get(pk, set()) != set(record.project_ids):
                through.objects.filter(conflict_id=pk).delete()
                through.objects.bulk_create(
                    through(conflict_id=pk, project_id=p) for p in record.project_ids
                )
        Conflict.objects.bulk_update(changed, ["severity", "message", "details"], batch_size=500)

        new = [found[key] for key in found if key not in open_rows]
        created = Conflict.objects.bulk_create(
            (
                Conflict(
                    key=r.key,
                    kind=r.kind,
                    severity=r.severity,
                    subject_type=r.subject_type,
                    subject_id=r.subject_id,
                    subject_label=r.subject_label[:200],
                    period_start=r.period_start,
                    period_end=r.period_end,
                    message=r.message,
                    details=r.details,
                    person_id=r.person_id,
                    team_id=r.team_id,
                    first_seen=n,
                )
                for r in new
            ),
            batch_size=1000,
        )
        if not all(c.pk for c in created):  # backends that do not return ids
            by_key = dict(Conflict.objects.filter(first_seen=n).values_list("key", "pk"))
        else:
            by_key = {c.key: c.pk for c in created}
        _insert_rows(
            through,
            ("conflict", "project"),
            ((by_key[r.key], p) for r in new for p in r.project_ids),
        )

        stats.update(opened=len(new), resolved=len(vanished))
        Snapshot.objects.filter(pk=n).update(
            status=SnapshotStatus.PUBLISHED,
            computed_at=now,
            stats=stats,
            duration_ms=int((time.perf_counter() - started) * 1000),
        )
        state.current_id = n
        state.save(update_fields=["current"])
    logger.info("capacity snapshot %s published: %s", n, stats)


def _open_conflict_projects() -> dict[int, set[int]]:
    """The projects of every open conflict, by conflict id."""
    result: dict[int, set[int]] = {}
    for conflict_id, project_id in Conflict.projects.through.objects.filter(
        conflict__resolved_at__isnull=True
    ).values_list("conflict_id", "project_id"):
        result.setdefault(conflict_id, set()).add(project_id)
    return result


def _chunks(items: list, size: int = 5000):
    for start in range(0, len(items), size):
        yield items[start : start + size]


def prune() -> int:
    """Delete all but the latest few published snapshots (and failed or abandoned builds)."""
    keep = list(
        Snapshot.objects.filter(status=SnapshotStatus.PUBLISHED)
        .order_by("-pk")
        .values_list("pk", flat=True)[: settings.SNAPSHOTS_KEPT]
    )
    stale = timezone.now() - timedelta(hours=1)
    old = Snapshot.objects.exclude(pk__in=keep).exclude(
        status=SnapshotStatus.BUILDING, started_at__gte=stale
    )
    deleted, _ = old.delete()
    return deleted
