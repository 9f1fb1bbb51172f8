"""Logins that resist guessing: lockout per username and per address (django-axes), counted
by the client's real address, and one answer for an unknown user and a wrong password."""

from datetime import timedelta

import pytest
from axes.models import AccessAttempt
from django.test import Client
from django.utils import timezone
from rest_framework.test import APIClient

from itsm_pmo.client_ip import client_ip
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

LOGIN = "/accounts/login/"
TOKEN = "/api/auth/token/"
RIGHT = "pw-for-tests"


def sign_in(username, password, *, address="10.0.0.1", forwarded=None, client=None):
    client = client or Client()
    extra = {"REMOTE_ADDR": address}
    if forwarded:
        extra["HTTP_X_FORWARDED_FOR"] = forwarded
    return client.post(LOGIN, {"username": username, "password": password}, **extra)


def signed_in(response) -> bool:
    return response.status_code == 302 and response["Location"] == "/"


def test_login_two_wrong_then_right_signs_in():
    # given
    UserFactory(username="alice")
    for _ in range(2):
        assert sign_in("alice", "guess").status_code == 200
    # when / then
    assert signed_in(sign_in("alice", RIGHT))


def test_login_five_wrong_then_right_is_locked_out_with_when_to_retry():
    # given
    UserFactory(username="alice")
    answers = [sign_in("alice", f"guess{i}").status_code for i in range(5)]
    # when
    response = sign_in("alice", RIGHT)
    # then: the fifth failure already answers the lockout, and the right password too
    assert answers == [200, 200, 200, 200, 429]
    assert response.status_code == 429
    assert response["Retry-After"] == "900"
    page = response.content.decode()
    assert "Too many failed sign-ins. Try again after" in page
    assert "(in 15 minutes)" in page
    assert "_auth_user_id" not in response.wsgi_request.session


def test_login_lockout_per_user_holds_from_any_address():
    # given five guesses at one account, each from another address
    UserFactory(username="alice")
    for i in range(5):
        sign_in("alice", "guess", address=f"10.0.1.{i}")
    # when / then
    assert sign_in("alice", RIGHT, address="10.0.9.9").status_code == 429


def test_login_lockout_per_address_holds_for_every_username():
    # given five guesses from one address, each at another (made-up) username
    UserFactory(username="bob")
    for i in range(5):
        sign_in(f"nobody{i}", "guess", address="10.0.2.1")
    # when / then: that address is locked out, even with right credentials for a new name
    assert sign_in("bob", RIGHT, address="10.0.2.1").status_code == 429
    assert signed_in(sign_in("bob", RIGHT, address="10.0.2.2"))


def test_login_rotating_x_forwarded_for_does_not_reset_the_count():
    # given guesses from one address, each claiming another origin
    UserFactory(username="bob")
    for i in range(5):
        sign_in(f"nobody{i}", "guess", address="10.0.3.1", forwarded=f"203.0.113.{i}")
    # when
    response = sign_in("bob", RIGHT, address="10.0.3.1", forwarded="198.51.100.7")
    # then
    assert response.status_code == 429


def test_login_behind_a_trusted_proxy_counts_the_forwarded_address(settings):
    # given one proxy of ours in front: the address it appended is the client's
    settings.TRUSTED_PROXY_COUNT = 1
    UserFactory(username="bob")
    for i in range(5):
        sign_in(f"nobody{i}", "guess", address="10.0.4.1", forwarded=f"203.0.113.{i}")
    # when / then: a client at another forwarded address is not locked out by them
    assert signed_in(sign_in("bob", RIGHT, address="10.0.4.1", forwarded="198.51.100.7"))
    # and the one that guessed five times is
    for _ in range(5):
        sign_in("nobody", "guess", address="10.0.4.1", forwarded="203.0.113.50")
    assert sign_in("bob", RIGHT, address="10.0.4.1", forwarded="203.0.113.50").status_code == 429


