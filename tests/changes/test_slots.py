"""Next free slots: outside freezes, clear of collisions, the implementer under 100 %."""

from datetime import datetime, time, timedelta

import pytest
from django.utils import timezone

from changes import services
from changes.models import ConfigurationItem, FreezeWindow
from changes.slots import suggest_slots
from resources.engine.calendar import monday_of
from resources.models import Allocation
from resources.snapshot import compute_and_publish
from tests.factories import PersonFactory, ServiceFactory, UserFactory

pytestmark = pytest.mark.django_db
MONDAY = monday_of(timezone.localdate()) + timedelta(weeks=1)


def at(day: int, hour: int = 20) -> datetime:
    return timezone.make_aware(datetime.combine(MONDAY + timedelta(days=day), time(hour)))


def change(title, item, start=None, **fields):
    return services.change_create(
        requester=UserFactory(roles=["engineer"]),
        title=title,
        items=[item],
        backout_plan="x",
        planned_start=start,
        planned_end=start + timedelta(hours=2) if start else None,
        **fields,
    )


def test_slots_keep_the_time_of_day_and_skip_freezes_and_collisions():
    service = ServiceFactory()
    item = ConfigurationItem.objects.create(name="pg-01", service=service)
    twin = ConfigurationItem.objects.create(name="pg-02", service=service)
    FreezeWindow.objects.create(name="Quarter close", start=at(0, 0), end=at(2, 0))
    change("Busy night", twin, at(3))  # same service on day 3
    mine = change("Mine", item, at(0))
    days = [
        timezone.localtime(s.start).date()
        for s in suggest_slots(mine, today=MONDAY - timedelta(days=1), count=3)
    ]
    assert days == [MONDAY + timedelta(days=d) for d in (2, 4, 5)]
    assert all(timezone.localtime(s.start).hour == 20 for s in suggest_slots(mine))


def test_slots_without_a_window_start_in_the_evening():
    mine = change("Unplanned", ConfigurationItem.objects.create(name="web-01"))
    slots = suggest_slots(mine, today=MONDAY, count=2)
    assert [timezone.localtime(s.start).hour for s in slots] == [19, 19]
    assert slots[0].end - slots[0].start == timedelta(hours=4)  # its effort


def test_slots_skip_weeks_where_the_implementer_would_go_over_100_percent():
    ana = PersonFactory(contracted_hours=40)
    Allocation.objects.create(
        person=ana,
        kind="bau",
        hours_per_week=38,
        start_date=MONDAY,
        end_date=MONDAY + timedelta(days=6),
    )
    mine = change(
        "Upgrade",
        ConfigurationItem.objects.create(name="k8s"),
        at(1),
        implementer=ana,
        effort_hours=6,
    )
    compute_and_publish()
    slots = suggest_slots(mine, today=MONDAY - timedelta(days=1))
    assert slots and all(
        timezone.localtime(s.start).date() >= MONDAY + timedelta(weeks=1) for s in slots
    )
    assert slots[0].implementer_load == pytest.approx(6 / 40)
