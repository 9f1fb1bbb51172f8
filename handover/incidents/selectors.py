"""Reads of incident management that the pages and the API share, in a fixed number of
queries. Every role reads every incident: operations share one queue."""

from datetime import date, datetime, timedelta
from decimal import Decimal
from typing import Any

from django.db.models import (
    Avg,
    Case,
    Count,
    DateTimeField,
    DurationField,
    Exists,
    ExpressionWrapper,
    F,
    OuterRef,
    Prefetch,
    Q,
    QuerySet,
    Sum,
    When,
)
from django.db.models.functions import Coalesce, TruncDate
from django.utils import timezone

from itsm_pmo.dates import day_bounds, moment_between
from itsm_pmo.permissions import Actor

from ..choices import OPEN_INCIDENT_STATES
from ..models import (
    Handover,
    Incident,
    IncidentCategory,
    IncidentReassignment,
    WorkLog,
)
from .priority import RESOLVE_WITHIN
from .sla.selectors import with_timers


def incidents() -> QuerySet[Incident]:
    """Every incident, unscoped and without joins: the choices of another app's form, a
    loader's lookups."""
    return Incident.objects.all()


def incident_list() -> QuerySet[Incident]:
    """Incidents with their service, project, assignee and causing change, and their
    service-level timers."""
    return with_timers(
        Incident.objects.select_related("service", "project", "assignee", "caused_by_change")
    )


def incident_detail() -> QuerySet[Incident]:
    """One incident with everything its page and the API show."""
    return incident_list().select_related(
        "problem",
        "reporter",
        "caused_by_change__project",
        "category",
        "subcategory",
        "assignment_group",
        "configuration_item",
    )


def work_log_list() -> QuerySet[WorkLog]:
    """Work logs, newest day first, with their incident and person."""
    return WorkLog.objects.select_related("incident", "person").order_by("-day", "-pk")


def resolve_by() -> Case:
    """For an annotation: when the incident is to be resolved (opened + its priority's
    target, `RESOLVE_WITHIN`)."""
    return Case(
        *(When(priority=p, then=F("opened_at") + within) for p, within in RESOLVE_WITHIN.items()),
        output_field=DateTimeField(),
    )


def waiting_for(user: Actor) -> QuerySet[Incident]:
    """Open incidents waiting for `user`: assigned to them, or to nobody yet in their team's
    queue (its assignment group, else the owning team of its service); `due` is when each is
    to be resolved, soonest first."""
    if not user.is_authenticated:
        return Incident.objects.none()
    # A subquery, not a join: joining the team's members would repeat each incident per member.
    # The team's queue is its assignment group's (issue 17); an incident in no group yet is
    # its service's owning team's.
    teams_queue = Exists(
        Incident.objects.filter(pk=OuterRef("pk")).filter(
            Q(assignment_group__members__user=user)
            | Q(assignment_group__isnull=True, service__owning_team__members__user=user)
        )
    )
    return (
        Incident.objects.filter(state__in=OPEN_INCIDENT_STATES)
        .filter(Q(assignee__user=user) | Q(teams_queue, assignee__isnull=True))
        .select_related("service", "assignee")
        .annotate(due=resolve_by())
        .order_by("due", "pk")
    )


# --- The executive view's aggregates (issue 16; docs/metrics.md, "Operational impact") ----
# Each condition is written once, as a function narrowing a queryset of incidents; the
# aggregates and the incident list's filters (filtersets.py) both apply it, so a drill-down's
# list counts what the number counts.

ATTRIBUTED = "attributed_project"
OPENED_DAY = "opened_day"


def attributed_to(path: str = "") -> Coalesce:
    """The project an incident (at `path`) counts for: the one it is on, else the one whose
    change caused it (one project, so grouped counts add up to the incidents)."""
    return Coalesce(f"{path}project", f"{path}caused_by_change__project")


# `linked=`: on a project; caused by a change of a project (an incident may be both).
LINKS = {
    "project": Q(project__isnull=False),
    "project_change": Q(caused_by_change__project__isnull=False),
}


def _with_attribution(queryset: QuerySet[Incident]) -> QuerySet[Incident]:
    """The queryset with `attributed_project` and `opened_day` (the local day it opened),
    once: two conditions applied together share them."""
    if ATTRIBUTED in queryset.query.annotations:
        return queryset
    return queryset.annotate(**{ATTRIBUTED: attributed_to(), OPENED_DAY: TruncDate("opened_at")})


def opened_in(
    queryset: QuerySet[Incident], start: datetime | None, end: datetime | None
) -> QuerySet[Incident]:
    """Opened in [start, end) (either end open): the list's `opened_after/_before`."""
    return queryset.filter(moment_between("opened_at", start, end))


def resolved_in(
    queryset: QuerySet[Incident], start: datetime | None, end: datetime | None
) -> QuerySet[Incident]:
    """Resolved in [start, end): the list's `resolved_after/_before`."""
    return queryset.filter(moment_between("resolved_at", start, end))


