"""Hostile text in what the workflow actions take (issue 14): the comment of a move or of a
CAB decision, the reason of a freeze exception or a risk override, an acknowledgement, a
waiver, a work-log note, a resolution; through the API and through the pages.

The actions, their ids and their bodies are the role matrix's (a valid request for the seeded
object), sent by the first user its table lets in; the prose fields are every field of the
body or of the action's request schema that is not a code (`to`, `decision` …), so an action
added later is tried from the day it has its row. Each value is sent in a savepoint rolled
back after it. It is stored exactly as sent (some row now holds it) or refused, NUL and
100 kB always (an API answer is then a 400 naming the field; 100 kB since issue 15, as every
prose field has a maximum); never a 500; and neither the answer nor the object's page
carries the raw `<script>`."""

import copy
from collections import Counter
from functools import cache as once

import pytest
from django.apps import apps
from django.core.cache import cache
from django.db import connection, transaction
from rest_framework.test import APIClient

from tests.factories import PersonFactory
from tests.platform import role_matrix_support as support
from tests.platform.role_matrix import expected

from .discovery import free_text_fields
from .test_hostile_text import HOSTILE, SCRIPT

pytestmark = pytest.mark.django_db

# Fields of an action's body that choose from a list or name something: not prose.
CODES = {"to", "decision", "level", "outcome", "status", "username", "password", "context"}
# Text an action reads without storing it as sent: a search, and the proposal a lesson was
# applied to (kept as a key, lower-cased and cut to 120 characters).
NOT_KEPT = {
    ("/api/knowledge/lessons/similar/", "text"),
    ("/api/knowledge/lessons/{id}/apply/", "proposal"),
}
# Writes of text that come as a field of an edit rather than an action's body.
MORE_BODIES = {
    ("PATCH", "/api/handover/checks/{id}/"): {"status": "waived", "waiver_reason": "m"},
    "handover:check_update": {"status": "waived", "waiver_reason": "m"},
}
# A prose field its action takes only with other words than the role matrix sends.
FIELD_BODIES = {
    ("POST", "/api/handover/incidents/{id}/transition/", "resolution_notes"): {"to": "resolved"},
    ("POST", "/api/knowledge/lessons/{id}/apply/", "proposal"): {},
    # Into its review ("=": the state, not the seeded change review's id).
    ("POST", "/api/handover/major-incidents/{id}/transition/", "comment"): {"to": "=review"},
}
# Text any product stores as typed (the NUL and the 100 kB may be refused).
ORDINARY = ("rtl", "emoji", "script", "sql")
ACTORS = ("engineer", "pmo_lead", "itsm_manager", "cab_member")


@once
def _schema() -> dict:
    from drf_spectacular.generators import SchemaGenerator

    return SchemaGenerator().get_schema(request=None, public=True)


def _request_schema_prose(method: str, path: str) -> set[str]:
    """String fields of the action's documented request body that are not codes."""
    schema = _schema()
    operation = schema["paths"].get(path, {}).get(method.lower(), {})
    content = operation.get("requestBody", {}).get("content", {}).get("application/json", {})
    ref = content.get("schema", {}).get("$ref", "")
    body = schema["components"]["schemas"].get(ref.rsplit("/", 1)[-1], {})
    return {
        name
        for name, spec in body.get("properties", {}).items()
        if spec.get("type") == "string"
        and not spec.get("readOnly")
        and "enum" not in spec
        and "format" not in spec
        and name not in CODES
    }


def actions() -> list[tuple[str, str, dict, str]]:
    """(method, key, body, prose field) of every action whose body carries prose."""
    found = []
    bodies = {**support.ACTION_BODIES, **support.PAGE_BODIES, **MORE_BODIES}
    for key, body in bodies.items():
        method, path = key if isinstance(key, tuple) else ("POST", key)
        prose = {name for name, value in body.items() if name not in CODES and value == "m"}
        prose |= {n for n in body if n in ("comment", "reason", "note", "notes", "text")}
        if path.startswith("/"):
            prose |= _request_schema_prose(method, path)
        for field in sorted(prose):
            found.append((method, path, FIELD_BODIES.get((method, path, field), body), field))
    return found


def rows_holding(value: str) -> list[str]:
    """Every model field some row of which holds exactly `value`."""
    if "\x00" in value and connection.vendor == "postgresql":
        return []  # PostgreSQL text cannot hold a NUL, nor be compared with one
    holding = []
    for model in apps.get_models():
        for name in free_text_fields(model):
            if model._default_manager.filter(**{name: value}).exists():
                holding.append(f"{model._meta.label}.{name}")
    return holding


