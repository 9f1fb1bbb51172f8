"""/healthz: the database, the broker and the age of the capacity snapshot."""

import pytest
from django.conf import settings
from django.test import Client

pytestmark = pytest.mark.django_db


def test_healthz_answers_json_without_login():
    # when
    response = Client().get("/healthz")
    # then
    assert response.status_code == 200
    body = response.json()
    assert body["status"] == "ok"
    assert body["database"]["status"] == "ok"
    assert body["broker"]["status"] == "ok"
    assert body["broker"]["mode"] == (
        "in_process" if settings.CELERY_TASK_ALWAYS_EAGER else "broker"
    )
    assert "capacity_snapshot_age_seconds" in body
    assert body["capacity_snapshot_age_seconds"] is None


def test_healthz_reports_an_unreachable_broker_as_503(settings):
    # given a broker address where nothing listens
    settings.CELERY_TASK_ALWAYS_EAGER = False
    settings.CELERY_BROKER_URL = "redis://127.0.0.1:1/0"
    # when
    response = Client().get("/healthz")
    # then
    assert response.status_code == 503
    assert response.json()["broker"]["status"] == "error"
    assert response.json()["database"]["status"] == "ok"


def test_healthz_reports_the_age_of_the_capacity_snapshot():
    from resources.snapshot import compute_and_publish

    compute_and_publish()
    age = Client().get("/healthz").json()["capacity_snapshot_age_seconds"]
    assert isinstance(age, float) and 0 <= age < 60
