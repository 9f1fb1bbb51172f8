"""A redis-server of the test's own, on a free port, that a test may stop and start again
(the machine's Redis is shared and never stopped)."""

import os
import shutil
import socket
import subprocess
import time
from contextlib import contextmanager

import pytest
import redis

from itsm_pmo.celery import app


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


class OwnRedis:
    def __init__(self, directory):
        if not shutil.which("redis-server"):
            pytest.skip("no redis-server binary to start")
        self.port = free_port()
        self.directory = directory
        self.process = None
        self.stops = 0

    def url(self, db: int) -> str:
        return f"redis://127.0.0.1:{self.port}/{db}"

    def start(self) -> None:
        # No persistence, as a Redis restarted after a crash: what it held is gone.
        self.process = subprocess.Popen(
            ["redis-server", "--port", str(self.port), "--bind", "127.0.0.1"]
            + ["--save", "", "--appendonly", "no", "--dir", str(self.directory)],
            stdout=subprocess.DEVNULL,
        )
        client = redis.Redis(port=self.port, socket_connect_timeout=0.2)
        deadline = time.monotonic() + 10
        while time.monotonic() < deadline:
            try:
                if client.ping():
                    return
            except redis.exceptions.ConnectionError:
                time.sleep(0.05)
        raise AssertionError("redis-server did not start")

    def stop(self) -> None:
        self.stops += 1
        self.process.kill()
        self.process.wait(timeout=10)

    def up(self) -> bool:
        return self.process is not None and self.process.poll() is None


@contextmanager
def app_broker(url: str):
    """This process sends its tasks to `url` (the pools cached for the old one dropped)."""
    before = app.conf.broker_url
    env_before = os.environ.get("CELERY_BROKER_URL")

    def point(to):
        # Celery reads the environment's CELERY_BROKER_URL before its own setting.
        os.environ["CELERY_BROKER_URL"] = to
        app.conf.broker_url = to
        app._pool = None
        app.amqp._producer_pool = None
        app.control.mailbox.__dict__.pop("producer_pool", None)  # the control commands' own

    point(url)
    try:
        yield
    finally:
        point(before)
        if env_before is None:
            del os.environ["CELERY_BROKER_URL"]
        else:
            os.environ["CELERY_BROKER_URL"] = env_before
