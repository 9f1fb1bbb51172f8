"""python -m bench data: build (or reuse) the enterprise data set of every app.

    python -m bench data [--scale F] [--seed N] [--rebuild]

PostgreSQL only (DATABASE_URL), in a database of its own, migrated. See bench/enterprise and
docs/performance.md.
"""

import argparse
import logging
import os
import sys
import time


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        prog="python -m bench data", description=__doc__.split("\n")[0]
    )
    parser.add_argument(
        "--scale", type=float, default=1.0, help="size against the enterprise set (1.0)"
    )
    parser.add_argument("--seed", type=int, default=1, help="seed of the generator (1)")
    parser.add_argument(
        "--rebuild", action="store_true", help="build afresh even if the database holds the set"
    )
    return parser.parse_args(argv)


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    if args.scale <= 0:
        print("--scale must be more than 0.", file=sys.stderr)
        return 2
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "itsm_pmo.settings")
    import django

    django.setup()
    from django.conf import settings
    from django.db import OperationalError, connection

    if connection.vendor != "postgresql":
        print(
            f"The enterprise set is built on PostgreSQL only; this database is "
            f"{connection.vendor}.\nCreate one for it, migrate it and point DATABASE_URL at it:\n"
            "  createdb itsm_pmo_enterprise\n"
            "  DATABASE_URL=postgres://user@host:5432/itsm_pmo_enterprise make setup\n"
            "  DATABASE_URL=… .venv/bin/python -m bench data",
            file=sys.stderr,
        )
        return 2
    settings.DEBUG = False  # no query log: a build makes a few hundred thousand rows
    logging.getLogger("resources.snapshot").setLevel(logging.WARNING)
    logging.getLogger("resources.tasks").setLevel(logging.WARNING)
    logging.getLogger("celery").setLevel(logging.WARNING)

    from . import enterprise

    try:
        enterprise.check_dedicated()
        record = None if args.rebuild else enterprise.existing()
        started = time.perf_counter()
        counts = enterprise.ensure(
            scale=args.scale,
            seed=args.seed,
            rebuild=args.rebuild,
            log=lambda message: print(f"  {message}", flush=True),
        )
    except enterprise.NotDedicated as exc:
        print(exc, file=sys.stderr)
        return 2
    except OperationalError as exc:
        print(f"Cannot reach the database: {exc}".strip(), file=sys.stderr)
        return 2
    after = enterprise.existing() or {}
    if record is not None and after.get("seconds") == record.get("seconds"):
        print(
            f"Reused the set built on {after.get('built_on')} (seed {args.seed}, scale "
            f"{args.scale:g}); --rebuild builds it again. Checked in "
            f"{time.perf_counter() - started:.1f} s."
        )
    else:
        print(f"Built the set (seed {args.seed}, scale {args.scale:g}) on {after.get('built_on')}:")
        for step, seconds in after.get("seconds", {}).items():
            print(f"  {step:<22}{seconds:8.1f} s")
    print("Rows:")
    for name, count in counts.items():
        print(f"  {name:<22}{count:>10,}")
    print("Sign in as pmo_lead, itsm_manager, engineer or executive with the demo password.")
    return 0


if __name__ == "__main__":
    sys.exit(main())
