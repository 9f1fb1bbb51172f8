"""factory_boy factories for change control. A change is raised through `change_create` (it
gets its number and its assessed risk as in the portal) and walked through the workflow with
the services (`advance`), so every row a test starts from is one the portal could have made."""

from datetime import timedelta

import factory
from django.utils import timezone

from changes import services
from changes.choices import ChangeState
from changes.models import ChangeRequest, ChangeTemplate, ConfigurationItem, FreezeWindow
from tests.factories import PersonFactory, ServiceFactory, UserFactory


def soon(days: int = 7):
    """A window start some days ahead, to the second."""
    return timezone.now().replace(microsecond=0) + timedelta(days=days)


class ConfigurationItemFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ConfigurationItem

    name = factory.Sequence(lambda n: f"ci-{n:04d}")
    service = factory.SubFactory(ServiceFactory)


class ChangeTemplateFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ChangeTemplate

    name = factory.Sequence(lambda n: f"Standard change {n}")
    backout_plan = "Undo the step"


class FreezeWindowFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = FreezeWindow

    name = factory.Sequence(lambda n: f"Freeze {n}")
    start = factory.LazyFunction(lambda: soon(1))
    end = factory.LazyAttribute(lambda f: f.start + timedelta(days=10))


class ChangeFactory(factory.django.DjangoModelFactory):
    """A normal change raised by an engineer, with a backout plan, one item on a service of
    `tier` (3 unless told) and a window `days` ahead lasting `hours` (a week and 2 h unless
    told). `implemented=True` names an implementer; `window=False` leaves it unplanned."""

    class Meta:
        model = ChangeRequest

    class Params:
        tier = 3
        window = True
        days = 7
        hours = 2
        implemented = factory.Trait(implementer=factory.SubFactory(PersonFactory))

    requester = factory.SubFactory(UserFactory, roles=["engineer"])
    title = factory.Sequence(lambda n: f"Change {n}")
    change_type = "normal"
    backout_plan = "Roll back"
    items = factory.LazyAttribute(lambda c: [ConfigurationItemFactory(service__tier=c.tier)])
    planned_start = factory.LazyAttribute(lambda c: soon(c.days) if c.window else None)
    planned_end = factory.LazyAttribute(
        lambda c: c.planned_start + timedelta(hours=c.hours) if c.planned_start else None
    )

    @classmethod
    def _create(cls, model_class, *args, **kwargs):
        # Fixtures set up the past too (last month's changes on the calendar).
        with services.recording_history():
            return services.change_create(**kwargs)


# The path a change takes to each state, and who makes each move.
PATH = {
    ChangeState.ASSESS: (ChangeState.ASSESS,),
    ChangeState.AUTHORIZE: (ChangeState.ASSESS, ChangeState.AUTHORIZE),
    ChangeState.SCHEDULED: (ChangeState.ASSESS, ChangeState.AUTHORIZE, ChangeState.SCHEDULED),
    ChangeState.IMPLEMENT: (
        ChangeState.ASSESS,
        ChangeState.AUTHORIZE,
        ChangeState.SCHEDULED,
        ChangeState.IMPLEMENT,
    ),
    ChangeState.REVIEW: (
        ChangeState.ASSESS,
        ChangeState.AUTHORIZE,
        ChangeState.SCHEDULED,
        ChangeState.IMPLEMENT,
        ChangeState.REVIEW,
    ),
}


def advance(change: ChangeRequest, to: str, *, approver=None) -> ChangeRequest:
    """Walk a normal change (with an implementer) to `to` with the services: its requester
    moves it, an ITSM manager of its own (or `approver`) approves it at the CAB."""
    for state in PATH[to]:
        change.refresh_from_db()
        if state == ChangeState.SCHEDULED and change.state == ChangeState.AUTHORIZE:
            approver = approver or UserFactory(roles=["itsm_manager"])
            services.change_approve(change=change, approver=approver, decision="approve")
        elif change.state != state:
            services.change_transition(change=change, to=state, by=change.requester)
    change.refresh_from_db()
    return change
