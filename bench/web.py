"""python -m bench web: the portal served as in production, loaded page by page against its
own authenticated floor (issue 13's benchmark).

    python -m bench web [--duration 10] [--only NAMES] [--scale 1.0] [--keep-server] …

In a PostgreSQL database of its own (itsm_pmo_benchweb, created and migrated here), with the
data of bench/web_data.py built or reused, it serves the portal with gunicorn (4 sync workers,
DEBUG off, plain HTTP, a throwaway key) and a real Celery worker on Redis, signs in as each
role, and drives every path of bench/paths.py with wrk at concurrency 8. Per path: requests
a second, p50/p95/p99, answers that were not 2xx, SQL queries (counted once in-process),
bytes, and the ratio to the floor (`/api/me/`) measured in the same run, with the targets.
Then the time from an allocation edit to its conflict in the API (the real worker), and the
engine at 1×, 4× and 16× (bench/engine_scaling.py, one database per factor). The report is
Markdown, on stdout and in bench/results/. See docs/performance.md.
"""

import argparse
import json
import os
import platform
import secrets
import signal
import statistics
import subprocess
import sys
import time
import warnings
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

from . import load as loadgen
from . import report
from .stack import ROOT, Stack, free_port

DEFAULT_DATABASE_URL = "postgres://postgres@127.0.0.1:5432/itsm_pmo_benchweb"
DEFAULT_BROKER = "redis://127.0.0.1:6379/5"
DEFAULT_CACHE = "redis://127.0.0.1:6379/6"
# Databases others use: the benchmark never builds, migrates or loads in these.
PROTECTED = {"itsm_pmo", "test_itsm_pmo", "itsm_pmo_bench", "postgres", "template0", "template1"}
RESULTS = ROOT / "bench" / "results"


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        prog="python -m bench web", description=(__doc__ or "").split("\n")[0]
    )
    parser.add_argument("--duration", type=float, default=10, help="seconds of load a path (10)")
    parser.add_argument(
        "--warmup", type=float, default=1, help="seconds of load a path before it is measured (1)"
    )
    parser.add_argument(
        "--only",
        help="only the paths whose name holds one of these comma-separated words "
        "(the floor always runs; the edit and engine parts only when asked for)",
    )
    parser.add_argument(
        "--scale", type=float, default=1.0, help="data set against the enterprise one (1.0)"
    )
    parser.add_argument("--seed", type=int, default=1, help="seed of the data set (1)")
    parser.add_argument(
        "--keep-server",
        action="store_true",
        help="leave gunicorn and the worker running at the end (prints how to stop them)",
    )
    parser.add_argument("--port", type=int, default=0, help="port to serve on (a free one)")
    parser.add_argument(
        "--database-url",
        default=os.environ.get("BENCH_WEB_DATABASE_URL", DEFAULT_DATABASE_URL),
        help="the benchmark's own database (BENCH_WEB_DATABASE_URL, else itsm_pmo_benchweb)",
    )
    parser.add_argument(
        "--broker",
        default=os.environ.get("BENCH_WEB_BROKER_URL", DEFAULT_BROKER),
        help=f"Celery broker (BENCH_WEB_BROKER_URL, else {DEFAULT_BROKER})",
    )
    parser.add_argument("--concurrency", type=int, default=8, help="wrk connections (8)")
    parser.add_argument(
        "--floor-every",
        type=int,
        default=4,
        help="measure the floor again after this many paths (4; 0: at the start and end only)",
    )
    parser.add_argument(
        "--edits",
        type=int,
        help="allocation edits timed to their conflict (3, none with --only; 0: off)",
    )
    parser.add_argument(
        "--recompute-quiet",
        type=float,
        help="RECOMPUTE_QUIET_SECONDS for the served stack (the settings' default: 0.3)",
    )
    parser.add_argument(
        "--page-cache",
        action=argparse.BooleanOptionalAction,
        default=True,
        help="keep signed-in reads per user (itsm_pmo/page_cache.py; on, as deployed); "
        "--no-page-cache measures every request rendered",
    )
    parser.add_argument(
        "--cache-url",
        default=DEFAULT_CACHE,
        help=f"CACHE_URL of the served stack and its worker ({DEFAULT_CACHE})",
    )
    parser.add_argument(
        "--engine",
        action=argparse.BooleanOptionalAction,
        help="the engine at 1×, 4× and 16× (on, off with --only)",
    )
    parser.add_argument(
        "--engine-factors", default="1,4,16", help="engine set sizes, times the base (1,4,16)"
    )
    parser.add_argument(
        "--engine-base",
        type=float,
        default=1.0,
        help="the engine's 1× against the enterprise capacity set (1.0 = 30,000 allocations)",
    )
    parser.add_argument("--engine-runs", type=int, default=3, help="engine runs, median (3)")
    parser.add_argument("--out", type=Path, help="the Markdown report (bench/results/web-….md)")
    return parser.parse_args(argv)


