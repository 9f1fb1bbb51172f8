"""Factories of the portfolio's tests beyond the shared ones in tests/factories.py."""

from datetime import date
from decimal import Decimal

import factory

from portfolio.choices import CostKind
from portfolio.models import Benefit, ProjectCost
from tests.factories import ProjectFactory


class BenefitFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Benefit

    project = factory.SubFactory(ProjectFactory)
    description = "Fewer incidents"
    measure = "P1 incidents per quarter"
    target = "-30 %"


class CostFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ProjectCost

    project = factory.SubFactory(ProjectFactory)
    month = date(2026, 3, 1)
    kind = CostKind.OPERATING
    amount = Decimal("12500.00")
