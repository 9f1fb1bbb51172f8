"""A NUL in a form field or a query parameter is a 400 naming the field, on a page and in
the API, before any view reads it (PostgreSQL cannot store or compare it in text)."""

import pytest

from tests.changes.factories import ChangeFactory

pytestmark = pytest.mark.django_db


def test_a_nul_in_a_page_form_is_refused_and_nothing_moves(page_clients, role_user):
    # given a change its requester may move
    change = ChangeFactory(requester=role_user("engineer"))
    client = page_clients("engineer")
    url = f"/changes/{change.pk}/transition/"
    # when the move's comment carries a NUL
    refused = client.post(url, {"to": "assess", "comment": "ready\x00now"})
    # then the page says which field and why, and the change has not moved
    assert refused.status_code == 400
    assert "comment" in refused.text and "NUL" in refused.text
    change.refresh_from_db()
    assert change.state == "new" and not change.transitions.exists()
    # while the same words without it move it
    assert client.post(url, {"to": "assess", "comment": "ready now"}).status_code == 302
    change.refresh_from_db()
    assert change.state == "assess"


def test_a_nul_in_a_query_parameter_is_a_400_naming_it(page_clients, api_clients):
    answer = api_clients("pmo_lead").get("/api/portfolio/projects/?search=a\x00b")
    assert answer.status_code == 400
    assert answer.json()["fields"] == {"search": ["Text cannot contain the NUL character (\\0)."]}
    assert page_clients("pmo_lead").get("/incidents/?q=a\x00b").status_code == 400
    # an ordinary search is answered
    assert api_clients("pmo_lead").get("/api/portfolio/projects/?search=ab").status_code == 200


def test_a_signed_out_visitor_is_sent_to_sign_in_first(client):
    answer = client.post("/changes/1/transition/", {"comment": "x\x00"})
    assert answer.status_code == 302 and "/accounts/login/" in answer["Location"]
