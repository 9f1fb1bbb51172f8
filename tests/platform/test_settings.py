"""Settings come from the environment, with safe production defaults."""

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def run_manage(*args, env_overrides: dict[str, str | None]) -> subprocess.CompletedProcess:
    env = {
        k: v
        for k, v in os.environ.items()
        if k
        not in {
            "DEBUG",
            "SECRET_KEY",
            "HTTPS",
            "DATABASE_URL",
            "CELERY_BROKER_URL",
            "ALLOWED_HOSTS",
            "DJANGO_ALLOW_ASYNC_UNSAFE",
            "TRUST_X_FORWARDED_PROTO",
        }
    }
    env.update({k: v for k, v in env_overrides.items() if v is not None})
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_settings_check_deploy_is_clean_in_production_shape():
    # given production settings: DEBUG off, a real secret, a real host
    env = {
        "DEBUG": "0",
        "SECRET_KEY": "k3y-" + "x7Qz9!rT" * 8,
        "ALLOWED_HOSTS": "portal.example.org",
    }
    # when
    result = run_manage("check", "--deploy", "--fail-level", "WARNING", env_overrides=env)
    # then
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


def test_settings_refuse_to_start_without_secret_when_debug_is_off():
    # given no SECRET_KEY with DEBUG off / when / then
    result = run_manage("check", env_overrides={"DEBUG": "0"})
    assert result.returncode != 0
    assert "SECRET_KEY must be set" in result.stderr


def test_settings_embedded_default_is_sqlite_under_var_and_in_process_tasks():
    # given no DATABASE_URL and no broker
    code = (
        "from django.conf import settings as s; "
        "print(s.DATABASES['default']['ENGINE'], s.DATABASES['default']['NAME'], "
        "s.CELERY_TASK_ALWAYS_EAGER)"
    )
    # when
    result = run_manage("shell", "-c", code, env_overrides={"DEBUG": "1"})
    # then
    engine, name, eager = result.stdout.split()[-3:]
    assert engine == "django.db.backends.sqlite3"
    assert name.endswith("var/db.sqlite3")
    assert eager == "True"


def test_settings_database_and_broker_come_from_the_environment():
    # given both URLs set
    env = {
        "DEBUG": "1",
        "DATABASE_URL": "postgres://u:p@db.internal:5432/portal",
        "CELERY_BROKER_URL": "redis://cache.internal:6379/1",
    }
    code = (
        "from django.conf import settings as s; d = s.DATABASES['default']; "
        "print(d['ENGINE'], d['HOST'], d['NAME'], s.CELERY_TASK_ALWAYS_EAGER)"
    )
    # when
    result = run_manage("shell", "-c", code, env_overrides=env)
    # then
    assert result.stdout.split()[-4:] == [
        "django.db.backends.postgresql",
        "db.internal",
        "portal",
        "False",
    ]
