"""A server error says only that it failed and under which request id: JSON under /api/, a
plain page elsewhere, never a traceback or a setting (DEBUG off, as `make test` runs)."""

import logging

import pytest
from django.conf import settings
from django.test import override_settings
from django.urls import include, path
from rest_framework.decorators import api_view

from itsm_pmo import urls as production_urls

pytestmark = pytest.mark.django_db

SECRET_HINT = "do-not-show-this-9f31"


def page_that_fails(request):
    raise RuntimeError(f"page failed {SECRET_HINT}")


@api_view(["GET"])
def endpoint_that_fails(request):
    raise RuntimeError(f"endpoint failed {SECRET_HINT}")


# A URL configuration for these tests only: the production one plus two views that raise,
# with the production error handlers.
urlpatterns = [
    path("api/test-fails/", endpoint_that_fails),
    path("test-fails/", page_that_fails),
    path("", include(production_urls.urlpatterns)),
]
handler404 = production_urls.handler404
handler403 = production_urls.handler403
handler500 = production_urls.handler500


@pytest.fixture
def failing(page_clients):
    """A signed-in client that gets the 500 answer instead of the exception."""
    client = page_clients("pmo_lead")
    client.raise_request_exception = False
    with override_settings(ROOT_URLCONF=__name__):
        yield client


def _leaks(text: str) -> list[str]:
    tells = ["Traceback", "RuntimeError", SECRET_HINT, settings.SECRET_KEY, 'File "']
    return [tell for tell in tells if tell in text]


def test_server_errors_run_with_debug_off():
    assert settings.DEBUG is False


def test_server_errors_api_answers_the_json_error_body_with_a_request_id(failing):
    # when an endpoint raises
    response = failing.get("/api/test-fails/")
    # then the answer is the API's error body, as JSON, with the id of the request
    assert response.status_code == 500
    assert response["Content-Type"] == "application/json"
    body = response.json()
    assert body["status"] == 500
    assert body["code"] == "server_error"
    assert body["request_id"] == response["X-Request-ID"]
    assert not _leaks(response.content.decode())


def test_server_errors_page_renders_the_plain_500_page_with_the_request_id(failing):
    # when a page raises
    response = failing.get("/test-fails/")
    # then the portal's own 500 page, with the request id, and nothing of the failure
    text = response.content.decode()
    assert response.status_code == 500
    assert response["Content-Type"].startswith("text/html")
    assert "Something went wrong on our side" in text
    assert f'<code data-testid="request-id">{response["X-Request-ID"]}</code>' in text
    assert not _leaks(text)
    assert "Content-Security-Policy" in response


def test_server_errors_log_the_failure_under_the_request_id(failing):
    # given a log handler set up as settings.LOGGING sets the console one
    from itsm_pmo.request_id import RequestIdFilter

    lines: list[str] = []
    handler = logging.Handler()
    handler.addFilter(RequestIdFilter())
    handler.setFormatter(logging.Formatter(settings.LOGGING["formatters"]["plain"]["format"]))
    handler.emit = lambda record: lines.append(handler.format(record))  # type: ignore[method-assign]
    logger = logging.getLogger("django.request")
    logger.addHandler(handler)
    try:
        # when a page raises
        response = failing.get("/test-fails/")
    finally:
        logger.removeHandler(handler)
    # then the log (not the answer) has the traceback, on a line carrying the request id
    logged = "\n".join(lines)
    assert f"[{response['X-Request-ID']}] Internal Server Error: /test-fails/" in logged
    assert SECRET_HINT in logged


def test_request_id_is_sent_with_every_answer(client):
    first, second = client.get("/healthz"), client.get("/healthz")
    assert len(first["X-Request-ID"]) == 32
    assert first["X-Request-ID"] != second["X-Request-ID"]


def test_request_id_a_safe_incoming_id_is_kept(failing):
    # given a proxy that numbers its requests
    response = failing.get("/api/test-fails/", headers={"X-Request-ID": "edge-7f3a.01_b"})
    # then that id is the one answered, logged and shown
    assert response["X-Request-ID"] == "edge-7f3a.01_b"
    assert response.json()["request_id"] == "edge-7f3a.01_b"


@pytest.mark.parametrize(
    "incoming",
    ["x" * 65, "two words", "<script>", "id\u202eevil", "-leading-dash", "a;b", ""],
)
def test_request_id_an_unsafe_incoming_id_is_replaced(client, incoming):
    # given an id that is too long, or holds spaces, markup or control characters
    response = client.get("/healthz", headers={"X-Request-ID": incoming})
    # then a fresh one is made instead
    assert response["X-Request-ID"] != incoming
    assert len(response["X-Request-ID"]) == 32


def test_request_id_is_on_log_lines_and_dash_outside_a_request():
    from itsm_pmo.request_id import RequestIdFilter

    record = logging.LogRecord("x", logging.INFO, __file__, 1, "message", None, None)
    RequestIdFilter().filter(record)
    assert record.request_id == "-"
    assert "[%(request_id)s]" in settings.LOGGING["formatters"]["plain"]["format"]
    assert "request_id" in settings.LOGGING["handlers"]["console"]["filters"]
