"""Teams, people and their skills: who the portfolio and operations draw on."""

from decimal import Decimal

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models.functions import Lower
from django.urls import reverse


class TeamKind(models.TextChoices):
    OPERATIONS = "operations", "Operations"
    PROJECT = "project", "Project"
    MIXED = "mixed", "Mixed"


class Team(models.Model):
    """A team of people; operations, project or mixed work. Names are unique (any case)."""

    name = models.CharField(max_length=120)
    kind = models.CharField(max_length=20, choices=TeamKind.choices, default=TeamKind.MIXED)
    description = models.TextField(blank=True)
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


class Skill(models.Model):
    """A skill that people have and projects need (e.g. PostgreSQL, Kubernetes)."""

    name = models.CharField(max_length=80, unique=True)
    category = models.CharField(max_length=80, blank=True)

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class Person(models.Model):
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
