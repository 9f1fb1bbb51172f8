"""A name or code another row holds is refused on its field, saying the value (issue 15):
"A project with code PRJ-0101 already exists." The same sentence from the model (forms, the
admin, the services), the API (a 400, not DRF's sentence or the database's 409) and the import.

The unique text fields are found from the models (a unique CharField, or a case-insensitive
`UniqueConstraint(Lower(...))`), so one added later is checked the day it is added."""

import pytest
from django.apps import apps
from django.core.exceptions import ValidationError
from django.db import models
from rest_framework.test import APIClient

from itsm_pmo.duplicates import ExplainsDuplicates, _lowered_field
from portfolio.csv_import import preview
from portfolio.models import Project
from tests.factories import ProjectFactory, UserFactory
from tests.hostile.discovery import API_APPS, factories, free_text_fields, routes

pytestmark = pytest.mark.django_db


def unique_text_fields() -> list[tuple[type[models.Model], str, bool]]:
    """(model, field, case-insensitive) for every unique free-text field of the apps."""
    found = []
    for app in API_APPS:
        for model in apps.get_app_config(app).get_models():
            prose = set(free_text_fields(model))
            for name in sorted(prose):
                if model._meta.get_field(name).unique:
                    found.append((model, name, False))
            for constraint in model._meta.constraints:
                if (name := _lowered_field(constraint)) in prose:
                    found.append((model, name, True))
    return found


def _one(model, field, value):
    made = factories().get(model)
    return made(**{field: value}) if made else model.objects.create(**{field: value})


def test_the_unique_text_fields_are_found():
    found = {(m._meta.label, f) for m, f, _ in unique_text_fields()}
    assert {
        ("portfolio.Project", "code"),
        ("portfolio.Service", "name"),
        ("resources.Team", "name"),
        ("changes.ConfigurationItem", "name"),
    } <= found


@pytest.mark.parametrize(
    ("model", "field", "any_case"),
    unique_text_fields(),
    ids=lambda v: v._meta.label if isinstance(v, type) else str(v),
)
def test_a_duplicate_is_refused_on_its_field_saying_the_value(model, field, any_case):
    assert issubclass(model, ExplainsDuplicates), f"{model._meta.label}: add ExplainsDuplicates"
    # given a row holding the value
    _one(model, field, "Taken-1")
    # when another row is checked with it (in another case, where case does not count)
    other = model(**{field: "TAKEN-1" if any_case else "Taken-1"})
    with pytest.raises(ValidationError) as refused:
        other.validate_unique()
        other.validate_constraints()
    # then it is refused on that field, saying the value
    messages = refused.value.message_dict.get(field, [])
    assert any("already exists" in m and "-1" in m for m in messages), refused.value
    # and a value nobody holds passes
    free = model(**{field: "Free-2"})
    free.validate_unique(exclude=_others(model, field))
    free.validate_constraints(exclude=_others(model, field))


def _others(model, field):
    return {f.name for f in model._meta.concrete_fields} - {field}


def _api_routes():
    unique = {(m, f) for m, f, _ in unique_text_fields()}
    return [
        (route, field)
        for route in routes()
        for model, field in unique
        if route.model is model and route.editable
    ]


@pytest.mark.parametrize(("route", "field"), _api_routes(), ids=lambda v: getattr(v, "label", v))
def test_the_api_refuses_a_duplicate_with_a_400_saying_the_value(route, field):
    # given a row, and a superuser's copy of it with the same value
    obj = _one(route.model, field, "Taken-1")
    api = APIClient()
    api.force_login(UserFactory(username="root", is_superuser=True, is_staff=True))
    body = {
        k: v
        for k, v in api.get(route.detail_url(obj.pk)).json().items()
        if k not in ("id", "url") and v is not None
    }
    before = route.model.objects.count()
    # when it is sent as a new row
    answer = api.post(route.list_url, body, format="json")
    # then a 400 on the field, in the model's words, and nothing saved
    assert answer.status_code == 400, (route.label, answer.status_code, answer.content)
    messages = answer.json()["fields"].get(field, [])
    assert any("already exists" in m and "Taken-1" in m for m in messages), answer.json()
    assert route.model.objects.count() == before


def test_a_duplicate_project_code_reads_the_same_through_every_door(page_clients, api_clients):
    ProjectFactory(code="PRJ-0101")
    sentence = "A project with code PRJ-0101 already exists."
    page = page_clients("pmo_lead").post(
        "/portfolio/projects/new/", {"code": "PRJ-0101", "name": "Again", "health": "green"}
    )
    assert page.context["form"].errors["code"] == [sentence]
    api = api_clients("pmo_lead").post(
        "/api/portfolio/projects/", {"code": "PRJ-0101", "name": "Again"}, format="json"
    )
    assert api.status_code == 400 and api.json()["fields"]["code"] == [sentence]
    imported = preview("code,name\nPRJ-0101,Again\n")
    assert [e.message for e in imported.errors] == [sentence]
    assert Project.objects.count() == 1


def test_a_service_named_like_another_in_another_case_is_refused_by_the_api(api_clients):
    # Before, the case-insensitive name reached the database: a 409 saying nothing of which.
    from tests.factories import ServiceFactory

    service = ServiceFactory(name="Identity")
    answer = api_clients("pmo_lead").post(
        "/api/portfolio/services/",
        {"name": "IDENTITY", "owning_team": service.owning_team_id},
        format="json",
    )
    assert answer.status_code == 400
    assert answer.json()["fields"]["name"] == ["A service named “IDENTITY” already exists."]
