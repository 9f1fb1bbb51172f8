"""Reads of incident management that the pages and the API share, in a fixed number of
queries. Every role reads every incident: operations share one queue."""

from datetime import date, datetime, time, timedelta
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
    Q,
    QuerySet,
    Subquery,
    Sum,
    When,
)
from django.db.models.functions import Coalesce, TruncDate
from django.utils import timezone

from itsm_pmo.permissions import Actor

from ..choices import OPEN_INCIDENT_STATES
from ..models import Handover, Incident, Problem, WorkLog
from .priority import RESOLVE_WITHIN


def incidents() -> QuerySet[Incident]:
    """Every incident, unscoped and without joins: the choices of another app's form, a
    loader's lookups."""
    return Incident.objects.all()


def incident_list() -> QuerySet[Incident]:
    """Incidents with their service, project, assignee and causing change."""
    return Incident.objects.select_related("service", "project", "assignee", "caused_by_change")


def incident_detail() -> QuerySet[Incident]:
    """One incident with everything its page and the API show."""
    return incident_list().select_related("problem", "reporter", "caused_by_change__project")


def problem_list() -> QuerySet[Problem]:
    """Problems with their incidents' ids."""
    return Problem.objects.prefetch_related("incidents")


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
    """Open incidents waiting for `user`: assigned to them, or to nobody yet on a service their
    team owns (the team's queue); `due` is when each is to be resolved, soonest first."""
    if not user.is_authenticated:
        return Incident.objects.none()
    # A subquery, not a join: joining the team's members would repeat each incident per member.
    teams_queue = Exists(
        Incident.objects.filter(pk=OuterRef("pk"), service__owning_team__members__user=user)
    )
    return (
        Incident.objects.filter(state__in=OPEN_INCIDENT_STATES)
        .filter(Q(assignee__user=user) | Q(teams_queue, assignee__isnull=True))
        .select_related("service", "assignee")
        .annotate(due=resolve_by())
        .order_by("due", "pk")
    )


# --- The executive view's aggregates (issue 16; docs/metrics.md, "Operational impact") ----


def resolution_by_priority(start: datetime, end: datetime) -> dict[int, dict[str, Any]]:
    """{priority: {"resolved": n, "mean": timedelta}} over incidents resolved in [start, end):
    one grouped query. Elapsed time from opened to resolved, as RESOLVE_WITHIN measures it."""
    rows = (
        Incident.objects.filter(resolved_at__gte=start, resolved_at__lt=end)
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


def incidents_linked_to_projects(start: datetime, end: datetime) -> dict[str, int]:
    """Incidents opened in [start, end): all, those linked to a project, and those caused by
    a change of a project (one aggregate query; an incident may be both)."""
    return Incident.objects.filter(opened_at__gte=start, opened_at__lt=end).aggregate(
        opened=Count("pk"),
        to_projects=Count("pk", filter=Q(project__isnull=False)),
        through_changes=Count("pk", filter=Q(caused_by_change__project__isnull=False)),
    )


def serious_after_go_live(
    go_lives: dict[int, date], *, days: int = 30, worst: int = 2
) -> dict[int, int]:
    """{project id: incidents of priority `worst` or higher (P1–P2) opened in the `days`
    days from its go-live} for the given {project id: go-live date}: one grouped query. An
    incident counts for a project when it is on the project or caused by one of its changes."""
    if not go_lives:
        return {}
    zone = timezone.get_current_timezone()
    windows = Q()
    for project, day in go_lives.items():
        first = datetime.combine(day, time.min, tzinfo=zone)
        windows |= Q(
            linked=project,
            opened_at__gte=first,
            opened_at__lt=datetime.combine(day + timedelta(days=days), time.min, tzinfo=zone),
        )
    rows = (
        Incident.objects.filter(priority__lte=worst)
        .annotate(linked=Coalesce("project", "caused_by_change__project"))
        .filter(windows)
        .values("linked")
        .annotate(n=Count("pk"))
        .order_by()
    )
    return {row["linked"]: row["n"] for row in rows}


def early_life_incidents_by_project(start: datetime, end: datetime, top: int = 5) -> list[Any]:
    """[(project id, incidents)] for the `top` projects with the most incidents opened in
    [start, end) while their handover was in early-life support (from its start to its end,
    or still running): on the project or caused by one of its changes. One grouped query."""
    linked = Coalesce("project", "caused_by_change__project")
    rows = (
        Incident.objects.filter(opened_at__gte=start, opened_at__lt=end)
        .annotate(
            linked=linked,
            day=TruncDate("opened_at"),
            els_from=Subquery(
                Handover.objects.filter(project=OuterRef("linked")).values("els_started_on")[:1]
            ),
            els_to=Subquery(
                Handover.objects.filter(project=OuterRef("linked")).values("els_ended_on")[:1]
            ),
        )
        .filter(day__gte=F("els_from"))
        .filter(Q(els_to__isnull=True) | Q(day__lte=F("els_to")))
        .values("linked")
        .annotate(n=Count("pk"))
        .order_by("-n", "linked")[:top]
    )
    return [(row["linked"], row["n"]) for row in rows]


def work_hours_by_project(first: date, last: date) -> dict[int, Decimal]:
    """{project id: hours logged from `first` to `last` (days, both included) on incidents on
    the project or caused by one of its changes}: one grouped query."""
    rows = (
        WorkLog.objects.filter(day__gte=first, day__lte=last)
        .annotate(linked=Coalesce("incident__project", "incident__caused_by_change__project"))
        .filter(linked__isnull=False)
        .values("linked")
        .annotate(hours=Sum("hours"))
        .order_by()
    )
    return {row["linked"]: row["hours"] for row in rows}
