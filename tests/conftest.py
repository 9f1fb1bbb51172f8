"""Fixtures every test can use: a user and a client per role, the API client, the worker."""

import pytest
from django.conf import settings as django_settings
from django.test import Client
from rest_framework.test import APIClient

from itsm_pmo.roles import Role

from .factories import UserFactory

ROLE_NAMES = [role.value for role in Role]


@pytest.fixture(autouse=True)
def _empty_cache():
    """Each test starts with an empty cache: ids repeat between tests, snapshots too."""
    from django.core.cache import cache

    cache.clear()
    yield
    cache.clear()


@pytest.fixture(autouse=True)
def _my_work_counted_on_every_page(settings):
    """The navigation's count of a user's inbox is counted on every page in tests: kept (as
    in production), whether a page pays for it would depend on what an earlier request of the
    same minute left behind, and query counts pinned per page would not hold. The tests of
    keeping it (tests/platform/test_my_work.py) turn it on."""
    settings.MY_WORK_COUNT_SECONDS = 0
    # The header's unread notifications likewise (tests/notifications turn keeping it on).
    settings.NOTIFICATION_COUNT_SECONDS = 0


@pytest.fixture(autouse=True)
def _no_background_retries(settings):
    """Side effects that fail after a commit are retried on timers (itsm_pmo/tasks.py); in
    tests a timer would outlive its test, so only the tests of that retry turn it on."""
    settings.AFTER_COMMIT_RETRY_SECONDS = ()


# The API rates as configured, before the fixture below lifts them for the suite.
CONFIGURED_API_RATES = dict(django_settings.REST_FRAMEWORK["DEFAULT_THROTTLE_RATES"])


@pytest.fixture(autouse=True)
def _roomy_api_rates(settings):
    """The suite sends hundreds of API requests a minute from one address and one user (the
    role matrix, the fuzzing): rates high enough that only the throttle's own tests, which
    set theirs (tests/platform/test_api_throttle.py), meet a 429."""
    framework = dict(settings.REST_FRAMEWORK)
    framework["DEFAULT_THROTTLE_RATES"] = dict.fromkeys(CONFIGURED_API_RATES, "100000/min")
    settings.REST_FRAMEWORK = framework


@pytest.fixture
def role_user(db):
    """role_user("pmo_lead") -> a user holding that role (the same user within a test)."""
    made = {}

    def make(role: str):
        if role not in made:
            made[role] = UserFactory(username=f"{role}_user", roles=[role])
        return made[role]

    return make


def _clients(client_class, role_user):
    def make(role: str):
        client = client_class()
        if role != "anonymous":
            client.force_login(role_user(role))
        return client

    return make


@pytest.fixture
def page_clients(role_user):
    """page_clients("engineer") -> a Django test client signed in as that role."""
    return _clients(Client, role_user)


@pytest.fixture
def api_clients(role_user):
    """api_clients("engineer") -> a DRF APIClient signed in as that role."""
    return _clients(APIClient, role_user)


@pytest.fixture
def api(api_clients):
    """An API client signed in as the PMO lead, the role that writes most."""
    return api_clients("pmo_lead")


@pytest.fixture
def celery_worker_process(transactional_db, settings):
    """A real Celery worker in its own process, on the real broker and the test database.

    Skipped when no broker is configured (the embedded default runs tasks in-process).
    """
    import os

    if not os.environ.get("CELERY_BROKER_URL"):
        pytest.skip("no CELERY_BROKER_URL: tasks run in-process, there is no worker to start")
    yield from _worker(settings)


@pytest.fixture
def background_tasks(transactional_db, settings):
    """Whatever runs tasks here: a real worker with a broker, in-process without one."""
    import os

    if os.environ.get("CELERY_BROKER_URL"):
        yield from _worker(settings)
    else:
        yield None


def _worker(settings, **kwargs):
    """Start a worker (see spawn_worker), wait until it answers, stop it at the end."""
    from itsm_pmo.celery import app

    settings.CELERY_TASK_ALWAYS_EAGER = False
    app.conf.task_always_eager = False
    # Messages left by earlier runs belong to no database of ours; a run they stood for is
    # no longer queued, so the plan may ask for a new one.
    app.control.purge()
    from resources.models import PlanState

    PlanState.objects.filter(pk=1).update(queued_at=None)
    worker = spawn_worker(**kwargs)
    try:
        wait_until_ready(worker)
        yield worker
    finally:
        stop_worker(worker)
        app.conf.task_always_eager = settings.CELERY_TASK_ALWAYS_EAGER


def spawn_worker(*, app_module: str = "itsm_pmo", env: dict | None = None, output=None):
    """`celery worker` in its own process (solo pool: the process is the one running the
    task), on the test database; `env` adds to its environment; `output`, an open file, takes
    what it prints (else a pipe)."""
    import os
    import subprocess
    import sys

    from django.db import connection

    db = connection.settings_dict
    worker_env = {k: v for k, v in os.environ.items() if k != "DJANGO_ALLOW_ASYNC_UNSAFE"}
    if db["ENGINE"].endswith("postgresql"):
        worker_env["DATABASE_URL"] = (
            f"postgres://{db['USER']}:{db['PASSWORD'] or ''}@{db['HOST']}:"
            f"{db['PORT'] or 5432}/{db['NAME']}"
        )
    else:
        worker_env["DATABASE_URL"] = f"sqlite:///{db['NAME']}"
    worker_env.update(env or {})
    hostname = f"test-{os.getpid()}-{len(_spawned)}@%h"
    _spawned.append(hostname)
    return subprocess.Popen(
        [
            sys.executable,
            "-m",
            "celery",
            "-A",
            app_module,
            "worker",
            "--pool=solo",
            "--concurrency=1",
            os.environ.get("TEST_WORKER_LOGLEVEL", "--loglevel=WARNING"),
            "--without-gossip",
            "--without-mingle",
            "-n",
            hostname,
        ],
        env=worker_env,
        stdout=output or subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )


_spawned: list[str] = []


def wait_until_ready(worker, timeout: float = 60) -> None:
    import time

    from itsm_pmo.celery import app

    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if app.control.ping(timeout=1.0):
            return
        if worker.poll() is not None:
            said = worker.stdout.read() if worker.stdout else "(see its output file)"
            pytest.fail(f"the worker exited: {said}")
    pytest.fail(f"the worker did not answer a ping within {timeout:.0f} s")


def stop_worker(worker) -> None:
    import subprocess

    if worker.poll() is not None:
        return
    worker.terminate()
    try:
        worker.wait(timeout=20)
    except subprocess.TimeoutExpired:
        worker.kill()
        worker.wait()


@pytest.fixture(autouse=True)
def fast_password_hashing(settings):
    """Hashing with the production hasher costs ~0.3 s a password; tests don't need it."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def in_process_tasks(settings):
    """Run tasks in this process, as the embedded default does, even where a broker is set
    (the worker path has its own tests)."""
    from itsm_pmo.celery import app

    before = app.conf.task_always_eager
    settings.CELERY_TASK_ALWAYS_EAGER = True
    app.conf.task_always_eager = True
    yield
    app.conf.task_always_eager = before
