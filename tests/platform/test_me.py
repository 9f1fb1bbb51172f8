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


def test_me_is_a_floor_the_session_the_user_and_its_roles():
    client = Client()
    client.force_login(UserFactory(roles=["engineer"]))
    assert queries_for(lambda: client.get("/api/me/")) == 3
