"""Publishing snapshots: conflicts keep their identity, acknowledgements survive, readers
see one snapshot at a time, old snapshots are pruned."""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.test import override_settings
from django.utils import timezone

from resources import selectors
from resources.engine.calendar import monday_of
from resources.models import Allocation, Conflict, PersonLoad, Snapshot
from resources.services import conflicts_acknowledge
from resources.snapshot import compute_and_publish
from tests.factories import PersonFactory, ProjectFactory

pytestmark = pytest.mark.django_db

MONDAY = monday_of(timezone.localdate())


def allocate(person, hours, weeks=(0, 1), project=None):
    return Allocation.objects.create(
        person=person,
        kind="project",
        project=project or ProjectFactory(),
        hours_per_week=Decimal(hours),
        start_date=MONDAY + timedelta(weeks=weeks[0]),
        end_date=MONDAY + timedelta(weeks=weeks[1], days=4),
    )


@pytest.fixture
def ana(db):
    return PersonFactory(name="Ana", contracted_hours=Decimal(40))


def test_snapshot_publishes_loads_and_conflicts(ana):
    # given 25 + 25 h on a 40 h person in weeks 0-1
    first, second = allocate(ana, 25), allocate(ana, 25)
    # when
    snapshot = compute_and_publish()
    # then the pointer moved, the cells and the conflicts are there
    assert selectors.current_snapshot() == snapshot and snapshot.status == "published"
    row = PersonLoad.objects.get(snapshot=snapshot, person=ana)
    assert row.project[:3] == [50.0, 50.0, 0.0] and row.capacity[0] == 40.0
    conflicts = list(selectors.conflicts_in(snapshot))
    assert [c.period_start for c in conflicts] == [MONDAY, MONDAY + timedelta(weeks=1)]
    assert {p.pk for p in conflicts[0].projects.all()} == {first.project_id, second.project_id}
    assert selectors.open_conflict_counts([first.project_id]) == {first.project_id: 2}


def test_snapshot_conflict_keeps_identity_and_acknowledgement(ana, role_user):
    allocate(ana, 25)
    allocate(ana, 25)
    compute_and_publish()
    conflict = selectors.conflicts_in(selectors.current_snapshot()).first()
    conflicts_acknowledge(
        conflict_ids=[conflict.pk],
        by=role_user("itsm_manager"),
        comment="Ana drops BAU those weeks",
    )
    # when recomputed with the cause still there
    second = compute_and_publish()
    # then the same row continues, still acknowledged
    again = selectors.conflicts_in(second).get(key=conflict.key)
    assert again.pk == conflict.pk and again.first_seen < second.pk
    assert again.resolved_in is None
    assert again.acknowledgement == "Ana drops BAU those weeks"


def test_snapshot_vanished_cause_resolves_the_conflict_not_deletes_it(ana):
    allocate(ana, 25)
    extra = allocate(ana, 25)
    first = compute_and_publish()
    keys = set(selectors.conflicts_in(first).values_list("key", flat=True))
    # when the extra allocation goes
    extra.delete()
    second = compute_and_publish()
    # then no conflict is in the new snapshot; the old ones are resolved with a time
    assert not selectors.conflicts_in(second).exists()
    resolved = Conflict.objects.filter(key__in=keys)
    assert resolved.count() == 2 and all(c.resolved_at for c in resolved)
    # and the old snapshot, read by someone who still holds it, still shows them
    assert selectors.conflicts_in(first).count() == 2


def test_snapshot_conflict_that_comes_back_is_a_new_one(ana):
    allocate(ana, 25)
    extra = allocate(ana, 25)
    compute_and_publish()
    extra.delete()
    compute_and_publish()
    allocate(ana, 25)
    third = compute_and_publish()
    assert selectors.conflicts_in(third).count() == 2
    assert Conflict.objects.count() == 4  # two resolved, two open


def test_snapshot_severity_follows_the_load(ana):
    allocate(ana, 25)
    extra = allocate(ana, 21)
    snap = compute_and_publish()
    assert selectors.conflicts_in(snap).first().severity == "medium"  # 115 %
    extra.hours_per_week = Decimal(45)
    extra.save()
    snap = compute_and_publish()
    assert selectors.conflicts_in(snap).first().severity == "critical"  # 175 %


@override_settings(SNAPSHOTS_KEPT=2)
def test_snapshot_old_snapshots_are_pruned(ana):
    for _ in range(4):
        compute_and_publish()
    assert Snapshot.objects.count() == 2
    assert selectors.current_snapshot() == Snapshot.objects.latest()


def test_snapshot_failed_run_leaves_the_previous_one_current(ana, monkeypatch):
    good = compute_and_publish()
    from resources.engine import registry

    def broken(plan):
        raise RuntimeError("rule bug")

    monkeypatch.setitem(registry.rules, "broken", broken)
    with pytest.raises(RuntimeError):
        compute_and_publish()
    assert selectors.current_snapshot() == good
    assert Snapshot.objects.filter(status="failed").count() == 1
