"""What a refused htmx request is answered (itsm_pmo/htmx_errors.py): htmx swaps a 4xx in,
so a refusal with no place of its own is a toast sent to the page's toast area, a request
without a session sends the page to the sign-in, and never is a whole page answered to be
swapped into a part of one. Requests that are not htmx get the pages they always got.
(The browser side: tests/browser/test_htmx_errors.py.)"""

import pytest
from django.test import Client

from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

HTMX = {"HTTP_HX_REQUEST": "true", "HTTP_HX_CURRENT_URL": "http://testserver/resources/?x=1"}


def assert_toast(response, status: int, *words: str) -> None:
    html = response.content.decode()
    assert response.status_code == status
    assert response["HX-Retarget"] == "#toasts" and response["HX-Reswap"] == "beforeend"
    assert response["HX-Push-Url"] == "false"
    assert 'class="toast toast-error"' in html and "<html" not in html
    for word in words:
        assert word in html


def test_htmx_a_role_refusal_is_a_toast_and_the_page_keeps_its_403(client):
    # given a signed-in user without the role the plan status asks for
    client.force_login(UserFactory(roles=[]))
    # when htmx polls it, then the refusal is a toast; without htmx, the 403 page
    assert_toast(client.get("/resources/status/", **HTMX), 403, "Not allowed", "Your role")
    page = client.get("/resources/status/")
    assert page.status_code == 403 and "<html" in page.content.decode()
    assert "HX-Retarget" not in page


def test_htmx_a_service_refusal_says_its_own_sentence(page_clients, role_user):
    # given an allocation of someone the engineer does not plan (the service's sentence)
    from tests.resources.factories import AllocationFactory

    allocation = AllocationFactory()
    client = page_clients("engineer")
    # when htmx asks to edit it, then the toast carries the reason a person can act on
    refused = client.get(f"/resources/allocations/{allocation.pk}/edit/", **HTMX)
    assert refused.status_code == 403
    assert_toast(refused, 403, "Not allowed")
    assert "Your role does not allow this." not in refused.content.decode()


def test_htmx_something_gone_is_a_toast(page_clients):
    client = page_clients("engineer")
    assert_toast(client.get("/changes/999999/", **HTMX), 404, "Not found", "Reload the page")
    assert "<html" in client.get("/changes/999999/").content.decode()


def test_htmx_without_a_session_the_page_goes_to_the_sign_in(client):
    # when htmx asks for a part of a page with no one signed in (the session ended)
    response = client.get("/resources/status/", **HTMX)
    # then the whole page is sent to the sign-in, which comes back to the page (not the part)
    assert response.status_code == 401
    assert response["HX-Redirect"] == "/accounts/login/?next=/resources/%3Fx%3D1"
    assert response.content == b""
    # and a plain request is redirected as ever
    plain = client.get("/resources/status/")
    assert plain.status_code == 302 and plain["Location"].startswith("/accounts/login/")


def test_htmx_sign_in_comes_back_only_to_a_page_of_this_site(client):
    # given a current URL naming another host: only its path is kept
    headers = {"HTTP_HX_REQUEST": "true", "HTTP_HX_CURRENT_URL": "https://evil.example/x?y=1"}
    response = client.get("/resources/status/", **headers)
    assert response["HX-Redirect"] == "/accounts/login/?next=/x%3Fy%3D1"


def test_htmx_an_outdated_security_token_is_a_toast(role_user):
    # given a page whose CSRF token no longer matches the session's (signed in again since)
    client = Client(enforce_csrf_checks=True)
    client.force_login(role_user("pmo_lead"))
    # when htmx posts from it, then a toast says to reload; a plain post gets Django's page
    refused = client.post("/resources/allocations/preview/", {}, **HTMX)
    assert_toast(refused, 403, "Reload the page", "nothing was saved")
    plain = client.post("/resources/allocations/preview/", {})
    assert plain.status_code == 403 and "HX-Retarget" not in plain
    # and with the right token the same post is answered
    client.get("/resources/allocations/new/")
    token = client.cookies["csrftoken"].value
    allowed = client.post("/resources/allocations/preview/", {}, HTTP_X_CSRFTOKEN=token, **HTMX)
    assert allowed.status_code == 200


def test_htmx_a_nul_character_is_a_toast_naming_the_field(page_clients):
    client = page_clients("pmo_lead")
    refused = client.post("/resources/allocations/preview/", {"note": "a\x00b"}, **HTMX)
    assert_toast(refused, 400, "Not understood", "“note”")
    plain = client.post("/resources/allocations/preview/", {"note": "a\x00b"})
    assert plain.status_code == 400 and "<html" in plain.content.decode()