def _subject_page(path: str, objects: dict) -> str | None:
    """The page of the object the action is about, where it has one."""
    if path.startswith("/"):
        name = support.API_OBJECTS.get("/".join(path.split("/")[2:4]))
    else:
        name = next(iter(support.PAGE_IDS.get(path, {}).values()), None)
    obj = objects.get(name) if name else None
    return obj.get_absolute_url() if hasattr(obj, "get_absolute_url") else None


def _actor(method: str, key: str, table: dict) -> str:
    """The first user the role matrix lets past the action's permission."""
    cells = table[(method, key)]
    return next(user for user in ACTORS if not cells[user] & {401, 403, 404, 405})


def test_every_action_that_takes_prose_is_tried():
    tried = {(method, path) for method, path, _, _ in actions()}
    # the moves, the CAB's decision, the waiver and the acknowledgement among them
    assert {
        ("POST", "/api/changes/changes/{id}/approvals/"),
        ("POST", "/api/handover/incidents/{id}/transition/"),
        ("POST", "/api/handover/problems/{id}/transition/"),
        ("POST", "/api/resources/conflicts/{id}/acknowledge/"),
        ("PATCH", "/api/handover/checks/{id}/"),
        ("POST", "changes:change_decide"),
        ("POST", "incidents:incident_work"),
    } <= tried
    assert len(tried) >= 20, sorted(tried)


def _send(client, method: str, path: str, url: str, body: dict, objects: dict):
    """Send in a savepoint rolled back after it: (the answer, the fields now holding the
    value, the object's page as it then reads)."""
    value = body["__value"]
    body = {k: v for k, v in body.items() if k != "__value"}
    cookies = copy.deepcopy(client.cookies)
    with transaction.atomic():
        if path.startswith("/"):
            answer = getattr(client, method.lower())(url, body, format="json")
        else:
            answer = client.post(url, body)
        holding = rows_holding(value)
        page = _subject_page(path, objects)
        shown = client.get(page).content.decode() if page and holding else ""
        transaction.set_rollback(True)
    cache.clear()  # what the request left in the cache (pages kept) is gone with it
    client.cookies = cookies
    return answer, holding, shown


def _judge(where: str, path: str, field: str, name: str, answer, holding, shown) -> list[str]:
    """What is wrong with one answer: a server error; a NUL stored; ordinary text not stored;
    an API answer that does not match what it did; a raw <script> in the answer or on the
    object's page."""
    if answer.status_code >= 500:
        return [f"{where} (server error)"]
    wrong = []
    if name == "nul" and holding:
        wrong.append(f"{where} stored a NUL in {holding}")
    if name == "100kB" and holding:
        wrong.append(f"{where} stored 100 kB in {holding}: every prose field has a maximum")
    kept = (path, field) not in NOT_KEPT
    if name in ORDINARY and kept and not holding:
        wrong.append(f"{where} did not store ordinary text")
    if path.startswith("/") and kept:
        if answer.status_code < 300 and not holding:
            wrong.append(f"{where} answered 2xx but stored nothing")
        if answer.status_code >= 400 and holding:
            wrong.append(f"{where} refused but stored in {holding}")
        if name in ("nul", "100kB") and field not in answer.json().get("fields", {}):
            wrong.append(f"{where} refused without naming the field")
    if "html" in answer.get("Content-Type", "") and SCRIPT in answer.content.decode():
        wrong.append(f"{where} carries the raw <script> in its answer")
    if SCRIPT in shown:
        wrong.append(f"{where} the object's page carries the raw <script>")
    return wrong


def test_hostile_text_in_actions_is_stored_or_refused_never_a_500():
    # given the role matrix's seeded objects and a client for each user who acts
    users, objects = support.seed()
    table = expected()
    clients = {}
    for user in ACTORS:
        PersonFactory(user=users[user])  # time is logged by someone with a person record
        clients[user] = APIClient()
        clients[user].raise_request_exception = False
        clients[user].force_login(users[user], backend="django.contrib.auth.backends.ModelBackend")
    endpoints = {(e.method, e.key): e for e in support.endpoints()}
    failures: list[str] = []
    outcomes: Counter[str] = Counter()
    # when each action is sent with each hostile value in each of its prose fields
    for method, path, body, field in actions():
        url = support.url_for(endpoints[(method, path)], objects)
        client = clients[_actor(method, path, table)]
        for name, value in HOSTILE.items():
            sent = {**support._fill({**body, field: value}, objects), "__value": value}
            answer, holding, shown = _send(client, method, path, url, sent, objects)
            outcomes["stored" if holding else f"refused {answer.status_code}"] += 1
            outcomes[f"{name} {'stored' if holding else 'refused'}"] += 1
            where = f"{method} {path} {field}={name}: {answer.status_code}"
            failures += _judge(where, path, field, name, answer, holding, shown)
    # then each was stored as sent or refused, never a 500, and always escaped
    print(f"\nhostile actions: {sum(1 for _ in actions())} fields, {dict(outcomes)}")
    assert not failures, "\n".join(failures)
