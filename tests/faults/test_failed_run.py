"""A recompute that fails halfway publishes nothing, leaves the plan to be run again, and a
run that died after claiming the edits is reclaimed by the sweep. In-process, on every
database (the worker's retry is in test_worker_faults.py)."""

from datetime import timedelta

import pytest
from celery.exceptions import Retry
from django.db import OperationalError
from django.utils import timezone

from resources import selectors, snapshot
from resources.models import Conflict, PlanState, Snapshot, SnapshotStatus
from resources.planning import reclaim_abandoned_run
from resources.snapshot import compute_and_publish
from resources.tasks import recompute_plan, sweep_dirty_plan

from .support import fresh_conflicts, plan_with_conflicts, published_conflicts

pytestmark = pytest.mark.django_db


@pytest.fixture
def baseline(in_process_tasks):
    crew, bookings = plan_with_conflicts()
    before = compute_and_publish()
    PlanState.objects.filter(pk=1).update(dirty=False, dirty_since=None, queued_at=None)
    return crew, bookings, before


def fail_halfway(monkeypatch):
    """The publish fails after writing the new conflicts, before the pointer moves."""
    insert_rows, through = snapshot._insert_rows, Conflict.projects.through

    def failing(model, fields, rows):
        if model is through:
            raise OperationalError("injected: the connection was lost halfway")
        return insert_rows(model, fields, rows)

    monkeypatch.setattr(snapshot, "_insert_rows", failing)


def test_a_run_that_fails_halfway_publishes_nothing(baseline, monkeypatch):
    crew, bookings, before = baseline
    shown = published_conflicts()
    # given edits that would open and resolve conflicts, and a publish that fails halfway
    for i, booking in enumerate(bookings[:4]):
        booking.hours_per_week = 30 if i % 2 == 0 else 70
        booking.save()
    fail_halfway(monkeypatch)
    # when the run is made, it fails and asks to be retried
    with pytest.raises(Retry):
        recompute_plan.apply(throw=True)
    # then the pointer, the conflicts and their projects are as before
    assert selectors.current_snapshot().pk == before.pk
    assert published_conflicts() == shown
    failed = Snapshot.objects.exclude(pk=before.pk).get()
    assert failed.status == SnapshotStatus.FAILED and "injected" in failed.error
    assert not Conflict.objects.filter(first_seen=failed.pk).exists()
    assert not Conflict.objects.filter(resolved_in=failed.pk).exists()
    # and the plan is dirty again, unclaimed, so the sweep runs it
    state = PlanState.objects.get(pk=1)
    assert state.dirty and state.queued_at is None and state.running_since is None
    monkeypatch.undo()
    sweep_dirty_plan.apply()
    assert selectors.current_snapshot().pk > failed.pk
    assert published_conflicts() == fresh_conflicts() != shown


def test_the_sweep_reclaims_a_run_that_died_after_claiming_the_edits(baseline, settings):
    # given a run that claimed the edits (plan clean) and died longer ago than any run lasts
    started = timezone.now() - timedelta(seconds=settings.CELERY_TASK_TIME_LIMIT + 1)
    PlanState.objects.filter(pk=1).update(dirty=False, running_since=started)
    # when the sweep comes
    assert reclaim_abandoned_run() is True
    # then the edits are pending again
    state = PlanState.objects.get(pk=1)
    assert state.dirty and state.running_since is None


def test_the_sweep_leaves_a_run_that_may_still_be_running(baseline, settings):
    started = timezone.now() - timedelta(seconds=settings.CELERY_TASK_TIME_LIMIT - 5)
    PlanState.objects.filter(pk=1).update(dirty=False, running_since=started)
    assert reclaim_abandoned_run() is False
    state = PlanState.objects.get(pk=1)
    assert not state.dirty and state.running_since is not None
