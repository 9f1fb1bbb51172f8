"""Platform tasks, and how side effects leave a request: after its commit, never failing it."""

import logging
import socket
import threading
from datetime import timedelta
from functools import partial

from celery import current_app, shared_task
from django.conf import settings
from django.db import connection, transaction
from django.utils import timezone

log = logging.getLogger(__name__)


@shared_task(ignore_result=False)
def ping() -> dict:
    """Answers where it ran: proves that a worker consumes from the broker."""
    return {"pong": True, "host": socket.gethostname()}


def enqueue_after_commit(task, *args) -> None:
    """Queue `task(*args)` once the current transaction commits.

    A committed write has succeeded: what follows it (an e-mail, a recompute) must not turn
    the answer into an error. So a failure to queue (the broker is down) or, on the embedded
    default where tasks run in-process, a failure of the task itself (no SMTP server) is
    logged and tried again after `AFTER_COMMIT_RETRY_SECONDS` (1, 5 and 30 s), in the
    background; the task's own retries come first.

    And it is not lost when those retries are over (a longer outage, a process restarted):
    the task is written to the outbox (PendingTask) in the same transaction, and deleted once
    queued; beat queues what is left (send_pending_tasks). Delivery is at least once: a
    process that dies between queueing and deleting sends it again."""
    from .models import PendingTask

    pending = PendingTask.objects.create(task=task.name, args=list(args))
    transaction.on_commit(partial(_enqueue, task, args, 0, pending.pk))


def _enqueue(task, args: tuple, attempt: int, pending_id: int | None = None) -> None:
    try:
        task.delay(*args)
    except Exception:
        delays = settings.AFTER_COMMIT_RETRY_SECONDS
        if attempt >= len(delays):
            log.exception(
                "%s%r not queued after %d attempts; left in the outbox for beat",
                task.name,
                args,
                attempt + 1,
            )
            return
        log.warning(
            "%s%r failed after commit; again in %s s",
            task.name,
            args,
            delays[attempt],
            exc_info=True,
        )
        timer = threading.Timer(
            delays[attempt], _retry_in_background, (task, args, attempt + 1, pending_id)
        )
        timer.daemon = True
        timer.start()
        return
    _sent(pending_id)


def _retry_in_background(task, args: tuple, attempt: int, pending_id: int | None) -> None:
    try:
        _enqueue(task, args, attempt, pending_id)
    finally:
        connection.close()  # the timer's thread had a connection of its own


def _sent(pending_id: int | None) -> None:
    """The task is queued: out of the outbox. Should this fail, beat sends it once more."""
    from .models import PendingTask

    if pending_id is None:
        return
    try:
        PendingTask.objects.filter(pk=pending_id).delete()
    except Exception:
        log.warning("outbox row %s not deleted; it may be sent twice", pending_id, exc_info=True)


@shared_task
def send_pending_tasks(older_than_seconds: float | None = None) -> int:
    """Beat: queue the side effects a broker outage left in the outbox; how many were.

    Only rows older than the retries after a commit take (so a row whose request is still
    trying is not sent twice). Stops at the first failure: the broker is still down."""
    from .models import PendingTask

    if older_than_seconds is None:
        older_than_seconds = sum(settings.AFTER_COMMIT_RETRY_SECONDS) + 60
    cutoff = timezone.now() - timedelta(seconds=older_than_seconds)
    sent = 0
    with transaction.atomic():
        rows = (
            PendingTask.objects.select_for_update(skip_locked=True)
            .filter(created_at__lt=cutoff)
            .order_by("pk")[:500]
        )
        for row in rows:
            task = current_app.tasks.get(row.task)
            if task is None:
                log.error("outbox: no task named %s; %s dropped", row.task, row)
                row.delete()
                continue
            try:
                task.delay(*row.args)
            except Exception:
                log.warning("outbox: %s not queued yet", row, exc_info=True)
                PendingTask.objects.filter(pk=row.pk).update(attempts=row.attempts + 1)
                break
            row.delete()
            sent += 1
    return sent


# Registered with Celery here, where its autodiscovery looks (itsm_pmo.tasks).
from .notifications.tasks import deliver_notification, send_notification_email  # noqa: E402,F401
