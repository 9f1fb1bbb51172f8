"""The outbox (itsm_pmo.models.PendingTask): a side effect asked for by a write is kept in
the write's transaction until it reaches the broker, so a broker outage longer than the
retries after the commit loses nothing; beat queues what is left."""

import pytest
from celery import shared_task
from django.db import transaction

from itsm_pmo.models import PendingTask
from itsm_pmo.tasks import enqueue_after_commit, send_pending_tasks

pytestmark = pytest.mark.django_db(transaction=True)
ran: list[tuple] = []


@shared_task
def side_effect(*args) -> None:
    ran.append(args)


@pytest.fixture
def broker(in_process_tasks, monkeypatch):
    """broker.down = True: queueing fails, as with Redis stopped."""
    ran.clear()

    class Broker:
        down = False

    real_delay = side_effect.delay

    def delay(*args):
        if Broker.down:
            raise ConnectionError("Error 111 connecting to the broker. Connection refused.")
        return real_delay(*args)

    monkeypatch.setattr(side_effect, "delay", delay)
    return Broker


def test_a_committed_side_effect_is_queued_and_leaves_the_outbox(broker):
    with transaction.atomic():
        enqueue_after_commit(side_effect, 7, "x")
        assert PendingTask.objects.count() == 1  # in the write's own transaction
    assert ran == [(7, "x")]
    assert PendingTask.objects.count() == 0


def test_a_rolled_back_side_effect_leaves_nothing(broker):
    with pytest.raises(RuntimeError), transaction.atomic():
        enqueue_after_commit(side_effect, 7)
        raise RuntimeError("the write failed")
    assert ran == [] and PendingTask.objects.count() == 0


def test_a_side_effect_the_broker_refused_waits_in_the_outbox_for_beat(broker):
    # given the broker down past the retries after the commit (none in tests)
    broker.down = True
    with transaction.atomic():
        enqueue_after_commit(side_effect, 7)
    assert ran == []
    assert list(PendingTask.objects.values_list("task", "args")) == [
        ("tests.platform.test_outbox.side_effect", [7])
    ]
    # when beat comes round while it is still down: kept, one more attempt counted
    assert send_pending_tasks(older_than_seconds=0) == 0
    assert PendingTask.objects.get().attempts == 1
    # when beat comes round after it is back: sent once, and gone
    broker.down = False
    assert send_pending_tasks(older_than_seconds=0) == 1
    assert ran == [(7,)]
    assert PendingTask.objects.count() == 0
    assert send_pending_tasks(older_than_seconds=0) == 0
    assert ran == [(7,)]


def test_beat_leaves_rows_whose_request_is_still_retrying(broker, settings):
    broker.down = True
    with transaction.atomic():
        enqueue_after_commit(side_effect, 7)
    broker.down = False
    # as deployed (set after the write: a timer here would outlive the test)
    settings.AFTER_COMMIT_RETRY_SECONDS = (1.0, 5.0, 30.0)
    # beat's default age: the retries' 36 s and a minute more
    assert send_pending_tasks() == 0
    assert ran == [] and PendingTask.objects.count() == 1