@dataclass
class Measured:
    path: object  # paths.BenchPath
    url: str | None
    status: int | None = None  # of one request through gunicorn
    bytes: int | None = None
    queries: int | None = None  # SQL queries of one request, in-process
    load: loadgen.Load | None = None
    floor: float | None = None  # the floor's req/s around it (before and after)
    note: str = ""


@dataclass
class Run:
    started: datetime
    args: argparse.Namespace
    database: str
    built: str = ""
    counts: dict[str, int] = field(default_factory=dict)
    objects: dict[str, int | None] = field(default_factory=dict)
    measured: list[Measured] = field(default_factory=list)
    floors: list[float] = field(default_factory=list)  # the floor's req/s, in order
    edits: list[dict] = field(default_factory=list)
    edit_note: str = ""
    engine: list[dict] = field(default_factory=list)
    engine_note: str = ""
    machine: str = ""
    load_after: str = ""  # load average when the last path was measured
    setup_seconds: float = 0.0


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    if args.edits is None:
        args.edits = 0 if args.only else 3
    if args.engine is None:
        args.engine = not args.only
    database = urlsplit(args.database_url).path.lstrip("/")
    if database in PROTECTED:
        print(f"The database {database!r} is not the benchmark's: use one of its own.")
        return 2
    signal.signal(signal.SIGTERM, _interrupt)  # stop the stack on a kill as on Ctrl-C
    loadgen.wrk_path()  # fail early without wrk

    started = time.perf_counter()
    run = Run(datetime.now(), args, database)
    secret = secrets.token_urlsafe(50)
    os.environ.update(
        {
            "DJANGO_SETTINGS_MODULE": "itsm_pmo.settings",
            "DATABASE_URL": args.database_url,
            "DEBUG": "0",
            "HTTPS": "0",
            "SECRET_KEY": secret,
            "ALLOWED_HOSTS": "127.0.0.1",
            "LOG_LEVEL": os.environ.get("LOG_LEVEL", "WARNING"),
        }
    )
    os.environ.pop("CELERY_BROKER_URL", None)  # here tasks run in-process (the data build)
    warnings.filterwarnings("ignore", message="No directory at", category=UserWarning)

    create_database(args.database_url)
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0, interactive=False)
    prepare_data(run)

    from . import paths

    objects = paths.pick_objects()
    run.objects = objects.as_dict()
    run.measured = [Measured(p, url) for p, url in paths.resolved(objects, args.only)]
    count_queries(run.measured)
    settle_plan()
    run.machine = machine()
    run.setup_seconds = time.perf_counter() - started

    env = {**os.environ, "CELERY_BROKER_URL": args.broker, "CACHE_URL": args.cache_url}
    env["PAGE_CACHE_SECONDS"] = "60" if args.page_cache else "0"
    # The load is one user's session at about 1000 requests a second, far past the API's rate
    # per user (1200/min, for people and scripts): the throttle still counts every request, so
    # its cost is in the figures, but never refuses one.
    env.setdefault("API_RATE_USER", "100000000/min")
    if args.recompute_quiet is not None:
        env["RECOMPUTE_QUIET_SECONDS"] = str(args.recompute_quiet)
    stack = Stack(env=env, port=args.port or free_port(), log_dir=ROOT / "var" / "bench-web")
    keep = False
    try:
        print(f"Serving on {stack.base_url} (logs in {stack.log_dir}) …", flush=True)
        stack.start()
        browsers = sign_in(stack.base_url)
        drive(run, stack, browsers)
        if args.edits > 0:
            time_edits(run, browsers["pmo_lead"], args.edits)
        keep = args.keep_server
        if keep:
            print_kept(stack, browsers)
    except KeyboardInterrupt:
        print("\nInterrupted: stopping what was started.", file=sys.stderr)
        stack.stop()
        return 130
    finally:
        if not keep:
            stack.stop()

    if args.engine:
        run.engine, run.engine_note = engine_scaling(args)

    text = report.markdown(run)
    print("\n" + text)
    out = args.out or RESULTS / f"web-{run.started:%Y-%m-%d-%H%M}.md"
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(text)
    print(f"\nWritten to {out}")
    return 0


