"""Work after a commit never fails the request that committed (itsm_pmo/tasks.py).

Tasks run in-process here, as on the embedded default, so that a task's own failure would
reach the request: the CAB approval below answered 500 after saving when no SMTP server
listened, and the client's retry then got a 409."""

import threading
from datetime import timedelta
from decimal import Decimal

import pytest
from celery import shared_task
from django.utils import timezone

from changes.models import ChangeRequest
from itsm_pmo.celery import app
from itsm_pmo.tasks import enqueue_after_commit
from resources.engine.calendar import monday_of
from resources.models import PlanState
from tests.changes.test_cab import waiting_change
from tests.factories import PersonFactory, ProjectFactory

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def in_process(settings):
    settings.CELERY_TASK_ALWAYS_EAGER = True
    before = app.conf.task_always_eager
    app.conf.task_always_eager = True
    yield
    app.conf.task_always_eager = before


@pytest.fixture
def no_smtp(settings):
    """A real SMTP client against a port where nothing listens: connection refused."""
    settings.MAILERS = {
        "default": {
            "BACKEND": "django.core.mail.backends.smtp.EmailBackend",
            "OPTIONS": {"host": "127.0.0.1", "port": 1, "timeout": 2},
        }
    }


def test_a_cab_approval_is_saved_and_answered_when_its_email_fails(
    in_process, no_smtp, api_clients
):
    # given a change waiting for one approval
    change = waiting_change()
    url = f"/api/changes/changes/{change.pk}/approvals/"
    # when the ITSM manager approves and the e-mail to the requester cannot be sent
    answer = api_clients("itsm_manager").post(url, {"decision": "approve"}, format="json")
    # then the approval is answered as saved, and it is
    assert answer.status_code == 201
    assert ChangeRequest.objects.get(pk=change.pk).state == "scheduled"


def test_an_edit_is_answered_when_its_recompute_fails(in_process, api_clients, monkeypatch):
    # given a recompute that fails (a deadlock, a lost connection)
    from resources import snapshot

    def broken(**kwargs):
        raise RuntimeError("the database went away")

    monkeypatch.setattr(snapshot, "compute_and_publish", broken)
    monday = monday_of(timezone.localdate())
    payload = {
        "person": PersonFactory(contracted_hours=Decimal(40)).pk,
        "kind": "project",
        "project": ProjectFactory().pk,
        "hours_per_week": "60",
        "start_date": str(monday),
        "end_date": str(monday + timedelta(days=4)),
    }
    # when a booking is saved
    answer = api_clients("pmo_lead").post("/api/resources/allocations/", payload, format="json")
    # then it is answered as saved, and the plan stays dirty and unclaimed for the next try
    assert answer.status_code == 201
    state = PlanState.objects.get(pk=1)
    assert state.dirty and state.queued_at is None


calls: list[int] = []
done = threading.Event()


@shared_task
def flaky_side_effect() -> None:
    calls.append(1)
    if len(calls) == 1:
        raise OSError("no route to the mail server")
    done.set()


def test_a_side_effect_that_failed_is_tried_again(in_process, settings):
    settings.AFTER_COMMIT_RETRY_SECONDS = (0.05,)
    calls.clear()
    done.clear()
    from django.db import transaction

    with transaction.atomic():
        enqueue_after_commit(flaky_side_effect)
    # the first try failed without raising here; the second, in the background, succeeds
    assert done.wait(5)
    assert len(calls) == 2


def test_nothing_is_queued_when_the_transaction_rolls_back(in_process):
    calls.clear()
    from django.db import transaction

    with pytest.raises(RuntimeError), transaction.atomic():
        enqueue_after_commit(flaky_side_effect)
        raise RuntimeError("the write failed")
    assert calls == []
