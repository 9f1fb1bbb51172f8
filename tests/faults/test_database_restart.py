"""PostgreSQL restarted (issue 14), simulated with pg_terminate_backend on the app's own
connections (the server is never stopped): a request whose connection dies under it is
answered 503 with Retry-After (a plain page, or the API's JSON body), never a traceback, and
the next request succeeds on a new connection without restarting anything.

Requests go through Django's WSGI handler itself, not the test client, so that the request
cycle is the deployed one: connections kept between requests (CONN_MAX_AGE) and checked at
the start of each (CONN_HEALTH_CHECKS)."""

import time
from io import BytesIO

import psycopg2
import pytest
from django.core.handlers.wsgi import WSGIHandler
from django.db import connection
from django.test import Client

from resources import selectors
from resources.snapshot import compute_and_publish
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db(transaction=True)
PAGE, API = "/resources/conflicts/", "/api/resources/snapshots/latest/"


@pytest.fixture
def session_cookie(transactional_db):
    if connection.vendor != "postgresql":
        pytest.skip("a database restart is simulated on PostgreSQL (pg_terminate_backend)")
    compute_and_publish()
    client = Client()
    client.force_login(UserFactory(roles=["pmo_lead"]))
    return f"sessionid={client.cookies['sessionid'].value}"


class Answer:
    def __init__(self, status: str, headers: list, body: bytes):
        self.status_code = int(status.split()[0])
        self.headers = dict(headers)
        self.text = body.decode()


_asked = [0]


def get(path: str, cookie: str) -> Answer:
    """One GET through the WSGI handler, as a server would make it (a new query string each
    time, so the page cache never answers in the view's place)."""
    _asked[0] += 1
    started = {}
    environ = {
        "REQUEST_METHOD": "GET",
        "PATH_INFO": path,
        "QUERY_STRING": f"n={_asked[0]}",
        "SERVER_NAME": "testserver",
        "SERVER_PORT": "80",
        "HTTP_HOST": "testserver",
        "HTTP_COOKIE": cookie,
        "HTTP_ACCEPT": "application/json" if path.startswith("/api/") else "text/html",
        "wsgi.url_scheme": "http",
        "wsgi.input": BytesIO(),
        "wsgi.errors": BytesIO(),
    }
    response = WSGIHandler()(
        environ, lambda status, headers, exc=None: started.update(s=status, h=headers)
    )
    try:
        body = b"".join(response)
    finally:
        response.close()  # request_finished: what a server does after each answer
    return Answer(started["s"], started["h"], body)


def terminate(pid: int) -> None:
    """pg_terminate_backend from a connection of our own, and wait until it is gone."""
    params = connection.get_connection_params()
    killer = psycopg2.connect(
        dbname=params["dbname"],
        user=params.get("user"),
        password=params.get("password"),
        host=params.get("host"),
        port=params.get("port"),
    )
    killer.autocommit = True
    try:
        with killer.cursor() as cursor:
            cursor.execute("SELECT pg_terminate_backend(%s)", [pid])
            for _ in range(100):
                cursor.execute("SELECT count(*) FROM pg_stat_activity WHERE pid = %s", [pid])
                if cursor.fetchone()[0] == 0:
                    return
                time.sleep(0.02)
    finally:
        killer.close()
    raise AssertionError(f"backend {pid} still there")


def current_backend() -> int:
    return connection.connection.info.backend_pid


@pytest.fixture
def dies_mid_request(monkeypatch):
    """dies_mid_request(): the next read of the plan's status finds its connection
    terminated under it; dies_mid_request.undo() ends that."""
    original = selectors.plan_status

    def after_the_restart():
        terminate(current_backend())
        return original()

    def arm():
        monkeypatch.setattr(selectors, "plan_status", after_the_restart)

    arm.undo = monkeypatch.undo
    return arm


def test_the_deployed_settings_check_connections_before_use():
    assert connection.settings_dict["CONN_HEALTH_CHECKS"] is True
    assert connection.settings_dict["CONN_MAX_AGE"] > 0


@pytest.mark.parametrize("path", [PAGE, API])
def test_a_request_whose_connection_dies_is_a_clean_503_and_the_next_one_succeeds(
    session_cookie, dies_mid_request, path
):
    assert get(path, session_cookie).status_code == 200
    # when the connection is terminated in the middle of the request
    dies_mid_request()
    failed = get(path, session_cookie)
    # then a 503 that says to try again, with no traceback and no setting in it
    assert failed.status_code == 503
    assert failed.headers["Retry-After"] == "5"
    for leak in ("Traceback", "OperationalError", "terminating connection", "SECRET_KEY"):
        assert leak not in failed.text
    if path.startswith("/api/"):
        assert failed.headers["Content-Type"] == "application/json"
        body = __import__("json").loads(failed.text)
        assert body["status"] == 503 and body["code"] == "unavailable" and body["request_id"]
    else:
        assert "not reachable for a moment" in failed.text
    # and the next request succeeds, on a new connection, with nothing restarted
    dies_mid_request.undo()
    assert get(path, session_cookie).status_code == 200


def test_after_a_restart_between_requests_the_next_request_succeeds(session_cookie):
    # given a connection kept from the last request
    assert get(PAGE, session_cookie).status_code == 200
    kept = current_backend()
    # when the database drops it (a restart between requests)
    terminate(kept)
    # then the next request is served: the health check finds it dead and reconnects
    assert get(PAGE, session_cookie).status_code == 200
    assert current_backend() != kept


def test_without_health_checks_the_first_request_after_a_restart_fails(session_cookie):
    # the refused case, to show what CONN_HEALTH_CHECKS is for: still a clean 503
    assert get(PAGE, session_cookie).status_code == 200
    connection.health_check_enabled = False
    terminate(current_backend())
    assert get(PAGE, session_cookie).status_code == 503
    assert get(PAGE, session_cookie).status_code == 200  # an unusable one is closed after
