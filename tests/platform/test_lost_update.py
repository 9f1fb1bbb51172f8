"""No lost update (itsm_pmo/versioning.py): two edits made from one version of a project or a
change, through the API (ETag / If-Match, 412) or the edit page (hidden version, 409): the
first is saved, the second refused, and the first one's words are what the database keeps."""

from collections import Counter

import pytest
from rest_framework.test import APIClient

from changes.models import ChangeRequest
from portfolio.models import Project
from tests.changes.factories import ChangeFactory
from tests.factories import ProjectFactory
from tests.support.race import race, skip_unless_postgresql


@pytest.fixture
def project(db):
    return ProjectFactory(name="Payments replatform")


@pytest.fixture
def change(role_user):
    return ChangeFactory(title="Patch the payments DB", requester=role_user("engineer"))


def _api_cases(project, change):
    """(client role, object URL, field to edit, model) for each versioned endpoint."""
    return [
        ("pmo_lead", f"/api/portfolio/projects/{project.pk}/", "name", Project, project.pk),
        ("engineer", f"/api/changes/changes/{change.pk}/", "title", ChangeRequest, change.pk),
    ]


@pytest.fixture(params=["project", "change"])
def api_case(request, project, change):
    return dict(zip(["project", "change"], _api_cases(project, change), strict=True))[request.param]


@pytest.mark.django_db
def test_api_answers_an_object_with_its_version_as_etag(api_clients, api_case):
    role, url, _field, model, pk = api_case
    # when the object is read twice with nothing saved in between
    first = api_clients(role).get(url)
    again = api_clients(role).get(url)
    # then both answers carry the same strong ETag
    assert first.status_code == 200
    assert first["ETag"].startswith('"') and first["ETag"] == again["ETag"]
    # and a list carries none (a page of many objects has no one version)
    assert not api_clients(role).get(url.rsplit("/", 2)[0] + "/").has_header("ETag")


@pytest.mark.django_db
def test_api_refuses_an_update_from_a_stale_version_with_412(api_clients, api_case):
    role, url, field, model, pk = api_case
    client = api_clients(role)
    # given two people who loaded the same version
    loaded = client.get(url)["ETag"]
    # when the first saves from it
    first = client.patch(url, {field: "First edit"}, format="json", HTTP_IF_MATCH=loaded)
    # then it is saved and answered with the new version
    assert first.status_code == 200, first.json()
    assert first["ETag"] != loaded
    assert first["ETag"] == client.get(url)["ETag"]
    # when the second saves from the same, now stale, version
    second = client.patch(url, {field: "Second edit"}, format="json", HTTP_IF_MATCH=loaded)
    # then it is refused with 412 and the error body, and the first edit stands
    assert second.status_code == 412
    body = second.json()
    assert body["status"] == 412 and body["code"] == "stale_version"
    assert "changed by someone else" in body["detail"]
    assert f'"{body["current_version"]}"' == first["ETag"]
    assert getattr(model.objects.get(pk=pk), field) == "First edit"
    # and an edit from the current version is saved
    third = client.patch(url, {field: "Third edit"}, format="json", HTTP_IF_MATCH=first["ETag"])
    assert third.status_code == 200
    assert getattr(model.objects.get(pk=pk), field) == "Third edit"


@pytest.mark.django_db
@pytest.mark.parametrize(
    "if_match",
    [None, "*", "WEAK"],
    ids=["no If-Match: last write wins", "any version", "weak tag of the current one"],
)
def test_api_update_without_a_precise_version_is_saved(api_clients, api_case, if_match):
    role, url, field, model, pk = api_case
    client = api_clients(role)
    current = client.get(url)["ETag"]
    headers = (
        {} if if_match is None else {"HTTP_IF_MATCH": if_match.replace("WEAK", f"W/{current}")}
    )
    answer = client.patch(url, {field: "Edited"}, format="json", **headers)
    assert answer.status_code == 200
    assert getattr(model.objects.get(pk=pk), field) == "Edited"


