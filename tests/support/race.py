"""Real threads released together, each on its own database connection: for the tests of
row locks and races, which prove something only on PostgreSQL."""

import threading
from collections.abc import Callable

import pytest
from django.db import connection


def skip_unless_postgresql() -> None:
    if connection.vendor != "postgresql":
        pytest.skip("row locks and races are tested on PostgreSQL (SQLite locks the database)")


def race(calls: list[Callable], *, timeout: float = 60) -> list:
    """Run every call in its own thread, all released by one barrier; return each call's
    result, or the exception it raised. Each thread closes its connection when done, and a
    thread still waiting after `timeout` seconds (a deadlock the database did not break)
    fails the test."""
    barrier = threading.Barrier(len(calls))
    results: list = [None] * len(calls)

    def run(index: int, call: Callable) -> None:
        try:
            barrier.wait()
            results[index] = call()
        except Exception as exc:  # noqa: BLE001 - handed back to the test to assert
            results[index] = exc
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(i, c)) for i, c in enumerate(calls)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=timeout)
    assert not any(t.is_alive() for t in threads), "a racer is still waiting: a deadlock?"
    return results
