"""Hostile text in every free-text field the API writes (issue 14): NUL, 100 kB, a
right-to-left override, emoji, `<script>`, SQL metacharacters. Each is stored as sent or
refused with a 400 (NUL always: PostgreSQL refuses it in text; 100 kB always, naming the
field: every prose field has a maximum, issue 15), never a 500; a refusal leaves the row as
it was; and the object's page never carries the raw `<script>`.

The fields come from the models and the API's serializers (tests/hostile/discovery.py),
the objects from the test factories: a new field or endpoint is tried the day it exists."""

import pytest
from rest_framework.test import APIClient

from tests.factories import UserFactory

from .discovery import factories, free_text_fields, routes, writable_text_fields

pytestmark = pytest.mark.django_db

SCRIPT = "<script>alert('owned')</script>"
HOSTILE = {
    "nul": "before\x00after",
    "100kB": "x" * 100_000,
    "rtl": "invoice\u202egpj.exe",
    "emoji": "Deploy 🚀 by 👩🏽‍💻 ✅",
    "script": SCRIPT,
    "sql": "'; DROP TABLE portfolio_project;--",
}
# Routes the API edits whose model has no factory yet: each needs one to be tried here.
NO_FACTORY = {
    "changes/policies",  # no free text
    "handover/criteria",  # name, description: made per handover by its service
    "handover/checks",  # waiver_reason: written by the waive action, not PATCH
}
EDITORS = ("pmo_lead", "itsm_manager", "engineer")


def editable_routes():
    return [r for r in routes() if r.editable and writable_text_fields(r)]


def test_the_tried_routes_are_every_api_route_with_free_text():
    made = factories()
    tried = {r.label for r in editable_routes() if r.model in made}
    untried = {r.label for r in editable_routes() if r.model not in made}
    assert untried <= NO_FACTORY, f"give these a factory: {untried - NO_FACTORY}"
    assert len(tried) >= 20


def editor_for(route, obj):
    """A client allowed to PATCH the object (an edit of nothing answered 200), or None."""
    superuser = UserFactory(username=f"root-{route.prefix}", is_superuser=True, is_staff=True)
    for who in (*EDITORS, superuser):
        client = APIClient()
        client.force_login(
            who
            if not isinstance(who, str)
            else UserFactory(username=f"{who}-{route.prefix}", roles=[who])
        )
        answer = client.patch(route.detail_url(obj.pk), {}, format="json")
        if answer.status_code == 200:
            return client
    return None


@pytest.mark.parametrize(
    "route", [r for r in editable_routes() if r.label not in NO_FACTORY], ids=lambda r: r.label
)
def test_hostile_text_is_stored_or_refused_and_always_escaped(route, page_clients):
    obj = factories()[route.model]()
    client = editor_for(route, obj)
    if client is None:
        pytest.skip(f"no role may PATCH {route.label} as the factory makes it")
    page_client = page_clients("pmo_lead")
    prose = set(free_text_fields(route.model))
    for field in writable_text_fields(route):
        assert field in prose
        for name, value in HOSTILE.items():
            before = getattr(route.model.objects.get(pk=obj.pk), field)
            answer = client.patch(route.detail_url(obj.pk), {field: value}, format="json")
            assert answer.status_code in (200, 400), (route.label, field, name, answer.status_code)
            stored = getattr(route.model.objects.get(pk=obj.pk), field)
            if name in ("nul", "100kB"):  # 100 kB: every prose field has a maximum (issue 15)
                assert answer.status_code == 400, (route.label, field, name)
                assert field in answer.json()["fields"], (route.label, field, name)
            if answer.status_code == 400:
                assert stored == before, (route.label, field, name)
                assert answer.json()["status"] == 400
            else:
                assert stored == value, (route.label, field, name)
            if name == "script" and hasattr(obj, "get_absolute_url"):
                page = page_client.get(obj.get_absolute_url())
                assert page.status_code in (200, 403, 404), (route.label, page.status_code)
                assert SCRIPT not in page.text, (route.label, field)
