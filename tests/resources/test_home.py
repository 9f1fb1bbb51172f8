"""The resources panels of the home page read per snapshot: the worst open conflicts and a
person's over-booked weeks are worked out once per published snapshot (cached), and an
acknowledgement or a new snapshot shows at once."""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.utils import timezone

from resources.home import conflicts_panel, my_load_panel, worst_open_conflicts
from resources.models import Conflict
from resources.selectors import current_snapshot
from resources.snapshot import compute_and_publish
from tests.factories import PersonFactory
from tests.support.queries import queries_for

from .test_capacity_pages import overbook

pytestmark = pytest.mark.django_db


def test_worst_open_conflicts_drops_an_acknowledged_one_at_once(role_user):
    # given three over-booked weeks and the panel read once (the order is cached)
    overbook(PersonFactory(contracted_hours=Decimal(40)), 60, weeks=3)
    compute_and_publish()
    manager = role_user("itsm_manager")
    before = [c.pk for c in worst_open_conflicts(current_snapshot())]
    assert len(before) == 3
    # when the first is acknowledged, without a new snapshot
    Conflict.objects.filter(pk=before[0]).update(acknowledged_at="2026-01-05T10:00Z")
    # then the panel no longer shows it, the others in the same order
    panel = conflicts_panel(manager)
    assert [item.title for item in panel.items] == [
        Conflict.objects.get(pk=pk).subject_label for pk in before[1:]
    ]


def test_worst_open_conflicts_follow_a_new_snapshot(role_user):
    # given the panel read on one snapshot
    ana = PersonFactory(contracted_hours=Decimal(40))
    overbook(ana, 60)
    compute_and_publish()
    assert len(worst_open_conflicts(current_snapshot())) == 1
    # when more weeks are over-booked and a new snapshot is published
    overbook(PersonFactory(contracted_hours=Decimal(40)), 60, weeks=2)
    compute_and_publish()
    # then the panel reads the new snapshot's conflicts (its key holds the new id and time)
    assert len(worst_open_conflicts(current_snapshot())) == 3


def test_my_load_panel_shows_my_weeks_and_reads_them_once_per_snapshot(role_user):
    # given an over-booked engineer
    engineer = role_user("engineer")
    me = PersonFactory(user=engineer, contracted_hours=Decimal(40))
    overbook(me, 60, weeks=2)
    compute_and_publish()
    # when the panel is read twice
    first_read = queries_for(lambda: my_load_panel(engineer))
    second_read = queries_for(lambda: my_load_panel(engineer))
    # then it lists both weeks, and the second read does not ask for the conflicts again
    assert len(my_load_panel(engineer).items) == 2
    assert second_read == first_read - 1
    overbook(me, 60, weeks=3)
    compute_and_publish()
    assert len(my_load_panel(engineer).items) == 3


def test_home_executive_is_asked_about_breached_freezes_and_critical_conflicts(role_user):
    from itsm_pmo.home import Clock
    from resources.home import critical, freezes
    from tests.changes.factories import ChangeFactory, FreezeWindowFactory

    # given a person booked 175 % this week, and a change planned inside a freeze
    overbook(PersonFactory(contracted_hours=Decimal(40), name="Ana Busy"), 70)
    freeze = FreezeWindowFactory()
    ChangeFactory(title="Inside the freeze", planned_start=freeze.start + timedelta(days=1))
    compute_and_publish()
    executive, clock = role_user("executive"), Clock.current()
    # then the executive is asked about both, and each entry opens what it is about
    [breach] = freezes.entries(executive, clock, 0, 5)
    assert "Inside the freeze" in breach.title and breach.url.startswith("/changes/")
    assert breach.action == "Ask for a new window or a freeze exception"
    [busy] = critical.entries(executive, clock, 0, 5)
    assert busy.title == "Ana Busy" and busy.url.startswith("/resources/people/")
    # and nobody else's role is asked
    for role in ("pmo_lead", "itsm_manager", "engineer"):
        assert not freezes.asks(role_user(role)) and not critical.asks(role_user(role))
    # once acknowledged, a conflict asks the executive no more
    Conflict.objects.update(acknowledged_at=timezone.now())
    assert critical.tally(executive, clock).total == freezes.tally(executive, clock).total == 0
