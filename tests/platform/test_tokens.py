"""API tokens expire after API_TOKEN_DAYS and are revoked at logout and at deactivation."""

from datetime import timedelta

import pytest
from django.utils import timezone
from django.utils.dateparse import parse_datetime
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def obtain(username="alice"):
    response = APIClient().post(
        "/api/auth/token/", {"username": username, "password": "pw-for-tests"}
    )
    assert response.status_code == 200
    return response.json()


def with_token(key):
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {key}")
    return client


def age(key, days):
    Token.objects.filter(key=key).update(created=timezone.now() - timedelta(days=days))


def test_token_says_when_it_expires():
    # given
    UserFactory(username="alice")
    # when
    body = obtain()
    # then
    expires = parse_datetime(body["expires"])
    assert abs(expires - (timezone.now() + timedelta(days=30))) < timedelta(minutes=1)


def test_token_younger_than_the_expiry_is_accepted():
    # given
    UserFactory(username="alice")
    key = obtain()["token"]
    age(key, 29)
    # when / then
    assert with_token(key).get("/api/me/").status_code == 200


def test_token_older_than_the_expiry_is_401():
    # given
    UserFactory(username="alice")
    key = obtain()["token"]
    age(key, 31)
    # when
    response = with_token(key).get("/api/me/")
    # then
    assert response.status_code == 401
    assert response["WWW-Authenticate"] == "Token"
    assert response.json()["code"] == "token_expired"


def test_token_asked_again_is_the_same_while_valid_and_new_once_expired():
    # given
    UserFactory(username="alice")
    key = obtain()["token"]
    # when / then
    assert obtain()["token"] == key
    age(key, 31)
    fresh = obtain()["token"]
    assert fresh != key
    assert with_token(fresh).get("/api/me/").status_code == 200
    assert with_token(key).get("/api/me/").status_code == 401


def test_token_is_revoked_when_its_user_signs_out():
    # given a token, and the same user signed in to the pages
    alice = UserFactory(username="alice")
    key = obtain()["token"]
    pages = APIClient()
    pages.force_login(alice)
    # when
    assert pages.post("/accounts/logout/").status_code == 302
    # then
    assert with_token(key).get("/api/me/").status_code == 401


def test_token_survives_another_users_sign_out():
    # given
    UserFactory(username="alice")
    key = obtain()["token"]
    pages = APIClient()
    pages.force_login(UserFactory(username="bob"))
    # when
    pages.post("/accounts/logout/")
    # then
    assert with_token(key).get("/api/me/").status_code == 200


def test_token_is_revoked_when_its_user_is_deactivated_and_stays_so_after():
    # given
    alice = UserFactory(username="alice")
    key = obtain()["token"]
    # when
    alice.is_active = False
    alice.save()
    # then
    assert with_token(key).get("/api/me/").status_code == 401
    alice.is_active = True
    alice.save()
    assert with_token(key).get("/api/me/").status_code == 401


def test_token_survives_other_saves_of_its_user():
    # given
    alice = UserFactory(username="alice")
    key = obtain()["token"]
    # when
    alice.first_name = "Alicia"
    alice.save()
    alice.save(update_fields=["last_login"])
    # then
    assert with_token(key).get("/api/me/").status_code == 200
