"""Tasks leave on commit (issue 14): a rolled-back transaction sends nothing to the broker,
a committed one exactly one recompute however many inputs it changed. Counted in the real
broker's queue, with no worker to drain it (skipped on the embedded default)."""

import json
import os
from datetime import timedelta
from decimal import Decimal

import pytest
import redis
from django.db import transaction

from itsm_pmo.celery import app
from itsm_pmo.notifications.tasks import send_notification_email
from itsm_pmo.tasks import enqueue_after_commit
from resources.models import Allocation, PlanState
from tests.factories import PersonFactory, ProjectFactory

from .support import MONDAY, needs_postgresql_and_broker

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def broker_queue(transactional_db, settings):
    """The broker's queue, emptied; sent() -> the names of the tasks waiting in it."""
    needs_postgresql_and_broker()
    person, project = PersonFactory(contracted_hours=Decimal(40)), ProjectFactory()
    settings.CELERY_TASK_ALWAYS_EAGER = False
    eager_before = app.conf.task_always_eager
    app.conf.task_always_eager = False
    app.control.purge()
    PlanState.objects.update_or_create(
        pk=1, defaults={"dirty": False, "dirty_since": None, "queued_at": None}
    )
    broker = redis.Redis.from_url(os.environ["CELERY_BROKER_URL"])

    def sent() -> list[str]:
        names = []
        for key in broker.scan_iter(match=b"celery*"):
            if broker.type(key) == b"list":
                for raw in broker.lrange(key, 0, -1):
                    names.append(json.loads(raw)["headers"]["task"])
        return sorted(names)

    yield person, project, sent
    app.control.purge()
    app.conf.task_always_eager = eager_before


def bookings(person, project, n):
    for _ in range(n):
        Allocation.objects.create(
            person=person,
            kind="project",
            project=project,
            hours_per_week=10,
            start_date=MONDAY,
            end_date=MONDAY + timedelta(days=4),
        )


def test_a_rolled_back_transaction_sends_nothing(broker_queue):
    person, project, sent = broker_queue
    # when a transaction changes planning inputs and asks for an e-mail, then fails
    with pytest.raises(RuntimeError), transaction.atomic():
        bookings(person, project, 3)
        enqueue_after_commit(send_notification_email, 1)
        raise RuntimeError("the write failed")
    # then nothing reached the broker, and the plan is not dirty
    assert sent() == []
    assert not PlanState.objects.get(pk=1).dirty


def test_a_committed_transaction_sends_one_recompute_and_its_email(broker_queue):
    person, project, sent = broker_queue
    # when one transaction saves five planning inputs and asks for one e-mail
    with transaction.atomic():
        bookings(person, project, 5)
        enqueue_after_commit(send_notification_email, 1)
        # nothing leaves before the commit
        assert sent() == []
    # then exactly one recompute and the e-mail are queued
    assert sent() == [
        "itsm_pmo.notifications.tasks.send_notification_email",
        "resources.tasks.recompute_plan",
    ]


def test_two_committed_transactions_while_one_run_is_queued_send_one_recompute(broker_queue, api):
    person, project, sent = broker_queue
    payload = {
        "person": person.pk,
        "kind": "project",
        "project": project.pk,
        "hours_per_week": "10",
        "start_date": str(MONDAY),
        "end_date": str(MONDAY + timedelta(days=4)),
    }
    # when two bookings are saved through the API, each its own transaction
    for _ in range(2):
        assert api.post("/api/resources/allocations/", payload, format="json").status_code == 201
    # then one run is queued: the second found it queued already
    assert sent() == ["resources.tasks.recompute_plan"]
