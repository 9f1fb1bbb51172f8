"""The worker is set for faults (issue 14): late acknowledgement, reject on worker lost,
prefetch 1, time limits below the broker's visibility timeout, tasks sent only after a
commit. Read from the configuration the app and a real worker actually run with."""

import ast
import importlib
from pathlib import Path

import pytest

from itsm_pmo.celery import app
from tests.platform.test_settings import run_manage

ROOT = Path(__file__).resolve().parents[2]
APPS = ("itsm_pmo", "portfolio", "resources", "changes", "handover", "knowledge")


def our_tasks():
    for app_dir in APPS:
        if (ROOT / app_dir / "tasks.py").exists():
            importlib.import_module(f"{app_dir}.tasks")
    return {name: task for name, task in app.tasks.items() if not name.startswith("celery.")}


def test_the_app_acknowledges_late_and_prefetches_one():
    conf = app.conf
    assert conf.task_acks_late is True
    assert conf.task_reject_on_worker_lost is True
    assert conf.worker_prefetch_multiplier == 1
    assert conf.worker_cancel_long_running_tasks_on_connection_loss is True


def test_every_task_ends_before_the_broker_would_hand_it_out_again():
    visibility = app.conf.broker_transport_options["visibility_timeout"]
    assert app.conf.task_soft_time_limit < app.conf.task_time_limit < visibility
    tasks = our_tasks()
    assert {
        "resources.tasks.recompute_plan",
        "itsm_pmo.notifications.tasks.deliver_notification",
    } <= set(tasks)
    for name, task in tasks.items():
        assert task.acks_late is True, name
        limit = task.time_limit or app.conf.task_time_limit
        assert limit < visibility, name
        if getattr(task, "autoretry_for", ()):
            # a retry waits unacknowledged in the worker: its countdown ends before too
            assert (getattr(task, "retry_backoff_max", None) or 600) < visibility, name


def test_settings_refuse_a_time_limit_at_or_past_the_visibility_timeout():
    env = {"DEBUG": "1", "CELERY_TASK_TIME_LIMIT": "60", "CELERY_VISIBILITY_TIMEOUT": "60"}
    refused = run_manage("check", env_overrides=env)
    assert refused.returncode != 0
    assert "must be below CELERY_VISIBILITY_TIMEOUT" in refused.stderr
    env["CELERY_VISIBILITY_TIMEOUT"] = "61"
    accepted = run_manage("check", env_overrides=env)
    assert accepted.returncode == 0, accepted.stderr


def calls_that_send(path: Path) -> list[tuple[str, int]]:
    """`x.delay(...)` and `x.apply_async(...)` in a module, with the enclosing function."""
    tree = ast.parse(path.read_text())
    found = []
    for func in ast.walk(tree):
        if not isinstance(func, ast.FunctionDef):
            continue
        for node in ast.walk(func):
            if (
                isinstance(node, ast.Call)
                and isinstance(node.func, ast.Attribute)
                and node.func.attr in {"delay", "apply_async"}
            ):
                found.append((func.name, node.lineno))
    return found


# Where a task may be sent from: each runs only after a commit (enqueue_after_commit's
# on_commit hook; request_recompute is an on_commit hook or a beat task) or from inside a
# task (a recompute putting itself back for a burst of edits).
SENDERS = {
    ("itsm_pmo/tasks.py", "_enqueue"),
    ("itsm_pmo/tasks.py", "send_pending_tasks"),
    ("resources/planning.py", "request_recompute"),
    ("resources/tasks.py", "recompute_plan"),
}


def test_tasks_are_sent_only_from_after_commit_hooks():
    sent_from = {
        (str(path.relative_to(ROOT)), func)
        for app_dir in APPS
        for path in (ROOT / app_dir).rglob("*.py")
        for func, _ in calls_that_send(path)
    }
    assert sent_from == SENDERS


@pytest.mark.worker
def test_a_running_worker_has_this_configuration(celery_worker_process):
    # when the worker itself is asked what it runs with
    inspect = app.control.inspect(timeout=5, limit=1)
    conf = next(iter((inspect.conf(with_defaults=True) or {}).values()))
    stats = next(iter((inspect.stats() or {}).values()))
    # then
    assert conf["task_acks_late"] is True
    assert conf["task_reject_on_worker_lost"] is True
    assert conf["worker_prefetch_multiplier"] == 1
    assert conf["task_time_limit"] < conf["broker_transport_options"]["visibility_timeout"]
    assert stats["prefetch_count"] == 1
