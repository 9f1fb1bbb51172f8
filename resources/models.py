"""Teams, people and their skills: who the portfolio and operations draw on."""

import json
from decimal import Decimal
from typing import TYPE_CHECKING, cast

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models.functions import Lower
from django.urls import reverse

from itsm_pmo.dates import plausible_date, short_date
from itsm_pmo.duplicates import ExplainsDuplicates
from itsm_pmo.text import BoundedTextField

from .choices import ConflictKind, Severity

if TYPE_CHECKING:
    from portfolio.models import Project


class TeamKind(models.TextChoices):
    OPERATIONS = "operations", "Operations"
    PROJECT = "project", "Project"
    MIXED = "mixed", "Mixed"


class Team(ExplainsDuplicates):
    """A team of people; operations, project or mixed work. Names are unique (any case)."""

    name = models.CharField(max_length=120)
    kind = models.CharField(max_length=20, choices=TeamKind.choices, default=TeamKind.MIXED)
    description = BoundedTextField(blank=True)
    manager = models.ForeignKey(
        "Person", null=True, blank=True, on_delete=models.SET_NULL, related_name="managed_teams"
    )

    class Meta:
        ordering = ["name"]
        constraints = [models.UniqueConstraint(Lower("name"), name="team_name_unique_ci")]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("resources:team_detail", args=[self.pk])


