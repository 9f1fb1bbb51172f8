"""The enterprise data set: every app at enterprise size, for the web benchmark and for anyone
who wants to see the portal under real volume.

    from bench import enterprise
    counts = enterprise.ensure(scale=1.0, seed=1)   # build if missing or different, else reuse

It is the demo (`seed_demo`, scale 1: its users, roles and story, so every role signs in with
the demo password) with the volume of an enterprise added in bulk around it: 2,000 people in 150
teams (each with an account), 700 projects, 30,000 allocations over a 104-week horizon, a CMDB of
400 items, 8,000 changes over two years, 300 handovers, 20,000 incidents with their work logs,
400 problems, 2,000 lessons and 400 articles (Size). `scale` multiplies every volume (the demo's
own rows count towards it; configuration such as criteria, policies and freezes stays as it
is). Dates are relative to the day of the build; the same seed on the same day gives the same
rows with the same ids. After the build the capacity snapshot is computed once.

The set lives in a database of its own: it refuses a database that holds data it did not make,
and truncates the one it did before building again. A row in the table `bench_enterprise`
(created outside Django's migrations) records how the set was built.
"""

import json
import os
import random
import time
from dataclasses import asdict
from datetime import date, timedelta

from django.apps import apps
from django.conf import settings
from django.db import connection, transaction
from django.utils import timezone

from .base import ENTERPRISE, Size, World, midnight, timed

__all__ = ["ENTERPRISE", "NotDedicated", "Size", "build", "counts", "ensure", "existing"]

VERSION = 1  # of the builders: a set built by another version is built again
MARKER = "bench_enterprise"
REUSE_DAYS = 7  # dates are relative to the build day: a week later, build again
# Tables a migration fills (the roles, the readiness and incident catalogues, the service-level
# targets) or that the site writes by itself: kept, and not taken as someone else's data.
KEEP = {
    "django_content_type",
    "auth_permission",
    "auth_group",
    "auth_group_permissions",
    "handover_readinesscriterion",
    "handover_incidentcategory",
    "handover_slatarget",
}
IGNORED = {"django_session", "resources_planstate"}
STEPS = ("organisation", "portfolio", "plan", "changes", "handover", "incidents", "knowledge")


class NotDedicated(Exception):
    """The database holds data the enterprise set did not make."""


def _tables() -> list[str]:
    tables = []
    for model in apps.get_models(include_auto_created=True):
        if model._meta.managed and not model._meta.proxy:
            tables.append(model._meta.db_table)
    return sorted(set(tables) - KEEP)


# --- the marker --------------------------------------------------------------------------


def existing() -> dict | None:
    """How the set in this database was built, if one was: version, seed, scale, built_on,
    counts (of the main tables at the end of the build) and seconds (per step)."""
    if MARKER not in connection.introspection.table_names():
        return None
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT built FROM {MARKER} WHERE id = 1")
        row = cursor.fetchone()
    try:
        return json.loads(row[0]) if row else None
    except ValueError:
        return None


def _write_marker(record: dict) -> None:
    with connection.cursor() as cursor:
        cursor.execute(f"CREATE TABLE IF NOT EXISTS {MARKER} (id integer PRIMARY KEY, built text)")
        cursor.execute(f"DELETE FROM {MARKER}")
        cursor.execute(f"INSERT INTO {MARKER} (id, built) VALUES (1, %s)", [json.dumps(record)])


def check_dedicated() -> None:
    """Refuse a database with rows the set did not make (it truncates them all)."""
    if existing() is not None:
        return
    quote = connection.ops.quote_name
    found = []
    with connection.cursor() as cursor:
        for table in _tables():
            if table in IGNORED:
                continue
            cursor.execute(f"SELECT 1 FROM {quote(table)} LIMIT 1")
            if cursor.fetchone():
                found.append(table)
    if found:
        raise NotDedicated(
            f"The database {connection.settings_dict['NAME']!r} holds data the enterprise set did "
            f"not make (in {', '.join(found[:5])}{' …' if len(found) > 5 else ''}). The set "
            f"truncates every table: give it a database of its own, e.g. createdb "
            f"itsm_pmo_enterprise, DATABASE_URL=postgres://…/itsm_pmo_enterprise, "
            f"manage.py migrate."
        )