def _interrupt(signum, frame):
    raise KeyboardInterrupt


def create_database(url: str) -> None:
    """Create the database when it does not exist (on the same server, as its user)."""
    import psycopg2
    from psycopg2 import sql

    parts = urlsplit(url)
    name = parts.path.lstrip("/")
    admin = urlunsplit(parts._replace(path="/postgres"))
    connection = psycopg2.connect(admin)
    connection.autocommit = True
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name])
            if cursor.fetchone() is None:
                print(f"Creating the database {name} …", flush=True)
                cursor.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
    finally:
        connection.close()


def prepare_data(run: Run) -> None:
    """The data set (built or reused), the demo users with the demo password, a snapshot."""
    from . import web_data as data

    comment = data.database_comment()
    if comment and not comment.startswith(data.MARK):
        raise SystemExit(f"The database {run.database} is not the web benchmark's ({comment!r}).")
    if not comment:
        from django.contrib.auth import get_user_model

        if get_user_model().objects.exists():
            raise SystemExit(
                f"The database {run.database} holds users the benchmark did not make: "
                "give it a database of its own."
            )
        data.set_database_comment(data.MARK)
    print("Building or reusing the data set …", flush=True)
    started = time.perf_counter()
    run.counts = data.ensure(scale=run.args.scale, seed=run.args.seed)
    run.built = f"{data.how_built()} ({time.perf_counter() - started:.0f} s here)"

    import random

    from itsm_pmo.demo import DemoContext, seed_users

    seed_users(DemoContext(scale=1, password=password(), rng=random.Random(1)))


def password() -> str:
    return os.environ.get("DEMO_PASSWORD", "demo")


def settle_plan() -> None:
    """No recompute left to do or queued: the load runs on a quiet, published plan."""
    from resources.models import PlanState
    from resources.tasks import recompute_plan

    state = PlanState.objects.filter(pk=1).first()
    if state is None or state.dirty or state.current_id is None:
        print("Recomputing the plan before the load …", flush=True)
        recompute_plan.apply()
    PlanState.objects.filter(pk=1).update(queued_at=None)


def count_queries(measured: list[Measured]) -> None:
    """SQL queries of one request to each path, in-process on the same database: the second
    request of a client (the first may fill a per-snapshot cache), rendered (kept pages off:
    a kept page costs the session's user and nothing else)."""
    from django.contrib.auth import get_user_model
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext, override_settings

    clients: dict[str, Client] = {}
    for m in measured:
        if m.url is None:
            continue
        role = m.path.role  # type: ignore[attr-defined]
        if role not in clients:
            clients[role] = Client(HTTP_HOST="127.0.0.1")
            clients[role].force_login(get_user_model().objects.get(username=role))
        client = clients[role]
        with override_settings(PAGE_CACHE_SECONDS=0):
            client.get(m.url)
            with CaptureQueriesContext(connection) as captured:
                client.get(m.url)
        m.queries = len(captured)


def sign_in(base_url: str) -> dict[str, loadgen.Browser]:
    from .paths import ROLES

    browsers = {}
    for role in ROLES:
        browser = loadgen.Browser(base_url)
        browser.log_in(role, password())
        browsers[role] = browser
    return browsers


