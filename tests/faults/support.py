"""Shared by the fault tests: a small plan with conflicts, a fresh computation to compare a
published snapshot with, and workers that can be killed."""

import json
import os
import time
from datetime import timedelta
from decimal import Decimal

import pytest
from django.core.serializers.json import DjangoJSONEncoder
from django.db import connection
from django.utils import timezone

from resources.engine import registry
from resources.engine.calendar import monday_of
from resources.engine.run import Plan, run
from resources.models import Allocation, Conflict
from resources.providers import engine_settings
from resources.snapshot import current_horizon, gather
from tests.factories import PersonFactory, ProjectFactory

MONDAY = monday_of(timezone.localdate())


def needs_postgresql_and_broker():
    """Faults are proven on what production runs: skipped on the embedded default."""
    if connection.vendor != "postgresql":
        pytest.skip("fault tests need PostgreSQL (advisory lock, COPY, killed connections)")
    if not os.environ.get("CELERY_BROKER_URL"):
        pytest.skip("no CELERY_BROKER_URL: there is no worker to kill")


def book(person, hours, weeks=4):
    return Allocation.objects.create(
        person=person,
        kind="project",
        project=ProjectFactory(),
        hours_per_week=hours,
        start_date=MONDAY,
        end_date=MONDAY + timedelta(weeks=weeks, days=-3),
    )


def plan_with_conflicts(people=8):
    """People at 40 h: every other one booked 60 h (an over-allocation each week), the rest
    30 h. Returns the people and their bookings."""
    crew = [PersonFactory(contracted_hours=Decimal(40)) for _ in range(people)]
    bookings = [book(p, 60 if i % 2 == 0 else 30) for i, p in enumerate(crew)]
    return crew, bookings


def as_json(value):
    return json.loads(json.dumps(value, cls=DjangoJSONEncoder))


def fresh_conflicts() -> dict[str, tuple]:
    """What a run would publish now, computed here, without the database's conflict rows."""
    horizon = current_horizon()
    plan = Plan.from_records(horizon, gather(horizon), settings=engine_settings())
    _, found = run(plan, registry.rules)
    return {
        c.key: (c.severity, c.message, as_json(c.details), sorted(c.project_ids)) for c in found
    }


def published_conflicts() -> dict[str, tuple]:
    """The open conflicts as stored; fails on a key open twice."""
    rows = list(Conflict.objects.filter(resolved_at__isnull=True).prefetch_related("projects"))
    keys = [c.key for c in rows]
    assert len(keys) == len(set(keys)), "a conflict is open twice"
    return {
        c.key: (c.severity, c.message, as_json(c.details), sorted(p.pk for p in c.projects.all()))
        for c in rows
    }


def wait_for(predicate, timeout=60.0, every=0.2, what="the worker", explain=None):
    """Poll until `predicate` answers; on timeout, fail saying what was awaited and, with
    `explain`, what the system looked like then (for a failure seen only in CI)."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = predicate()
        if value:
            return value
        time.sleep(every)
    state = f": {explain()}" if explain else ""
    raise AssertionError(f"timed out after {timeout:.0f} s waiting for {what}{state}")


def fault_log(path) -> list[tuple[int, str]]:
    if not path.exists():
        return []
    return [
        (int(pid), event)
        for pid, event in (line.split(" ", 1) for line in path.read_text().splitlines())
    ]
