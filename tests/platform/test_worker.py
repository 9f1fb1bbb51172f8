"""A real worker consumes from the real broker (skipped on the embedded default)."""

import pytest

from itsm_pmo.tasks import ping


@pytest.mark.worker
def test_worker_runs_a_task_from_the_broker(celery_worker_process):
    # when a task is sent through the broker
    result = ping.delay()
    # then the worker process (not this one) answers it
    assert result.get(timeout=30)["pong"] is True
    assert celery_worker_process.poll() is None


def test_tasks_run_in_process_without_a_broker(settings):
    # given the embedded default
    if not settings.CELERY_TASK_ALWAYS_EAGER:
        pytest.skip("a broker is configured")
    # when / then: the task runs right here
    assert ping.delay().get()["pong"] is True
