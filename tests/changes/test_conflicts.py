"""Change control's conflict rules on small inputs, and through a published snapshot."""

from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.utils import timezone

from changes import services
from changes.conflicts import change_collision, change_in_freeze, implementer_overbooked
from changes.models import ConfigurationItem, FreezeWindow
from changes.records import ChangeRecord, FreezeRecord
from resources import selectors
from resources.engine.calendar import Horizon, monday_of
from resources.engine.records import OPERATIONAL, PersonRecord, WorkRecord
from resources.engine.run import Plan, run
from resources.snapshot import compute_and_publish
from tests.factories import PersonFactory, UserFactory

UTC = ZoneInfo("UTC")
H = Horizon(date(2027, 1, 4), 4)
RULES = {
    "freeze": change_in_freeze,
    "collision": change_collision,
    "overbooked": implementer_overbooked,
}


def at(day: int, hour: int) -> datetime:
    return datetime(2027, 1, 4 + day, hour, tzinfo=UTC)


def change(pk, start, hours=2, items=(), services=(), implementer=None, **extra):
    return ChangeRecord(
        pk,
        f"CHG{pk:07d}",
        f"Change {pk}",
        extra.pop("change_type", "normal"),
        start,
        start + timedelta(hours=hours),
        implementer,
        frozenset(items),
        frozenset(services),
        **extra,
    )


def conflicts_of(records):
    return run(Plan.from_records(H, records), RULES)[1]


def test_change_in_a_freeze_on_its_service_without_exception():
    freeze = FreezeRecord(1, "Payments freeze", at(0, 0), at(4, 23), False, frozenset({7}))
    inside = change(10, at(2, 20), services={7})
    other_service = change(11, at(2, 20), services={8})
    excepted = change(12, at(2, 20), services={7}, freeze_exception=True)
    found = [
        c
        for c in conflicts_of([freeze, inside, other_service, excepted])
        if c.kind == "change_in_freeze"
    ]
    assert [c.subject_id for c in found] == [10]
    assert "Payments freeze" in found[0].message and found[0].severity == "high"


def test_changes_collide_on_an_item_or_a_service_when_windows_overlap():
    a = change(1, at(1, 20), items={5}, services={9})
    b = change(2, at(1, 21), items={5})  # same item, overlapping
    c = change(3, at(1, 21), services={9})  # same service, overlapping
    d = change(4, at(1, 22) + timedelta(minutes=30), items={5})  # after a, during b
    e = change(5, at(1, 20), items={6})  # other item
    found = [c for c in conflicts_of([a, b, c, d, e]) if c.kind == "change_collision"]
    pairs = sorted((f.subject_id, f.details["with"]) for f in found)
    assert pairs == [(2, 1), (3, 1), (4, 2)]
    assert {f.severity for f in found if f.subject_id == 2} == {"high"}
    assert {f.severity for f in found if f.subject_id == 3} == {"medium"}


def test_implementer_overbooked_counts_the_changes_own_effort():
    ana = PersonRecord(1, "Ana", 1, 40.0)
    busy = WorkRecord(1, H.week(0), H.week(0) + timedelta(days=4), 38.0, OPERATIONAL, "bau")
    effort = WorkRecord(
        1, H.week(0), H.week(0) + timedelta(days=4), 4.0, OPERATIONAL, "change", ref="change:20"
    )
    job = change(20, at(2, 20), implementer=1)
    later = change(21, at(9, 20), implementer=1)  # week 1: Ana is free
    found = [
        c
        for c in conflicts_of([ana, busy, effort, job, later])
        if c.kind == "implementer_overbooked"
    ]
    assert [(c.subject_id, c.details["load"]) for c in found] == [(20, 42.0)]
    assert "Ana, implementer of CHG0000020" in found[0].message


@pytest.mark.django_db
def test_change_rules_through_a_published_snapshot():
    monday = monday_of(timezone.localdate()) + timedelta(weeks=1)
    start = timezone.make_aware(
        datetime.combine(monday + timedelta(days=2), datetime.min.time())
    ) + timedelta(hours=20)
    FreezeWindow.objects.create(
        name="Year-end freeze", start=start - timedelta(days=1), end=start + timedelta(days=1)
    )
    ana = PersonFactory(name="Ana", contracted_hours=40)
    item = ConfigurationItem.objects.create(name="pg-01")
    requester = UserFactory(roles=["engineer"])
    for title in ("Patch", "Failover"):
        services.change_create(
            requester=requester,
            title=title,
            items=[item],
            implementer=ana,
            effort_hours=45,
            backout_plan="x",
            planned_start=start,
            planned_end=start + timedelta(hours=2),
        )
    snapshot = compute_and_publish()
    kinds = sorted(selectors.conflicts_in(snapshot).values_list("kind", flat=True))
    assert kinds.count("change_in_freeze") == 2
    assert kinds.count("change_collision") == 1
    assert kinds.count("implementer_overbooked") == 2
    assert "overallocation" in kinds  # 90 h of change work on a 40 h person
