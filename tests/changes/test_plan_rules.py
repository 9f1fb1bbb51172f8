"""One rule for a change's plan at every door (changes/rules.py): the API refuses what the
form refuses, with the field and the reason, and saves nothing."""

from datetime import timedelta

import pytest

from changes.models import ChangeRequest, ChangeTemplate

from .factories import ConfigurationItemFactory, soon

pytestmark = pytest.mark.django_db


@pytest.fixture
def template():
    patched = ConfigurationItemFactory(name="HR application servers")
    template = ChangeTemplate.objects.create(name="Monthly OS patching", backout_plan="Roll back")
    template.items.add(patched)
    return template


def raise_change(client, **fields):
    start = soon(3)
    body = {
        "title": "Patch the HR servers",
        "change_type": "standard",
        "planned_start": start.isoformat(),
        "planned_end": (start + timedelta(hours=2)).isoformat(),
        "backout_plan": "Roll back",
        **fields,
    }
    return client.post("/api/changes/changes/", body, format="json")


def test_a_standard_change_from_its_template_in_the_future_is_raised(api_clients, template):
    answer = raise_change(
        api_clients("engineer"), template=template.pk, items=[template.items.get().pk]
    )
    assert answer.status_code == 201, answer.json()


@pytest.mark.parametrize(
    "change, field",
    [
        ({"template": None}, "template"),
        ({"change_type": "normal"}, "change_type"),
        ({"extra_item": True}, "items"),
        ({"days": -2}, "planned_start"),
    ],
    ids=["standard-without-template", "template-on-normal", "item-outside", "window-past"],
)
def test_the_api_refuses_what_the_form_refuses(api_clients, template, change, field):
    items = [template.items.get().pk]
    if change.pop("extra_item", False):
        items.append(ConfigurationItemFactory(name="Payments database").pk)
    fields = {"template": template.pk, "items": items, **change}
    if "days" in fields:
        start = soon(fields.pop("days"))
        fields.update(
            planned_start=start.isoformat(), planned_end=(start + timedelta(hours=2)).isoformat()
        )
    answer = raise_change(api_clients("engineer"), **fields)
    assert answer.status_code == 400
    assert field in answer.json()["fields"]
    assert not ChangeRequest.objects.exists()


def test_the_form_names_the_same_field(page_clients, template):
    outside = ConfigurationItemFactory(name="Payments database")
    start = soon(3)
    answer = page_clients("engineer").post(
        "/changes/new/",
        {
            "title": "Patch the HR servers",
            "change_type": "standard",
            "template": template.pk,
            "items": [outside.pk],
            "planned_start": start.strftime("%Y-%m-%dT%H:%M"),
            "planned_end": (start + timedelta(hours=2)).strftime("%Y-%m-%dT%H:%M"),
            "backout_plan": "Roll back",
            "effort_hours": "2",
        },
    )
    assert answer.status_code in (200, 400)
    assert "touches only the items of" in answer.content.decode()
    assert not ChangeRequest.objects.exists()