class Skill(ExplainsDuplicates):
    """A skill that people have and projects need (e.g. PostgreSQL, Kubernetes)."""

    name = models.CharField(max_length=80, unique=True)
    category = models.CharField(max_length=80, blank=True)

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class Person(ExplainsDuplicates):
    """Someone whose hours can be planned; optionally a portal user."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="person",
    )
    name = models.CharField(max_length=120)
    email = models.EmailField(unique=True)
    title = models.CharField(max_length=120, blank=True)
    team = models.ForeignKey(Team, on_delete=models.PROTECT, related_name="members")
    contracted_hours = models.DecimalField(
        max_digits=4,
        decimal_places=1,
        default=Decimal("37.5"),
        validators=[MinValueValidator(Decimal("0")), MaxValueValidator(Decimal("80"))],
        help_text="Hours per week.",
    )
    active = models.BooleanField(default=True)
    skills = models.ManyToManyField(Skill, through="PersonSkill", related_name="people")

    class Meta:
        ordering = ["name"]
        verbose_name_plural = "people"
        constraints = [
            models.CheckConstraint(
                condition=models.Q(contracted_hours__gte=0, contracted_hours__lte=80),
                name="person_contracted_hours_range",
            )
        ]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("resources:person_detail", args=[self.pk])


class PersonSkill(models.Model):
    """How good a person is at a skill, 1 (novice) to 5 (expert)."""

    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="skill_levels")
    skill = models.ForeignKey(Skill, on_delete=models.CASCADE, related_name="levels")
    level = models.PositiveSmallIntegerField(
        validators=[MinValueValidator(1), MaxValueValidator(5)]
    )

    class Meta:
        ordering = ["skill__name"]
        constraints = [
            models.UniqueConstraint(fields=["person", "skill"], name="person_skill_unique"),
            models.CheckConstraint(
                condition=models.Q(level__gte=1, level__lte=5), name="person_skill_level_1_5"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.person} – {self.skill} ({self.level})"


class AbsenceKind(models.TextChoices):
    LEAVE = "leave", "Leave"
    TRAINING = "training", "Training"
    SICKNESS = "sickness", "Sickness"
    PUBLIC_HOLIDAY = "public_holiday", "Public holiday"


class Absence(models.Model):
    """Days someone is away (a public holiday without a person applies to everyone)."""

    person = models.ForeignKey(
        Person,
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="absences",
        help_text="Empty for a public holiday that applies to everyone.",
    )
    kind = models.CharField(max_length=20, choices=AbsenceKind.choices, default=AbsenceKind.LEAVE)
    start_date = models.DateField(validators=[plausible_date])
    end_date = models.DateField(validators=[plausible_date])
    note = models.CharField(max_length=200, blank=True)

    class Meta:
        ordering = ["start_date", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(end_date__gte=models.F("start_date")),
                name="absence_end_after_start",
            ),
            models.CheckConstraint(
                condition=models.Q(person__isnull=False) | models.Q(kind="public_holiday"),
                name="absence_person_unless_public_holiday",
            ),
        ]

    def __str__(self) -> str:
        who = self.person or "Everyone"
        return (
            f"{who}: {self.get_kind_display()} "
            f"{short_date(self.start_date)}–{short_date(self.end_date)}"
        )


class WorkKind(models.TextChoices):
    PROJECT = "project", "Project work"
    BAU = "bau", "Business as usual"
    ON_CALL = "on_call", "On call"
    SUPPORT = "support", "Support"
    CHANGE = "change", "Change work"
    INCIDENT = "incident", "Incidents"
    TRAINING = "training", "Training others"


OPERATIONAL_KINDS = tuple(k for k in WorkKind.values if k != WorkKind.PROJECT)


class Allocation(models.Model):
    """Hours a week of a person's time given to a project or to operational work."""

    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="allocations")
    kind = models.CharField(max_length=20, choices=WorkKind.choices, default=WorkKind.PROJECT)
    project = models.ForeignKey(
        "portfolio.Project",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="allocations",
    )
    hours_per_week = models.DecimalField(
        max_digits=5,
        decimal_places=1,
        validators=[MinValueValidator(Decimal("0.5")), MaxValueValidator(Decimal("80"))],
    )
    start_date = models.DateField(validators=[plausible_date])
    end_date = models.DateField(validators=[plausible_date])
    tentative = models.BooleanField(default=False, help_text="Pencilled in, not confirmed.")
    note = models.CharField(max_length=200, blank=True)

    class Meta:
        ordering = ["start_date", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(end_date__gte=models.F("start_date")),
                name="allocation_end_after_start",
            ),
            models.CheckConstraint(
                condition=(
                    models.Q(kind="project", project__isnull=False)
                    | (~models.Q(kind="project") & models.Q(project__isnull=True))
                ),
                name="allocation_project_iff_project_work",
            ),
            models.CheckConstraint(
                condition=models.Q(hours_per_week__gt=0, hours_per_week__lte=80),
                name="allocation_hours_range",
            ),
        ]

    def __str__(self) -> str:
        what = self.project.code if self.project_id else self.get_kind_display()
        return f"{self.person}: {self.hours_per_week} h/wk on {what}"

    def clean(self):
        from django.core.exceptions import ValidationError

        errors = {}
        if self.start_date and self.end_date and self.end_date < self.start_date:
            errors["end_date"] = "The end date is before the start date."
        if self.kind == WorkKind.PROJECT and not self.project_id:
            errors["project"] = "Project work needs a project."
        if self.kind != WorkKind.PROJECT and self.project_id:
            errors["project"] = "Operational work is not booked to a project."
        if errors:
            raise ValidationError(errors)


def project_model() -> "type[Project]":
    """portfolio's Project, reached through the allocation's foreign key: resources names it
    as its foreign keys do, by string, and imports nothing of portfolio's models."""
    return cast("type[Project]", Allocation._meta.get_field("project").related_model)


