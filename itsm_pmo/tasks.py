"""Platform tasks, and how side effects leave a request: after its commit, never failing it."""

import logging
import socket
import threading
from functools import partial

from celery import shared_task
from django.conf import settings
from django.db import transaction

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
    background; the task's own retries come first."""
    transaction.on_commit(partial(_enqueue, task, args, 0))


def _enqueue(task, args: tuple, attempt: int) -> None:
    try:
        task.delay(*args)
    except Exception:
        delays = settings.AFTER_COMMIT_RETRY_SECONDS
        if attempt >= len(delays):
            log.exception("gave up on %s%r after %d attempts", task.name, args, attempt + 1)
            return
        log.warning(
            "%s%r failed after commit; again in %s s",
            task.name,
            args,
            delays[attempt],
            exc_info=True,
        )
        timer = threading.Timer(delays[attempt], _enqueue, (task, args, attempt + 1))
        timer.daemon = True
        timer.start()
