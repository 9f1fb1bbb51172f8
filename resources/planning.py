"""Keeping the snapshot fresh: a dirty flag, and one queued recompute for a burst of edits.

Saving any planning input marks the plan dirty and, once the transaction commits, asks for
a recompute. Only one run is queued at a time, so a burst of edits yields one run (two when
edits keep arriving while it runs). Celery beat sweeps up whatever is still dirty.
"""

import logging
from datetime import timedelta

from django.conf import settings
from django.db import transaction
from django.db.models import Q, Value
from django.db.models.functions import Coalesce
from django.db.models.signals import post_delete, post_save
from django.utils import timezone

from .models import PlanState

logger = logging.getLogger(__name__)

# A queued run that has not started by then is presumed lost (a purged queue, a broker
# restart) and is queued again; debouncing never holds a run back longer than 30 s.
QUEUE_STALE_AFTER = timedelta(minutes=3)


def plan_state() -> PlanState:
    state, _ = PlanState.objects.get_or_create(pk=1)
    return state


def mark_dirty() -> None:
    """Inputs changed: flag the plan and ask for a recompute after the commit."""
    now = timezone.now()
    updated = PlanState.objects.filter(pk=1).update(
        dirty=True, changed_at=now, dirty_since=Coalesce("dirty_since", Value(now))
    )
    if not updated:
        PlanState.objects.get_or_create(
            pk=1, defaults={"dirty": True, "changed_at": now, "dirty_since": now}
        )
    transaction.on_commit(request_recompute)


def request_recompute(*, force: bool = False) -> bool:
    """Queue one recompute unless one is queued already; True when this call queued it."""
    from .tasks import recompute_plan

    now = timezone.now()
    state = PlanState.objects.filter(pk=1)
    if not force:
        state = state.filter(dirty=True)
    not_queued = Q(queued_at__isnull=True) | Q(queued_at__lt=now - QUEUE_STALE_AFTER)
    claimed = state.filter(not_queued).update(queued_at=now)
    if not claimed:
        return False
    try:
        recompute_plan.delay()
    except Exception:
        # Called after a commit: the edit is saved and must not fail. The broker is down or,
        # with tasks in-process, the run failed; the plan stays dirty, and unclaiming it lets
        # the next edit or the beat sweep ask again.
        logger.exception("recompute could not be queued; the plan stays dirty")
        PlanState.objects.filter(pk=1).update(queued_at=None)
        return False
    return True


def reclaim_abandoned_run() -> bool:
    """A run that claimed the pending edits and then died without a word (kill -9, a lost
    machine) left the plan clean but unpublished: past the task's time limit it cannot still
    be running, so its edits are pending again. True when such a run was found."""
    limit = timedelta(seconds=settings.CELERY_TASK_TIME_LIMIT)
    return bool(
        PlanState.objects.filter(pk=1, running_since__lt=timezone.now() - limit).update(
            running_since=None,
            dirty=True,
            dirty_since=Coalesce("dirty_since", Value(timezone.now())),
        )
    )


def _input_changed(sender, **kwargs) -> None:
    if kwargs.get("raw"):
        return  # fixtures being loaded
    mark_dirty()


def watch_inputs(*models) -> None:
    """Mark the plan dirty whenever one of these models is saved or deleted.

    A narrow, declared hook (not a domain cascade): whatever writes an input — a page, the
    API, the admin, a script — the capacity picture follows.
    """
    for model in models:
        uid = f"plan-dirty-{model._meta.label}"
        post_save.connect(_input_changed, sender=model, dispatch_uid=uid + "-save")
        post_delete.connect(_input_changed, sender=model, dispatch_uid=uid + "-delete")
