"""factory_boy factories of the handover app: handovers, incidents and problems."""

from datetime import date, datetime, time

import factory
from django.utils import timezone

from handover.incidents.priority import priority as priority_of
from handover.models import Handover, Incident, IncidentCategory, Problem
from handover.services import handover_open
from tests.factories import (
    MilestoneFactory,
    ProjectFactory,
    ServiceFactory,
    TeamFactory,
    UserFactory,
)


class HandoverFactory(factory.django.DjangoModelFactory):
    """A project's handover opened as approval opens it, with a check per active criterion.

    The project has a support team (`project__support_team=None` for none); `go_live=<date>`
    gives it a go-live milestone on that day. Other keywords are the handover's fields."""

    class Meta:
        model = Handover

    project = factory.SubFactory(ProjectFactory, support_team=factory.SubFactory(TeamFactory))

    @classmethod
    def _create(cls, model_class, *args, project, go_live: date | None = None, **fields):
        if go_live is not None:
            MilestoneFactory(project=project, due_date=go_live)
        return handover_open(project=project, **fields)


def at_ten(day: date) -> datetime:
    """10:00 local time on `day`."""
    return timezone.make_aware(datetime.combine(day, time(10, 0)))


class IncidentFactory(factory.django.DjangoModelFactory):
    """An incident with its INC number; `opened_on=<date>` opens it at 10:00 that day. The
    priority follows impact and urgency unless given."""

    class Meta:
        model = Incident
        skip_postgeneration_save = True

    class Params:
        opened_on = None

    title = factory.LazyAttribute(
        lambda o: f"P{o.priority} on {o.opened_on}" if o.opened_on else "Checkout down"
    )
    service = factory.SubFactory(ServiceFactory)
    reporter = factory.SubFactory(UserFactory)
    impact = 2
    urgency = 2
    priority = factory.LazyAttribute(lambda o: priority_of(o.impact, o.urgency))
    opened_at = factory.LazyAttribute(
        lambda o: at_ten(o.opened_on) if o.opened_on else timezone.now()
    )

    @factory.post_generation
    def number(self, create, extracted, **kwargs):
        if create:
            self.number = extracted or f"INC{self.pk:07d}"
            Incident.objects.filter(pk=self.pk).update(number=self.number)


class ProblemFactory(factory.django.DjangoModelFactory):
    """A problem record with its PRB number."""

    class Meta:
        model = Problem
        skip_postgeneration_save = True

    title = factory.Sequence(lambda n: f"Problem {n}")

    @factory.post_generation
    def number(self, create, extracted, **kwargs):
        if create:
            self.number = extracted or f"PRB{self.pk:07d}"
            Problem.objects.filter(pk=self.pk).update(number=self.number)


class IncidentCategoryFactory(factory.django.DjangoModelFactory):
    """A category of the incident catalogue (a subcategory with `parent=`)."""

    class Meta:
        model = IncidentCategory

    name = factory.Sequence(lambda n: f"Category {n}")
