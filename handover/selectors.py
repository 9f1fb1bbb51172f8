"""Reads of the handover that the pages and the API share, in a fixed number of queries."""

from datetime import date, datetime, timedelta
from decimal import Decimal
from typing import Any

from django.conf import settings
from django.db.models import (
    Avg,
    Case,
    Count,
    DateField,
    DecimalField,
    ExpressionWrapper,
    F,
    Func,
    IntegerField,
    Prefetch,
    Q,
    QuerySet,
    Value,
    When,
)
from django.db.models.functions import Cast, Coalesce, Greatest, Least

from itsm_pmo.dates import moment_between
from itsm_pmo.permissions import Actor
from portfolio.selectors import go_live_on, serves_objective

from .choices import CHECK_SETTLED, CHECKS_EDITABLE, CheckStatus, HandoverState
from .models import Handover, ReadinessCheck


def handovers() -> QuerySet[Handover]:
    """Every handover, unscoped (every role reads every handover): a loader's lookups."""
    return Handover.objects.all()


def handover_list() -> QuerySet[Handover]:
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
        go_live_on=go_live_on(),
    )


def handover_detail() -> QuerySet[Handover]:
    """One handover with its checklist, state log and project."""
    return handover_list().prefetch_related(
        Prefetch(
            "checks",
            queryset=ReadinessCheck.objects.select_related("criterion", "owner", "owner__user"),
        ),
        "transitions__by",
    )


def awaiting_acceptance() -> QuerySet[Handover]:
    """Handovers in readiness review, waiting for operations to accept them, nearest go-live
    first; `due` is the go-live (operations accept before it)."""
    return (
        handover_list()
        .filter(state=HandoverState.READINESS_REVIEW)
        .annotate(due=F("go_live_on"))
        .order_by(F("due").asc(nulls_last=True), "pk")
    )


def open_checks_owned_by(user: Actor) -> QuerySet[ReadinessCheck]:
    """The open readiness checks `user` owns on handovers still being readied, the soonest due
    first. A mandatory check is `due` HANDOVER_READY_DAYS before go-live, when the engine
    starts reporting the handover as not ready; an optional one by go-live."""
    if not user.is_authenticated:
        return ReadinessCheck.objects.none()
    lead = timedelta(days=settings.HANDOVER_READY_DAYS)
    return (
        ReadinessCheck.objects.filter(owner__user=user, handover__state__in=CHECKS_EDITABLE)
        .exclude(status__in=CHECK_SETTLED)
        .select_related("criterion", "handover__project")
        .annotate(go_live_on=go_live_on("handover__project"))
        .annotate(
            due=Case(
                When(criterion__mandatory=True, then=Cast(F("go_live_on") - lead, DateField())),
                default=F("go_live_on"),
                output_field=DateField(),
            )
        )
        .order_by(F("due").asc(nulls_last=True), "criterion__order", "pk")
    )


# --- The executive view's aggregates (issue 16; docs/metrics.md, "Operational impact") ----


def in_scope(
    handovers: QuerySet[Handover], *, objective: int | None = None, service: int | None = None
) -> QuerySet[Handover]:
    """The handovers of a project aligned with `objective` and into `service` (docs/metrics.md,
    "Scope"); either None does not narrow."""
    if objective is not None:
        handovers = handovers.filter(serves_objective(objective))
    if service is not None:
        handovers = handovers.filter(service_id=service)
    return handovers


def closed_between(
    handovers: QuerySet[Handover], start: datetime | None, end: datetime | None
) -> QuerySet[Handover]:
    """Handovers closed in [start, end)."""
    return handovers.filter(closed_at__isnull=False).filter(moment_between("closed_at", start, end))


# The closing records the go-live → closed days (services.handover_transition); a handover
# without them (closed before it did, or written around it) has no transition time.
TIMED = Q(transition_days__isnull=False)


def transition_time(
    start: datetime, end: datetime, *, objective: int | None = None, service: int | None = None
) -> dict[str, Any]:
    """Handovers (in scope) closed in [start, end) with a recorded go-live → closed time, and
    the mean of that time in days (one aggregate query)."""
    handovers = in_scope(Handover.objects.filter(TIMED), objective=objective, service=service)
    return closed_between(handovers, start, end).aggregate(
        closed=Count("pk"), mean=Avg("transition_days")
    )


class DaysFrom(Func):
    """`DaysFrom(later, earlier)`: the whole days from the date `earlier` to the date `later`
    (negative when `later` is earlier), an integer on both databases (PostgreSQL subtracts
    dates to days; SQLite has julianday)."""

    arity = 2
    template = "(%(expressions)s)"
    arg_joiner = " - "
    output_field = IntegerField()

    def as_sqlite(self, compiler: Any, connection: Any, **extra_context: Any) -> Any:
        return self.as_sql(
            compiler,
            connection,
            template="CAST(julianday(%(expressions)s) AS INTEGER)",
            arg_joiner=") - julianday(",
            **extra_context,
        )


def early_life_hours_by_project(
    first: date, last: date, today: date, scope: dict[str, int | None] | None = None
) -> dict[int, Decimal]:
    """{project id: hours of early-life support from day `first` to `last`}: the handover's
    hours a week × the days of support in the range ÷ 7, from its start (or `first`) to its
    end (or `last`, or `today` while it runs: no hours ahead). One query, computed in it."""
    days = (
        DaysFrom(
            Least(Coalesce("els_ended_on", Value(today)), Value(last)),
            Greatest("els_started_on", Value(first)),
        )
        + 1
    )
    rows = (
        in_scope(Handover.objects.all(), **(scope or {}))
        .filter(els_started_on__isnull=False)
        .alias(days=days)
        .filter(days__gt=0)
        .annotate(
            # "7.0", not 7: SQLite divides integers to an integer.
            hours=ExpressionWrapper(
                F("els_effort_hours") * F("days") / Value(Decimal("7.0")),
                output_field=DecimalField(max_digits=12, decimal_places=2),
            )
        )
        .values_list("project_id", "hours")
    )
    return {project: hours for project, hours in rows if hours}
