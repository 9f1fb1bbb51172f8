"""What the web benchmark loads: every page and API list a user opens, by role and kind.

One list for the load run (`python -m bench web`) and for tests that compare query counts at
two data sizes:

    objects = pick_objects()              # concrete ids from the database in use
    for path in PATHS:
        url = path.url(objects)           # None when the data has no such object
        ...

A path's kind sets its target against the authenticated floor measured in the same run
(issue 13): a page at least 0.15× the floor's requests a second, a list or detail page
0.20×, an API list 0.35×. The floor (`/api/me/`) is the least an authenticated request costs.
Objects are picked by a rule ("the team with most members") rather than by id, so the same
rule finds its like in a small set and in the enterprise one.
"""

from collections.abc import Callable
from dataclasses import dataclass, fields

from django.db.models import Count

FLOOR, PAGE, LIST_DETAIL, API = "floor", "page", "list-detail", "api"
# Requests a second against the floor's, the least each kind must reach (issue 13).
MIN_RATIO = {PAGE: 0.15, LIST_DETAIL: 0.20, API: 0.35}
MAX_P95_MS = 150.0
MAX_HTML_BYTES = 300_000
# What a reader searches the lessons for: a word the demo and the enterprise sets both use.
LESSON_QUERY = "release"


@dataclass(frozen=True)
class Objects:
    """The concrete objects a detail page is measured on (None: the data has none)."""

    team: int | None = None  # the team with most members
    person: int | None = None  # the person with most allocations
    project: int | None = None  # the project with most moves, then most allocations
    change: int | None = None  # the change with most moves, then most approvals
    incident: int | None = None  # the incident with most work logged, then most moves
    handover: int | None = None  # the handover with most checks, then most moves
    major_incident: int | None = None  # the major incident with most updates, then people
    problem: int | None = None  # the problem grouping most incidents, then most moves

    def as_dict(self) -> dict[str, int | None]:
        return {f.name: getattr(self, f.name) for f in fields(self)}


def _busiest(queryset, *counts: str) -> int | None:
    """The pk of the row with the most related rows (one subquery per count), ties by pk."""
    annotations = {f"n_{n}": Count(related, distinct=True) for n, related in enumerate(counts)}
    row = (
        queryset.annotate(**annotations)
        .order_by(*(f"-n_{n}" for n in range(len(counts))), "pk")
        .values_list("pk", flat=True)
        .first()
    )
    return row


def pick_objects() -> Objects:
    """The busy objects of the database in use (a few queries; run once per benchmark)."""
    from changes.models import ChangeRequest
    from handover.models import Handover, Incident, MajorIncident, Problem
    from portfolio.models import Project
    from resources.models import Person, Team

    return Objects(
        team=_busiest(Team.objects.all(), "members"),
        person=_busiest(Person.objects.filter(active=True), "allocations"),
        project=_busiest(Project.objects.all(), "transitions", "allocations"),
        change=_busiest(ChangeRequest.objects.all(), "transitions", "approvals"),
        incident=_busiest(Incident.objects.all(), "work_logs", "transitions"),
        handover=_busiest(Handover.objects.all(), "checks", "transitions"),
        major_incident=_busiest(MajorIncident.objects.all(), "updates", "engagements"),
        problem=_busiest(Problem.objects.all(), "incidents", "transitions"),
    )


def _detail(pattern: str, attribute: str) -> Callable[[Objects], str | None]:
    def url(objects: Objects) -> str | None:
        pk = getattr(objects, attribute)
        return None if pk is None else pattern.format(pk=pk)

    url.__doc__ = f"{pattern} with the {attribute} of pick_objects()"
    return url


@dataclass(frozen=True)
class BenchPath:
    name: str  # unique, short: what `--only` matches
    role: str  # the demo user who opens it (pmo_lead, itsm_manager, engineer, executive)
    kind: str  # FLOOR, PAGE, LIST_DETAIL or API
    target: str | Callable[[Objects], str | None]  # a path, or one built from the objects

    def url(self, objects: Objects) -> str | None:
        """The path to load (with its query string); None when the data has no object."""
        return self.target if isinstance(self.target, str) else self.target(objects)

    @property
    def min_ratio(self) -> float | None:
        return MIN_RATIO.get(self.kind)

    @property
    def is_html(self) -> bool:
        """A page a person opens (the API's dashboard is held to a page's target: not HTML)."""
        return self.kind in (PAGE, LIST_DETAIL) and not str(self.target).startswith("/api/")


PMO, ITSM, ENGINEER, EXECUTIVE = "pmo_lead", "itsm_manager", "engineer", "executive"
ROLES = (PMO, ITSM, ENGINEER, EXECUTIVE)