class Demand(models.Model):
    """Unnamed demand: a project needs so many hours a week of a skill, not yet a person."""

    project = models.ForeignKey(
        "portfolio.Project", on_delete=models.CASCADE, related_name="demands"
    )
    skill = models.ForeignKey(Skill, on_delete=models.PROTECT, related_name="demands")
    min_level = models.PositiveSmallIntegerField(
        default=3, validators=[MinValueValidator(1), MaxValueValidator(5)]
    )
    hours_per_week = models.DecimalField(
        max_digits=6,
        decimal_places=1,
        validators=[MinValueValidator(Decimal("0.5")), MaxValueValidator(Decimal("2000"))],
    )
    start_date = models.DateField(validators=[plausible_date])
    end_date = models.DateField(validators=[plausible_date])

    class Meta:
        ordering = ["start_date", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(end_date__gte=models.F("start_date")),
                name="demand_end_after_start",
            ),
            models.CheckConstraint(
                condition=models.Q(min_level__gte=1, min_level__lte=5), name="demand_level_1_5"
            ),
        ]

    def __str__(self) -> str:
        return (
            f"{self.project.code} needs {self.skill} ≥{self.min_level}: {self.hours_per_week} h/wk"
        )

    def clean(self):
        from django.core.exceptions import ValidationError

        if self.start_date and self.end_date and self.end_date < self.start_date:
            raise ValidationError({"end_date": "The end date is before the start date."})


class SnapshotStatus(models.TextChoices):
    BUILDING = "building", "Building"
    PUBLISHED = "published", "Published"
    FAILED = "failed", "Failed"


class Snapshot(models.Model):
    """One run of the capacity engine. Readers see only the one PlanState points at."""

    status = models.CharField(
        max_length=12, choices=SnapshotStatus.choices, default=SnapshotStatus.BUILDING
    )
    started_at = models.DateTimeField(auto_now_add=True)
    computed_at = models.DateTimeField(null=True, blank=True)
    duration_ms = models.PositiveIntegerField(null=True, blank=True)
    week_start = models.DateField(help_text="Monday of the first week of the horizon.")
    weeks = models.PositiveSmallIntegerField()
    stats = models.JSONField(default=dict, blank=True)
    error = models.TextField(blank=True)

    class Meta:
        ordering = ["-pk"]
        get_latest_by = "pk"

    def __str__(self) -> str:
        return f"Snapshot {self.pk} ({self.status})"


class PlanState(models.Model):
    """The one row that says which snapshot is current and whether a newer one is due."""

    current = models.ForeignKey(
        Snapshot, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    dirty = models.BooleanField(default=False, help_text="Inputs changed since the last run.")
    dirty_since = models.DateTimeField(null=True, blank=True)
    changed_at = models.DateTimeField(null=True, blank=True, help_text="The latest edit.")
    queued_at = models.DateTimeField(
        null=True, blank=True, help_text="A run was asked for and has not started."
    )
    running_since = models.DateTimeField(null=True, blank=True)

    def __str__(self) -> str:
        return f"Plan (current snapshot {self.current_id}, dirty={self.dirty})"


class WeekListField(models.TextField):
    """Hours per week as compact JSON text: written in one COPY, read whole, never queried
    inside, so the database need not parse it into jsonb (a third of a run's write time)."""

    # What django-stubs types the attribute as (a list of hours, not the text it is stored as).
    _pyi_private_set_type: list[float]
    _pyi_private_get_type: list[float]

    def from_db_value(self, value, expression, connection):
        return None if value is None else json.loads(value)

    def to_python(self, value):
        return json.loads(value) if isinstance(value, str) else value

    def get_prep_value(self, value):
        return None if value is None else json.dumps(value, separators=(",", ":"))


class PersonLoad(models.Model):
    """A person's hours per week in one snapshot, as lists indexed by week of the horizon."""

    snapshot = models.ForeignKey(Snapshot, on_delete=models.CASCADE, related_name="person_loads")
    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="+")
    team = models.ForeignKey(Team, on_delete=models.CASCADE, related_name="+")
    capacity = WeekListField()
    project = WeekListField()
    operational = WeekListField()
    tentative = WeekListField()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["snapshot", "person"], name="person_load_unique")
        ]

    def __str__(self) -> str:
        return f"Load of person {self.person_id} in snapshot {self.snapshot_id}"


