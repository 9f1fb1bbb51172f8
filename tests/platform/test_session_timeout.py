"""Signed-in sessions end after SESSION_IDLE_SECONDS idle and SESSION_COOKIE_AGE in all,
without writing the session on every request."""

import time

import pytest
from django.contrib.auth import SESSION_KEY

from itsm_pmo.session_timeout import SEEN, STARTED
from tests.factories import TeamFactory

pytestmark = pytest.mark.django_db

PAGE = "/resources/teams/"


def set_times(client, *, started_ago, seen_ago):
    session = client.session
    now = int(time.time())
    session[STARTED] = now - started_ago
    session[SEEN] = now - seen_ago
    session.save()


def test_session_idle_past_the_limit_is_sent_to_sign_in(page_clients):
    # given a session last seen just over two hours ago
    client = page_clients("engineer")
    set_times(client, started_ago=3 * 3600, seen_ago=2 * 3600 + 1)
    # when
    response = client.get(PAGE)
    # then
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/?next=")
    assert SESSION_KEY not in client.session
    login = client.get(response["Location"])
    assert "Your session has ended. Please sign in again." in login.content.decode()


def test_session_idle_within_the_limit_is_served(page_clients):
    # given
    client = page_clients("engineer")
    set_times(client, started_ago=3 * 3600, seen_ago=3600)
    # when / then
    assert client.get(PAGE).status_code == 200


def test_session_past_the_absolute_limit_is_ended_however_active(page_clients):
    # given a session in use a minute ago, signed in twelve hours ago
    client = page_clients("engineer")
    set_times(client, started_ago=12 * 3600 + 1, seen_ago=60)
    # when
    response = client.get(PAGE)
    # then
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/")


def test_session_ended_is_401_on_the_api(api_clients):
    # given
    client = api_clients("engineer")
    set_times(client, started_ago=3 * 3600, seen_ago=2 * 3600 + 1)
    # when / then
    assert client.get("/api/me/").status_code == 401


def test_session_ended_is_not_answered_from_the_page_cache(page_clients):
    # given a page kept for the user
    TeamFactory()
    client = page_clients("engineer")
    assert client.get(PAGE).status_code == 200
    assert getattr(client.get(PAGE), "from_page_cache", False)
    # when the session has been idle too long
    set_times(client, started_ago=3 * 3600, seen_ago=2 * 3600 + 1)
    # then
    assert client.get(PAGE).status_code == 302


def test_session_last_seen_is_written_only_when_older_than_five_minutes(page_clients):
    # given a session seen a minute ago
    client = page_clients("engineer")
    set_times(client, started_ago=600, seen_ago=60)
    before = client.session[SEEN]
    # when
    response = client.get(PAGE)
    # then: no session write, no cookie
    assert response.status_code == 200
    assert "sessionid" not in response.cookies
    assert client.session[SEEN] == before
    # and when seen six minutes ago, the request moves it to now
    set_times(client, started_ago=600, seen_ago=360)
    response = client.get(PAGE)
    assert "sessionid" in response.cookies
    assert int(time.time()) - client.session[SEEN] < 5


def test_session_started_is_kept_at_sign_in(client, role_user):
    # given / when: signing in through the form
    role_user("engineer")
    response = client.post(
        "/accounts/login/", {"username": "engineer_user", "password": "pw-for-tests"}
    )
    # then
    assert response.status_code == 302
    assert int(time.time()) - client.session[STARTED] < 5
    assert client.session[SEEN] == client.session[STARTED]
