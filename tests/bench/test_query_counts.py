"""SQL queries per request do not grow with the data (issue 13): every path of the web
benchmark (bench/paths.py), opened by its role on the enterprise set at a small scale and at ten
times that scale, runs the same number of queries at both sizes.

Both sets are built inside this test's transaction (the builder truncates, in a savepoint) and
rolled back with it, so no other test sees them and nothing needs refilling afterwards (GET pages
queue no work on commit, so the transaction hides no query). Each size is measured the same way:
an empty cache, the four roles signed in, every path requested once ("cold": the per-snapshot
caches missed, as after a restart or a new snapshot) and once more ("warm": what the load
benchmark measures). A count that grows with the data means a query per row somewhere: the
message names every such path with both counts and the statements whose number changed.

At x0.02 the demo's own rows still make most of the organisation (7 teams, 64 people, 22
projects, 9 handovers; at x0.2: 30, 400, 140, 60), while changes, incidents, allocations and
conflicts grow tenfold (160 → 1,600, 400 → 4,000, 600 → 6,000, 663 → 3,555); the two builds take
about 40 s on PostgreSQL. Each detail page opens the object bench/paths.py picks by its rule,
and the large set reopens the same objects (found again by their natural keys), so a
statement run only for some objects cannot pass for growth. QUERY_COUNTS_SCALE=0.1 compares
a tenth of the enterprise set with the whole of it (builds of a few minutes on PostgreSQL).
"""

import os
import re
import time
from collections import Counter

import pytest
from django.contrib.auth import get_user_model
from django.core.cache import cache
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from bench import enterprise, paths

pytestmark = pytest.mark.django_db

SMALL = float(os.environ.get("QUERY_COUNTS_SCALE", "0.02"))
LARGE = round(10 * SMALL, 6)
SEED = 3
VISITS = ("cold", "warm")


def _shape(sql: str) -> str:
    """A statement without its values: the same query for another row has the same shape."""
    # Django names savepoints and server-side cursors by thread and count.
    sql = re.sub(r'"s\d+_x\d+"', "savepoint", sql)
    sql = re.sub(r'"_django_curs_\d+_\w+?_\d+"', "cursor", sql)
    sql = re.sub(r"'(?:[^']|'')*'", "?", sql)
    sql = re.sub(r"\b\d+(?:\.\d+)?\b", "?", sql)
    # IN (?, ?) and PostgreSQL's IN ((?), (?)): the same query, whatever the number of ids;
    # a search for more words (to_tsquery(?) || to_tsquery(?) || …) too.
    sql = re.sub(r"\((?:\s*\(?\?\)?\s*,)*\s*\(?\?\)?\s*\)", "(…)", sql)
    sql = re.sub(r"\(+", "(", re.sub(r"\)+", ")", sql))
    return re.sub(r"(\w+\([^()]*\))(?:\s*\|\|\s*\1)+", r"\1 || …", sql)


def _measure(
    scale: float, objects: paths.Objects | None = None, *, built: bool = False
) -> tuple[dict[str, dict], paths.Objects]:
    """{path name: {"url", "status", "cold", "warm"}} on the set at this scale; a visit is
    a Counter of statement shapes (None when the data has no object for the path). Detail
    pages open `objects`, or the busiest ones at this scale."""
    # The rows of an earlier build are checked now: PostgreSQL refuses to truncate tables with
    # foreign-key checks still deferred to the end of the transaction.
    if not built:
        connection.check_constraints()
        counts = enterprise.build(scale=scale, seed=SEED)["counts"]
        print(f"\nx{scale}: " + ", ".join(f"{k} {v}" for k, v in counts.items()))
    cache.clear()
    objects = objects or _demo_objects()
    users = get_user_model().objects.in_bulk(paths.ROLES, field_name="username")
    clients: dict[str, Client] = {}
    for role in paths.ROLES:
        clients[role] = Client()
        clients[role].force_login(users[role])
    found: dict[str, dict] = {}
    for visit in VISITS:
        for path, url in paths.resolved(objects):
            row = found.setdefault(path.name, {"url": url, "status": set()})
            row[visit] = None
            if url is None:
                continue
            with CaptureQueriesContext(connection) as queries:
                response = clients[path.role].get(url)
            row[visit] = Counter(_shape(q["sql"]) for q in queries.captured_queries)
            row["status"].add(response.status_code)
    return found, objects


