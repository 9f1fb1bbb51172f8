"""Reads of incident management that the pages and the API share, in a fixed number of
queries. Every role reads every incident: operations share one queue."""

from datetime import datetime
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
    When,
)

from itsm_pmo.permissions import Actor

from ..choices import OPEN_INCIDENT_STATES
from ..models import Incident, Problem, WorkLog
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
