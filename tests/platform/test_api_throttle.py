"""API rate limits: per signed-in user, per anonymous address, and on the token endpoint;
429 with `Retry-After` in the API's error body, counted for kept answers too."""

import pytest
from django.conf import settings as django_settings
from rest_framework.test import APIClient

from tests.conftest import CONFIGURED_API_RATES
from tests.factories import TeamFactory, UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def rates(settings, monkeypatch):
    """rates(user="3/min") -> those API rates for this test (the others as configured).

    The clock stands still half-way through a minute: the rates count in fixed windows, and a
    test whose requests straddled a window's end would see its count start again."""
    import time

    from itsm_pmo.throttles import WindowRateThrottle

    middle = (time.time() // 60) * 60 + 30
    monkeypatch.setattr(WindowRateThrottle, "timer", staticmethod(lambda: middle))

    def set_rates(**changed):
        framework = dict(django_settings.REST_FRAMEWORK)
        framework["DEFAULT_THROTTLE_RATES"] = {
            **framework["DEFAULT_THROTTLE_RATES"],
            **changed,
        }
        settings.REST_FRAMEWORK = framework

    return set_rates


def assert_throttled(response):
    assert response.status_code == 429
    wait = int(response["Retry-After"])
    assert 0 < wait <= 60
    body = response.json()
    assert body["status"] == 429
    assert body["code"] == "throttled"
    assert body["retry_after"] == wait
    assert "throttled" in body["detail"]


def test_api_user_rate_refuses_past_the_limit_with_retry_after(rates, api_clients):
    # given
    rates(user="3/min")
    client = api_clients("engineer")
    # when
    statuses = [client.get("/api/me/").status_code for _ in range(3)]
    response = client.get("/api/me/")
    # then
    assert statuses == [200, 200, 200]
    assert_throttled(response)


def test_api_user_rate_is_per_user(rates, api_clients):
    # given one user past the limit
    rates(user="2/min")
    engineer = api_clients("engineer")
    for _ in range(3):
        engineer.get("/api/me/")
    # when / then: another user is still served
    assert api_clients("executive").get("/api/me/").status_code == 200
    assert engineer.get("/api/me/").status_code == 429


def test_api_user_rate_counts_token_requests(rates, role_user):
    # given a token holder
    rates(user="2/min")
    role_user("executive")
    token = APIClient().post(
        "/api/auth/token/", {"username": "executive_user", "password": "pw-for-tests"}
    )
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {token.json()['token']}")
    # when
    statuses = [client.get("/api/resources/teams/").status_code for _ in range(3)]
    # then
    assert statuses == [200, 200, 429]


def test_api_user_rate_counts_answers_kept_by_the_page_cache(rates, api_clients):
    # given a list the page cache keeps for the user
    rates(user="2/min")
    TeamFactory()
    client = api_clients("engineer")
    first = client.get("/api/resources/teams/")
    kept = client.get("/api/resources/teams/")
    # when
    response = client.get("/api/resources/teams/")
    # then
    assert first.status_code == kept.status_code == 200
    assert getattr(kept, "from_page_cache", False)
    assert_throttled(response)


def test_api_anonymous_rate_is_per_address_and_ignores_x_forwarded_for(rates):
    # given
    rates(anon="2/min")
    answers = [
        APIClient(REMOTE_ADDR="10.3.0.1", HTTP_X_FORWARDED_FOR=f"203.0.113.{i}")
        .get("/api/resources/teams/")
        .status_code
        for i in range(3)
    ]
    # when / then: the third from that address is refused, another address is served
    assert answers == [401, 401, 429]
    assert APIClient(REMOTE_ADDR="10.3.0.2").get("/api/resources/teams/").status_code == 401


def test_api_guessed_tokens_from_one_address_end_in_429(rates):
    # given
    rates(anon="3/min")
    guesses = []
    for i in range(4):
        client = APIClient(REMOTE_ADDR="10.3.1.1")
        client.credentials(HTTP_AUTHORIZATION=f"Token {i:040x}")
        guesses.append(client.get("/api/resources/teams/"))
    # when / then
    assert [g.status_code for g in guesses[:3]] == [401, 401, 401]
    assert guesses[0].json()["code"] == "authentication_failed"
    assert_throttled(guesses[3])


def test_token_endpoint_rate_per_address(rates):
    # given
    rates(token="3/min")
    UserFactory(username="alice")
    client = APIClient(REMOTE_ADDR="10.4.0.1")
    statuses = [
        client.post("/api/auth/token/", {"username": "alice", "password": "pw-for-tests"})
        for _ in range(3)
    ]
    # when
    response = client.post("/api/auth/token/", {"username": "alice", "password": "pw-for-tests"})
    # then
    assert [s.status_code for s in statuses] == [200, 200, 200]
    assert_throttled(response)
    other = APIClient(REMOTE_ADDR="10.4.0.2")
    assert (
        other.post(
            "/api/auth/token/", {"username": "alice", "password": "pw-for-tests"}
        ).status_code
        == 200
    )


def test_default_rates_leave_room_for_a_busy_script():
    # the defaults, as documented in docs/reliability.md (the suite lifts them: conftest.py)
    assert CONFIGURED_API_RATES == {"user": "1200/min", "anon": "120/min", "token": "20/min"}
