"""Handover to operations (readiness, sign-off, early-life support) and incidents."""

from decimal import Decimal

from django.conf import settings
from django.core.validators import MinValueValidator
from django.db import models
from django.db.models import Q
from django.db.models.functions import Lower
from django.urls import reverse
from django.utils import timezone

from itsm_pmo.dates import not_in_future, plausible_date
from itsm_pmo.duplicates import ExplainsDuplicates
from itsm_pmo.models import AppendOnlyQuerySet, TransitionRecord
from itsm_pmo.text import BoundedTextField

from .choices import CheckStatus, HandoverState, HoldReason, IncidentState, Level, ProblemState
from .incidents.priority import LABELS


class ReadinessCriterion(ExplainsDuplicates):
    """One thing operations need before they accept a service (e.g. a published runbook)."""

    name = models.CharField(max_length=120, unique=True)
    description = BoundedTextField(blank=True)
    mandatory = models.BooleanField(default=True)
    order = models.PositiveSmallIntegerField(default=100)
    active = models.BooleanField(default=True)

    class Meta:
        ordering = ["order", "name"]
        verbose_name_plural = "readiness criteria"

    def __str__(self) -> str:
        return self.name


class Handover(models.Model):
    """A project's handover to operations, opened when the project is approved."""

    project = models.OneToOneField(
        "portfolio.Project", on_delete=models.PROTECT, related_name="handover"
    )
    service = models.ForeignKey(
        "portfolio.Service",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="handovers",
        help_text="The existing service it delivers into.",
    )
    new_service_name = models.CharField(
        max_length=120, blank=True, help_text="Or the new service it creates."
    )
    receiving_team = models.ForeignKey(
        "resources.Team", null=True, blank=True, on_delete=models.SET_NULL, related_name="handovers"
    )
    state = models.CharField(
        max_length=30,
        choices=HandoverState.choices,
        default=HandoverState.PLANNING,
        editable=False,
        db_index=True,
    )
    # Early-life support: from go-live until no incident of priority <= els_max_priority
    # has been opened for els_quiet_days.
    els_quiet_days = models.PositiveSmallIntegerField(
        default=14,
        validators=[MinValueValidator(1)],
        help_text="Days without a serious incident before early-life support ends.",
    )
    els_max_priority = models.PositiveSmallIntegerField(
        default=2, help_text="Incidents of this priority or higher (1 is highest) count."
    )
    els_effort_hours = models.DecimalField(
        max_digits=6,
        decimal_places=1,
        default=Decimal("10"),
        validators=[MinValueValidator(Decimal("0"))],
        help_text="Hours a week the receiving team spends on early-life support.",
    )
    els_started_on = models.DateField(null=True, blank=True, editable=False)
    els_ended_on = models.DateField(null=True, blank=True, editable=False)
    accepted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        editable=False,
    )
    accepted_at = models.DateTimeField(null=True, blank=True, editable=False)
    closed_at = models.DateTimeField(null=True, blank=True, editable=False)
    transition_days = models.PositiveIntegerField(
        null=True, blank=True, editable=False, help_text="Go-live to closed, in days."
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        permissions = [
            ("transition_handover", "Can move a handover between states"),
            ("accept_handover", "Can accept a handover into operations"),
        ]

    def __str__(self) -> str:
        return f"Handover of {self.project}"

    def get_absolute_url(self) -> str:
        return reverse("handover:handover_detail", args=[self.pk])

    @property
    def service_label(self) -> str:
        return str(self.service) if self.service_id else (self.new_service_name or "—")


class ReadinessCheck(models.Model):
    """One criterion for one handover: who owns it, where it stands, the evidence."""

    handover = models.ForeignKey(Handover, on_delete=models.CASCADE, related_name="checks")
    criterion = models.ForeignKey(
        ReadinessCriterion, on_delete=models.PROTECT, related_name="checks"
    )
    owner = models.ForeignKey(
        "resources.Person",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="readiness_checks",
    )
    status = models.CharField(max_length=20, choices=CheckStatus.choices, default=CheckStatus.TODO)
    evidence_url = models.URLField(blank=True, max_length=500)
    waiver_reason = BoundedTextField(blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["criterion__order", "criterion__name"]
        constraints = [
            models.UniqueConstraint(
                fields=["handover", "criterion"], name="one_check_per_criterion"
            ),
            models.CheckConstraint(
                condition=~Q(status=CheckStatus.WAIVED) | ~Q(waiver_reason=""),
                name="waiver_needs_reason",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.criterion} ({self.get_status_display()})"


class HandoverTransition(TransitionRecord):
    """One move of a handover between states (append-only; see itsm_pmo.models)."""

    handover = models.ForeignKey(Handover, on_delete=models.CASCADE, related_name="transitions")
    from_state = models.CharField(max_length=30, choices=HandoverState.choices)
    to_state = models.CharField(max_length=30, choices=HandoverState.choices)

    subject_field = "handover"

    class Meta(TransitionRecord.Meta):
        pass


class Problem(models.Model):
    """Groups incidents with one root cause, through the ITIL problem life cycle; once its
    workaround is written down it is a known error, published as a knowledge article."""

    number = models.CharField(max_length=12, unique=True, null=True, editable=False)
    title = models.CharField(max_length=200)
    service = models.ForeignKey(
        "portfolio.Service",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="problems",
        help_text="The service whose incidents it explains.",
    )
    configuration_item = models.ForeignKey(
        "changes.ConfigurationItem",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="problems",
        help_text="The configuration item at fault, when known.",
    )
    owner = models.ForeignKey(
        "resources.Person",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="problems",
        help_text="Who drives the analysis and the fix.",
    )
    root_cause = BoundedTextField(blank=True)
    workaround = BoundedTextField(
        blank=True, help_text="Written down, it makes the problem a known error."
    )
    fix = BoundedTextField(blank=True, help_text="The permanent fix, and how it was made.")
    state = models.CharField(max_length=20, choices=ProblemState.choices, default=ProblemState.NEW)
    known_error_article = models.ForeignKey(
        "knowledge.Article",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="problems",
        editable=False,
    )
    fix_change = models.ForeignKey(
        "changes.ChangeRequest",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="problems_fixed",
        help_text="The change that makes the permanent fix.",
    )
    created_at = models.DateTimeField(auto_now_add=True)
    resolved_at = models.DateTimeField(null=True, blank=True, editable=False)
    closed_at = models.DateTimeField(null=True, blank=True, editable=False)

    class Meta:
        ordering = ["-created_at", "-pk"]
        indexes = [models.Index(fields=["state", "-created_at"], name="problem_state_newest")]

    def __str__(self) -> str:
        return f"{self.number or 'PRB (new)'} {self.title}"

    def get_absolute_url(self) -> str:
        return reverse("incidents:problem_detail", args=[self.pk])

    @property
    def known_error(self) -> bool:
        """A known error: its workaround is written down (ITIL), whatever its state."""
        return bool((self.workaround or "").strip())


class IncidentCategory(models.Model):
    """The catalogue incidents are sorted by: a category, or a subcategory under its parent.
    Small and edited by ITSM managers in the admin."""

    name = models.CharField(max_length=80)
    parent = models.ForeignKey(
        "self",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="subcategories",
        help_text="Empty for a category; its category for a subcategory.",
    )
    active = models.BooleanField(default=True)

    class Meta:
        ordering = ["name"]
        verbose_name_plural = "incident categories"
        constraints = [
            models.UniqueConstraint(Lower("name"), "parent", name="incident_category_unique_ci"),
        ]

    def __str__(self) -> str:
        return f"{self.parent.name} › {self.name}" if self.parent_id else self.name


class Incident(models.Model):
    """An unplanned interruption, logged against a service and, where it applies, the project
    and the change that caused it."""

    number = models.CharField(max_length=12, unique=True, null=True, editable=False)
    title = models.CharField(max_length=200)
    description = BoundedTextField(blank=True)
    service = models.ForeignKey(
        "portfolio.Service", on_delete=models.PROTECT, related_name="incidents"
    )
    project = models.ForeignKey(
        "portfolio.Project",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="incidents",
    )
    caused_by_change = models.ForeignKey(
        "changes.ChangeRequest",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="incidents_caused",
    )
    problem = models.ForeignKey(
        Problem, null=True, blank=True, on_delete=models.SET_NULL, related_name="incidents"
    )
    configuration_item = models.ForeignKey(
        "changes.ConfigurationItem",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="incidents",
    )
    category = models.ForeignKey(
        IncidentCategory,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="incidents",
        limit_choices_to={"parent__isnull": True},
    )
    subcategory = models.ForeignKey(
        IncidentCategory,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="incidents_in_subcategory",
        limit_choices_to={"parent__isnull": False},
    )
    assignment_group = models.ForeignKey(
        "resources.Team",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="incidents",
        help_text="The team whose queue holds it; its service's support group by default.",
    )
    hold_reason = models.CharField(
        max_length=20, choices=HoldReason.choices, blank=True, editable=False
    )
    # When the resolution target falls due (its service-level timer keeps the detail): the
    # queue's order and the "breaching soon" filter read it. Empty while paused or stopped.
    resolution_due_at = models.DateTimeField(null=True, blank=True, editable=False)
    impact = models.PositiveSmallIntegerField(choices=Level.choices, default=Level.MEDIUM)
    urgency = models.PositiveSmallIntegerField(choices=Level.choices, default=Level.MEDIUM)
    priority = models.PositiveSmallIntegerField(default=3, editable=False, db_index=True)
    major = models.BooleanField(default=False, help_text="A major incident (its own process).")
    state = models.CharField(
        max_length=20,
        choices=IncidentState.choices,
        default=IncidentState.NEW,
        editable=False,
        db_index=True,
    )
    reporter = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="reported_incidents"
    )
    assignee = models.ForeignKey(
        "resources.Person",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="incidents",
    )
    resolution_notes = BoundedTextField(blank=True)
    opened_at = models.DateTimeField(db_index=True, validators=[plausible_date])
    in_progress_at = models.DateTimeField(null=True, blank=True, editable=False)
    on_hold_at = models.DateTimeField(null=True, blank=True, editable=False)
    resolved_at = models.DateTimeField(null=True, blank=True, editable=False)
    closed_at = models.DateTimeField(null=True, blank=True, editable=False)

    class Meta:
        ordering = ["-opened_at", "-pk"]
        permissions = [("transition_incident", "Can move an incident between states")]
        indexes = [
            # The list's order, and its most used filters in that order: by state (the open
            # queue) and by project (the project's and the handover's pages).
            models.Index(fields=["-opened_at", "-id"], name="incident_list_order"),
            models.Index(fields=["state", "-opened_at"], name="incident_state_opened"),
            models.Index(fields=["project", "-opened_at"], name="incident_project_opened"),
            # A group's queue: its open incidents.
            models.Index(fields=["assignment_group", "state"], name="incident_group_queue"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(impact__gte=1, impact__lte=3) & Q(urgency__gte=1, urgency__lte=3),
                name="incident_levels_1_3",
            ),
            models.CheckConstraint(
                condition=Q(priority__gte=1, priority__lte=5), name="incident_priority_1_5"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.number or 'INC (new)'} {self.title}"

    def get_absolute_url(self) -> str:
        return reverse("incidents:incident_detail", args=[self.pk])

    @property
    def priority_label(self) -> str:
        return LABELS[self.priority]


class WorkLog(models.Model):
    """Time worked on an incident: operational demand on that person in the capacity picture."""

    incident = models.ForeignKey(Incident, on_delete=models.CASCADE, related_name="work_logs")
    person = models.ForeignKey(
        "resources.Person", on_delete=models.CASCADE, related_name="incident_work"
    )
    day = models.DateField(validators=[plausible_date, not_in_future])
    hours = models.DecimalField(
        max_digits=5, decimal_places=2, validators=[MinValueValidator(Decimal("0.25"))]
    )
    note = models.CharField(max_length=200, blank=True)

    class Meta:
        ordering = ["-day", "-pk"]
        # An incident's work logs, newest day first (its page and the API's filter).
        indexes = [models.Index(fields=["incident", "-day"], name="worklog_incident_day")]
        constraints = [
            models.CheckConstraint(
                condition=Q(hours__gt=0, hours__lte=24), name="worklog_hours_0_24"
            )
        ]

    def __str__(self) -> str:
        return f"{self.hours} h on {self.incident} by {self.person}"


class IncidentTransition(TransitionRecord):
    """One move of an incident between states (append-only; see itsm_pmo.models). The incident
    also keeps the time it last entered each state (in_progress_at …) for its timeline."""

    incident = models.ForeignKey(Incident, on_delete=models.CASCADE, related_name="transitions")
    from_state = models.CharField(max_length=30, choices=IncidentState.choices)
    to_state = models.CharField(max_length=30, choices=IncidentState.choices)
    # A move onto hold says why: the service-level clock pauses for some reasons only, and
    # a recompute reads them from here.
    hold_reason = models.CharField(max_length=20, choices=HoldReason.choices, blank=True)

    subject_field = "incident"

    class Meta(TransitionRecord.Meta):
        pass


class IncidentReassignment(models.Model):
    """One change of an incident's group or assignee: who moved it, from whom to whom, why.
    Append-only like the moves; the first assignment has empty `from_` fields."""

    incident = models.ForeignKey(Incident, on_delete=models.CASCADE, related_name="reassignments")
    from_group = models.ForeignKey(
        "resources.Team", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    to_group = models.ForeignKey(
        "resources.Team", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    from_person = models.ForeignKey(
        "resources.Person", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    to_person = models.ForeignKey(
        "resources.Person", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    reason = BoundedTextField(blank=True)
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    at = models.DateTimeField(default=timezone.now)

    objects = AppendOnlyQuerySet.as_manager()

    class Meta:
        ordering = ["-at", "-pk"]
        indexes = [models.Index(fields=["incident", "-at"], name="reassignment_incident_at")]

    def __str__(self) -> str:
        before = self.from_person or self.from_group
        return f"{self.incident}: {before} → {self.to_person or self.to_group}"


class IncidentPriorityChange(models.Model):
    """One change of an incident's priority: the service-level targets follow it from `at`,
    and a recompute reads them from here (append-only)."""

    incident = models.ForeignKey(
        Incident, on_delete=models.CASCADE, related_name="priority_changes"
    )
    from_priority = models.PositiveSmallIntegerField()
    to_priority = models.PositiveSmallIntegerField()
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    at = models.DateTimeField(default=timezone.now)

    objects = AppendOnlyQuerySet.as_manager()

    class Meta:
        ordering = ["at", "pk"]

    def __str__(self) -> str:
        return f"{self.incident}: P{self.from_priority} → P{self.to_priority}"


class ProblemTransition(TransitionRecord):
    """One move of a problem record between states (append-only; see itsm_pmo.models)."""

    problem = models.ForeignKey(Problem, on_delete=models.CASCADE, related_name="transitions")
    from_state = models.CharField(max_length=30, choices=ProblemState.choices)
    to_state = models.CharField(max_length=30, choices=ProblemState.choices)

    subject_field = "problem"

    class Meta(TransitionRecord.Meta):
        pass


# The service-level rows live in their sub-package; imported here so the app registers them.
# Major incidents live in their sub-package (handover/incidents/major/models.py).
from .incidents.major.models import (  # noqa: E402, F401
    Engagement,
    MajorIncident,
    MajorIncidentTransition,
    MajorIncidentUpdate,
    PostIncidentReview,
    ReviewAction,
)
from .incidents.sla.models import SlaEvent, SlaTarget, SlaTimer  # noqa: E402, F401