def clear() -> None:
    """Empty every table but the ones migrations fill, and restart the ids."""
    quote = connection.ops.quote_name
    tables = _tables()
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(
                f"TRUNCATE {', '.join(quote(t) for t in tables)} RESTART IDENTITY CASCADE"
            )
        else:
            for table in tables:
                cursor.execute(f"DELETE FROM {quote(table)}")
            if "sqlite_sequence" in connection.introspection.table_names():
                marks = ", ".join(["%s"] * len(tables))
                cursor.execute(f"DELETE FROM sqlite_sequence WHERE name IN ({marks})", tables)
        if MARKER in connection.introspection.table_names():
            cursor.execute(f"DELETE FROM {MARKER}")


# --- counting ----------------------------------------------------------------------------

COUNTED = (
    ("users", "auth.User"),
    ("teams", "resources.Team"),
    ("people", "resources.Person"),
    ("skills", "resources.Skill"),
    ("absences", "resources.Absence"),
    ("allocations", "resources.Allocation"),
    ("demands", "resources.Demand"),
    ("objectives", "portfolio.StrategicObjective"),
    ("services", "portfolio.Service"),
    ("projects", "portfolio.Project"),
    ("scores", "portfolio.Score"),
    ("milestones", "portfolio.Milestone"),
    ("risks", "portfolio.Risk"),
    ("benefits", "portfolio.Benefit"),
    ("project_transitions", "portfolio.ProjectTransition"),
    ("config_items", "changes.ConfigurationItem"),
    ("change_templates", "changes.ChangeTemplate"),
    ("freezes", "changes.FreezeWindow"),
    ("changes", "changes.ChangeRequest"),
    ("approvals", "changes.Approval"),
    ("reviews", "changes.PostImplementationReview"),
    ("change_transitions", "changes.ChangeTransition"),
    ("handovers", "handover.Handover"),
    ("readiness_checks", "handover.ReadinessCheck"),
    ("handover_transitions", "handover.HandoverTransition"),
    ("incidents", "handover.Incident"),
    ("work_logs", "handover.WorkLog"),
    ("incident_transitions", "handover.IncidentTransition"),
    ("problems", "handover.Problem"),
    ("lessons", "knowledge.Lesson"),
    ("lesson_applications", "knowledge.LessonApplication"),
    ("articles", "knowledge.Article"),
    ("conflicts", "resources.Conflict"),
)
# The tables whose counts say a set is still the one that was built (a benchmark may add a
# few rows; a tenth of a percent more or less is still the same set).
WHOLE = ("people", "projects", "allocations", "changes", "handovers", "incidents", "lessons")


def counts() -> dict[str, int]:
    """Rows in the main tables of every app."""
    return {name: apps.get_model(label).objects.count() for name, label in COUNTED}


