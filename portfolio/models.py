"""The portfolio: objectives, services, scoring criteria, projects and what hangs off them."""

from decimal import Decimal

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.db.models.functions import Lower
from django.urls import reverse
from simple_history.models import HistoricalRecords

from itsm_pmo.dates import not_in_future, plausible_date, short_date
from itsm_pmo.duplicates import ExplainsDuplicates
from itsm_pmo.models import TransitionRecord
from itsm_pmo.text import TITLE, BoundedTextField

from .choices import (
    CostKind,
    Cover,
    CriterionKind,
    Health,
    MilestoneKind,
    RiskStatus,
    Stage,
    Tier,
)
from .rules import completion_problem, due_date_warning, first_of_month_problem

ONE_TO_FIVE = [MinValueValidator(1), MaxValueValidator(5)]


class StrategicObjective(ExplainsDuplicates):
    """A goal of the organisation; its weight says how much serving it counts in the ranking."""

    name = models.CharField(max_length=120)
    description = BoundedTextField(blank=True)
    weight = models.PositiveSmallIntegerField(
        default=5,
        validators=[MinValueValidator(1), MaxValueValidator(10)],
        help_text="1 (nice to have) to 10 (the organisation's top priority).",
    )
    active = models.BooleanField(default=True)

    class Meta:
        ordering = ["-weight", "name"]
        constraints = [
            models.UniqueConstraint(Lower("name"), name="objective_name_unique_ci"),
            models.CheckConstraint(
                condition=Q(weight__gte=1, weight__lte=10), name="objective_weight_1_10"
            ),
        ]

    def __str__(self) -> str:
        return self.name


class Service(ExplainsDuplicates):
    """A service in the catalogue: who runs it, how critical it is, when it is supported."""

    name = models.CharField(max_length=120)
    description = BoundedTextField(blank=True)
    owning_team = models.ForeignKey(
        "resources.Team", on_delete=models.PROTECT, related_name="services"
    )
    tier = models.PositiveSmallIntegerField(choices=Tier.choices, default=Tier.BUSINESS_OPERATIONAL)
    support_hours = models.CharField(
        max_length=20, choices=Cover.choices, default=Cover.BUSINESS_HOURS
    )
    support_group = models.ForeignKey(
        "resources.Team",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="supported_services",
        help_text="The team whose queue its incidents land in (the owning team if empty).",
    )

    class Meta:
        ordering = ["name"]
        constraints = [models.UniqueConstraint(Lower("name"), name="service_name_unique_ci")]

    def __str__(self) -> str:
        return self.name


class Criterion(ExplainsDuplicates):
    """A term of the weighted scoring model. Scored criteria take a 1–5 score per project;
    the one alignment criterion is computed from the objectives a project serves."""

    name = models.CharField(max_length=80)
    description = BoundedTextField(blank=True)
    weight = models.DecimalField(
        max_digits=5,
        decimal_places=2,
        default=Decimal("1"),
        validators=[MinValueValidator(Decimal("0")), MaxValueValidator(Decimal("100"))],
    )
    higher_is_better = models.BooleanField(
        default=True, help_text="Off for criteria such as risk or effort, where 5 is worst."
    )
    kind = models.CharField(
        max_length=20, choices=CriterionKind.choices, default=CriterionKind.SCORED
    )
    order = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["order", "name"]
        verbose_name_plural = "criteria"
        constraints = [
            models.UniqueConstraint(Lower("name"), name="criterion_name_unique_ci"),
            models.UniqueConstraint(
                fields=["kind"],
                condition=Q(kind=CriterionKind.ALIGNMENT),
                name="one_alignment_criterion",
            ),
            models.CheckConstraint(
                condition=Q(weight__gte=0, weight__lte=100), name="criterion_weight_0_100"
            ),
        ]

    def __str__(self) -> str:
        return self.name


