"""The backup drill, on PostgreSQL: a database seeded with the demo is dumped with `pg_dump`
and restored with `pg_restore` into an empty one; the restored database needs no migration,
holds the same number of rows in every table, and its id sequences stand where the
original's did (so the next row gets a fresh id, not one already taken).

The two databases are the test database's name with `_backup_src` / `_backup_dst`, so two
runs on two databases never meet; both are dropped at the end. Figures in
docs/reliability.md ("Concurrency and data")."""

import os
import shutil
import subprocess
import sys
import time
from pathlib import Path

import psycopg2
import pytest
from django.db import connection

ROOT = Path(__file__).resolve().parents[2]
TOOLS = ("pg_dump", "pg_restore")


def _server(name: str = "postgres") -> dict:
    db = connection.settings_dict
    return {
        "host": db["HOST"] or "localhost",
        "port": str(db["PORT"] or 5432),
        "user": db["USER"] or "postgres",
        "password": db["PASSWORD"] or "",
        "dbname": name,
    }


def _url(name: str) -> str:
    s = _server(name)
    auth = s["user"] + (f":{s['password']}" if s["password"] else "")
    return f"postgres://{auth}@{s['host']}:{s['port']}/{name}"


def _admin(sql: str) -> None:
    admin = psycopg2.connect(**_server())
    admin.autocommit = True  # CREATE and DROP DATABASE run outside a transaction
    try:
        with admin.cursor() as cursor:
            cursor.execute(sql)
    finally:
        admin.close()


def _manage(name: str, *args: str, timeout: float = 300) -> subprocess.CompletedProcess:
    """manage.py on database `name`; tasks in-process (no broker), so the seed queues nothing
    on the suite's broker."""
    env = {**os.environ, "DATABASE_URL": _url(name)}
    env.pop("CELERY_BROKER_URL", None)
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=timeout,
    )


def _tool(name: str, *args: str) -> subprocess.CompletedProcess:
    s = _server()
    env = {**os.environ, "PGPASSWORD": s["password"]}
    base = ["-h", s["host"], "-p", s["port"], "-U", s["user"]]
    return subprocess.run(
        [name, *base, *args], env=env, capture_output=True, text=True, timeout=300
    )


def _counts(name: str) -> tuple[dict[str, int], dict[str, int]]:
    """({table: rows}, {sequence: last value}) of every table and sequence in public."""
    db = psycopg2.connect(**_server(name))
    try:
        with db.cursor() as cursor:
            cursor.execute("SELECT tablename FROM pg_tables WHERE schemaname = 'public' ORDER BY 1")
            tables = [row[0] for row in cursor.fetchall()]
            rows = {}
            for table in tables:
                cursor.execute(f'SELECT count(*) FROM "{table}"')
                rows[table] = cursor.fetchone()[0]
            cursor.execute(
                "SELECT sequencename, coalesce(last_value, 0) FROM pg_sequences "
                "WHERE schemaname = 'public' ORDER BY 1"
            )
            sequences = dict(cursor.fetchall())
    finally:
        db.close()
    return rows, sequences


@pytest.mark.django_db(transaction=True)
def test_a_dump_of_a_seeded_database_restores_whole_into_an_empty_one(tmp_path):
    if connection.vendor != "postgresql":
        pytest.skip("the backup drill dumps and restores PostgreSQL")
    missing = [tool for tool in TOOLS if shutil.which(tool) is None]
    if missing:
        pytest.skip(f"{', '.join(missing)} not installed (apt-get install postgresql-client)")
    base = connection.settings_dict["NAME"]
    source, target = f"{base}_backup_src", f"{base}_backup_dst"
    dump = tmp_path / "portal.dump"
    timings: dict[str, float] = {}
    try:
        for name in (source, target):
            _admin(f'DROP DATABASE IF EXISTS "{name}"')
        _admin(f'CREATE DATABASE "{source}"')
        _admin(f'CREATE DATABASE "{target}"')
        # given a database migrated and seeded with the demo (default scale)
        started = time.monotonic()
        for step in (("migrate", "--noinput"), ("seed_demo",)):
            done = _manage(source, *step)
            assert done.returncode == 0, done.stderr[-2000:]
        timings["seed"] = time.monotonic() - started
        # when it is dumped and restored into an empty database
        started = time.monotonic()
        dumped = _tool("pg_dump", "--format=custom", "--no-owner", "-f", str(dump), source)
        assert dumped.returncode == 0, dumped.stderr
        timings["dump"] = time.monotonic() - started
        started = time.monotonic()
        restored = _tool("pg_restore", "--no-owner", "--exit-on-error", "-d", target, str(dump))
        assert restored.returncode == 0, restored.stderr
        timings["restore"] = time.monotonic() - started
        # then the restored database needs no migration
        check = _manage(target, "migrate", "--check")
        assert check.returncode == 0, check.stdout + check.stderr
        # and every table holds as many rows as the original, every sequence stands as there
        rows, sequences = _counts(source)
        assert _counts(target) == (rows, sequences)
        # (a drill on an empty database would prove little)
        assert sum(rows.values()) > 1000
        assert rows["changes_changerequest"] and rows["handover_incident"]
        assert rows["django_migrations"] > 0
    finally:
        for name in (source, target):
            _admin(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
    figures = (
        f"{len(rows)} tables, {sum(rows.values())} rows, {len(sequences)} sequences compared; "
        f"dump {dump.stat().st_size // 1024} KiB; "
        + ", ".join(f"{step} {seconds:.1f} s" for step, seconds in timings.items())
    )
    print(f"\nbackup drill: {figures}")
