"""Reads of the handover that the pages and the API share, in a fixed number of queries."""

from django.db.models import Count, OuterRef, Prefetch, Q, Subquery
from django.db.models.functions import Coalesce

from portfolio.choices import MilestoneKind
from portfolio.models import Milestone

from .choices import CHECK_SETTLED, CheckStatus
from .models import Handover, ReadinessCheck


def _go_live_subquery():
    milestones = Milestone.objects.filter(
        project=OuterRef("project"), kind=MilestoneKind.GO_LIVE
    ).order_by("due_date", "pk")
    return Subquery(milestones.annotate(on=Coalesce("completed_on", "due_date")).values("on")[:1])


def handover_list():
    """Handovers with their project, team and service, readiness counts and go-live date."""
    open_states = [s for s in CheckStatus.values if s not in CHECK_SETTLED]
    return Handover.objects.select_related(
        "project", "service", "receiving_team", "accepted_by"
    ).annotate(
        checks_total=Count("checks", distinct=True),
        checks_done=Count("checks", filter=Q(checks__status=CheckStatus.DONE), distinct=True),
        checks_waived=Count("checks", filter=Q(checks__status=CheckStatus.WAIVED), distinct=True),
        mandatory_open=Count(
            "checks",
            filter=Q(checks__status__in=open_states, checks__criterion__mandatory=True),
            distinct=True,
        ),
        go_live_on=_go_live_subquery(),
    )


def handover_detail():
    """One handover with its checklist, state log and project."""
    return handover_list().prefetch_related(
        Prefetch(
            "checks",
            queryset=ReadinessCheck.objects.select_related("criterion", "owner", "owner__user"),
        ),
        "transitions__by",
    )
