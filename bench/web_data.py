"""The data the web benchmark runs on: the enterprise set of every app, built or reused in the
database in use (the benchmark's own).

`ensure()` is the one place that chooses how: `bench.enterprise.ensure` (issue 13's enterprise
set of every app) when that module exists, else `manage.py seed_demo --scale N` with
N = 32 × scale (at 32 about the enterprise number of people, teams, projects and lessons;
changes, handovers and incidents stay at the demo's few). The demo run is recorded in a
comment on the database, so a later run at the same scale reuses it.
"""

import importlib.util
import os

from django.db import connection

# seed_demo's scale that comes nearest the enterprise set's people (1,955 of 2,000).
DEMO_SCALE_FOR_ENTERPRISE = 32
MARK = "itsm_pmo bench web"  # starts the comment on a database the web benchmark owns


def ensure(scale: float = 1.0, seed: int = 1) -> dict[str, int]:
    """Build or reuse the set at `scale` × enterprise; the counts of what the database holds."""
    if importlib.util.find_spec("bench.enterprise") is not None:
        from bench.enterprise import ensure as enterprise_ensure

        enterprise_ensure(scale=scale, seed=seed)
    else:
        _seed_demo(max(1, round(DEMO_SCALE_FOR_ENTERPRISE * scale)))
    return counts()


def how_built() -> str:
    """What built the data, for the report."""
    if importlib.util.find_spec("bench.enterprise") is not None:
        return "bench.enterprise.ensure"
    return database_comment().removeprefix(MARK + ": ") or "unknown"


def _seed_demo(demo_scale: int) -> None:
    from itsm_pmo.demo import seed_demo

    wanted = f"{MARK}: seed_demo --scale {demo_scale}"
    if database_comment() == wanted:
        return
    seed_demo(scale=demo_scale, password=os.environ.get("DEMO_PASSWORD", "demo"))
    set_database_comment(wanted)


def database_comment() -> str:
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT shobj_description(oid, 'pg_database') FROM pg_database "
            "WHERE datname = current_database()"
        )
        row = cursor.fetchone()
    return (row[0] if row else None) or ""


def set_database_comment(text: str) -> None:
    name = connection.ops.quote_name(connection.settings_dict["NAME"])
    with connection.cursor() as cursor:
        cursor.execute(f"COMMENT ON DATABASE {name} IS %s", [text])


def counts() -> dict[str, int]:
    """Rows of what the pages show, for the report."""
    from changes.models import ChangeRequest
    from handover.models import Handover, Incident, WorkLog
    from knowledge.models import Lesson
    from portfolio.models import Project
    from resources.models import Allocation, Conflict, Person, Team

    return {
        "people": Person.objects.count(),
        "teams": Team.objects.count(),
        "projects": Project.objects.count(),
        "allocations": Allocation.objects.count(),
        "open conflicts": Conflict.objects.filter(resolved_at__isnull=True).count(),
        "changes": ChangeRequest.objects.count(),
        "handovers": Handover.objects.count(),
        "incidents": Incident.objects.count(),
        "work logs": WorkLog.objects.count(),
        "lessons": Lesson.objects.count(),
    }