class TeamLoad(models.Model):
    """A team's summed hours per week in one snapshot."""

    snapshot = models.ForeignKey(Snapshot, on_delete=models.CASCADE, related_name="team_loads")
    team = models.ForeignKey(Team, on_delete=models.CASCADE, related_name="+")
    people = models.PositiveIntegerField()
    capacity = WeekListField()
    project = WeekListField()
    operational = WeekListField()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["snapshot", "team"], name="team_load_unique")
        ]

    def __str__(self) -> str:
        return f"Load of team {self.team_id} in snapshot {self.snapshot_id}"


class ProjectLoad(models.Model):
    """The project hours one team's people give one project per week in one snapshot: firm
    (booked) and tentative apart. The executive view reads the hours of the portfolio's
    projects (the top-ranked quarter's share, hours per strategic objective) and a team's
    project hours narrowed to some projects from it."""

    snapshot = models.ForeignKey(Snapshot, on_delete=models.CASCADE, related_name="project_loads")
    project = models.ForeignKey("portfolio.Project", on_delete=models.CASCADE, related_name="+")
    team = models.ForeignKey(Team, on_delete=models.CASCADE, related_name="+")
    booked = WeekListField()
    tentative = WeekListField()

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["snapshot", "project", "team"], name="project_load_unique"
            )
        ]

    def __str__(self) -> str:
        return (
            f"Hours of team {self.team_id} on project {self.project_id} "
            f"in snapshot {self.snapshot_id}"
        )


class Conflict(models.Model):
    """A conflict found by the engine. It keeps its identity (kind + subject + period) across
    runs: it opens when first found, stays open while found, and is resolved, not deleted,
    when its cause is gone. It is part of snapshot N when first_seen <= N and it was not
    resolved by N (resolved_in is empty or later than N), so a run writes only the conflicts
    that open, change or resolve, never the ones that simply continue."""

    key = models.CharField(max_length=200, db_index=True)
    kind = models.CharField(max_length=30, choices=ConflictKind.choices, db_index=True)
    severity = models.CharField(max_length=10, choices=Severity.choices)
    subject_type = models.CharField(max_length=20)
    subject_id = models.PositiveIntegerField()
    subject_label = models.CharField(max_length=200)
    period_start = models.DateField()
    period_end = models.DateField()
    message = models.TextField()
    details = models.JSONField(default=dict, blank=True)
    person = models.ForeignKey(
        Person, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    team = models.ForeignKey(
        Team, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    projects = models.ManyToManyField("portfolio.Project", blank=True, related_name="conflicts")
    first_seen = models.PositiveIntegerField(help_text="Snapshot that first found it.")
    resolved_in = models.PositiveIntegerField(
        null=True, blank=True, help_text="The first snapshot that no longer found it."
    )
    opened_at = models.DateTimeField(auto_now_add=True)
    resolved_at = models.DateTimeField(null=True, blank=True)
    acknowledged_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    acknowledged_at = models.DateTimeField(null=True, blank=True)
    acknowledgement = BoundedTextField(blank=True)

    class Meta:
        ordering = ["period_start", "kind", "subject_label"]
        permissions = [("acknowledge_conflict", "Can acknowledge a conflict")]
        constraints = [
            models.UniqueConstraint(
                fields=["key"],
                condition=models.Q(resolved_at__isnull=True),
                name="one_open_conflict_per_identity",
            ),
        ]
        indexes = [
            models.Index(fields=["first_seen", "resolved_in"]),
            # a person's page lists their conflicts by week
            models.Index(
                fields=["subject_type", "subject_id", "period_start"],
                name="conflict_subject_week",
            ),
            # the conflicts list's order: its first page reads an index, not a sort of all
            models.Index(fields=["period_start", "subject_label"], name="conflict_list_order"),
        ]

    def __str__(self) -> str:
        return self.message

    @property
    def is_open(self) -> bool:
        return self.resolved_at is None
