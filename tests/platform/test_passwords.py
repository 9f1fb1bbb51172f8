"""Passwords are checked against the common ones (CommonPasswordValidator) where they are set:
the admin's add-user and change-password forms, the only paths that set one."""

import pytest
from django.contrib.auth import get_user_model

from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

COMMON = "password123"
STRONG = "violet-harbour-quince-42"


@pytest.fixture
def admin_client(client):
    client.force_login(UserFactory(username="root", is_staff=True, is_superuser=True))
    return client


def add_user(client, password):
    return client.post(
        "/admin/auth/user/add/",
        {
            "username": "newcomer",
            "usable_password": "true",
            "password1": password,
            "password2": password,
        },
    )


def test_password_common_is_refused_when_adding_a_user(admin_client):
    # when
    response = add_user(admin_client, COMMON)
    # then
    assert response.status_code == 200
    assert "This password is too common." in response.content.decode()
    assert not get_user_model().objects.filter(username="newcomer").exists()


def test_password_uncommon_is_accepted_when_adding_a_user(admin_client):
    # when
    response = add_user(admin_client, STRONG)
    # then
    assert response.status_code == 302
    assert get_user_model().objects.get(username="newcomer").check_password(STRONG)


def test_password_common_is_refused_when_changing_ones_own(admin_client):
    # when
    response = admin_client.post(
        "/admin/password_change/",
        {"old_password": "pw-for-tests", "new_password1": COMMON, "new_password2": COMMON},
    )
    # then
    assert response.status_code == 200
    assert "This password is too common." in response.content.decode()
    assert get_user_model().objects.get(username="root").check_password("pw-for-tests")
