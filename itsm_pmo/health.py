"""What /healthz reports: the database, the broker and the age of the capacity snapshot."""

from django.conf import settings
from django.db import connection
from django.utils import timezone


def database_state() -> dict:
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
        return {"status": "ok", "vendor": connection.vendor}
    except Exception as exc:  # noqa: BLE001 - any failure means "down", reported as text
        return {"status": "error", "error": str(exc)[:200]}


def broker_state() -> dict:
    if settings.CELERY_TASK_ALWAYS_EAGER:
        return {"status": "ok", "mode": "in_process"}
    from itsm_pmo.celery import app

    try:
        with app.connection_for_write(settings.CELERY_BROKER_URL) as conn:
            conn.ensure_connection(max_retries=1, timeout=2)
        return {"status": "ok", "mode": "broker"}
    except Exception as exc:  # noqa: BLE001
        return {"status": "error", "mode": "broker", "error": str(exc)[:200]}


def snapshot_age_seconds() -> float | None:
    """Seconds since the latest published capacity snapshot, or None when there is none."""
    from resources.selectors import latest_snapshot_time

    computed_at = latest_snapshot_time()
    if computed_at is None:
        return None
    return round((timezone.now() - computed_at).total_seconds(), 1)


def health_report() -> tuple[dict, bool]:
    report = {
        "database": database_state(),
        "broker": broker_state(),
        "capacity_snapshot_age_seconds": snapshot_age_seconds(),
    }
    healthy = all(report[part]["status"] == "ok" for part in ("database", "broker"))
    report["status"] = "ok" if healthy else "error"
    return report, healthy
