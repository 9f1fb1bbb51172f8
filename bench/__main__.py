"""python -m bench: time a full recompute of the enterprise set against the bare read.

    python -m bench [--rebuild] [--runs N] [--scale F] [--seed N] [--no-vacuum] [--profile]
    python -m bench data [--scale F] [--seed N] [--rebuild]   (the data set of every app)
    python -m bench web [--duration S] [--only NAMES] [--scale F] [--keep-server] …  (bench/web.py)
    python -m bench engine-scaling …  (the engine at 1×, 4× and 16×)
    python -m bench dashboard [--runs N] [--seed-demo]  (the dashboard's render time, cold)

PostgreSQL only (DATABASE_URL), in a database of its own: the set is built there once and
reused by later runs (--rebuild builds it afresh). See docs/performance.md.
"""

import argparse
import importlib
import logging
import os
import platform
import statistics
import sys
import time
from collections import Counter

AIM_SECONDS = 5.0  # a full recompute on 2 cores
AIM_RATIO = 3.0  # ... within three times the bare read
# Sub-commands: `python -m bench <name> …` runs that module's main(argv).
SUBCOMMANDS = {
    "data": "bench.data",
    "web": "bench.web",
    "engine-scaling": "bench.engine_scaling",
    "dashboard": "bench.dashboard",
}


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="python -m bench", description=__doc__.split("\n")[0])
    parser.add_argument(
        "--rebuild", action="store_true", help="build the set afresh even if the database holds one"
    )
    parser.add_argument(
        "--runs",
        type=int,
        default=5,
        help="timed runs of each measurement; the median is reported (5)",
    )
    parser.add_argument(
        "--scale", type=float, default=1.0, help="size of the set against the enterprise one (1.0)"
    )
    parser.add_argument("--seed", type=int, default=1, help="seed of the generator (1)")
    parser.add_argument(
        "--no-vacuum",
        action="store_true",
        help="no VACUUM before each full recompute: runs back to back on "
        "the rows the runs before left behind",
    )
    parser.add_argument(
        "--profile", action="store_true", help="print a cProfile of the last full recompute"
    )
    return parser.parse_args(argv)


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    if argv and argv[0] in SUBCOMMANDS:
        return importlib.import_module(SUBCOMMANDS[argv[0]]).main(argv[1:])
    args = parse_args(argv)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "itsm_pmo.settings")
    import django

    django.setup()
    from django.conf import settings
    from django.db import OperationalError, connection

    if connection.vendor != "postgresql":
        print(
            f"The bench runs on PostgreSQL only; this database is {connection.vendor}.\n"
            "Create one for it and point DATABASE_URL at it, e.g.\n"
            "  createdb itsm_pmo_bench\n"
            "  DATABASE_URL=postgres://user@host:5432/itsm_pmo_bench make bench",
            file=sys.stderr,
        )
        return 2
    # The recompute runs in a worker with DEBUG off; with DEBUG on (make's default for the
    # bench) Django would also keep and time every query, which is not what production pays.
    settings.DEBUG = False
    logging.getLogger("resources.snapshot").setLevel(logging.WARNING)  # a line a run

    from . import dataset

    try:
        dataset.check_dedicated()
    except dataset.NotDedicated as exc:
        print(exc, file=sys.stderr)
        return 2
    except OperationalError as exc:
        print(f"Cannot reach the database: {exc}".strip(), file=sys.stderr)
        return 2

    size = dataset.ENTERPRISE.scaled(args.scale)
    built = None if args.rebuild else dataset.existing()
    if built and (built.seed, built.size) != (args.seed, size):
        built = None  # another seed or size was asked for
    if built:
        how = "reused"
    else:
        print(f"Building the set (seed {args.seed}) …", flush=True)
        started = time.perf_counter()
        built = dataset.build(size=size, seed=args.seed)
        how = f"built in {time.perf_counter() - started:.1f} s"
    describe(built, how)
    measure(built, args)
    return 0


def describe(built, how: str) -> None:
    from django.db import connection

    from resources.models import Absence, Allocation, Demand, Person, PersonSkill

    with connection.cursor() as cursor:
        cursor.execute("SHOW server_version")
        server = cursor.fetchone()[0].split()[0]
    cpus = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count()
    print(
        f"Capacity engine bench: PostgreSQL {server}, Python {platform.python_version()}, "
        f"{cpus} CPUs ({_cpu_name()}), load average {_load()}"
    )
    s = built.size
    print(
        f"Set (seed {built.seed}, {how}): {s.people:,} people "
        f"({Person.objects.filter(active=True).count():,} active), {s.teams} teams, "
        f"{s.projects} projects, {s.skills} skills ({PersonSkill.objects.count():,} held), "
        f"{Allocation.objects.count():,} allocations, {Absence.objects.count():,} absences, "
        f"{Demand.objects.count():,} demands; {s.weeks} weeks from {built.start}"
    )


