"""Factories of resources rows: allocations, absences, demands, and a managed team."""

from datetime import timedelta
from decimal import Decimal

import factory
from django.utils import timezone

from resources.engine.calendar import monday_of
from resources.models import Absence, Allocation, Demand
from tests.factories import PersonFactory, ProjectFactory, SkillFactory, TeamFactory


def this_monday():
    return monday_of(timezone.localdate())


class AllocationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Allocation

    person = factory.SubFactory(PersonFactory)
    kind = "project"
    project = factory.SubFactory(ProjectFactory)
    hours_per_week = Decimal("10")
    start_date = factory.LazyFunction(this_monday)
    end_date = factory.LazyAttribute(lambda a: a.start_date + timedelta(weeks=3, days=4))


class AbsenceFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Absence

    person = factory.SubFactory(PersonFactory)
    kind = "leave"
    start_date = factory.LazyFunction(lambda: this_monday() + timedelta(weeks=2))
    end_date = factory.LazyAttribute(lambda a: a.start_date + timedelta(days=4))


class DemandFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Demand

    project = factory.SubFactory(ProjectFactory)
    skill = factory.SubFactory(SkillFactory)
    min_level = 3
    hours_per_week = Decimal("20")
    start_date = factory.LazyFunction(this_monday)
    end_date = factory.LazyAttribute(lambda d: d.start_date + timedelta(weeks=7, days=4))


def team_managed_by(user, **team):
    """A team whose named manager is `user` (a person record is made for them)."""
    manager = PersonFactory(user=user)
    return TeamFactory(manager=manager, **team)
