"""python -m bench: time a full recompute of the enterprise set against the bare read.

    python -m bench [--rebuild] [--runs N] [--scale F] [--seed N] [--profile]

PostgreSQL only (DATABASE_URL), in a database of its own: the set is built there once and
reused by later runs (--rebuild builds it afresh). See docs/performance.md.
"""

import argparse
import logging
import os
import platform
import sys
import time

AIM_SECONDS = 5.0  # a full recompute on 2 cores
AIM_RATIO = 3.0  # ... within three times the bare read


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="python -m bench", description=__doc__.split("\n")[0])
    parser.add_argument("--rebuild", action="store_true",
                        help="build the set afresh even if the database holds one")
    parser.add_argument("--runs", type=int, default=5,
                        help="timed runs of each measurement; the median is reported (5)")
    parser.add_argument("--scale", type=float, default=1.0,
                        help="size of the set against the enterprise one (1.0)")
    parser.add_argument("--seed", type=int, default=1, help="seed of the generator (1)")
    parser.add_argument("--profile", action="store_true",
                        help="print a cProfile of the last steady full recompute")
    return parser.parse_args(argv)


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "itsm_pmo.settings")
    import django

    django.setup()
    from django.conf import settings
    from django.db import OperationalError, connection

    if connection.vendor != "postgresql":
        print(f"The bench runs on PostgreSQL only; this database is {connection.vendor}.\n"
              "Create one for it and point DATABASE_URL at it, e.g.\n"
              "  createdb itsm_pmo_bench\n"
              "  DATABASE_URL=postgres://user@host:5432/itsm_pmo_bench make bench",
              file=sys.stderr)
        return 2
    # The recompute runs in a worker with DEBUG off; with DEBUG on (make's default for the
    # bench) Django would also keep and time every query, which is not what production pays.
    settings.DEBUG = False
    logging.getLogger("resources.snapshot").setLevel(logging.WARNING)  # one line a run

    from . import dataset, timing

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
        started = time.perf_counter()
        print(f"Building the set (seed {args.seed}) …", flush=True)
        built = dataset.build(size=size, seed=args.seed)
        how = f"built in {time.perf_counter() - started:.1f} s"
    report(args, built, how, dataset, timing)
    return 0


def report(args, built, how, dataset, timing) -> None:
    from django.db import connection

    from resources.engine.calendar import Horizon
    from resources.models import Absence, Allocation, Demand, Person, PersonSkill
    from resources.providers import engine_settings

    horizon = Horizon(built.start, built.size.weeks)
    with connection.cursor() as cursor:
        cursor.execute("SHOW server_version")
        server = cursor.fetchone()[0].split()[0]
    cpus = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count()
    print(f"Capacity engine bench: PostgreSQL {server}, Python {platform.python_version()}, "
          f"{cpus} CPUs ({_cpu_name()})")
    s = built.size
    print(f"Set (seed {built.seed}, {how}): {s.people:,} people "
          f"({Person.objects.filter(active=True).count():,} active), {s.teams} teams, "
          f"{s.projects} projects, {s.skills} skills ({PersonSkill.objects.count():,} held), "
          f"{Allocation.objects.count():,} allocations, {Absence.objects.count():,} absences, "
          f"{Demand.objects.count():,} demands; {s.weeks} weeks from {built.start}")

    runs = max(1, args.runs)
    bare_read = timing.bare_read
    bare_read(horizon)  # warm the database's cache and Django's, as a worker would be
    read, records = timing.clock("bare read (gather)", lambda: bare_read(horizon), runs)
    kinds: dict[str, int] = {}
    for record in records:
        kinds[type(record).__name__] = kinds.get(type(record).__name__, 0) + 1
    print("Records read: " + ", ".join(f"{n:,} {k.removesuffix('Record').lower()}"
                                       for k, n in kinds.items()))
    settings = engine_settings()
    engine, (_, conflicts) = timing.clock(
        "engine (loads, rules)", lambda: timing.engine_only(horizon, records, settings), runs)
    by_kind: dict[str, int] = {}
    for conflict in conflicts:
        by_kind[conflict.kind] = by_kind.get(conflict.kind, 0) + 1
    print("Conflicts found: " + (", ".join(f"{n:,} {k}" for k, n in sorted(by_kind.items()))
                                 or "none"))

    dataset.clear_conflicts()
    cold = timing.full_recompute(horizon)
    steady_runs = []
    profile = None
    for n in range(runs):
        if args.profile and n == runs - 1:
            import cProfile

            profile = cProfile.Profile()
        steady_runs.append(timing.full_recompute(horizon, profile=profile))
    steady = timing.Timing("full recompute, steady", [r.seconds for r in steady_runs])
    first = timing.Timing("full recompute, first", [cold.seconds])

    print()
    print(f"{'':34}{'runs':>5}{'median':>9}{'min':>8}{'max':>8}")
    for t in (read, engine, first, steady):
        print(f"{t.label:34}{len(t.seconds):>5}{t.median:>8.3f}s{min(t.seconds):>7.3f}s"
              f"{max(t.seconds):>7.3f}s")
    ratio = steady.median / read.median
    print(f"\nfull / read: {ratio:.2f}x (aim <= {AIM_RATIO:g}x: "
          f"{'met' if ratio <= AIM_RATIO else 'missed'});  "
          f"full: {steady.median:.2f} s (aim <= {AIM_SECONDS:g} s: "
          f"{'met' if steady.median <= AIM_SECONDS else 'missed'})")

    print("\nConflicts per full run (the first after forgetting them all, then in a row):")
    for n, r in enumerate([cold, *steady_runs], start=1):
        print(f"  run {n}: {r.seconds:6.3f} s  found {r.stats['conflicts']:,}: "
              f"opened {r.stats['opened']:,}, continuing {r.continuing:,}, "
              f"resolved {r.stats['resolved']:,}")

    print("\nWhere a full run goes (median seconds; first run in brackets):")
    for name in [*timing.PHASES, "other"]:
        label = timing.PHASES.get(name, "other (snapshot row, lock)")
        median = timing.statistics.median(r.phases.get(name, 0.0) for r in steady_runs)
        print(f"  {label:28}{median:7.3f}  ({cold.phases.get(name, 0.0):.3f})")
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


if __name__ == "__main__":
    sys.exit(main())
