"""The measurements: the bare read, the pure engine, the full recompute and its phases.

Each is timed on the wall clock and on this process's CPU clock: on a shared machine the
wall clock also counts waiting for a core, and the difference between the two in a full run
is mostly PostgreSQL's share of the work.
"""

import cProfile
import io
import pstats
import statistics
import time
from collections.abc import Callable
from contextlib import contextmanager
from dataclasses import dataclass, field

from django.db import connection

from resources import snapshot
from resources.engine import registry
from resources.engine.calendar import Horizon
from resources.engine.run import Plan, run
from resources.models import Conflict, PersonLoad, PlanState, ProjectLoad, Snapshot, TeamLoad

# The steps of compute_and_publish(), clocked by wrapping the names it calls.
PHASES = {
    "gather": "read (providers)",
    "engine_settings": "read (settings)",
    "run": "engine",
    "_write_cells": "write loads",
    "_publish": "publish conflicts",
    "prune": "prune snapshots",
}
OTHER = "other (snapshot row, lock)"


@dataclass
class Timing:
    label: str
    seconds: list[float] = field(default_factory=list)  # wall clock
    cpu: list[float] = field(default_factory=list)  # this process

    @property
    def median(self) -> float:
        return statistics.median(self.seconds)

    @property
    def median_cpu(self) -> float:
        return statistics.median(self.cpu)


def clock(label: str, fn: Callable[[], object], runs: int) -> tuple[Timing, object]:
    """Run fn `runs` times; the timing and the last result."""
    timing, result = Timing(label), None
    for _ in range(runs):
        wall, cpu = time.perf_counter(), time.process_time()
        result = fn()
        timing.seconds.append(time.perf_counter() - wall)
        timing.cpu.append(time.process_time() - cpu)
    return timing, result


def bare_read(horizon: Horizon) -> list:
    """Every registered provider over the horizon, records materialised: the ORM read."""
    return snapshot.gather(horizon)


def engine_only(horizon: Horizon, records: list, settings: dict):
    """The pure engine over records already read: loads and every registered rule."""
    return run(Plan.from_records(horizon, records, settings=settings), registry.rules)


@dataclass
class FullRun:
    seconds: float
    cpu: float
    phases: dict[str, float]  # wall clock by phase
    stats: dict  # the snapshot's: people, work, conflicts, opened, resolved …
    continuing: int  # conflicts open before this run and found again


def full_recompute(horizon: Horizon, *, profile: cProfile.Profile | None = None) -> FullRun:
    """One compute_and_publish() under the run lock, with its phases clocked."""
    with snapshot.exclusive_run() as acquired:
        if not acquired:
            raise RuntimeError("Another recompute holds the lock on this database.")
        with _phase_clock() as spent:
            wall, cpu = time.perf_counter(), time.process_time()
            if profile:
                profile.enable()
            published = snapshot.compute_and_publish(horizon=horizon)
            if profile:
                profile.disable()
            wall, cpu = time.perf_counter() - wall, time.process_time() - cpu
    continuing = Conflict.objects.filter(
        first_seen__lt=published.pk, resolved_at__isnull=True
    ).count()
    return FullRun(
        wall, cpu, {**spent, OTHER: wall - sum(spent.values())}, published.stats, continuing
    )


@contextmanager
def _phase_clock():
    """Wrap the steps compute_and_publish() calls; yields {phase label: seconds}."""
    spent: dict[str, float] = {}

    def clocked(name, fn):
        def wrapper(*args, **kwargs):
            started = time.perf_counter()
            try:
                return fn(*args, **kwargs)
            finally:
                spent[PHASES[name]] = spent.get(PHASES[name], 0.0) + (time.perf_counter() - started)

        return wrapper

    originals = {name: getattr(snapshot, name) for name in PHASES}
    for name, fn in originals.items():
        setattr(snapshot, name, clocked(name, fn))
    try:
        yield spent
    finally:
        for name, fn in originals.items():
            setattr(snapshot, name, fn)


def vacuum() -> None:
    """Clear what the runs before left behind (old snapshots' rows, the old versions of the
    conflicts each run updates), as autovacuum does between two recomputes."""
    models = (
        Snapshot,
        PersonLoad,
        TeamLoad,
        ProjectLoad,
        Conflict,
        Conflict.projects.through,
        PlanState,
    )
    tables = ", ".join(connection.ops.quote_name(m._meta.db_table) for m in models)
    with connection.cursor() as cursor:
        cursor.execute(f"VACUUM ANALYZE {tables}")


def autovacuum_on() -> bool:
    with connection.cursor() as cursor:
        cursor.execute("SHOW autovacuum")
        return cursor.fetchone()[0] == "on"


def profile_report(profile: cProfile.Profile, lines: int = 40) -> str:
    out = io.StringIO()
    pstats.Stats(profile, stream=out).sort_stats("cumulative").print_stats(lines)
    return out.getvalue()
