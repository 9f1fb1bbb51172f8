"""The warning and the escalation through a real beat and worker on the broker (Redis in CI):
beat sends the sweep every second here (SLA_SWEEP_SECONDS), the worker runs it against the
test database and then delivers the notifications. Skipped without CELERY_BROKER_URL."""

import os
import subprocess
import sys
from datetime import timedelta

import pytest

from handover.incidents.sla.models import SlaEvent
from itsm_pmo.models import Notification
from tests.faults.support import wait_for

pytestmark = pytest.mark.worker
MIN = timedelta(minutes=1)


@pytest.fixture
def beat(celery_worker_process, tmp_path):
    """`celery beat` in its own process, sending the sweep every second."""
    from django.db import connection

    db = connection.settings_dict
    env = {k: v for k, v in os.environ.items() if k != "DJANGO_ALLOW_ASYNC_UNSAFE"}
    if db["ENGINE"].endswith("postgresql"):
        env["DATABASE_URL"] = (
            f"postgres://{db['USER']}:{db['PASSWORD'] or ''}@{db['HOST']}:"
            f"{db['PORT'] or 5432}/{db['NAME']}"
        )
    env["SLA_SWEEP_SECONDS"] = "1"
    process = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "celery",
            "-A",
            "itsm_pmo",
            "beat",
            "--loglevel=WARNING",
            "-s",
            str(tmp_path / "beat-schedule"),
        ],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    try:
        yield process
    finally:
        process.terminate()
        try:
            process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


def test_beat_and_worker_warn_and_escalate_once(desk, beat):
    # given a P1 at 80 % of its resolution target and a P1 past it, both started
    warm = desk.start(desk.log(ago=195 * MIN, title="Warm"))
    late = desk.start(desk.log(ago=250 * MIN, title="Late"))

    # when beat and the worker have run the sweep a few times
    def escalated():
        kinds = set(SlaEvent.objects.values_list("incident", "kind"))
        wanted = {(warm.pk, "warning"), (late.pk, "escalated_itsm")}
        return wanted <= kinds and Notification.objects.filter(event="escalation").count() >= 2

    wait_for(
        escalated,
        timeout=45,
        what="the sweep's warning and escalation",
        explain=lambda: list(SlaEvent.objects.values_list("incident", "kind")),
    )
    wait_for(lambda: beat.poll() is None, timeout=1, what="beat to keep running")
    # then the group was warned of the first, and the second escalated to the group's
    # manager and the ITSM managers, each once (however often the sweep ran)
    told = set(
        Notification.objects.filter(event="escalation").values_list(
            "recipient__username", flat=True
        )
    )
    assert {"desk_manager", "desk_itsm"} <= told
    assert SlaEvent.objects.filter(incident=late, kind="breach").count() == 1
    assert SlaEvent.objects.filter(incident=warm, kind="warning").count() == 1
    warned = Notification.objects.filter(event="sla_warning", recipient__username="desk_member")
    assert warned.count() == 1
