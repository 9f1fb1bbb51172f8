"""`GET /api/me/`: who is signed in; the load benchmark's authenticated floor."""

import pytest
from django.test import Client
from rest_framework.test import APIClient

from tests.factories import UserFactory
from tests.support.queries import queries_for

pytestmark = pytest.mark.django_db


def test_me_anonymous_gets_401_in_the_error_shape():
    response = APIClient().get("/api/me/")
    assert response.status_code == 401
    assert response.json()["code"] == "not_authenticated"


def test_me_answers_the_name_and_roles_of_the_session_user():
    # given a user with two roles, signed in with a session as a browser is
    user = UserFactory(
        username="priya", first_name="Priya", last_name="Shah", roles=["pmo_lead", "executive"]
    )
    client = Client()
    client.force_login(user)
    # when
    response = client.get("/api/me/")
    # then
    assert response.status_code == 200
    assert response.json() == {
        "username": "priya",
        "name": "Priya Shah",
        "roles": ["executive", "pmo_lead"],
        "role_labels": ["Executive", "PMO lead"],
    }


def test_me_without_a_full_name_or_role():
    client = Client()
    client.force_login(UserFactory(username="nobody", first_name="", last_name=""))
    assert client.get("/api/me/").json() == {
        "username": "nobody",
        "name": "nobody",
        "roles": [],
        "role_labels": [],
    }


def test_me_is_a_floor_the_user_and_its_roles_with_the_session_from_the_cache():
    # given a signed-in user (force_login writes the session through the cache)
    client = Client()
    client.force_login(UserFactory(roles=["engineer"]))
    # then a request reads the user and the roles; the session comes from the cache
    assert queries_for(lambda: client.get("/api/me/")) == 2
    # and without the cache the session is one query more, read from the database
    from django.core.cache import cache

    cache.clear()
    assert queries_for(lambda: client.get("/api/me/")) == 3