def worked_in(
    queryset: QuerySet[Incident], start: datetime | None, end: datetime | None
) -> QuerySet[Incident]:
    """With a work log on a local day of [start, end) (whole days): `worked_after/_before`."""
    first = None if start is None else timezone.localtime(start).date()
    last = None if end is None else timezone.localtime(end).date() - timedelta(days=1)
    return worked_between(queryset, first, last)


def opened_between(
    queryset: QuerySet[Incident], first: date | None, last: date | None
) -> QuerySet[Incident]:
    """Opened from day `first` to day `last`, both included."""
    return opened_in(queryset, *day_bounds(first, last))


def resolved_between(
    queryset: QuerySet[Incident], first: date | None, last: date | None
) -> QuerySet[Incident]:
    return resolved_in(queryset, *day_bounds(first, last))


def logs_between(first: date | None, last: date | None) -> QuerySet[WorkLog]:
    """Work logs of a day from `first` to `last`, both included."""
    logs = WorkLog.objects.all()
    if first is not None:
        logs = logs.filter(day__gte=first)
    if last is not None:
        logs = logs.filter(day__lte=last)
    return logs


def worked_between(
    queryset: QuerySet[Incident], first: date | None, last: date | None
) -> QuerySet[Incident]:
    """With a work log on a day from `first` to `last` (a subquery: one row per incident)."""
    return queryset.filter(Exists(logs_between(first, last).filter(incident=OuterRef("pk"))))


def linked(queryset: QuerySet[Incident], to: str) -> QuerySet[Incident]:
    """`project`: on a project; `project_change`: caused by a change of a project."""
    return queryset.filter(LINKS[to])


def for_project(queryset: QuerySet[Incident], project: int) -> QuerySet[Incident]:
    """The incidents that count for a project (`attributed_to`)."""
    return _with_attribution(queryset).filter(**{ATTRIBUTED: project})


def during_early_life(queryset: QuerySet[Incident]) -> QuerySet[Incident]:
    """Opened on a day of its project's early-life support (its handover's `els_started_on`
    to `els_ended_on`, or still running)."""
    support = Handover.objects.filter(
        project=OuterRef(ATTRIBUTED), els_started_on__lte=OuterRef(OPENED_DAY)
    ).filter(Q(els_ended_on__isnull=True) | Q(els_ended_on__gte=OuterRef(OPENED_DAY)))
    return _with_attribution(queryset).filter(Exists(support))


def after_go_live(
    queryset: QuerySet[Incident], first: date | None, last: date | None, *, days: int = 30
) -> QuerySet[Incident]:
    """Opened in the `days` days from the go-live (day 0 to day days − 1, local days) of the
    project it counts for, that go-live (as `go_live_on`: done, else planned) falling from
    `first` to `last`. One subquery, whatever the number of go-lives."""
    from portfolio.selectors import go_live_on

    queryset = _with_attribution(queryset).alias(go_live=go_live_on(ATTRIBUTED))
    if first is not None:
        queryset = queryset.filter(go_live__gte=first)
    if last is not None:
        queryset = queryset.filter(go_live__lte=last)
    return queryset.alias(
        since_go_live=ExpressionWrapper(F(OPENED_DAY) - F("go_live"), output_field=DurationField())
    ).filter(since_go_live__gte=timedelta(0), since_go_live__lt=timedelta(days=days))


def in_scope(
    queryset: QuerySet[Incident], *, objective: int | None = None, service: int | None = None
) -> QuerySet[Incident]:
    """The incidents of the dashboard's scope (docs/metrics.md, "Scope"): `objective` keeps
    those on a project aligned with it or caused by a change of one; `service` those on it."""
    if objective is not None:
        from portfolio.selectors import serves_objective

        queryset = queryset.filter(
            serves_objective(objective) | serves_objective(objective, "caused_by_change__project")
        )
    if service is not None:
        queryset = queryset.filter(service=service)
    return queryset


def scoped(objective: int | None = None, service: int | None = None) -> QuerySet[Incident]:
    """Every incident of the scope (all without one): where each aggregate starts."""
    return in_scope(Incident.objects.all(), objective=objective, service=service)


def resolution_by_priority(
    first: date, last: date, scope: QuerySet[Incident] | None = None
) -> dict[int, dict[str, Any]]:
    """{priority: {"resolved": n, "mean": timedelta}} over incidents resolved from day
    `first` to `last`: one grouped query. Elapsed time from opened to resolved, as
    RESOLVE_WITHIN measures it."""
    rows = (
        resolved_between(_start(scope), first, last)
        .values("priority")
        .annotate(
            resolved=Count("pk"),
            mean=Avg(
                ExpressionWrapper(F("resolved_at") - F("opened_at"), output_field=DurationField())
            ),
        )
        .order_by()
    )
    return {row["priority"]: {"resolved": row["resolved"], "mean": row["mean"]} for row in rows}


def _start(scope: QuerySet[Incident] | None) -> QuerySet[Incident]:
    return Incident.objects.all() if scope is None else scope