PATHS: list[BenchPath] = [
    BenchPath("floor /api/me/", PMO, FLOOR, "/api/me/"),
    # Home ("my work") for each role.
    *(BenchPath(f"home ({role})", role, PAGE, "/") for role in ROLES),
    # A whole kind of work of an inbox (the home page shows its first few).
    BenchPath("my work: incidents", ENGINEER, LIST_DETAIL, "/my-work/incidents/"),
    BenchPath("my work: changes to decide", ITSM, LIST_DETAIL, "/my-work/changes-to-decide/"),
    # The executive's home: the dashboard (this quarter), and its API with the same numbers.
    BenchPath("dashboard", EXECUTIVE, PAGE, "/dashboard/"),
    BenchPath("dashboard, last 12 months", EXECUTIVE, PAGE, "/dashboard/?range=last_12_months"),
    # Not a list: it computes what the page computes, so it is held to a page's target.
    BenchPath("API dashboard", EXECUTIVE, PAGE, "/api/dashboard/"),
    # The PMO lead's central screens.
    BenchPath("board", PMO, PAGE, "/portfolio/"),
    BenchPath("ranking", PMO, PAGE, "/portfolio/ranking/"),
    BenchPath("fit", PMO, PAGE, "/portfolio/fit/"),
    BenchPath("heatmap", PMO, PAGE, "/resources/"),
    BenchPath("project list", PMO, LIST_DETAIL, "/portfolio/projects/"),
    BenchPath("project page", PMO, LIST_DETAIL, _detail("/portfolio/projects/{pk}/", "project")),
    BenchPath("team list", PMO, LIST_DETAIL, "/resources/teams/"),
    BenchPath("team page", PMO, LIST_DETAIL, _detail("/resources/teams/{pk}/", "team")),
    BenchPath("person page", PMO, LIST_DETAIL, _detail("/resources/people/{pk}/", "person")),
    BenchPath("conflicts", PMO, LIST_DETAIL, "/resources/conflicts/"),
    BenchPath("skills matrix", PMO, PAGE, "/resources/skills/"),
    # Change control.
    BenchPath("change list", ITSM, LIST_DETAIL, "/changes/"),
    BenchPath("CAB queue", ITSM, LIST_DETAIL, "/changes/cab/"),
    BenchPath("calendar month", ITSM, PAGE, "/changes/calendar/?view=month"),
    BenchPath("change page", ITSM, LIST_DETAIL, _detail("/changes/{pk}/", "change")),
    # Operations.
    BenchPath("incident list", ENGINEER, LIST_DETAIL, "/incidents/"),
    BenchPath("incident page", ENGINEER, LIST_DETAIL, _detail("/incidents/{pk}/", "incident")),
    BenchPath("incident queues", ENGINEER, LIST_DETAIL, "/incidents/queues/"),
    BenchPath("incident queue", ENGINEER, LIST_DETAIL, _detail("/incidents/queues/{pk}/", "team")),
    BenchPath("handover list", ITSM, LIST_DETAIL, "/handover/"),
    BenchPath("handover page", ITSM, LIST_DETAIL, _detail("/handover/{pk}/", "handover")),
    BenchPath("major-incident list", ITSM, LIST_DETAIL, "/major-incidents/"),
    BenchPath(
        "major-incident page",
        ITSM,
        LIST_DETAIL,
        _detail("/major-incidents/{pk}/", "major_incident"),
    ),
    # Problem management (issue 17).
    BenchPath("problem list", ITSM, LIST_DETAIL, "/incidents/problems/"),
    BenchPath("problem page", ITSM, LIST_DETAIL, _detail("/incidents/problems/{pk}/", "problem")),
    # Knowledge.
    BenchPath("lesson search", ENGINEER, LIST_DETAIL, f"/knowledge/?q={LESSON_QUERY}"),
    BenchPath("article search", ENGINEER, LIST_DETAIL, "/knowledge/articles/"),
    # Notifications: the user's own, and how they want them.
    BenchPath("notifications", ITSM, LIST_DETAIL, "/notifications/"),
    BenchPath("notification preferences", ENGINEER, PAGE, "/notifications/preferences/"),
    # The main API lists (first page of 50).
    BenchPath("API projects", PMO, API, "/api/portfolio/projects/"),
    BenchPath("API costs", PMO, API, "/api/portfolio/costs/"),
    BenchPath("API changes", ITSM, API, "/api/changes/changes/"),
    BenchPath("API conflicts", PMO, API, "/api/resources/conflicts/"),
    BenchPath("API incidents", ENGINEER, API, "/api/handover/incidents/"),
    BenchPath("API major incidents", ITSM, API, "/api/handover/major-incidents/"),
    BenchPath("API lessons", ENGINEER, API, "/api/knowledge/lessons/"),
    BenchPath("API notifications", ITSM, API, "/api/me/notifications/"),
    BenchPath("API problems", ENGINEER, API, "/api/handover/problems/"),
]

FLOOR_PATH = PATHS[0]


def select(only: str | None = None) -> list[BenchPath]:
    """The paths whose name holds `only` (case-insensitive; several: "board,api"), the floor
    always first."""
    words = [w.strip().lower() for w in (only or "").split(",") if w.strip()]
    chosen = [p for p in PATHS[1:] if not words or any(w in p.name.lower() for w in words)]
    return [FLOOR_PATH, *chosen]


def resolved(objects: Objects, only: str | None = None) -> list[tuple[BenchPath, str | None]]:
    """(path, url) for every selected path; url None when the data lacks its object."""
    return [(p, p.url(objects)) for p in select(only)]
