"""Service-level rows: the targets per priority, each incident's two timers, and the
warnings and escalations recorded on it. Registered with the handover app (handover/models.py
imports this module)."""

from __future__ import annotations

from datetime import timedelta

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils import timezone

from itsm_pmo.models import AppendOnlyQuerySet

from .engine import KINDS, RESOLUTION, RESPONSE

PRIORITY_RANGE = [MinValueValidator(1), MaxValueValidator(5)]


class SlaTimerKind(models.TextChoices):
    RESPONSE = RESPONSE, "First response"
    RESOLUTION = RESOLUTION, "Resolution"


assert tuple(SlaTimerKind.values) == KINDS


class SlaEventKind(models.TextChoices):
    WARNING = "warning", "Warning at 75 %"
    BREACH = "breach", "Breached"
    ESCALATED_TO_MANAGER = "escalated_manager", "Escalated to the group's manager"
    ESCALATED_TO_ITSM = "escalated_itsm", "Escalated to the ITSM managers (P1)"


class SlaTarget(models.Model):
    """How long an incident of one priority may take to get a first response and to be
    resolved, in working minutes of its service's cover (editable in the admin)."""

    priority = models.PositiveSmallIntegerField(unique=True, validators=PRIORITY_RANGE)
    response_minutes = models.PositiveIntegerField(validators=[MinValueValidator(1)])
    resolution_minutes = models.PositiveIntegerField(validators=[MinValueValidator(1)])

    class Meta:
        ordering = ["priority"]
        constraints = [
            models.CheckConstraint(
                condition=Q(priority__gte=1, priority__lte=5), name="slatarget_priority_1_5"
            ),
            models.CheckConstraint(
                condition=Q(response_minutes__gte=1, resolution_minutes__gte=1),
                name="slatarget_minutes_positive",
            ),
        ]

    def __str__(self) -> str:
        return (
            f"P{self.priority}: respond in {self.response_minutes} min, "
            f"resolve in {self.resolution_minutes} min"
        )


class SlaTimer(models.Model):
    """One clock of an incident (response or resolution) as last computed from its history;
    durations are working seconds of the service's cover. Derived: `rebuild_sla_timers`
    recomputes every row."""

    incident = models.ForeignKey(
        "handover.Incident", on_delete=models.CASCADE, related_name="sla_timers"
    )
    kind = models.CharField(max_length=20, choices=SlaTimerKind.choices)
    priority = models.PositiveSmallIntegerField(validators=PRIORITY_RANGE)
    cover = models.CharField(max_length=20)
    target_seconds = models.PositiveIntegerField()
    started_at = models.DateTimeField()
    due_at = models.DateTimeField(null=True, blank=True)
    warn_at = models.DateTimeField(null=True, blank=True)
    elapsed_seconds = models.PositiveIntegerField(default=0)
    paused_seconds = models.PositiveIntegerField(default=0)
    is_paused = models.BooleanField(default=False)
    stopped_at = models.DateTimeField(null=True, blank=True)
    breached_at = models.DateTimeField(null=True, blank=True)
    computed_at = models.DateTimeField()
    # Set once by the sweep (a conditional update), never by a recompute.
    warned_at = models.DateTimeField(null=True, blank=True, editable=False)
    escalated_at = models.DateTimeField(null=True, blank=True, editable=False)

    class Meta:
        ordering = ["incident", "-kind"]
        constraints = [
            models.UniqueConstraint(fields=["incident", "kind"], name="slatimer_one_per_kind")
        ]
        indexes = [
            # The sweep's and the "breaching in the next hour" filter's reads: running clocks
            # by their due moment.
            models.Index(
                fields=["due_at"], name="slatimer_running_due", condition=Q(due_at__isnull=False)
            ),
            models.Index(
                fields=["warn_at"],
                name="slatimer_running_warn",
                condition=Q(warn_at__isnull=False, warned_at__isnull=True),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.incident_id} {self.kind}"

    @property
    def breached(self) -> bool:
        return self.breached_at is not None or (
            self.due_at is not None and self.due_at <= timezone.now()
        )

    @property
    def running(self) -> bool:
        return self.due_at is not None

    @property
    def status(self) -> str:
        """ok, warning, breached, paused or met/missed (stopped): the display's colour."""
        now = timezone.now()
        if self.stopped_at is not None:
            return "breached" if self.breached_at is not None else "met"
        if self.breached:
            return "breached"
        if self.is_paused:
            return "paused"
        if self.warn_at is not None and self.warn_at <= now:
            return "warning"
        return "ok"

    @property
    def time_left(self) -> timedelta | None:
        """Wall-clock time until due (negative when overdue); None unless running."""
        return self.due_at - timezone.now() if self.due_at is not None else None

    @property
    def target(self) -> timedelta:
        return timedelta(seconds=self.target_seconds)

    @property
    def elapsed(self) -> timedelta:
        return timedelta(seconds=self.elapsed_seconds)

    @property
    def paused(self) -> timedelta:
        return timedelta(seconds=self.paused_seconds)

    @property
    def share(self) -> int:
        """Elapsed working time as a percentage of the target, at the last computation."""
        return round(100 * self.elapsed_seconds / self.target_seconds) if self.target_seconds else 0


class SlaEvent(models.Model):
    """A warning or escalation of one timer, recorded on the incident with who was told
    (append-only; one of each kind per timer, which keeps the sweep idempotent)."""

    incident = models.ForeignKey(
        "handover.Incident", on_delete=models.CASCADE, related_name="sla_events"
    )
    timer = models.ForeignKey(SlaTimer, on_delete=models.CASCADE, related_name="events")
    kind = models.CharField(max_length=20, choices=SlaEventKind.choices)
    at = models.DateTimeField(default=timezone.now)
    told = models.ManyToManyField(settings.AUTH_USER_MODEL, blank=True, related_name="+")
    told_names = models.CharField(max_length=500, blank=True)

    objects = AppendOnlyQuerySet.as_manager()

    class Meta:
        ordering = ["at", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["timer", "kind"], name="slaevent_once_per_timer")
        ]

    def __str__(self) -> str:
        return f"{self.incident_id} {self.timer.kind}: {self.get_kind_display()}"