def incidents_linked_to_projects(
    first: date, last: date, scope: QuerySet[Incident] | None = None
) -> dict[str, int]:
    """Incidents opened from day `first` to `last`: all, those linked to a project, and those
    caused by a change of a project (one aggregate query; an incident may be both)."""
    opened = opened_between(_start(scope), first, last)
    return opened.aggregate(
        opened=Count("pk"),
        to_projects=Count("pk", filter=LINKS["project"]),
        through_changes=Count("pk", filter=LINKS["project_change"]),
    )


def serious_after_go_live(
    first: date,
    last: date,
    *,
    days: int = 30,
    worst: int = 2,
    scope: QuerySet[Incident] | None = None,
) -> dict[int, int]:
    """{project id: incidents of priority `worst` or higher (P1–P2) opened in the `days`
    days from its go-live} for the projects whose go-live falls from day `first` to `last`:
    one grouped query, whatever the number of go-lives (`after_go_live`)."""
    rows = (
        after_go_live(_start(scope).filter(priority__lte=worst), first, last, days=days)
        .values(ATTRIBUTED)
        .annotate(n=Count("pk"))
        .order_by()
    )
    return {row[ATTRIBUTED]: row["n"] for row in rows}


def early_life_incidents_by_project(
    first: date, last: date, top: int = 5, scope: QuerySet[Incident] | None = None
) -> list[Any]:
    """[(project id, incidents)] for the `top` projects with the most incidents opened from
    day `first` to `last` while their handover was in early-life support
    (`during_early_life`): one grouped query."""
    rows = (
        during_early_life(opened_between(_start(scope), first, last))
        .values(ATTRIBUTED)
        .annotate(n=Count("pk"))
        .order_by("-n", ATTRIBUTED)[:top]
    )
    return [(row[ATTRIBUTED], row["n"]) for row in rows]


def work_hours_by_project(
    first: date, last: date, scope: QuerySet[Incident] | None = None
) -> dict[int, Decimal]:
    """{project id: hours logged from `first` to `last` (days, both included) on the
    incidents that count for the project (`attributed_to`)}: one grouped query."""
    logs = logs_between(first, last)
    if scope is not None:
        logs = logs.filter(incident__in=scope.values("pk"))
    rows = (
        logs.annotate(linked=attributed_to("incident__"))
        .filter(linked__isnull=False)
        .values("linked")
        .annotate(hours=Sum("hours"))
        .order_by()
    )
    return {row["linked"]: row["hours"] for row in rows}


# --- Queues and assignment (issue 17; docs/decisions.md, "Queues and assignment") ---------


def categories() -> QuerySet[IncidentCategory]:
    """The catalogue's categories (top level), each with its subcategories as `children`:
    two queries."""
    return (
        IncidentCategory.objects.filter(parent__isnull=True)
        .prefetch_related(
            Prefetch("subcategories", queryset=IncidentCategory.objects.all(), to_attr="children")
        )
        .order_by("name")
    )


def catalogue_entries() -> QuerySet[IncidentCategory]:
    """Every entry of the catalogue, categories and subcategories, each with `children`."""
    return IncidentCategory.objects.prefetch_related(
        Prefetch("subcategories", queryset=IncidentCategory.objects.all(), to_attr="children")
    )


def subcategories() -> QuerySet[IncidentCategory]:
    """Every subcategory with its category (the form's choices, filtered by its script)."""
    return IncidentCategory.objects.filter(parent__isnull=False).select_related("parent")


def queues(user: Actor, *, now: datetime | None = None) -> QuerySet[Any]:
    """The assignment groups with open incidents (and the user's own team, even empty): each
    team with `open`, `unassigned` and `breached` (its resolution was due before `now`)
    counts, aggregated in one query; the user's team first, then the busiest."""
    from resources.selectors import person_for_user, teams

    now = now or timezone.now()
    person = person_for_user(user)
    mine = person.team_id if person is not None else None
    is_open = Q(incidents__state__in=OPEN_INCIDENT_STATES)
    return (
        teams()
        .annotate(
            open=Count("incidents", filter=is_open),
            unassigned=Count("incidents", filter=is_open & Q(incidents__assignee__isnull=True)),
            breached=Count("incidents", filter=is_open & Q(incidents__resolution_due_at__lt=now)),
            yours=Case(When(pk=mine, then=0), default=1),
        )
        .filter(Q(open__gt=0) | Q(pk=mine))
        .order_by("yours", "-open", "name")
    )


def queue(team_id: int) -> QuerySet[Incident]:
    """A group's queue: its open incidents, unassigned first, then by priority, then the
    soonest resolution due (none last), then the oldest."""
    return with_timers(
        Incident.objects.filter(assignment_group=team_id, state__in=OPEN_INCIDENT_STATES)
        .select_related("service", "assignee")
        .annotate(has_assignee=Case(When(assignee__isnull=True, then=0), default=1))
        .order_by(
            "has_assignee",
            "priority",
            F("resolution_due_at").asc(nulls_last=True),
            "opened_at",
            "pk",
        )
    )


def reassignments(incident: Incident) -> QuerySet[IncidentReassignment]:
    """An incident's assignment history, newest first, with the groups, people and actor."""
    return incident.reassignments.select_related(
        "from_group", "to_group", "from_person", "to_person", "by"
    )
