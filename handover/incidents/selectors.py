"""Reads of incident management that the pages and the API share, in a fixed number of
queries. Every role reads every incident: operations share one queue."""

from django.db.models import QuerySet

from ..models import Incident, Problem, WorkLog


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
