"""Every page of the portal, and a demo user who may open it: for the browser tests that visit
them all (layout at each width, console errors).

The pages come from the same sources as the role matrix, so a page added later is visited
from the day it exists: every named pattern outside `/api/` and `/admin/` that answers GET
(tests/platform/role_matrix_support.py), opened as the first demo role the role matrix lets
through, with its ids taken from the demo data. The benchmark's list (bench/paths.py) adds the
pages' usual query strings (a month of the calendar, a search) and each role's home. What is
not a page (a fragment, CSV, JSON) is told apart by the answer, not by a list.
"""

from collections.abc import Callable
from dataclasses import dataclass
from types import SimpleNamespace

from bench import paths as bench_paths
from tests.platform import role_matrix_support as matrix
from tests.platform.role_matrix import expected

# The demo users, named after their roles (itsm_pmo/demo.py), in the order a page is tried.
ROLES = ("pmo_lead", "itsm_manager", "engineer", "executive")
ANONYMOUS = ""
# Statuses the role matrix gives a user who gets past a page's door (the body may still say
# no, as the edit page of a change that can no longer be edited does): a page to look at.
PAST_THE_DOOR = {200, 400, 409}

# Pages the two sources above do not reach with their usual query.
EXTRA = [
    ("/changes/calendar/?view=week", "itsm_manager"),
    ("/no-such-page/", "engineer"),  # the 404 page
]


@dataclass(frozen=True)
class Visit:
    path: str
    user: str  # a demo username, or ANONYMOUS
    source: str  # the URL name or bench path it comes from, for the messages


def _demo_objects() -> dict[str, Callable[[], int | None]]:
    """How each object name of the role matrix's PAGE_IDS is found in the demo data."""
    from changes.models import ChangeRequest
    from handover.models import Handover, Incident, MajorIncident, Problem
    from knowledge.models import Article, Lesson
    from portfolio.models import Benefit, Project, ProjectCost
    from resources.models import Allocation, Person, Team

    busiest = bench_paths.pick_objects()

    def first(queryset) -> int | None:
        return queryset.order_by("pk").values_list("pk", flat=True).first()

    return {
        "project": lambda: busiest.project or first(Project.objects.all()),
        "team": lambda: busiest.team or first(Team.objects.all()),
        "person": lambda: busiest.person or first(Person.objects.all()),
        "change": lambda: busiest.change or first(ChangeRequest.objects.all()),
        "reviewed_change": lambda: first(ChangeRequest.objects.filter(review__isnull=False)),
        "handover": lambda: busiest.handover or first(Handover.objects.all()),
        "check": lambda: None,  # its only page takes POST
        "incident": lambda: busiest.incident or first(Incident.objects.all()),
        "allocation": lambda: first(Allocation.objects.all()),
        "lesson": lambda: first(Lesson.objects.filter(state="published")),
        "article": lambda: first(Article.objects.filter(state="published")),
        "benefit": lambda: first(Benefit.objects.all()),
        "cost": lambda: first(ProjectCost.objects.all()),
        "major_incident": lambda: busiest.major_incident or first(MajorIncident.objects.all()),
        "p1_incident": lambda: None,  # its only page takes POST
        "engagement": lambda: None,  # its only page takes POST
        "review_action": lambda: None,  # its only page takes POST
        "notification": lambda: None,  # opening one redirects; someone else's is a 404
        # Problem management (issue 17)
        "problem": lambda: busiest.problem or first(Problem.objects.all()),
    }


def _visitor(statuses: dict[str, set[int]]) -> str | None:
    """The first demo user the role matrix lets past the page's door."""
    if statuses["anonymous"] & {200}:
        return ANONYMOUS
    for role in ROLES:
        if statuses[role] & PAST_THE_DOOR:
            return role
    if statuses["cab_member"] & PAST_THE_DOOR:
        return "itsm_manager"  # the demo's CAB sits in the ITSM managers' policy
    return None


def portal_pages() -> list[Visit]:
    """Every page to visit (call with the demo data seeded)."""
    table = expected()
    finders = _demo_objects()
    names = {name for ids in matrix.PAGE_IDS.values() for name in ids.values()}
    missing = sorted(n for n in names if not n.startswith("=") and n not in finders)
    assert not missing, (
        f"tests/browser/portal_pages.py: say how the demo data finds {missing} "
        "(the role matrix's PAGE_IDS names them) in _demo_objects()"
    )
    objects = {}
    visits: dict[tuple[str, str], Visit] = {}
    for endpoint in matrix.endpoints():
        if endpoint.method != "GET" or endpoint.key.startswith("/"):
            continue
        user = _visitor(table[("GET", endpoint.key)])
        if user is None:
            continue  # nobody opens it with GET (a form's POST, a feed behind a token)
        needed = {v for v in matrix.PAGE_IDS.get(endpoint.key, {}).values() if v[:1] != "="}
        for name in needed - objects.keys():
            pk = finders[name]()
            objects[name] = SimpleNamespace(pk=pk) if pk is not None else None
        if any(objects[name] is None for name in needed):
            continue  # the demo has no such object
        path = matrix.url_for(endpoint, objects)
        visits.setdefault((path, user), Visit(path, user, endpoint.key))
    # The benchmark's pages, where they add a query string or another role's home (a page
    # already visited as one role looks the same as another's).
    seen = {path for path, _ in visits}
    picked = bench_paths.pick_objects()
    for bench_path in bench_paths.PATHS:
        path = bench_path.url(picked)
        if bench_path.is_html and path and (path not in seen or path == "/"):
            visit = Visit(path, bench_path.role, f"bench: {bench_path.name}")
            visits.setdefault((path, bench_path.role), visit)
    for path, user in EXTRA:
        visits.setdefault((path, user), Visit(path, user, "extra"))
    return sorted(visits.values(), key=lambda v: (v.user, v.path))