def test_login_lockout_ends_after_the_cool_off():
    # given a locked-out account whose last failure is older than the cool-off
    UserFactory(username="alice")
    for _ in range(5):
        sign_in("alice", "guess")
    AccessAttempt.objects.update(attempt_time=timezone.now() - timedelta(minutes=16))
    # when / then
    assert signed_in(sign_in("alice", RIGHT))


def _error_text(response) -> str:
    page = response.content.decode()
    start = page.index('class="alert alert-danger')
    return page[start : page.index("</div>", start)]


def test_login_unknown_user_wrong_password_and_inactive_user_get_the_same_answer():
    # given
    UserFactory(username="alice")
    UserFactory(username="gone", is_active=False)
    # when
    unknown = sign_in("nobody", "guess", address="10.0.5.1")
    wrong = sign_in("alice", "guess", address="10.0.5.2")
    inactive = sign_in("gone", RIGHT, address="10.0.5.3")
    # then
    assert unknown.status_code == wrong.status_code == inactive.status_code == 200
    assert _error_text(unknown) == _error_text(wrong) == _error_text(inactive)
    assert "Please enter a correct username and password" in _error_text(wrong)


def test_token_unknown_user_and_wrong_password_get_the_same_body():
    # given
    UserFactory(username="alice")
    # when
    unknown = APIClient(REMOTE_ADDR="10.0.6.1").post(TOKEN, {"username": "x", "password": "y"})
    wrong = APIClient(REMOTE_ADDR="10.0.6.2").post(TOKEN, {"username": "alice", "password": "y"})
    # then
    assert unknown.status_code == wrong.status_code == 400
    assert unknown.json() == wrong.json()


def test_token_endpoint_failures_count_towards_the_lockout():
    # given
    UserFactory(username="alice")
    client = APIClient(REMOTE_ADDR="10.0.7.1")
    statuses = [
        client.post(TOKEN, {"username": "alice", "password": "guess"}).status_code for _ in range(5)
    ]
    # when
    response = client.post(TOKEN, {"username": "alice", "password": RIGHT})
    # then: the API's error body, with when to come back
    assert statuses == [400, 400, 400, 400, 429]
    assert response.status_code == 429
    assert response["Retry-After"] == "900"
    body = response.json()
    assert body["status"] == 429
    assert body["code"] == "locked_out"
    assert body["retry_after"] == 900
    assert body["detail"].startswith("Too many failed sign-ins. Try again after")
    assert "token" not in body


def test_token_lockout_is_shared_with_the_login_form():
    # given guesses through the login form
    UserFactory(username="alice")
    for _ in range(5):
        sign_in("alice", "guess")
    # when / then: the token endpoint refuses the account too
    response = APIClient(REMOTE_ADDR="10.0.8.1").post(
        TOKEN, {"username": "alice", "password": RIGHT}
    )
    assert response.status_code == 429


@pytest.mark.parametrize(
    ("proxies", "remote", "forwarded", "expected"),
    [
        (0, "10.1.1.1", None, "10.1.1.1"),
        (0, "10.1.1.1", "203.0.113.9", "10.1.1.1"),
        (1, "10.1.1.1", "203.0.113.9", "203.0.113.9"),
        (1, "10.1.1.1", "6.6.6.6, 203.0.113.9", "203.0.113.9"),
        (2, "10.1.1.1", "6.6.6.6, 203.0.113.9, 10.2.2.2", "203.0.113.9"),
        (2, "10.1.1.1", "203.0.113.9", "10.1.1.1"),
    ],
)
def test_client_ip_trusts_only_as_many_forwarded_entries_as_proxies(
    rf, settings, proxies, remote, forwarded, expected
):
    # given
    settings.TRUSTED_PROXY_COUNT = proxies
    extra = {"REMOTE_ADDR": remote}
    if forwarded:
        extra["HTTP_X_FORWARDED_FOR"] = forwarded
    # when / then
    assert client_ip(rf.get("/", **extra)) == expected
