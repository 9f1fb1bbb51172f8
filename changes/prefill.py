"""A change raised from a project's go-live milestone starts from what the portfolio and the
plan already know: the project, the configuration items of its services, who works on it."""

from datetime import datetime, time, timedelta

from django.utils import timezone

from itsm_pmo.dates import short_date

from .models import ConfigurationItem

GO_LIVE_WINDOW = (time(19, 0), timedelta(hours=3))  # an evening window on the go-live day


def likely_implementer(project, around):
    """The person with the most project hours on it around the date (else at any time)."""
    from resources.selectors import busiest_on_project

    return busiest_on_project(project=project, around=around)


def from_go_live(milestone) -> dict:
    """Initial values of the change form for a go-live milestone."""
    project = milestone.project
    implementer = likely_implementer(project, milestone.due_date)
    starts, length = GO_LIVE_WINDOW
    start = timezone.make_aware(datetime.combine(milestone.due_date, starts))
    return {
        "title": f"Go-live: {project.name}",
        "description": f"Deploys {project.code} {project.name} to production for the "
        f"milestone “{milestone.name}” on {short_date(milestone.due_date)}.",
        "category": "Project go-live",
        "project": project,
        "items": list(ConfigurationItem.objects.filter(service__in=project.services.all())),
        "implementer": implementer,
        "team": implementer.team if implementer else None,
        "planned_start": start,
        "planned_end": start + length,
    }
