"""The portfolio's panels on the home page."""

from django.db.models import Count, Q
from django.urls import reverse

from itsm_pmo.home import WorkItem, WorkPanel
from itsm_pmo.roles import Role, has_role

from .choices import CriterionKind, Stage
from .models import Criterion, Project


def triage_panel(user) -> WorkPanel | None:
    """For PMO leads: proposals waiting for triage, unscored ones first."""
    if not has_role(user, [Role.PMO_LEAD]):
        return None
    needed = Criterion.objects.filter(kind=CriterionKind.SCORED).count()
    waiting = (
        Project.objects.filter(stage__in=[Stage.PROPOSED, Stage.ASSESSED])
        .annotate(scored=Count("scores", filter=Q(scores__criterion__kind="scored")))
        .order_by("scored", "created_at")[:6]
    )
    items = []
    for project in waiting:
        missing = needed - project.scored
        items.append(
            WorkItem(
                title=f"{project.code} {project.name}",
                url=project.get_absolute_url(),
                meta=project.get_stage_display(),
                badge=f"{missing} to score" if missing else "ready to decide",
                tone="warning" if missing else "success",
            )
        )
    return WorkPanel(
        title="Waiting for triage",
        icon="kanban",
        items=items,
        empty="No proposal is waiting for you.",
        more_url=reverse("portfolio:index"),
        order=10,
    )


def my_projects_panel(user) -> WorkPanel | None:
    """For anyone who owns projects: their live projects and their health."""
    person = getattr(user, "person", None)
    if person is None:
        return None
    projects = (
        Project.objects.filter(owner=person)
        .exclude(stage__in=[Stage.CLOSED, Stage.REJECTED])
        .order_by("code")[:6]
    )
    items = [
        WorkItem(
            title=f"{p.code} {p.name}",
            url=p.get_absolute_url(),
            meta=p.get_stage_display(),
            badge=p.get_health_display(),
            tone={"green": "success", "amber": "warning", "red": "danger"}[p.health],
        )
        for p in projects
    ]
    if not items:
        return None
    return WorkPanel(
        title="My projects",
        icon="folder2-open",
        items=items,
        more_url=reverse("portfolio:project_list") + f"?owner={person.pk}",
        order=20,
    )
