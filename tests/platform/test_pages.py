"""The page shell: login everywhere, the role-aware home, the discipline pages."""

import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db

PAGES = ["/", "/portfolio/", "/resources/", "/changes/", "/handover/", "/knowledge/"]


@pytest.mark.parametrize("path", PAGES)
def test_pages_anonymous_is_sent_to_login(client, path):
    # when
    response = client.get(path)
    # then
    assert response.status_code == 302
    assert response["Location"].startswith(f"{reverse('login')}?next=")


@pytest.mark.parametrize("path", PAGES)
def test_pages_every_role_opens_every_discipline(page_clients, path):
    for role in ("pmo_lead", "itsm_manager", "engineer", "executive"):
        response = page_clients(role).get(path)
        assert response.status_code == 200, (role, path)
        assert b'class="app-nav"' in response.content


def test_pages_login_with_password_lands_on_home(client, role_user):
    # given
    role_user("engineer")
    # when
    response = client.post(
        reverse("login"), {"username": "engineer_user", "password": "pw-for-tests"}, follow=True
    )
    # then
    assert response.redirect_chain[-1][0] == reverse("home")
    assert b"Raise changes, log incidents" in response.content


def test_pages_login_with_wrong_password_is_refused_with_a_message(client, role_user):
    role_user("engineer")
    response = client.post(reverse("login"), {"username": "engineer_user", "password": "nope"})
    assert response.status_code == 200
    assert b"Please enter a correct username and password" in response.content
    assert "_auth_user_id" not in client.session


def test_pages_login_form_requires_csrf(role_user):
    from django.test import Client

    role_user("engineer")
    strict = Client(enforce_csrf_checks=True)
    response = strict.post(
        reverse("login"), {"username": "engineer_user", "password": "pw-for-tests"}
    )
    assert response.status_code == 403


@pytest.mark.parametrize(
    ("role", "intro"),
    [
        ("pmo_lead", b"Triage the portfolio"),
        ("itsm_manager", b"Approve changes"),
        ("engineer", b"Raise changes"),
        ("executive", b"Read portfolio health"),
    ],
)
def test_home_speaks_to_the_role(page_clients, role, intro):
    response = page_clients(role).get("/")
    assert intro in response.content
    assert b'data-testid="no-role"' not in response.content


def test_home_user_without_role_is_told_to_ask_for_one(client, django_user_model):
    user = django_user_model.objects.create_user("newcomer", password="pw")
    client.force_login(user)
    response = client.get("/")
    assert b'data-testid="no-role"' in response.content


def test_home_shows_my_team_when_i_am_a_person(page_clients, role_user):
    from tests.factories import PersonFactory, TeamFactory

    # given the engineer is a person in a team with a colleague
    team = TeamFactory(name="Network")
    PersonFactory(team=team, user=role_user("engineer"), name="Me Myself")
    PersonFactory(team=team, name="Colleague One")
    # when
    response = page_clients("engineer").get("/")
    # then
    assert b"My team \xc2\xb7 Network" in response.content
    assert b"Colleague One" in response.content


def test_pages_user_text_is_escaped(page_clients):
    from tests.factories import TeamFactory

    team = TeamFactory(name="<script>alert(1)</script>", description="<img src=x onerror=alert(1)>")
    response = page_clients("executive").get(team.get_absolute_url())
    assert b"<script>alert(1)</script>" not in response.content
    assert b"&lt;script&gt;" in response.content
    assert b"<img src=x" not in response.content


def test_pages_unknown_address_gets_the_portal_404(page_clients):
    response = page_clients("engineer").get("/no/such/page/")
    assert response.status_code == 404
    assert b"There is nothing at this address" in response.content


def test_pages_logout_is_a_post(page_clients):
    client = page_clients("engineer")
    assert client.get(reverse("logout")).status_code == 405
    response = client.post(reverse("logout"))
    assert response.status_code == 302
    assert client.get("/").status_code == 302
