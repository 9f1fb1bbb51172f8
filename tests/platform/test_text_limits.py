"""Every free-text field has a maximum (issue 15): a title 200 characters, a summary, a
description, notes or the reason of a move 10,000 (itsm_pmo/text.py). The model keeps it (its
validators and its save), the page's form shows it and refuses more, the API refuses more with
a 400 naming the field, the CSV import says so on the row; nothing longer is saved.

The fields are found from the models (tests/hostile/discovery.py), so a field added without a
maximum fails here the day it is added."""

from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.db import models, transaction

from itsm_pmo.text import LONG_TEXT, TITLE, BoundedTextField
from portfolio.csv_import import preview
from portfolio.models import Project, ProjectTransition
from resources.models import WeekListField
from tests.factories import ProjectFactory
from tests.hostile.discovery import all_free_text_fields

pytestmark = pytest.mark.django_db

# Text the portal writes itself, never a person: bounded by how it is made.
SYSTEM_WRITTEN = {
    "resources.Snapshot.error": "the engine's own failure, written when a run fails",
    "resources.Conflict.message": "the engine's sentence about a conflict",
}
# and every WeekListField: a snapshot's hours per week as JSON, written by the engine.


def _typed_fields():
    from django.apps import apps

    for label, names in sorted(all_free_text_fields().items()):
        model = apps.get_model(label)
        for name in names:
            field = model._meta.get_field(name)
            if f"{label}.{name}" not in SYSTEM_WRITTEN and not isinstance(field, WeekListField):
                yield f"{label}.{name}", field


def test_every_free_text_field_has_a_maximum_that_its_model_keeps():
    fields = dict(_typed_fields())
    assert len(fields) > 60  # the discovery found the portal's text, not nothing
    unbounded = []
    for where, field in fields.items():
        if not field.max_length:
            unbounded.append(f"{where}: no max_length")
            continue
        if isinstance(field, models.TextField) and not isinstance(field, BoundedTextField):
            unbounded.append(f"{where}: a TextField the model does not bound (BoundedTextField)")
            continue
        field.run_validators("x" * field.max_length)  # allowed: exactly the limit
        with pytest.raises(ValidationError):  # refused: one more
            field.run_validators("x" * (field.max_length + 1))
    assert not unbounded, "\n".join(unbounded)


def test_the_system_written_exceptions_still_exist():
    # A field listed above that was renamed or removed must leave the list too.
    from django.apps import apps

    for where in SYSTEM_WRITTEN:
        label, name = where.rsplit(".", 1)
        apps.get_model(label)._meta.get_field(name)


def test_titles_take_200_characters_and_prose_10000():
    fields = dict(_typed_fields())
    # (a person's title is a job title, a name: 120 like the person's name)
    titles = {
        w: f.max_length
        for w, f in fields.items()
        if w.endswith(".title") and w != "resources.Person.title"
    }
    prose = {
        w: f.max_length
        for w, f in fields.items()
        if isinstance(f, BoundedTextField) and not w.startswith("knowledge.")
    }
    assert titles and set(titles.values()) == {TITLE}, titles
    assert prose and set(prose.values()) == {LONG_TEXT}, prose


def test_a_save_without_full_clean_refuses_longer_text_naming_the_field():
    # given a service-like write that skips full_clean
    project = ProjectFactory()
    # when the text is at the limit it is kept
    kept = ProjectTransition.objects.create(
        project=project, from_state="proposed", to_state="assessed", comment="x" * LONG_TEXT
    )
    assert len(kept.comment) == LONG_TEXT
    # when one character longer it is refused on its field, and not saved
    with pytest.raises(ValidationError) as refused, transaction.atomic():
        ProjectTransition.objects.create(
            project=project, from_state="proposed", to_state="assessed", comment="x" * 10_001
        )
    assert "comment" in refused.value.message_dict
    assert ProjectTransition.objects.filter(project=project).count() == 1


def test_the_project_form_shows_the_limit_and_refuses_more(page_clients):
    client = page_clients("pmo_lead")
    # given the intake form
    page = client.get("/portfolio/projects/new/").content.decode()
    # then the summary says its limit, and the browser is told it
    assert 'maxlength="10000"' in page
    assert "Up to 10,000 characters." in page
    assert 'data-limit-for="id_summary"' in page
    # when more is sent all the same
    base = {"code": "PRJ-7001", "name": "Long", "health": "green"}
    refused = client.post("/portfolio/projects/new/", {**base, "summary": "x" * 10_001})
    # then the form says so on the field, and nothing is saved
    assert refused.status_code == 200
    assert "at most 10000 characters" in refused.content.decode()
    assert not Project.objects.filter(code="PRJ-7001").exists()
    # and the limit itself is accepted
    allowed = client.post("/portfolio/projects/new/", {**base, "summary": "x" * LONG_TEXT})
    assert allowed.status_code == 302
    assert len(Project.objects.get(code="PRJ-7001").summary) == LONG_TEXT


def test_the_api_refuses_more_than_the_limit_naming_the_field(api_clients):
    api = api_clients("pmo_lead")
    refused = api.post(
        "/api/portfolio/projects/",
        {"code": "PRJ-7002", "name": "Long", "summary": "x" * 10_001},
        format="json",
    )
    assert refused.status_code == 400
    assert "summary" in refused.json()["fields"]
    assert not Project.objects.filter(code="PRJ-7002").exists()
    allowed = api.post(
        "/api/portfolio/projects/",
        {"code": "PRJ-7002", "name": "Long", "summary": "x" * LONG_TEXT},
        format="json",
    )
    assert allowed.status_code == 201


def test_an_action_comment_over_the_limit_is_a_400_naming_it(api_clients):
    project = ProjectFactory()
    api = api_clients("pmo_lead")
    url = f"/api/portfolio/projects/{project.pk}/transition/"
    refused = api.post(url, {"to": "assessed", "comment": "x" * 10_001}, format="json")
    assert refused.status_code == 400
    assert "comment" in refused.json()["fields"]
    project.refresh_from_db()
    assert project.stage == "proposed"
    allowed = api.post(url, {"to": "assessed", "comment": "x" * LONG_TEXT}, format="json")
    assert allowed.status_code == 200


def test_the_import_refuses_a_summary_over_the_limit_on_its_row():
    header = "code,name,summary\n"
    refused = preview(header + f"PRJ-7003,Long,{'x' * 10_001}\n")
    assert [(e.line, e.field) for e in refused.errors] == [(2, "summary")]
    allowed = preview(header + f"PRJ-7003,Long,{'x' * LONG_TEXT}\n")
    assert allowed.ok, allowed.errors


def test_a_conflict_acknowledgement_over_the_limit_is_refused(api_clients):
    from resources.models import Conflict
    from resources.snapshot import compute_and_publish
    from tests.factories import PersonFactory
    from tests.resources.factories import AllocationFactory

    # given an over-allocation the engine reports
    person = PersonFactory(contracted_hours=Decimal(40))
    AllocationFactory(person=person, hours_per_week=Decimal(50))
    compute_and_publish()
    conflict = Conflict.objects.first()
    api = api_clients("itsm_manager")
    url = f"/api/resources/conflicts/{conflict.pk}/acknowledge/"
    # when acknowledged with too long a comment, then refused naming it, nothing kept
    refused = api.post(url, {"comment": "x" * 10_001}, format="json")
    assert refused.status_code == 400
    assert "comment" in refused.json()["fields"]
    conflict.refresh_from_db()
    assert conflict.acknowledged_at is None
    # and at the limit it is kept
    assert api.post(url, {"comment": "x" * LONG_TEXT}, format="json").status_code == 200