class Project(ExplainsDuplicates):
    """A project or proposal in the portfolio, with operations' needs captured at intake."""

    code = models.CharField(
        max_length=20, unique=True, help_text="A short unique reference, e.g. PRJ-0042."
    )
    name = models.CharField(max_length=160)
    summary = BoundedTextField(blank=True)
    sponsor = models.CharField(
        max_length=120, blank=True, help_text="The executive who owns the business case."
    )
    owner = models.ForeignKey(
        "resources.Person",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="owned_projects",
        help_text="The project manager.",
    )
    stage = models.CharField(
        max_length=20, choices=Stage.choices, default=Stage.PROPOSED, db_index=True, editable=False
    )
    objectives = models.ManyToManyField(
        StrategicObjective, through="ProjectObjective", related_name="projects", blank=True
    )
    services = models.ManyToManyField(Service, related_name="projects", blank=True)
    budget = models.DecimalField(
        max_digits=12,
        decimal_places=2,
        null=True,
        blank=True,
        validators=[MinValueValidator(Decimal("0"))],
    )
    start_date = models.DateField(null=True, blank=True, validators=[plausible_date])
    end_date = models.DateField(null=True, blank=True, validators=[plausible_date])
    health = models.CharField(max_length=10, choices=Health.choices, default=Health.GREEN)
    # Support requirements, captured at intake so operations' needs are in scope from day one.
    support_team = models.ForeignKey(
        "resources.Team",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="supported_projects",
        help_text="Who will run it after go-live.",
    )
    support_effort_hours = models.DecimalField(
        max_digits=6,
        decimal_places=1,
        null=True,
        blank=True,
        validators=[MinValueValidator(Decimal("0"))],
        help_text="Expected support effort after go-live, hours per week.",
    )
    support_cover = models.CharField(
        max_length=20,
        choices=Cover.choices,
        blank=True,
        help_text="Hours of cover the service will need.",
    )
    support_notes = BoundedTextField(blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    history = HistoricalRecords(excluded_fields=["updated_at"])

    class Meta:
        ordering = ["code"]
        permissions = [("transition_project", "Can move a project between stages")]
        constraints = [
            models.CheckConstraint(
                condition=Q(end_date__isnull=True)
                | Q(start_date__isnull=True)
                | Q(end_date__gte=models.F("start_date")),
                name="project_end_after_start",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.code} {self.name}"

    def get_absolute_url(self) -> str:
        return reverse("portfolio:project_detail", args=[self.pk])

    def clean(self):
        from django.core.exceptions import ValidationError

        if self.start_date and self.end_date and self.end_date < self.start_date:
            raise ValidationError({"end_date": "The end date is before the start date."})


class ProjectObjective(models.Model):
    """How much a project serves an objective, 0–100 %."""

    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="objective_links")
    objective = models.ForeignKey(
        StrategicObjective, on_delete=models.CASCADE, related_name="project_links"
    )
    contribution = models.PositiveSmallIntegerField(
        default=50, validators=[MaxValueValidator(100)], help_text="Percent, 0–100."
    )

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["project", "objective"], name="project_objective_unique"
            ),
            models.CheckConstraint(condition=Q(contribution__lte=100), name="contribution_max_100"),
        ]

    def __str__(self) -> str:
        return f"{self.project.code} serves {self.objective} ({self.contribution} %)"


class Score(models.Model):
    """A project's 1–5 score on one criterion, with the reason for it."""

    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="scores")
    criterion = models.ForeignKey(Criterion, on_delete=models.CASCADE, related_name="scores")
    value = models.PositiveSmallIntegerField(validators=ONE_TO_FIVE)
    rationale = BoundedTextField(blank=True)
    scored_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    scored_at = models.DateTimeField(auto_now=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["criterion__order", "criterion__name"]
        constraints = [
            models.UniqueConstraint(fields=["project", "criterion"], name="score_unique"),
            models.CheckConstraint(condition=Q(value__gte=1, value__lte=5), name="score_value_1_5"),
        ]

    def __str__(self) -> str:
        return f"{self.project.code} {self.criterion}: {self.value}"


class Milestone(models.Model):
    """A dated point in a project's plan; `go_live` is the one operations care most about."""

    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="milestones")
    name = models.CharField(max_length=120)
    kind = models.CharField(
        max_length=20, choices=MilestoneKind.choices, default=MilestoneKind.OTHER
    )
    due_date = models.DateField(validators=[plausible_date])
    completed_on = models.DateField(
        null=True, blank=True, validators=[plausible_date, not_in_future]
    )
    # The due date agreed at approval: re-planning moves `due_date`, never this (set by the
    # services only; schedule adherence is measured against it).
    baseline_date = models.DateField(null=True, blank=True, editable=False)
    # A re-plan is a change of due_date after the baseline is set: the history keeps them.
    history = HistoricalRecords()

    class Meta:
        ordering = ["due_date", "pk"]

    def __str__(self) -> str:
        return f"{self.name} ({short_date(self.due_date)})"

    def clean(self):
        from django.core.exceptions import ValidationError

        if self.project_id is not None and (
            problem := completion_problem(self.completed_on, self.project.start_date)
        ):
            raise ValidationError({"completed_on": problem})

    @property
    def warning(self) -> str | None:
        """Why the due date looks wrong (far outside the project's dates), or None: said,
        not refused, since plans do move."""
        return due_date_warning(self.due_date, self.project.start_date, self.project.end_date)


