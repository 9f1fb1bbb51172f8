"""The engine at a multiple of the enterprise set: the bare read and the full recompute.

    python -m bench engine-scaling --factor 4 [--base 1.0] [--runs 3] [--seed 1]

Run by `python -m bench web` once per factor, each in a database of its own (DATABASE_URL,
migrated here), where `bench.dataset` builds the capacity set at base × factor × enterprise
(people, teams, projects, allocations and demands all scaled, so that the people have room
for the work) or reuses the one already there. Prints the figures as one JSON line last.
The measuring is `python -m bench`'s (bench/timing.py): the median of --runs bare reads and
of --runs steady full recomputes, each after VACUUM ANALYZE, the first full run (every
conflict new) apart.
"""

import argparse
import json
import logging
import os
import sys
import time


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="python -m bench engine-scaling")
    parser.add_argument("--factor", type=float, required=True, help="times the base set")
    parser.add_argument("--base", type=float, default=1.0, help="base set against enterprise")
    parser.add_argument("--runs", type=int, default=3, help="timed runs, median reported (3)")
    parser.add_argument("--seed", type=int, default=1)
    return parser.parse_args(argv)


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "itsm_pmo.settings")
    import django

    django.setup()
    from django.conf import settings
    from django.core.management import call_command
    from django.db import connection

    if connection.vendor != "postgresql":
        print("engine-scaling runs on PostgreSQL only", file=sys.stderr)
        return 2
    settings.DEBUG = False
    logging.getLogger("resources.snapshot").setLevel(logging.WARNING)
    call_command("migrate", verbosity=0, interactive=False)

    from resources.engine.calendar import Horizon
    from resources.models import Allocation, Person

    from . import dataset, timing

    try:
        dataset.check_dedicated()
    except dataset.NotDedicated as exc:
        print(exc, file=sys.stderr)
        return 2
    size = dataset.ENTERPRISE.scaled(args.base * args.factor)
    built = dataset.existing()
    build_seconds = None
    if built is None or (built.seed, built.size) != (args.seed, size):
        print(f"  building {size.allocations:,} allocations …", file=sys.stderr, flush=True)
        started = time.perf_counter()
        built = dataset.build(size=size, seed=args.seed)
        build_seconds = time.perf_counter() - started

    horizon = Horizon(built.start, built.size.weeks)
    runs = max(1, args.runs)
    timing.bare_read(horizon)  # warm, as a worker is
    read, records = timing.clock("bare read", lambda: timing.bare_read(horizon), runs)
    dataset.clear_conflicts()
    full_runs = []
    for _ in range(runs + 1):
        timing.vacuum()
        full_runs.append(timing.full_recompute(horizon))
    first, steady = full_runs[0], full_runs[1:]
    steady_timing = timing.Timing("full", [r.seconds for r in steady], [r.cpu for r in steady])
    result = {
        "factor": args.factor,
        "base": args.base,
        "database": connection.settings_dict["NAME"],
        "people": Person.objects.count(),
        "allocations": Allocation.objects.count(),
        "records": len(records),  # type: ignore[arg-type]
        "conflicts": first.stats.get("conflicts", 0),
        "built_seconds": build_seconds,
        "read_median": read.median,
        "read_runs": read.seconds,
        "full_median": steady_timing.median,
        "full_runs": steady_timing.seconds,
        "full_cpu_median": steady_timing.median_cpu,
        "first_full": first.seconds,
        "phases_last": steady[-1].phases,
    }
    print(json.dumps(result))
    return 0


if __name__ == "__main__":
    sys.exit(main())
