"""Change control: configuration items, change requests, approvals, freezes and reviews."""

import secrets
from decimal import Decimal

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import F, Q
from django.db.models.functions import Lower
from django.urls import reverse

from itsm_pmo.dates import plausible_date
from itsm_pmo.duplicates import ExplainsDuplicates
from itsm_pmo.models import TransitionRecord
from itsm_pmo.text import BoundedTextField

from .choices import ChangeState, ChangeType, CIKind, Decision, Outcome, Risk


class ConfigurationItem(ExplainsDuplicates):
    """Enough of a CMDB to analyse impact: what an item is, which service it carries and
    what it depends on."""

    name = models.CharField(max_length=120)
    kind = models.CharField(max_length=20, choices=CIKind.choices, default=CIKind.SERVER)
    service = models.ForeignKey(
        "portfolio.Service", null=True, blank=True, on_delete=models.PROTECT, related_name="items"
    )
    criticality = models.PositiveSmallIntegerField(
        default=3,
        validators=[MinValueValidator(1), MaxValueValidator(4)],
        help_text="1 (mission critical) to 4 (administrative), as service tiers.",
    )
    depends_on = models.ManyToManyField(
        "self", symmetrical=False, blank=True, related_name="dependents"
    )
    description = BoundedTextField(blank=True)

    class Meta:
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(Lower("name"), name="ci_name_unique_ci"),
            models.CheckConstraint(
                condition=Q(criticality__gte=1, criticality__lte=4), name="ci_criticality_1_4"
            ),
        ]

    def __str__(self) -> str:
        return self.name


class ChangeTemplate(ExplainsDuplicates):
    """A pre-approved standard change: raised from it, it skips the CAB."""

    name = models.CharField(max_length=120, unique=True)
    description = BoundedTextField(blank=True)
    category = models.CharField(max_length=60, blank=True)
    items = models.ManyToManyField(ConfigurationItem, blank=True, related_name="templates")
    # The effort a change from the template starts with: never negative, as on the change.
    effort_hours = models.DecimalField(
        max_digits=6,
        decimal_places=1,
        default=Decimal("2"),
        validators=[MinValueValidator(Decimal("0"))],
    )
    backout_plan = BoundedTextField(blank=True)
    test_plan = BoundedTextField(blank=True)
    active = models.BooleanField(default=True)

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class ApprovalPolicy(models.Model):
    """Which role approves which type (and risk) of change, and how many must approve."""

    change_type = models.CharField(max_length=20, choices=ChangeType.choices)
    risk = models.CharField(
        max_length=10, choices=Risk.choices, blank=True, help_text="Empty: any risk."
    )
    approver_group = models.ForeignKey(
        "auth.Group", on_delete=models.PROTECT, related_name="change_policies"
    )
    quorum = models.PositiveSmallIntegerField(default=1, validators=[MinValueValidator(1)])

    class Meta:
        ordering = ["change_type", "risk"]
        verbose_name_plural = "approval policies"
        constraints = [
            models.UniqueConstraint(fields=["change_type", "risk"], name="one_policy_per_case"),
            models.CheckConstraint(condition=Q(quorum__gte=1), name="quorum_at_least_one"),
        ]

    def __str__(self) -> str:
        risk = self.get_risk_display() if self.risk else "any risk"
        return (
            f"{self.get_change_type_display()}, {risk}: {self.quorum} of {self.approver_group.name}"
        )