@pytest.mark.django_db
def test_api_stale_if_match_is_refused_before_anything_else_is_saved(api_clients, project):
    # given an ETag from before the project's last edit
    client = api_clients("pmo_lead")
    url = f"/api/portfolio/projects/{project.pk}/"
    stale = client.get(url)["ETag"]
    client.patch(url, {"summary": "Edited elsewhere"}, format="json")
    # when a PUT-like edit of several fields arrives with it
    answer = client.patch(
        url, {"name": "Renamed", "budget": "1000.00"}, format="json", HTTP_IF_MATCH=stale
    )
    # then nothing of it is saved
    assert answer.status_code == 412
    project.refresh_from_db()
    assert (project.name, project.summary) == ("Payments replatform", "Edited elsewhere")


def _page_cases(project, change):
    return {
        "project": ("pmo_lead", f"/portfolio/projects/{project.pk}/edit/", "name", project),
        "change": ("engineer", f"/changes/{change.pk}/edit/", "title", change),
    }


def _form_data(response, **changes):
    """The edit form as the browser would post it: every field as rendered, then `changes`."""
    form = response.context["form"]
    data = {}
    for name, field in form.fields.items():
        value = form[name].value()
        if value is None:
            continue
        if isinstance(value, list | tuple):
            data[name] = [str(v) for v in value]
        else:
            data[name] = (
                field.widget.format_value(value) if hasattr(field.widget, "format_value") else value
            )
    data.update(changes)
    return {k: v for k, v in data.items() if v is not None}


@pytest.mark.django_db
@pytest.mark.parametrize("kind", ["project", "change"])
def test_edit_page_refuses_a_save_from_a_stale_version_with_409(
    page_clients, project, change, kind
):
    role, url, field, obj = _page_cases(project, change)[kind]
    client = page_clients(role)
    # given two tabs that opened the edit page on the same version
    opened = client.get(url)
    assert opened.status_code == 200
    assert 'name="version"' in opened.content.decode()
    first_tab = _form_data(opened, **{field: "First edit"})
    second_tab = _form_data(opened, **{field: "Second edit"})
    # when the first tab saves
    saved = client.post(url, first_tab)
    # then it is saved
    assert saved.status_code == 302, saved.context["form"].errors if saved.context else saved
    # when the second tab saves
    stale = client.post(url, second_tab)
    # then the form comes back with 409, what was typed, and the reason
    assert stale.status_code == 409
    page = stale.content.decode()
    assert "changed by someone else since you opened it" in page
    assert "Second edit" in page
    # and the first edit stands
    obj.refresh_from_db()
    assert getattr(obj, field) == "First edit"
    # and once the page is loaded again, the edit is saved
    reloaded = client.get(url)
    assert client.post(url, _form_data(reloaded, **{field: "Second edit"})).status_code == 302
    obj.refresh_from_db()
    assert getattr(obj, field) == "Second edit"


@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("kind", ["project", "change"])
def test_two_api_edits_racing_from_one_version_save_one(role_user, kind):
    skip_unless_postgresql()
    # given a project or a change, and its version as two clients loaded it
    project = ProjectFactory(name="Payments replatform")
    change = ChangeFactory(title="Patch the payments DB", requester=role_user("engineer"))
    role, url, field, model, pk = dict(
        zip(["project", "change"], _api_cases(project, change), strict=True)
    )[kind]
    user = role_user(role)

    def client():
        api = APIClient()
        api.force_authenticate(user)
        return api

    loaded = client().get(url)["ETag"]

    # when both save from it at the same moment, each on its own connection
    answers = race(
        [
            lambda text=text: client().patch(
                url, {field: text}, format="json", HTTP_IF_MATCH=loaded
            )
            for text in ("Edit A", "Edit B")
        ]
    )
    # then one is saved and the other refused with 412: no lost update
    assert Counter(a.status_code for a in answers) == {200: 1, 412: 1}, answers
    winner = next(a for a in answers if a.status_code == 200).json()[field]
    assert getattr(model.objects.get(pk=pk), field) == winner


@pytest.mark.django_db
@pytest.mark.parametrize("path", ["/api/portfolio/projects/{id}/", "/api/changes/changes/{id}/"])
def test_schema_documents_etag_if_match_and_412(api, path):
    operations = api.get("/api/schema/?format=json").json()["paths"][path]
    assert "ETag" in operations["get"]["responses"]["200"]["headers"]
    for method in ("put", "patch"):
        operation = operations[method]
        headers = [p["name"] for p in operation["parameters"] if p["in"] == "header"]
        assert headers == ["If-Match"]
        assert {"200", "412"} <= set(operation["responses"])
        assert "ETag" in operation["responses"]["200"]["headers"]
