"""The measurements: the bare read, the pure engine, the full recompute and its phases."""

import cProfile
import io
import pstats
import statistics
import time
from collections.abc import Callable
from contextlib import contextmanager
from dataclasses import dataclass, field

from resources import snapshot
from resources.engine import registry
from resources.engine.calendar import Horizon
from resources.engine.run import Plan, run
from resources.models import Conflict

# The steps of compute_and_publish(), clocked by wrapping the names it calls.
PHASES = {
    "gather": "read (providers)",
    "engine_settings": "read (settings)",
    "run": "engine",
    "_write_cells": "write loads",
    "_publish": "publish conflicts",
    "prune": "prune snapshots",
}


@dataclass
class Timing:
    label: str
    seconds: list[float] = field(default_factory=list)

    @property
    def median(self) -> float:
        return statistics.median(self.seconds)


def clock(label: str, fn: Callable[[], object], runs: int) -> tuple[Timing, object]:
    """Run fn `runs` times; the timing and the last result."""
    timing, result = Timing(label), None
    for _ in range(runs):
        started = time.perf_counter()
        result = fn()
        timing.seconds.append(time.perf_counter() - started)
    return timing, result


def bare_read(horizon: Horizon) -> list:
    """Every registered provider over the horizon, records materialised: the ORM read."""
    return snapshot.gather(horizon)


def engine_only(horizon: Horizon, records: list, settings: dict):
    """The pure engine over records already read: loads and every registered rule."""
    return run(Plan.from_records(horizon, records, settings=settings), registry.rules)


@contextmanager
def phase_clock():
    """Wrap the steps compute_and_publish() calls; yields {phase: seconds} filled per run."""
    spent: dict[str, float] = {}

    def clocked(name, fn):
        def wrapper(*args, **kwargs):
            started = time.perf_counter()
            try:
                return fn(*args, **kwargs)
            finally:
                spent[name] = spent.get(name, 0.0) + time.perf_counter() - started
        return wrapper

    originals = {name: getattr(snapshot, name) for name in PHASES}
    for name, fn in originals.items():
        setattr(snapshot, name, clocked(name, fn))
    try:
        yield spent
    finally:
        for name, fn in originals.items():
            setattr(snapshot, name, fn)


@dataclass
class FullRun:
    seconds: float
    phases: dict[str, float]
    stats: dict
    continuing: int


def full_recompute(horizon: Horizon, *, profile: cProfile.Profile | None = None) -> FullRun:
    """One compute_and_publish() under the run lock, with its phases clocked."""
    with snapshot.exclusive_run() as acquired:
        if not acquired:
            raise RuntimeError("Another recompute holds the lock on this database.")
        with phase_clock() as spent:
            started = time.perf_counter()
            if profile:
                profile.enable()
            published = snapshot.compute_and_publish(horizon=horizon)
            if profile:
                profile.disable()
            seconds = time.perf_counter() - started
    stats = published.stats
    continuing = Conflict.objects.filter(first_seen__lt=published.pk,
                                         last_seen=published.pk).count()
    other = seconds - sum(spent.values())  # snapshot rows, refresh, lock
    return FullRun(seconds, {**spent, "other": other}, stats, continuing)


def profile_report(profile: cProfile.Profile, lines: int = 45) -> str:
    out = io.StringIO()
    pstats.Stats(profile, stream=out).sort_stats("cumulative").print_stats(lines)
    return out.getvalue()
