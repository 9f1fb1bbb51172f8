"""The portal's Celery app with faults injected, for the fault tests (tests/faults/).

`celery -A tests.support.faulty_worker worker` runs the portal's tasks, with

- a visibility timeout of seconds, and unacknowledged messages looked for every second, so a
  message of a killed worker is handed out again within seconds (production: an hour);
- each recompute appending "<pid> <event>" lines to the file FAULT_LOG;
- FAULT_PAUSE_BEFORE_PUBLISH seconds of sleep between a run's cells and its publish, the
  window in which a test kills the worker;
- FAULT_RAISE_IN_PUBLISH=N: the first N publishes of this process raise an OperationalError
  halfway, after the new conflicts are written and before the pointer moves.
"""

import os
import time

from celery.signals import task_prerun
from django.db import OperationalError

from itsm_pmo.celery import app

VISIBILITY_SECONDS = 4

app.conf.broker_transport_options = {
    "visibility_timeout": VISIBILITY_SECONDS,
    "unacked_restore_interval": 1,
    "unacked_restore_throttle": 1,
}


def note(event: str) -> None:
    path = os.environ.get("FAULT_LOG")
    if path:
        with open(path, "a") as log:
            log.write(f"{os.getpid()} {event}\n")


@task_prerun.connect
def _inject(**kwargs) -> None:
    """Patch the engine once Django is set up (the first task runs after it)."""
    from resources import snapshot

    if getattr(snapshot, "faults_injected", False):
        return
    snapshot.faults_injected = True
    publish, insert_rows = snapshot._publish, snapshot._insert_rows
    pause = float(os.environ.get("FAULT_PAUSE_BEFORE_PUBLISH", "0"))
    raises = [int(os.environ.get("FAULT_RAISE_IN_PUBLISH", "0"))]
    through = snapshot.Conflict.projects.through

    def paused_publish(snap, *args, **kw):
        note(f"cells-written {snap.pk}")
        time.sleep(pause)
        publish(snap, *args, **kw)
        note(f"published {snap.pk}")

    def failing_insert_rows(model, fields, rows):
        if model is through and raises[0] > 0:
            raises[0] -= 1
            note("raised")
            raise OperationalError("injected: the connection was lost halfway")
        return insert_rows(model, fields, rows)

    snapshot._publish = paused_publish
    snapshot._insert_rows = failing_insert_rows