class ChangeRequest(models.Model):
    """A request for change (RFC): what, where, when, who, and how it can be undone."""

    number = models.CharField(max_length=12, unique=True, null=True, editable=False)
    title = models.CharField(max_length=200)
    description = BoundedTextField(blank=True)
    change_type = models.CharField(
        max_length=20, choices=ChangeType.choices, default=ChangeType.NORMAL
    )
    category = models.CharField(max_length=60, blank=True)
    requester = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="requested_changes"
    )
    implementer = models.ForeignKey(
        "resources.Person", null=True, blank=True, on_delete=models.SET_NULL, related_name="changes"
    )
    team = models.ForeignKey(
        "resources.Team", null=True, blank=True, on_delete=models.SET_NULL, related_name="changes"
    )
    project = models.ForeignKey(
        "portfolio.Project",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="changes",
    )
    template = models.ForeignKey(
        ChangeTemplate, null=True, blank=True, on_delete=models.PROTECT, related_name="changes"
    )
    items = models.ManyToManyField(ConfigurationItem, blank=True, related_name="changes")
    planned_start = models.DateTimeField(null=True, blank=True, validators=[plausible_date])
    planned_end = models.DateTimeField(null=True, blank=True, validators=[plausible_date])
    effort_hours = models.DecimalField(
        max_digits=6,
        decimal_places=1,
        default=Decimal("4"),
        validators=[MinValueValidator(Decimal("0"))],
    )
    backout_plan = BoundedTextField(blank=True)
    test_plan = BoundedTextField(blank=True)
    risk = models.CharField(
        max_length=10,
        choices=Risk.choices,
        default=Risk.MODERATE,
        help_text="As assessed from the factors, unless overridden.",
    )
    risk_override = models.CharField(max_length=10, choices=Risk.choices, blank=True)
    risk_override_reason = BoundedTextField(blank=True)
    freeze_exception = models.BooleanField(default=False)
    freeze_exception_reason = BoundedTextField(blank=True)
    freeze_exception_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    state = models.CharField(
        max_length=20,
        choices=ChangeState.choices,
        default=ChangeState.NEW,
        editable=False,
        db_index=True,
    )
    outcome = models.CharField(max_length=30, choices=Outcome.choices, blank=True, editable=False)
    approval_round = models.PositiveSmallIntegerField(
        default=1, editable=False, help_text="Starts again after a rejection."
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-planned_start", "-pk"]
        permissions = [
            ("transition_changerequest", "Can move a change between states"),
            ("approve_changerequest", "Can approve or reject changes (CAB)"),
            ("grant_freeze_exception", "Can grant a freeze exception"),
        ]
        indexes = [
            # The list's order (and its window filters), newest window first.
            models.Index(fields=["-planned_start", "-id"], name="change_list_order"),
            # The CAB queue and the collision look-ups: a state's changes by window.
            models.Index(fields=["state", "planned_start"], name="change_state_window"),
            # The calendar: windows overlapping a month or a week.
            models.Index(fields=["planned_start", "planned_end"], name="change_window"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(planned_start__isnull=True)
                | Q(planned_end__isnull=True)
                | Q(planned_end__gt=F("planned_start")),
                name="change_end_after_start",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.number or 'CHG (new)'} {self.title}"

    def get_absolute_url(self) -> str:
        return reverse("changes:change_detail", args=[self.pk])

    @property
    def effective_risk(self) -> str:
        return self.risk_override or self.risk


class Approval(models.Model):
    """One approver's decision on a change. One per approver: a second click is refused."""

    change = models.ForeignKey(ChangeRequest, on_delete=models.CASCADE, related_name="approvals")
    approver = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="change_approvals"
    )
    decision = models.CharField(max_length=10, choices=Decision.choices)
    comment = BoundedTextField(blank=True)
    decided_at = models.DateTimeField(auto_now_add=True)
    # Approvals count for one round of authorisation; a rejection starts a new round.
    round = models.PositiveSmallIntegerField(default=1)

    class Meta:
        ordering = ["decided_at", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["change", "approver", "round"], name="one_decision_per_approver_per_round"
            )
        ]

    def __str__(self) -> str:
        return f"{self.approver} {self.decision}s {self.change}"


class FreezeWindow(models.Model):
    """A period without changes (e.g. the year-end freeze), for all services or some."""

    name = models.CharField(max_length=120)
    start = models.DateTimeField(validators=[plausible_date])
    end = models.DateTimeField(validators=[plausible_date])
    reason = BoundedTextField(blank=True)
    all_services = models.BooleanField(default=True)
    services = models.ManyToManyField("portfolio.Service", blank=True, related_name="freezes")

    class Meta:
        ordering = ["start"]
        constraints = [
            models.CheckConstraint(condition=Q(end__gt=F("start")), name="freeze_end_after_start")
        ]

    def __str__(self) -> str:
        return self.name


class PostImplementationReview(models.Model):
    """How a change went, and what it caused."""

    change = models.OneToOneField(ChangeRequest, on_delete=models.CASCADE, related_name="review")
    outcome = models.CharField(max_length=30, choices=Outcome.choices)
    incidents_caused = models.PositiveIntegerField(default=0)
    notes = BoundedTextField(blank=True)
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    reviewed_at = models.DateTimeField(auto_now_add=True)

    def __str__(self) -> str:
        return f"Review of {self.change}: {self.get_outcome_display()}"


class ChangeTransition(TransitionRecord):
    """One move of a change between states (append-only): who, when, from, to and why."""

    subject_field = "change"

    change = models.ForeignKey(ChangeRequest, on_delete=models.CASCADE, related_name="transitions")
    # The shared fields, with the change's states as choices so that pages name them.
    from_state = models.CharField(max_length=30, choices=ChangeState.choices)
    to_state = models.CharField(max_length=30, choices=ChangeState.choices)

    class Meta(TransitionRecord.Meta):
        pass


def new_feed_key() -> str:
    return secrets.token_urlsafe(32)


class CalendarFeedToken(models.Model):
    """The secret in a user's calendar feed URL: calendar clients cannot sign in, so the key
    stands for the user. Resetting it replaces the key, and the old URL stops working."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="calendar_feed_token"
    )
    key = models.CharField(max_length=64, unique=True, default=new_feed_key, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)

    def __str__(self) -> str:
        return f"Calendar feed of {self.user}"