def _same(record: dict, live: dict[str, int]) -> bool:
    built = record.get("counts", {})
    return all(abs(live[k] - built.get(k, -1)) <= max(2, built.get(k, 0) // 1000) for k in WHOLE)


# --- building ----------------------------------------------------------------------------


def ensure(scale: float = 1.0, seed: int = 1, *, rebuild: bool = False, log=None) -> dict[str, int]:
    """The set at this scale and seed in the database DATABASE_URL names (migrated): reused if
    there is a whole one built in the last week by this version, built otherwise. Returns the
    row counts of the main tables. Raises NotDedicated for a database with other data."""
    record = None if rebuild else existing()
    if record is not None and (
        record.get("version") == VERSION
        and record.get("seed") == seed
        and float(record.get("scale", 0)) == float(scale)
        and date.fromisoformat(record["built_on"])
        > timezone.localdate() - timedelta(days=REUSE_DAYS)
    ):
        live = counts()
        if _same(record, live):
            return live
    return build(scale=scale, seed=seed, log=log)["counts"]


def build(*, scale: float = 1.0, seed: int = 1, log=None) -> dict:
    """Truncate and build the set; returns {"counts": rows per table, "seconds": per step,
    "added": what each step added}. One transaction: a failed build leaves the old set."""
    # With DEBUG on (make's default) Django would keep the SQL of every batch: hundreds of MB.
    debug, settings.DEBUG = settings.DEBUG, False
    try:
        return _build(scale=scale, seed=seed, log=log)
    finally:
        settings.DEBUG = debug


def _build(*, scale: float, seed: int, log) -> dict:
    from itsm_pmo.demo import seed_demo

    from . import changes, handover, incidents, knowledge, org, plan, portfolio

    say = log or (lambda message: None)
    check_dedicated()
    size = ENTERPRISE.scaled(scale)
    world = World(
        rng=random.Random(seed),
        today=timezone.localdate(),
        now=midnight(),
        size=size,
        users={},
    )
    added: dict[str, dict] = {}
    started = time.perf_counter()
    with transaction.atomic():
        with timed(world, "clear"):
            clear()
        say("demo (seed_demo, scale 1) …")
        with timed(world, "demo"):
            ctx = seed_demo(scale=1, password=os.environ.get("DEMO_PASSWORD", "demo"))
            world.users = dict(ctx.users)
            existing_allocations = apps.get_model("resources.Allocation").objects.count()
            existing_demands = apps.get_model("resources.Demand").objects.count()
            org.load(world)
            portfolio.load(world)
            changes.load(world)
        demo_people = {p.pk for p in world.people}
        for step in STEPS:
            say(f"{step} …")
            with timed(world, step):
                if step == "organisation":
                    added[step] = org.build(world)
                elif step == "portfolio":
                    added[step] = portfolio.build(world)
                elif step == "plan":
                    newcomers = [p for p in world.people if p.pk not in demo_people]
                    added[step] = plan.build(
                        world, newcomers, existing_allocations, existing_demands
                    )
                else:
                    added[step] = {
                        "changes": changes.build,
                        "handover": handover.build,
                        "incidents": incidents.build,
                        "knowledge": knowledge.build,
                    }[step](world)
        # The demo's saves asked for a recompute when this transaction commits: it is done
        # below, once, on the whole set.
        apps.get_model("resources.PlanState").objects.filter(pk=1).update(
            dirty=False, dirty_since=None, queued_at=None
        )
        live = counts()
        record = {
            "version": VERSION,
            "seed": seed,
            "scale": float(scale),
            "size": asdict(size),
            "built_on": world.today.isoformat(),
            "counts": live,
        }
        _write_marker(record)
        say("commit …")
        commit_started = time.perf_counter()
    world.timings["commit"] = time.perf_counter() - commit_started
    say("capacity recompute …")
    with timed(world, "capacity recompute"):
        _recompute()
    if connection.vendor == "postgresql" and not connection.in_atomic_block:
        say("vacuum analyze …")
        with timed(world, "vacuum analyze"):
            with connection.cursor() as cursor:
                cursor.execute("VACUUM ANALYZE")
    world.timings["total"] = time.perf_counter() - started
    live = counts()
    record.update(counts=live, seconds={k: round(v, 2) for k, v in world.timings.items()})
    _write_marker(record)
    return {"counts": live, "seconds": world.timings, "added": added}


def _recompute() -> None:
    """The capacity snapshot, computed once, synchronously, as the worker would."""
    from resources.tasks import recompute_plan

    # Not .get(): Celery's "no join inside a task" flag is process-wide, and an e-mail task
    # retried in a background thread (itsm_pmo/tasks.py) may hold it at this moment.
    recompute_plan.apply(kwargs={"reason": "enterprise data set"}).maybe_throw()
