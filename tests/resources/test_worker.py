"""Against the real PostgreSQL, Redis and a real Celery worker (skipped on the embedded
default): the snapshot follows the API without a manual step, bursts coalesce, and readers
never see half a run."""

import threading
import time
from datetime import timedelta
from decimal import Decimal

import pytest
from django.db import connection
from django.utils import timezone

from resources import selectors
from resources.engine.calendar import monday_of
from resources.models import Allocation, PersonLoad, Snapshot
from resources.snapshot import compute_and_publish, exclusive_run
from tests.factories import PersonFactory, ProjectFactory

MONDAY = monday_of(timezone.localdate())


def wait_for(predicate, timeout=45.0, every=0.3):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = predicate()
        if value:
            return value
        time.sleep(every)
    raise AssertionError("timed out waiting for the worker")


def booking(person, hours):
    return {
        "person": person.pk,
        "kind": "project",
        "project": ProjectFactory().pk,
        "hours_per_week": str(hours),
        "start_date": str(MONDAY),
        "end_date": str(MONDAY + timedelta(days=4)),
    }


@pytest.mark.worker
@pytest.mark.django_db(transaction=True)
def test_worker_allocation_through_the_api_opens_and_removal_resolves(
    celery_worker_process, api_clients
):
    # given a 40 h person already booked 30 h
    api = api_clients("pmo_lead")
    ana = PersonFactory(name="Ana", contracted_hours=Decimal(40))
    api.post("/api/resources/allocations/", booking(ana, 30), format="json")
    # when another 20 h is saved through the API
    extra = api.post("/api/resources/allocations/", booking(ana, 20), format="json").json()
    # then the worker publishes the conflict, with no manual step
    found = wait_for(
        lambda: api.get(
            f"/api/resources/conflicts/?subject_type=person&subject_id={ana.pk}"
        ).json()["results"]
    )
    assert found[0]["kind"] == "overallocation" and found[0]["state"] == "open"
    key = found[0]["key"]
    # when the allocation is removed
    assert api.delete(f"/api/resources/allocations/{extra['id']}/").status_code == 204
    # then the conflict is resolved, not deleted
    resolved = wait_for(
        lambda: [
            c
            for c in api.get("/api/resources/conflicts/?state=resolved").json()["results"]
            if c["key"] == key
        ]
    )
    assert resolved[0]["resolved_at"]


@pytest.mark.worker
@pytest.mark.django_db(transaction=True)
def test_worker_burst_of_100_edits_yields_at_most_two_runs(celery_worker_process, api_clients):
    api = api_clients("pmo_lead")
    person = PersonFactory(contracted_hours=Decimal(40))
    project = ProjectFactory()
    before = Snapshot.objects.count()
    # when 100 allocations are saved one after another
    for _ in range(100):
        response = api.post(
            "/api/resources/allocations/",
            {
                "person": person.pk,
                "kind": "project",
                "project": project.pk,
                "hours_per_week": "1",
                "start_date": str(MONDAY),
                "end_date": str(MONDAY + timedelta(days=4)),
            },
            format="json",
        )
        assert response.status_code == 201

    # then the final picture has all of them …
    def all_counted():
        snapshot = selectors.current_snapshot()
        row = PersonLoad.objects.filter(snapshot=snapshot, person=person).first()
        return row is not None and row.project[0] == 100.0

    wait_for(all_counted)
    time.sleep(3)  # … and no further run was queued behind it
    runs = Snapshot.objects.count() - before
    assert 1 <= runs <= 2, runs


@pytest.mark.worker
@pytest.mark.django_db(transaction=True)
def test_worker_readers_during_recompute_see_one_snapshot_never_a_mix():
    if connection.vendor != "postgresql":
        pytest.skip("concurrency is tested on PostgreSQL")
    # given a person whose load flips between 30 h (no conflict) and 60 h (conflict)
    ana = PersonFactory(contracted_hours=Decimal(40))
    flip = Allocation.objects.create(
        person=ana,
        kind="project",
        project=ProjectFactory(),
        hours_per_week=30,
        start_date=MONDAY,
        end_date=MONDAY + timedelta(days=4),
    )
    compute_and_publish()
    errors, reads, stop = [], [0], threading.Event()

    def reader():
        from django.db import connection as conn

        try:
            while not stop.is_set():
                snapshot = selectors.current_snapshot()
                row = PersonLoad.objects.get(snapshot=snapshot, person=ana)
                over = row.project[0] > row.capacity[0]
                has_conflict = (
                    selectors.conflicts_in(snapshot)
                    .filter(subject_id=ana.pk, period_start=MONDAY)
                    .exists()
                )
                if over != has_conflict:
                    errors.append((snapshot.pk, row.project[0], has_conflict))
                reads[0] += 1
        finally:
            conn.close()

    threads = [threading.Thread(target=reader) for _ in range(3)]
    for thread in threads:
        thread.start()
    # when the writer recomputes 12 times, flipping the input each time
    for i in range(12):
        flip.hours_per_week = 60 if i % 2 == 0 else 30
        flip.save()
        with exclusive_run():
            compute_and_publish()
    stop.set()
    for thread in threads:
        thread.join()
    # then every read matched one published snapshot
    assert reads[0] > 20
    assert errors == []
