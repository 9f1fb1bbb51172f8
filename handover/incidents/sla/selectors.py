"""Reads of the service levels shared by the pages and the API, in a fixed number of
queries."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import TYPE_CHECKING

from django.db.models import Exists, OuterRef, Prefetch, QuerySet
from django.utils import timezone

from .models import SlaEvent, SlaTimer

if TYPE_CHECKING:
    from ...models import Incident


def with_timers(incidents: QuerySet[Incident]) -> QuerySet[Incident]:
    """Incidents with their two timers (one query for a page of them)."""
    return incidents.prefetch_related(Prefetch("sla_timers", queryset=SlaTimer.objects.all()))


def events_of(incident: Incident) -> QuerySet[SlaEvent]:
    """The warnings and escalations recorded on an incident, oldest first, with their timer."""
    return SlaEvent.objects.filter(incident=incident).select_related("timer")


def breaching_within(
    incidents: QuerySet[Incident], within: timedelta, *, now: datetime | None = None
) -> QuerySet[Incident]:
    """Incidents with a running timer (response or resolution) that falls due between now and
    `within` from now: not yet breached, not paused, not stopped."""
    now = now or timezone.now()
    soon = SlaTimer.objects.filter(
        incident=OuterRef("pk"), due_at__gt=now, due_at__lte=now + within
    )
    return incidents.filter(Exists(soon))
