"""A version number per database table, bumped by every statement that writes to it, and the
tables a piece of work read, with their versions from before it read them.

Together they say whether something computed from the database may be used again: it may
while every table it read still has the version it had then. The page cache
(`itsm_pmo/page_cache.py`) is built on it.

Why at the SQL level: model signals miss queryset `update()`, `bulk_create` and raw SQL, and
a rule that each write path bumps what it touched would be forgotten by the next one. A
wrapper on every connection (`connection.execute_wrappers`, installed when the connection
opens) sees the page, the API, the admin, the worker's recompute, a beat task and a
management command alike. A write bumps its table at once and again when its transaction
commits, so that work which read the uncommitted state in between cannot outlive the
commit. A version is read before the statement that reads its table runs, so a write that
lands between the two can only make the work look older than it is, never newer.

`COPY` does not pass through the wrappers: the recompute copies a new snapshot's cells in,
but they are invisible to readers until it moves the snapshot pointer, an UPDATE.
"""

from __future__ import annotations

import re
import time
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from functools import partial

from django.core.cache import cache
from django.db import connection as default_connection

KEY = "table-version:{}"
WRITES = ("INSERT", "UPDATE", "DELETE")
# A table named after FROM or JOIN (a read), or after INSERT INTO, UPDATE or DELETE FROM.
READ_TABLES = re.compile(r'\b(?:FROM|JOIN)\s+"?([A-Za-z_]\w*)"?', re.IGNORECASE)
WRITTEN_TABLE = re.compile(
    r'^\s*(?:INSERT\s+INTO|UPDATE|DELETE\s+FROM)\s+"?([A-Za-z_]\w*)"?', re.IGNORECASE
)
# Writes no computed result depends on: every request may save its session.
IGNORED = frozenset({"django_session"})


def versions(tables: Iterable[str]) -> dict[str, int | None]:
    """The current version of each table (None: never written since the cache was empty)."""
    tables = list(tables)
    found = cache.get_many([KEY.format(t) for t in tables])
    return {t: found.get(KEY.format(t)) for t in tables}


def bump(tables: Iterable[str]) -> None:
    for table in tables:
        try:
            cache.incr(KEY.format(table))
        except ValueError:  # never written yet, or evicted: start from the clock
            cache.set(KEY.format(table), time.time_ns(), None)


def _after_commit(connection, table: str) -> None:
    """Bump the table again when the transaction that wrote it commits."""
    callback = getattr(connection, "table_versions_after_commit", None)
    if callback is None or not any(c is callback for _, c, _ in connection.run_on_commit):
        written: set[str] = set()
        callback = partial(bump, written)
        connection.table_versions_after_commit = callback
        connection.table_versions_written = written
        connection.on_commit(callback)
    connection.table_versions_written.add(table)


def _watch(execute, sql, params, many, context):
    connection = context["connection"]
    if sql.lstrip()[:6].upper() in WRITES:
        result = execute(sql, params, many, context)
        written = WRITTEN_TABLE.match(sql)
        if written and written.group(1) not in IGNORED:
            bump([written.group(1)])
            if connection.in_atomic_block:
                _after_commit(connection, written.group(1))
        return result
    reads = getattr(connection, "table_versions_reads", None)
    if reads is not None:
        new = set(READ_TABLES.findall(sql)) - reads.keys()
        if new:
            reads.update(versions(new))
    return execute(sql, params, many, context)


def watch(sender, connection, **kwargs) -> None:
    """Receiver for connection_created: every new connection reports its reads and writes."""
    if _watch not in connection.execute_wrappers:
        connection.execute_wrappers.append(_watch)


def start_recording(connection=default_connection) -> dict[str, int | None]:
    """From now on, the returned dict maps every table this connection queries to its
    version from before the first query that read it, until `stop_recording`."""
    read: dict[str, int | None] = {}
    connection.table_versions_reads = read
    return read


def stop_recording(connection=default_connection) -> None:
    connection.table_versions_reads = None


@contextmanager
def reads_recorded(connection=default_connection) -> Iterator[dict[str, int | None]]:
    """`with reads_recorded() as read:` — the tables queried inside the block."""
    try:
        yield start_recording(connection)
    finally:
        stop_recording(connection)


def unchanged(read: dict[str, int | None]) -> bool:
    """Every table still has the version it had when it was read."""
    return not read or versions(read) == read


def recorded[T](compute: Callable[[], T], connection=default_connection) -> tuple[T, dict]:
    """`compute()` and the tables it read with their versions from before it read them. An
    enclosing recording (a page being rendered for the page cache) sees those reads too."""
    outer = getattr(connection, "table_versions_reads", None)
    read = start_recording(connection)
    try:
        value = compute()
    finally:
        connection.table_versions_reads = outer
    note_reads(read, connection)
    return value, read


def note_reads(read: dict[str, int | None], connection=default_connection) -> None:
    """Count `read` among the reads of the work being recorded now, if any (the version
    noted first of a table stays: it is the older one)."""
    reads = getattr(connection, "table_versions_reads", None)
    if reads is not None:
        for table, version in read.items():
            reads.setdefault(table, version)


def kept[T](key: str, compute: Callable[[], T], *, timeout: int) -> T:
    """`compute()`, kept in the cache under `key` while every table it read keeps the version
    it had then. The work being recorded now depends on those tables either way, so a page
    that shows a kept value is stale when the value is."""
    found = cache.get(key)
    if found is not None and unchanged(found[1]):
        value, read = found
        note_reads(read)
        return value
    value, read = recorded(compute)
    cache.set(key, (value, read), timeout)
    return value