def _brief(shape: str, others: list[str]) -> str:
    """A shape to read in a message: the selected columns left out and, when another shape
    starts the same way, where the two part."""
    common = max((len(os.path.commonprefix([shape, o])) for o in others if o != shape), default=0)
    if common > 160:
        return f"{_brief(shape[:100], [])} … {shape[common - 40 : common + 120]}"
    return re.sub(r"^SELECT (DISTINCT )?.*? FROM ", r"SELECT \1… FROM ", shape, count=1)[:220]


def _difference(small: Counter, large: Counter, shown: int = 12) -> str:
    changed = sorted(
        ((large[s] - small[s], s) for s in small.keys() | large.keys() if small[s] != large[s]),
        key=lambda item: (-abs(item[0]), item[1]),
    )
    shapes = [s for _, s in changed]
    lines = [f"      {n:+d}× {_brief(s, shapes)}" for n, s in changed[:shown]]
    if len(changed) > shown:
        lines.append(f"      … and {len(changed) - shown} more statements")
    return "\n".join(lines)


def _branch(small: Counter, large: Counter) -> str:
    """A hint when no statement runs more than once more or less: more likely a branch this
    object takes (an empty prefetch skipped) than a query per row."""
    if all(abs(large[s] - small[s]) <= 1 for s in small.keys() | large.keys()):
        return " (each statement ±1: a branch of this object rather than a query per row?)"
    return ""


# How each picked object is found again in the larger set: by its natural key, since ids
# depend on the database (SQLite does not restart them when the builder empties a table).
NATURAL_KEYS = {
    "team": ("resources.Team", ("name",)),
    "person": ("resources.Person", ("email",)),
    "project": ("portfolio.Project", ("code",)),
    "handover": ("handover.Handover", ("project__code",)),
    "major_incident": ("handover.MajorIncident", ("incident__title",)),
}


def _demo_objects() -> paths.Objects:
    """The busiest objects, with the change and the incident taken from the demo's own (its
    tables of changes and incidents): generated ones are numbered and titled anew at every
    scale, the demo's are the same rows at every scale."""
    from changes.demo import CHANGES
    from changes.models import ChangeRequest
    from handover.demo import INCIDENTS
    from handover.models import Incident, Problem
    from handover.problems.demo import PROBLEMS

    picked = paths.pick_objects()
    first = {}
    # The demo's busiest problem (generated ones are titled anew at every scale).
    demo_problems = Problem.objects.filter(title__in=[p[0] for p in PROBLEMS])
    first["problem"] = paths._busiest(demo_problems, "incidents", "transitions")
    for model, titles, name in (
        (ChangeRequest, [c.title for c in CHANGES], "change"),
        (Incident, [i[0] for i in INCIDENTS], "incident"),
    ):
        # The demo's row of each title is the first made with it (the demo runs first).
        ids = (
            model.objects.filter(title__in=titles)
            .order_by("title", "pk")
            .distinct("title")
            .values_list("pk", flat=True)
            if connection.vendor == "postgresql"
            else [
                model.objects.filter(title=t).order_by("pk").values_list("pk", flat=True).first()
                for t in titles
            ]
        )
        counts = ("transitions", "approvals") if name == "change" else ("work_logs", "transitions")
        first[name] = paths._busiest(model.objects.filter(pk__in=list(ids)), *counts)
    return paths.Objects(**{**picked.as_dict(), **first})


