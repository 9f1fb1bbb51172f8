"""Factories of the portfolio's tests beyond the shared ones in tests/factories.py."""

import factory

from portfolio.models import Benefit
from tests.factories import ProjectFactory


class BenefitFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Benefit

    project = factory.SubFactory(ProjectFactory)
    description = "Fewer incidents"
    measure = "P1 incidents per quarter"
    target = "-30 %"
