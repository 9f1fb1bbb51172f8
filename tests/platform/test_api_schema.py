"""The schema describes the API: errors, array actions, nullable and blank fields, date-times,
what a create answers and needs, and query values it cannot read."""

import re
from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
from drf_spectacular.generators import SchemaGenerator

from tests.changes.factories import ChangeFactory, FreezeWindowFactory
from tests.factories import ServiceFactory, TeamFactory
from tests.handover.factories import HandoverFactory, IncidentFactory

pytestmark = pytest.mark.django_db

METHODS = {"get", "post", "put", "patch", "delete"}
RFC3339_UTC = re.compile(r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?Z$")


@pytest.fixture(scope="module")
def schema():
    return SchemaGenerator().get_schema(request=None, public=True)


def _operations(schema):
    for path, item in schema["paths"].items():
        for method, operation in item.items():
            if method in METHODS:
                yield path, method, operation


def test_every_operation_documents_its_errors_in_one_body(schema):
    missing = []
    for path, method, operation in _operations(schema):
        expected = {"400", "401", "403", "429"}
        if "{" in path:
            expected.add("404")
        if method in {"post", "put", "patch", "delete"}:
            expected |= {"409", "415"}
        for status in sorted(expected):
            answer = operation["responses"].get(status)
            ref = answer and answer["content"]["application/json"]["schema"].get("$ref")
            if ref != "#/components/schemas/Error":
                missing.append(f"{method.upper()} {path} {status}")
    assert not missing, missing
    error = schema["components"]["schemas"]["Error"]
    assert set(error["required"]) == {"status", "code", "detail"}
    assert "fields" in error["properties"]


def test_a_paginated_list_documents_404_for_a_page_beyond_the_end(schema):
    assert "404" in schema["paths"]["/api/resources/people/"]["get"]["responses"]


@pytest.mark.parametrize(
    "path",
    [
        "/api/changes/changes/{id}/approvals/",
        "/api/changes/changes/{id}/slots/",
        "/api/handover/handovers/{id}/transitions/",
        "/api/handover/incidents/{id}/transitions/",
    ],
)
def test_array_actions_are_documented_as_arrays_without_list_parameters(schema, path):
    operation = schema["paths"][path]["get"]
    assert operation["responses"]["200"]["content"]["application/json"]["schema"]["type"] == (
        "array"
    )
    assert [p["name"] for p in operation.get("parameters", [])] == ["id"]


def test_an_array_action_ignores_the_list_filters(api_clients):
    # given a change; when its approvals are asked for with a list filter in the query
    api = api_clients("itsm_manager")
    change = ChangeFactory()
    unknown = api.get("/api/changes/changes/0/approvals/?project=0")
    known = api.get(f"/api/changes/changes/{change.pk}/approvals/?project=0&state=nonsense")
    one = api.get(f"/api/changes/changes/{change.pk}/?project=0")
    # then no change 0 is a 404, and the filters do not apply to one change
    assert unknown.status_code == 404
    assert known.status_code == 200 and known.json() == []
    assert one.status_code == 200


def test_fields_that_come_back_null_or_blank_are_typed_so(schema, api_clients):
    components = schema["components"]["schemas"]
    assert components["Handover"]["properties"]["accepted_by"]["nullable"] is True
    assert components["Conflict"]["properties"]["acknowledged_by"]["nullable"] is True
    assert components["HandoverTransitionLog"]["properties"]["by"]["nullable"] is True
    for name in ("risk_override", "outcome"):
        options = components["Change"]["properties"][name]["oneOf"]
        assert {"$ref": "#/components/schemas/BlankEnum"} in options, name
    assert components["BlankEnum"]["enum"] == [""]
    # and the answers are what the schema says
    api = api_clients("itsm_manager")
    change = api.get(f"/api/changes/changes/{ChangeFactory().pk}/").json()
    handover = api.get(f"/api/handover/handovers/{HandoverFactory().pk}/").json()
    assert change["risk_override"] == "" and change["outcome"] == ""
    assert handover["accepted_by"] is None


def test_date_times_are_rfc_3339_in_utc(api_clients):
    # given a freeze entered in London summer time
    london = ZoneInfo("Europe/London")
    freeze = FreezeWindowFactory(
        start=datetime(2027, 7, 1, 9, 0, tzinfo=london),
        end=datetime(2027, 7, 2, 9, 0, tzinfo=london),
    )
    # when
    body = api_clients("pmo_lead").get(f"/api/changes/freezes/{freeze.pk}/").json()
    # then
    assert body["start"] == "2027-07-01T08:00:00Z"
    incident = api_clients("engineer").get(f"/api/handover/incidents/{IncidentFactory().pk}/")
    assert RFC3339_UTC.match(incident.json()["opened_at"])


def test_team_create_and_update_answer_with_headcount(api):
    created = api.post("/api/resources/teams/", {"name": "Edge", "kind": "operations"})
    assert created.status_code == 201
    assert created.json()["headcount"] == 0
    team = TeamFactory()
    updated = api.patch(f"/api/resources/teams/{team.pk}/", {"description": "Routers"})
    assert updated.json()["headcount"] == 0


def test_incident_create_requires_the_service_in_the_schema_as_in_the_service(schema, api_clients):
    required = schema["components"]["schemas"]["IncidentRequest"]["required"]
    assert "service" in required
    response = api_clients("engineer").post(
        "/api/handover/incidents/", {"title": "Checkout down"}, format="json"
    )
    assert response.status_code == 400
    assert response.json()["fields"]["service"] == ["Say which service is affected."]


@pytest.mark.parametrize(
    "query, field",
    [
        ("/api/changes/templates/?active=maybe", "active"),
        ("/api/handover/incidents/?major=yes", "major"),
        ("/api/portfolio/risks/?threatens_operations=2", "threatens_operations"),
        ("/api/resources/teams/?kind=bogus", "kind"),
        ("/api/resources/people/?page_size=abc", "page_size"),
        ("/api/resources/people/?page_size=0", "page_size"),
        # found by the fuzzing: a number beyond any column was a database overflow (500)
        ("/api/knowledge/lessons/?handover=-1.785425263354249e%2B133", "handover"),
        ("/api/resources/people/?min_level=1e40", "min_level"),
    ],
)
def test_a_query_value_the_api_cannot_read_is_a_400_naming_it(api_clients, query, field):
    response = api_clients("itsm_manager").get(query)
    assert response.status_code == 400, response.content
    assert field in response.json()["fields"]


@pytest.mark.parametrize("value, count", [("true", 1), ("1", 1), ("false", 1), ("", 2)])
def test_boolean_filters_read_true_false_1_0_and_empty(api_clients, value, count):
    IncidentFactory(major=True, service=ServiceFactory())
    IncidentFactory(major=False)
    response = api_clients("itsm_manager").get(f"/api/handover/incidents/?major={value}")
    assert response.json()["count"] == count
