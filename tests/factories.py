"""factory_boy factories shared by every test."""

from decimal import Decimal

import factory
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group

from portfolio.choices import CriterionKind, MilestoneKind
from portfolio.models import (
    Criterion,
    Milestone,
    Project,
    ProjectObjective,
    Risk,
    Score,
    Service,
    StrategicObjective,
)
from resources.models import Person, PersonSkill, Skill, Team, TeamKind


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = get_user_model()
        django_get_or_create = ("username",)
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    first_name = factory.Faker("first_name")
    last_name = factory.Faker("last_name")
    email = factory.LazyAttribute(lambda u: f"{u.username}@example.org")
    password = factory.django.Password("pw-for-tests")

    @factory.post_generation
    def roles(self, create, extracted, **kwargs):
        if create and extracted:
            self.groups.set(Group.objects.filter(name__in=extracted))


class TeamFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Team

    name = factory.Sequence(lambda n: f"Team {n:03d}")
    kind = TeamKind.OPERATIONS


class SkillFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Skill
        django_get_or_create = ("name",)

    name = factory.Sequence(lambda n: f"Skill {n}")
    category = "Platform"


class PersonFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Person

    name = factory.Faker("name")
    email = factory.Sequence(lambda n: f"person{n}@example.org")
    team = factory.SubFactory(TeamFactory)
    title = "Engineer"
    contracted_hours = Decimal("40")


class PersonSkillFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = PersonSkill

    person = factory.SubFactory(PersonFactory)
    skill = factory.SubFactory(SkillFactory)
    level = 3


# --- portfolio -------------------------------------------------------------------------------


class ObjectiveFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = StrategicObjective

    name = factory.Sequence(lambda n: f"Objective {n}")
    weight = 5


class ServiceFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Service

    name = factory.Sequence(lambda n: f"Service {n}")
    owning_team = factory.SubFactory(TeamFactory)


class CriterionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Criterion

    name = factory.Sequence(lambda n: f"Criterion {n}")
    weight = Decimal("1")
    kind = CriterionKind.SCORED


class ProjectFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Project

    code = factory.Sequence(lambda n: f"PRJ-{n:04d}")
    name = factory.Sequence(lambda n: f"Project {n}")
    summary = "A project."


class ProjectObjectiveFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ProjectObjective

    project = factory.SubFactory(ProjectFactory)
    objective = factory.SubFactory(ObjectiveFactory)
    contribution = 100


class ScoreFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Score

    project = factory.SubFactory(ProjectFactory)
    criterion = factory.SubFactory(CriterionFactory)
    value = 3


class MilestoneFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Milestone

    project = factory.SubFactory(ProjectFactory)
    name = "Go-live"
    kind = MilestoneKind.GO_LIVE
    due_date = factory.Faker("date_between", start_date="+1w", end_date="+20w")


class RiskFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Risk

    project = factory.SubFactory(ProjectFactory)
    title = "Vendor slips"
    likelihood = 3
    impact = 4


def score_fully(project, criteria, value: int = 3) -> None:
    """Give a project a score on every scored criterion."""
    for criterion in criteria:
        if criterion.kind == CriterionKind.SCORED:
            ScoreFactory(project=project, criterion=criterion, value=value)