class Risk(models.Model):
    """A project risk, rated likelihood × impact on 1–5 scales."""

    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="risks")
    title = models.CharField(max_length=TITLE)
    description = BoundedTextField(blank=True)
    likelihood = models.PositiveSmallIntegerField(validators=ONE_TO_FIVE)
    impact = models.PositiveSmallIntegerField(validators=ONE_TO_FIVE)
    threatens_operations = models.BooleanField(
        default=False, help_text="Would it hurt a live service if it happened?"
    )
    mitigation = BoundedTextField(blank=True)
    owner = models.ForeignKey(
        "resources.Person",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="owned_risks",
    )
    status = models.CharField(max_length=10, choices=RiskStatus.choices, default=RiskStatus.OPEN)

    class Meta:
        ordering = ["-likelihood", "-impact", "title"]
        constraints = [
            models.CheckConstraint(
                condition=Q(likelihood__gte=1, likelihood__lte=5, impact__gte=1, impact__lte=5),
                name="risk_ratings_1_5",
            ),
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def exposure(self) -> int:
        return self.likelihood * self.impact


class Benefit(models.Model):
    """A benefit the project promises and, after delivery, what was realised."""

    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="benefits")
    description = models.CharField(max_length=200)
    measure = models.CharField(max_length=120, help_text="How it is measured, e.g. 'calls/month'.")
    target = models.CharField(max_length=80)
    owner = models.ForeignKey(
        "resources.Person",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="owned_benefits",
    )
    review_date = models.DateField(null=True, blank=True, validators=[plausible_date])
    realised = models.CharField(max_length=80, blank=True)
    realised_on = models.DateField(null=True, blank=True, validators=[plausible_date])
    # The numbers behind the text above, in `unit`: what the metrics compare.
    unit = models.CharField(max_length=20, blank=True, help_text="e.g. %, h/month, EUR.")
    baseline_value = models.DecimalField(
        max_digits=14, decimal_places=2, null=True, blank=True, help_text="Before the project."
    )
    target_value = models.DecimalField(
        max_digits=14, decimal_places=2, null=True, blank=True, help_text="Promised."
    )
    realised_value = models.DecimalField(
        max_digits=14, decimal_places=2, null=True, blank=True, help_text="Measured after."
    )

    class Meta:
        ordering = ["review_date", "pk"]

    def __str__(self) -> str:
        return self.description


class ProjectCost(models.Model):
    """What a project actually spent in one month, capital or operating (its budget, on the
    project, is what it was allowed)."""

    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="costs")
    month = models.DateField(
        validators=[plausible_date], help_text="The first day of the month the cost falls in."
    )
    kind = models.CharField(max_length=10, choices=CostKind.choices, default=CostKind.OPERATING)
    amount = models.DecimalField(
        max_digits=12, decimal_places=2, validators=[MinValueValidator(Decimal("0"))]
    )
    note = models.CharField(max_length=200, blank=True)

    class Meta:
        ordering = ["month", "kind", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["project", "month", "kind"], name="project_cost_unique_month_kind"
            ),
            models.CheckConstraint(condition=Q(amount__gte=0), name="project_cost_not_negative"),
        ]

    def __str__(self) -> str:
        return f"{self.project.code} {self.month:%Y-%m} {self.get_kind_display()}: {self.amount}"

    def clean(self):
        from django.core.exceptions import ValidationError

        if problem := first_of_month_problem(self.month):
            raise ValidationError({"month": problem})


class ProjectTransition(TransitionRecord):
    """One move of a project between stages: who, when, from, to and why (append-only)."""

    subject_field = "project"

    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="transitions")
    # The shared fields, with the stages as choices so pages and the admin show their labels.
    from_state = models.CharField(max_length=30, choices=Stage.choices)
    to_state = models.CharField(max_length=30, choices=Stage.choices)

    class Meta(TransitionRecord.Meta):
        pass