def measure(built, args) -> None:
    from resources.engine.calendar import Horizon
    from resources.providers import engine_settings

    from . import dataset, timing

    horizon = Horizon(built.start, built.size.weeks)
    runs = max(1, args.runs)
    timing.bare_read(horizon)  # warm the database's cache and Django's, as a worker's are
    read, records = timing.clock("bare read (gather)", lambda: timing.bare_read(horizon), runs)
    kinds = Counter(type(r).__name__.removesuffix("Record").lower() for r in records)
    print("Records read: " + ", ".join(f"{n:,} {kind}" for kind, n in kinds.items()))
    settings = engine_settings()
    engine, (_, conflicts) = timing.clock(
        "engine (loads, rules)", lambda: timing.engine_only(horizon, records, settings), runs
    )
    print(
        "Conflicts found: "
        + (
            ", ".join(
                f"{n:,} {kind}" for kind, n in sorted(Counter(c.kind for c in conflicts).items())
            )
            or "none"
        )
    )

    # The first run publishes every conflict as new; the runs after it find them again.
    dataset.clear_conflicts()
    full_runs, profile = [], None
    for n in range(runs + 1):
        if not args.no_vacuum:
            timing.vacuum()
        if args.profile and n == runs:
            import cProfile

            profile = cProfile.Profile()
        full_runs.append(timing.full_recompute(horizon, profile=profile))
    first, steady_runs = full_runs[0], full_runs[1:]
    steady = timing.Timing(
        "full recompute, steady", [r.seconds for r in steady_runs], [r.cpu for r in steady_runs]
    )

    print(f"\n{'':26}{'runs':>5}{'median':>9}{'min':>8}{'max':>8}{'CPU here':>10}")
    for t in (
        read,
        engine,
        timing.Timing("full recompute, first", [first.seconds], [first.cpu]),
        steady,
    ):
        print(
            f"{t.label:26}{len(t.seconds):>5}{t.median:>8.3f}s{min(t.seconds):>7.3f}s"
            f"{max(t.seconds):>7.3f}s{t.median_cpu:>9.3f}s"
        )
    ratio = steady.median / read.median
    print(
        f"\nfull / read: {ratio:.2f}x (aim <= {AIM_RATIO:g}x: "
        f"{'met' if ratio <= AIM_RATIO else 'missed'}); full: {steady.median:.2f} s "
        f"(aim <= {AIM_SECONDS:g} s: {'met' if steady.median <= AIM_SECONDS else 'missed'})"
    )

    if args.no_vacuum:
        print("\nFull runs back to back: no VACUUM in between (--no-vacuum).")
    else:
        off = "" if timing.autovacuum_on() else "; autovacuum is off on this server"
        print(
            f"\nEach full run starts on tables as autovacuum leaves them (VACUUM ANALYZE "
            f"first{off})."
        )
    print("Conflicts per full run (the first after forgetting them all, then in a row):")
    for n, r in enumerate(full_runs, start=1):
        print(
            f"  run {n}: {r.seconds:6.3f} s  found {r.stats['conflicts']:,}: "
            f"opened {r.stats['opened']:,}, continuing {r.continuing:,}, "
            f"resolved {r.stats['resolved']:,}"
        )

    print("\nWhere a full run goes (wall clock, median of the steady runs; first run after):")
    for label in [*timing.PHASES.values(), timing.OTHER]:
        median = statistics.median(r.phases.get(label, 0.0) for r in steady_runs)
        print(f"  {label:28}{median:7.3f} s  ({first.phases.get(label, 0.0):.3f} s)")
    if profile:
        print("\n" + timing.profile_report(profile))


def _cpu_name() -> str:
    try:
        with open("/proc/cpuinfo") as info:
            for line in info:
                if line.startswith("model name"):
                    return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or "unknown CPU"


def _load() -> str:
    try:
        return " ".join(f"{v:.2f}" for v in os.getloadavg())
    except OSError:
        return "unknown"


if __name__ == "__main__":
    sys.exit(main())
