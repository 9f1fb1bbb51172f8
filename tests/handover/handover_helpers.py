"""Builders the handover tests share."""

from datetime import date, datetime, time, timedelta

from django.utils import timezone

from handover.choices import CheckStatus, HandoverState
from handover.models import Handover, Incident
from handover.services import handover_open
from tests.factories import (
    MilestoneFactory,
    ProjectFactory,
    ServiceFactory,
    TeamFactory,
    UserFactory,
)


def open_handover(*, go_live: date | None = None, team=True, **project_fields) -> Handover:
    """An approved-like project with a go-live milestone and support team, and its handover."""
    project = ProjectFactory(support_team=TeamFactory() if team else None, **project_fields)
    if go_live is not None:
        MilestoneFactory(project=project, due_date=go_live)
    return handover_open(project=project)


def settle_checks(handover: Handover, status=CheckStatus.DONE) -> None:
    handover.checks.update(status=status)


def force_state(handover: Handover, state: str, **fields) -> Handover:
    Handover.objects.filter(pk=handover.pk).update(state=state, **fields)
    handover.refresh_from_db()
    return handover


def incident(project, opened: date, priority: int) -> Incident:
    opened_at = timezone.make_aware(datetime.combine(opened, time(10, 0)))
    return Incident.objects.create(
        title=f"P{priority} on {opened}",
        service=ServiceFactory(),
        project=project,
        reporter=UserFactory(),
        opened_at=opened_at,
        priority=priority,
        impact=min(priority, 3),
        urgency=min(priority, 3),
        number=None,
    )


def days(n: int) -> date:
    return timezone.localdate() + timedelta(days=n)


__all__ = [
    "CheckStatus",
    "HandoverState",
    "days",
    "force_state",
    "incident",
    "open_handover",
    "settle_checks",
]
