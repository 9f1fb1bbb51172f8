"""Celery tasks of the handover app (found by autodiscovery): thin, JSON arguments, late
acks, retries."""

from celery import shared_task
from django.conf import settings
from django.db import OperationalError


@shared_task(
    acks_late=True,
    autoretry_for=(OperationalError,),
    retry_backoff=True,
    max_retries=3,
    # A sweep touches a few hundred rows at most; the next beat tick picks up the rest.
    soft_time_limit=min(50, settings.CELERY_TASK_SOFT_TIME_LIMIT),
    time_limit=min(60, settings.CELERY_TASK_TIME_LIMIT),
)
def sla_sweep() -> dict[str, int]:
    """Warn at 75 % and escalate at breach (the beat runs it every SLA_SWEEP_SECONDS)."""
    from .incidents.sla.services import sla_sweep as sweep

    return sweep()


@shared_task(
    acks_late=True,
    autoretry_for=(OperationalError,),
    retry_backoff=True,
    max_retries=3,
    soft_time_limit=settings.CELERY_TASK_SOFT_TIME_LIMIT,
    time_limit=settings.CELERY_TASK_TIME_LIMIT,
)
def sla_rebuild() -> int:
    """Recompute every incident's timers (after a target changed), in batches."""
    from .incidents.sla.services import sla_rebuild as rebuild

    return rebuild()
