"""The demo's problems group their service's past incidents: run after the year's history
(handover.demo_history) has made them. Resolved ones over a month old only, so that this
month's recurrence on the payments gateway still asks for a problem of its own."""

from datetime import timedelta

from django.utils import timezone

from ..choices import IncidentState
from ..models import Incident, Problem
from .demo import PROBLEMS


def seed(ctx) -> None:
    now = timezone.now()
    titles = [p[0] for p in PROBLEMS[1:]]  # the first groups the refund incidents it came from
    problems = Problem.objects.filter(title__in=titles).order_by("pk")
    linked = 0
    for n, problem in enumerate(problems):
        past = (
            Incident.objects.filter(
                service=problem.service_id,
                problem__isnull=True,
                state__in=(IncidentState.RESOLVED, IncidentState.CLOSED),
                opened_at__lt=now - timedelta(days=35),
            )
            .order_by("-opened_at", "pk")
            .values_list("pk", flat=True)[: 1 + n % 2]
        )
        linked += Incident.objects.filter(pk__in=list(past)).update(problem=problem)
    ctx.counts["problem_incidents_grouped"] = linked
