"""Celery tasks of the capacity engine: thin, JSON arguments, late acks, retries."""

import logging
from datetime import timedelta

from celery import shared_task
from django.conf import settings
from django.db import OperationalError
from django.db.models import Value
from django.db.models.functions import Coalesce
from django.utils import timezone

from .models import PlanState

logger = logging.getLogger(__name__)


@shared_task(
    bind=True,
    acks_late=True,
    autoretry_for=(OperationalError,),
    retry_backoff=True,
    max_retries=5,
    # A run takes seconds; one past these is stuck. Never past the global limit, which the
    # settings keep below the broker's visibility timeout.
    soft_time_limit=min(300, settings.CELERY_TASK_SOFT_TIME_LIMIT),
    time_limit=min(360, settings.CELERY_TASK_TIME_LIMIT),
)
def recompute_plan(self, reason: str = "inputs changed") -> int | None:
    """Recompute and publish a snapshot. If another run holds the lock, try again shortly."""
    from .snapshot import compute_and_publish, exclusive_run

    if not self.request.is_eager and _still_busy():
        # Debounce: wait until edits pause, so a burst of edits yields one run.
        recompute_plan.apply_async(
            kwargs={"reason": reason}, countdown=settings.RECOMPUTE_QUIET_SECONDS
        )
        return None
    with exclusive_run() as acquired:
        if not acquired:
            if self.request.is_eager:
                # In-process (no broker): the run in progress covers it; the next edit
                # queues again.
                PlanState.objects.filter(pk=1).update(queued_at=None)
                return None
            raise self.retry(countdown=3, max_retries=20)
        # Claim the pending work first: edits from now on queue the next run.
        PlanState.objects.filter(pk=1).update(
            dirty=False, dirty_since=None, queued_at=None, running_since=timezone.now()
        )
        try:
            snapshot = compute_and_publish()
        except Exception:
            # The edits this run claimed are in no snapshot: the plan is dirty again, so a
            # retry, the next edit or the sweep runs it.
            PlanState.objects.filter(pk=1).update(
                dirty=True, dirty_since=Coalesce("dirty_since", Value(timezone.now()))
            )
            raise
        finally:
            PlanState.objects.filter(pk=1).update(running_since=None)
    logger.info("recompute (%s) published snapshot %s", reason, snapshot.pk)
    return snapshot.pk


def _still_busy() -> bool:
    """A burst of edits is still arriving (more than one edit, the last within the quiet
    period), and the plan has not waited too long.

    A lone edit runs at once: waiting the quiet period for it would only add that period to
    the time until its conflict shows. A burst waits until it pauses, so it yields one run
    (two when the first edit of the burst had already started one)."""
    state = PlanState.objects.filter(pk=1).first()
    if state is None or state.changed_at is None or state.changed_at == state.dirty_since:
        return False
    now = timezone.now()
    quiet = timedelta(seconds=settings.RECOMPUTE_QUIET_SECONDS)
    patience = timedelta(seconds=settings.RECOMPUTE_MAX_WAIT_SECONDS)
    return now - state.changed_at < quiet and (
        state.dirty_since is None or now - state.dirty_since < patience
    )


@shared_task
def sweep_dirty_plan() -> bool:
    """Beat: queue a run for a plan left dirty (a lost message, a crashed worker)."""
    from .planning import reclaim_abandoned_run, request_recompute

    reclaim_abandoned_run()
    return request_recompute()


@shared_task
def nightly_recompute() -> bool:
    """Beat: a full recompute every night, dirty or not (the weeks move on)."""
    from .planning import request_recompute

    return request_recompute(force=True)
