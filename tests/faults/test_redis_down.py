"""Redis stopped (issue 14): pages render and writes succeed, the capacity picture says it
is out of date, and the e-mails and recomputes held up catch up once Redis is back.

A redis-server of the test's own holds the cache and the broker of this process and of a
real worker; the test kills it and starts it again, empty. Needs PostgreSQL and a broker
(skipped on the embedded default)."""

import re
import time
from datetime import timedelta

import pytest

from changes.models import ChangeRequest
from itsm_pmo.celery import app
from itsm_pmo.models import PendingTask
from itsm_pmo.tasks import send_pending_tasks
from resources import selectors
from resources.models import PlanState
from resources.tasks import sweep_dirty_plan
from tests.changes.test_cab import waiting_change
from tests.conftest import spawn_worker, stop_worker, wait_until_ready
from tests.factories import PersonFactory, ProjectFactory

from .own_redis import OwnRedis, app_broker
from .support import (
    MONDAY,
    fresh_conflicts,
    needs_postgresql_and_broker,
    plan_with_conflicts,
    published_conflicts,
    wait_for,
)

pytestmark = [pytest.mark.worker, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def own_redis(transactional_db, settings, tmp_path):
    """Cache and broker of this process and of one worker on a redis-server of our own."""
    needs_postgresql_and_broker()
    server = OwnRedis(tmp_path)
    server.start()
    settings.CACHES = {
        "default": {
            "BACKEND": "itsm_pmo.cache.TolerantRedisCache",
            "LOCATION": server.url(0),
            "KEY_PREFIX": "itsm_pmo",
            "OPTIONS": {"socket_connect_timeout": 0.5, "socket_timeout": 0.5},
        }
    }
    settings.CELERY_TASK_ALWAYS_EAGER = False
    # One retry after a commit, over long before Redis is back: what reaches the worker then
    # comes from the outbox (the retries' own catching up: tests/platform/test_after_commit.py)
    settings.AFTER_COMMIT_RETRY_SECONDS = (1.0,)
    eager_before = app.conf.task_always_eager
    app.conf.task_always_eager = False
    server.worker_log = tmp_path / "worker.log"
    output = open(server.worker_log, "a")  # noqa: SIM115
    workers = []

    def start_worker():
        workers.append(
            spawn_worker(
                env={
                    "CELERY_BROKER_URL": server.url(1),
                    "CELERY_RESULT_BACKEND": server.url(1),
                    "CACHE_URL": server.url(0),
                    # e-mails printed, so the test can read what was sent
                    "EMAIL_BACKEND": "django.core.mail.backends.console.EmailBackend",
                },
                output=output,
            )
        )
        wait_until_ready(workers[-1])

    def restart_worker_if_dead():
        """As the deployment's restart policy does (docker-compose: unless-stopped): a
        worker that held a message when Redis went away may exit (kombu 5.7 fails to put
        the message back over the lost connection: "Unrecoverable error: AttributeError")."""
        if workers[-1].poll() is not None:
            server.worker_restarts += 1
            start_worker()

    server.worker_restarts = 0
    server.restart_worker_if_dead = restart_worker_if_dead
    with app_broker(server.url(1)):
        try:
            start_worker()
            yield server
        finally:
            if not server.up():
                server.start()
            for worker in workers:
                stop_worker(worker)
            server.stop()
            app.conf.task_always_eager = eager_before
            print(server.worker_log.read_text())  # shown when the test fails


def settled():
    state = PlanState.objects.get(pk=1)
    return not (state.dirty or state.queued_at or state.running_since) and state.current_id


def test_with_redis_stopped_pages_and_writes_work_and_everything_catches_up(
    own_redis, page_clients, api_clients
):
    # given a published plan with conflicts and a change waiting for the CAB
    plan_with_conflicts()
    change = waiting_change(requester=None)
    wait_for(settled, what="the first snapshot")
    before = selectors.current_snapshot()
    requester_email = change.requester.email
    pmo, pages = api_clients("pmo_lead"), page_clients("pmo_lead")
    assert "Out of date since" not in pages.get("/resources/conflicts/").text

    # when Redis stops
    own_redis.stop()
    stopped = time.monotonic()
    # then pages render (the page cache and the session cache miss)
    for path in ("/", "/resources/", "/resources/conflicts/", "/portfolio/"):
        assert pages.get(path).status_code == 200, path
    # and writes succeed: a booking that over-allocates someone new …
    booked = pmo.post(
        "/api/resources/allocations/",
        {
            "person": PersonFactory().pk,
            "kind": "project",
            "project": ProjectFactory().pk,
            "hours_per_week": "70",
            "start_date": str(MONDAY),
            "end_date": str(MONDAY + timedelta(days=4)),
        },
        format="json",
    )
    assert booked.status_code == 201, booked.content
    # … and a CAB approval, whose e-mail cannot be queued
    approved = api_clients("itsm_manager").post(
        f"/api/changes/changes/{change.pk}/approvals/", {"decision": "approve"}, format="json"
    )
    assert approved.status_code == 201, approved.content
    assert ChangeRequest.objects.get(pk=change.pk).state == "scheduled"
    assert list(PendingTask.objects.values_list("task", flat=True)) == [
        "itsm_pmo.notifications.tasks.deliver_notification"
    ]
    # and the capacity pages say the picture is out of date, and still show the old one
    state = PlanState.objects.get(pk=1)
    assert state.dirty and state.queued_at is None
    assert selectors.current_snapshot().pk == before.pk
    page = pages.get("/resources/conflicts/").text
    assert re.search(r"Out of date since <time[^>]*>\d\d:\d\d</time>", page)
    assert pages.get("/resources/").status_code == 200

    # when Redis is back (empty: it kept nothing) after the retry of the e-mail gave up
    time.sleep(max(0.0, 2.5 - (time.monotonic() - stopped)))
    assert PendingTask.objects.count() == 1
    own_redis.start()
    own_redis.restart_worker_if_dead()
    # and beat's sweeps come round (the outbox's once its rows are old enough)
    sweep_dirty_plan.delay()
    send_pending_tasks.delay(0)
    # then the recompute catches up, equal to a fresh computation
    wait_for(lambda: settled() and selectors.current_snapshot().pk != before.pk, timeout=60)
    assert published_conflicts() == fresh_conflicts()
    assert "Out of date since" not in pages.get("/resources/conflicts/").text
    # and the e-mail is sent, from the outbox, which is then empty
    wait_for(
        lambda: f"{change.number} approved by the CAB" in own_redis.worker_log.read_text(),
        timeout=30,
        what="the decision e-mail",
    )
    assert requester_email in own_redis.worker_log.read_text()
    assert PendingTask.objects.count() == 0