def drive(run: Run, stack: Stack, browsers: dict[str, loadgen.Browser]) -> None:
    """Every path in turn, the floor first, last and again every --floor-every paths; each
    path's ratio is to the mean of the floor measured just before and just after it, so
    that a machine whose load drifts (a shared one) still compares like with like."""
    args = run.args
    floor, pages = run.measured[0], run.measured[1:]
    every = args.floor_every if args.floor_every > 0 else len(pages) or 1
    marks: list[tuple[int, float]] = []  # (paths measured before it, floor req/s)
    todo: list[Measured] = []
    for n, m in enumerate(pages):
        if n % every == 0:
            todo.append(floor)
        todo.append(m)
    todo.append(floor)
    done = 0
    for m in todo:
        if m.url is None:
            m.note = "no such object in the data"
            done += 1
            continue
        browser = browsers[m.path.role]  # type: ignore[attr-defined]
        if m.status is None:
            answer = browser.get(m.url)
            m.status, m.bytes = answer.status, len(answer.body)
            if answer.status >= 300:
                m.note = f"answered {answer.status} {answer.location}".strip()
        url = stack.base_url + m.url
        if args.warmup > 0 and m.load is None:
            loadgen.wrk(
                url, browser.cookie_header, seconds=args.warmup, connections=args.concurrency
            )
            stack.wait_idle()
        measured = loadgen.wrk(
            url, browser.cookie_header, seconds=args.duration, connections=args.concurrency
        )
        stack.wait_idle()  # the requests left in flight are not the next path's to pay
        if m is floor:
            marks.append((done, measured.rps))
        else:
            done += 1
        if m.load is None:
            m.load = measured
        print(
            f"  {m.path.name:22} {measured.rps:8.1f} req/s  p95 {measured.p95_ms:7.1f} ms  "  # type: ignore[attr-defined]
            f"non-2xx {measured.failed}  {m.queries} queries  {m.bytes or 0:,} B",
            flush=True,
        )
    run.load_after = " ".join(f"{v:.2f}" for v in os.getloadavg())
    run.floors = [rps for _, rps in marks]
    floor.floor = statistics.mean(run.floors)
    for n, m in enumerate(pages):
        before = [rps for at, rps in marks if at <= n][-1:]
        after = [rps for at, rps in marks if at > n][:1]
        m.floor = statistics.mean(before + after)


def time_edits(run: Run, browser: loadgen.Browser, edits: int) -> None:
    """An over-booking entered through the API as the PMO lead, then the API polled until
    its conflict shows (the real worker recomputes); then the booking is deleted and the API
    polled until the conflict is gone."""
    from django.conf import settings as django_settings

    from resources.engine.calendar import monday_of
    from resources.models import Absence, Conflict, Person, Snapshot

    busy = Conflict.objects.filter(subject_type="person", resolved_at__isnull=True).values_list(
        "subject_id", flat=True
    )
    person = (
        Person.objects.filter(active=True, contracted_hours__gt=0)
        .exclude(pk__in=list(busy))
        .order_by("pk")
        .first()
    )
    if person is None:
        run.edit_note = "no active person without a conflict to book"
        return
    quiet = os.environ.get("RECOMPUTE_QUIET_SECONDS") or run.args.recompute_quiet
    run.edit_note = (
        f"{person.name} (person {person.pk}, {person.contracted_hours} h a week) booked for "
        f"{2 * person.contracted_hours} h for one week; RECOMPUTE_QUIET_SECONDS = "
        f"{quiet if quiet is not None else django_settings.RECOMPUTE_QUIET_SECONDS}"
    )
    conflicts = f"/api/resources/conflicts/?subject_type=person&subject_id={person.pk}"
    # Weeks the person works in full (no leave: work is not counted on days away).
    away = list(Absence.objects.filter(person=person).values_list("start_date", "end_date"))
    mondays = [
        monday
        for weeks in range(6, 60, 2)
        if (monday := monday_of(date.today()) + timedelta(weeks=weeks))
        and not any(s <= monday + timedelta(days=6) and e >= monday for s, e in away)
    ]
    for n, monday in enumerate(mondays[:edits]):
        last_snapshot = Snapshot.objects.order_by("-pk").values_list("pk", flat=True).first()
        started = time.perf_counter()
        made = browser.request(
            "POST",
            "/api/resources/allocations/",
            {
                "person": person.pk,
                "kind": "bau",
                "hours_per_week": str(2 * person.contracted_hours),
                "start_date": monday.isoformat(),
                "end_date": (monday + timedelta(days=4)).isoformat(),
                "note": "bench web: edit-to-conflict probe",
            },
            as_json=True,
        )
        saved = time.perf_counter() - started
        if made.status != 201:
            run.edit_note += f"; the booking was refused ({made.status}: {made.body[:200]!r})"
            return
        allocation = json.loads(made.body)["id"]
        shown = _poll(browser, conflicts, lambda count: count > 0, since=started)
        snapshot = Snapshot.objects.filter(pk__gt=last_snapshot or 0).order_by("pk").first()
        compute = snapshot.duration_ms / 1000 if snapshot and snapshot.duration_ms else None
        started = time.perf_counter()
        gone = browser.request("DELETE", f"/api/resources/allocations/{allocation}/")
        resolved = (
            _poll(browser, conflicts, lambda count: count == 0, since=started)
            if gone.status == 204
            else None
        )
        run.edits.append({"saved": saved, "shown": shown, "compute": compute, "resolved": resolved})
        print(
            f"  edit {n + 1}: saved in {saved * 1000:.0f} ms, conflict shown after "
            f"{_s(shown)}, recompute {_s(compute)}; gone {_s(resolved)} after the delete",
            flush=True,
        )