def _natural_keys(objects: paths.Objects) -> dict[str, dict | None]:
    from django.apps import apps

    keys = {}
    for name, (label, fields) in NATURAL_KEYS.items():
        pk = getattr(objects, name)
        model = apps.get_model(label)
        key = model.objects.filter(pk=pk).values(*fields).first()
        # Rows sharing the key (a recurring change's title) are told apart by their order.
        same = list(
            model.objects.filter(**(key or {"pk": None}))
            .order_by("pk")
            .values_list("pk", flat=True)
        )
        keys[name] = key and {"key": key, "rank": same.index(pk)}
    return keys


def _found_again(keys: dict[str, dict | None]) -> paths.Objects:
    from django.apps import apps

    ids = {}
    for name, (label, _fields) in NATURAL_KEYS.items():
        model = apps.get_model(label)
        known = keys[name]
        found = (
            list(model.objects.filter(**known["key"]).order_by("pk").values_list("pk", flat=True))
            if known
            else []
        )
        ids[name] = found[known["rank"]] if known and known["rank"] < len(found) else None
    return paths.Objects(**ids)


def _same_but_skipped_prefetches(small: Counter, large: Counter) -> bool:
    """The same statements, but for prefetches (`… IN (…)`) run once at one size and not at the
    other: Django skips a prefetch that has no ids to fetch, so whether it runs depends on the
    object's neighbours (a change with no colliding project), never on how many rows there are."""
    for shape in small.keys() | large.keys():
        diff = abs(small[shape] - large[shape])
        if diff and not (
            diff == 1 and " IN (…)" in shape and {small[shape], large[shape]} == {0, 1}
        ):
            return False
    return True


def test_every_path_runs_as_many_queries_on_ten_times_the_data(settings):
    # Rendered every time: a page kept for its reader (itsm_pmo/page_cache.py) costs one
    # query at any size, and would hide what rendering it costs.
    settings.PAGE_CACHE_SECONDS = 0
    started = time.perf_counter()
    small, objects = _measure(SMALL)
    keys = _natural_keys(objects)
    small_seconds = time.perf_counter() - started
    # The same objects at ten times the data (the busiest at the small scale are the demo's,
    # built alike at every scale): a detail page opens the same project, change or person,
    # with ten times as much around it.
    connection.check_constraints()
    enterprise.build(scale=LARGE, seed=SEED)
    demo = _demo_objects()  # the demo's change and incident: the same rows at every scale
    again = paths.Objects(
        **{
            **_found_again(keys).as_dict(),
            "change": demo.change,
            "incident": demo.incident,
            "problem": demo.problem,
        }
    )
    large, _ = _measure(LARGE, again, built=True)
    print(
        f"\nquery counts ({connection.vendor}): x{SMALL} in {small_seconds:.1f} s, x{LARGE} in "
        f"{time.perf_counter() - started - small_seconds:.1f} s"
    )
    problems = []
    for name, a in small.items():
        b = large[name]
        if a["url"] is None or b["url"] is None:
            problems.append(
                f"{name}: no object to open (x{SMALL}: {a['url']}, x{LARGE}: {b['url']})"
            )
            continue
        counts = {v: (a[v].total(), b[v].total()) for v in VISITS}
        print(f"  {name:<22} " + "  ".join(f"{v} {x}/{y}" for v, (x, y) in counts.items()))
        if a["status"] | b["status"] != {200}:
            problems.append(f"{name}: answered {sorted(a['status'])} / {sorted(b['status'])}")
        differing = [v for v in VISITS if not _same_but_skipped_prefetches(a[v], b[v])]
        if differing:
            shown = "warm" if "warm" in differing else differing[0]
            problems.append(
                f"{name}: "
                + ", ".join(
                    f"{v} {counts[v][0]} → {counts[v][1]} ({counts[v][1] - counts[v][0]:+d})"
                    for v in VISITS
                )
                + f" at {a['url']} → {b['url']}{_branch(a[shown], b[shown])}\n"
                + _difference(a[shown], b[shown])
            )
    assert not problems, (
        f"{len(problems)} paths run another number of queries at x{LARGE} than at x{SMALL} "
        f"(queries at x{SMALL} → at x{LARGE}; the statements whose number changed):\n"
        + "\n".join(problems)
    )
