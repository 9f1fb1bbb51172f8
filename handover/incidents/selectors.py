"""Reads of incident management that the pages and the API share, in a fixed number of
queries. Every role reads every incident: operations share one queue."""

from django.db.models import Case, DateTimeField, Exists, F, OuterRef, Q, QuerySet, When

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