def _s(seconds: float | None) -> str:
    return "—" if seconds is None else f"{seconds:.2f} s"


def _poll(browser: loadgen.Browser, path: str, done, *, since: float, timeout: float = 60):
    """Seconds from `since` until the API's count satisfies done(count), polling every
    50 ms; None after `timeout` seconds."""
    while time.perf_counter() - since < timeout:
        answer = browser.get(path)
        if answer.status == 200 and done(json.loads(answer.body)["count"]):
            return time.perf_counter() - since
        time.sleep(0.05)
    return None


def engine_scaling(args: argparse.Namespace) -> tuple[list[dict], str]:
    """bench/engine_scaling.py once per factor, each in a database of its own."""
    results = []
    factors = [float(f) for f in args.engine_factors.split(",") if f.strip()]
    parts = urlsplit(args.database_url)
    base_name = parts.path.lstrip("/")
    for factor in factors:
        name = f"{base_name}_engine{factor:g}x".replace(".", "_")
        url = urlunsplit(parts._replace(path="/" + name))
        create_database(url)
        print(f"Engine at {factor:g}× ({name}) …", flush=True)
        env = {**os.environ, "DATABASE_URL": url}
        env.pop("CELERY_BROKER_URL", None)
        done = subprocess.run(
            [
                sys.executable,
                "-m",
                "bench",
                "engine-scaling",
                "--factor",
                str(factor),
                "--base",
                str(args.engine_base),
                "--runs",
                str(args.engine_runs),
                "--seed",
                str(args.seed),
            ],
            cwd=ROOT,
            env=env,
            capture_output=True,
            text=True,
            check=False,
        )
        lines = done.stdout.strip().splitlines()
        if done.returncode != 0 or not lines:
            return results, f"the engine at {factor:g}× failed: {done.stderr[-2000:]}"
        result = json.loads(lines[-1])
        results.append(result)
        print(
            f"  {result['allocations']:,} allocations: read {result['read_median']:.2f} s, "
            f"full {result['full_median']:.2f} s",
            flush=True,
        )
    return results, ""


def print_kept(stack: Stack, browsers: dict[str, loadgen.Browser]) -> None:
    print(f"\nStill serving on {stack.base_url} (--keep-server). Session cookies:")
    for role, browser in browsers.items():
        print(f"  {role:13} {browser.cookie_header}")
    for name, pid in stack.pids().items():
        print(f"  stop {name}: kill -- -{pid}")


def machine() -> str:
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("SHOW server_version")
        server = cursor.fetchone()[0].split()[0]
    cpus = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count()
    cpu = "unknown CPU"
    try:
        cpu = next(
            line.split(":", 1)[1].strip()
            for line in Path("/proc/cpuinfo").read_text().splitlines()
            if line.startswith("model name")
        )
    except (OSError, StopIteration):
        pass
    load_avg = " ".join(f"{v:.2f}" for v in os.getloadavg())
    return (
        f"{cpus} CPUs ({cpu}), PostgreSQL {server}, Python {platform.python_version()}, "
        f"load average {load_avg} before the load"
    )


def median(values: list[float]) -> float:
    return statistics.median(values)
