"""The three doors to a project (the form, the API, the CSV import) go through one service:
the same input gives the same objective links, and the same refusal in the same words.

Before issue 12 each door had its own rule: the form kept links to retired objectives and
existing percentages, the API replaced every link (and accepted retired objectives and owners
who had left), the import refused retired objectives but took any owner.
"""

import pytest

from portfolio import csv_import
from portfolio.models import Project, ProjectObjective
from tests.factories import ObjectiveFactory, PersonFactory, ProjectFactory

pytestmark = pytest.mark.django_db

HEADER = "code,name,owner_email,objectives\n"


def links(code: str) -> dict[str, int]:
    return dict(
        ProjectObjective.objects.filter(project__code=code).values_list(
            "objective__name", "contribution"
        )
    )


def by_form(client, code, *, objectives=(), owner=None, project=None):
    url = f"/portfolio/projects/{project.pk}/edit/" if project else "/portfolio/projects/new/"
    data = {"code": code, "name": "Via the form", "health": "green"}
    data["objectives"] = [o.pk for o in objectives]
    if owner:
        data["owner"] = owner.pk
    return client.post(url, data)


def by_api(api, code, *, objectives=(), owner=None, project=None):
    body = {
        "code": code,
        "name": "Via the API",
        "objectives": [{"objective": o.pk, "contribution": pct} for o, pct in objectives],
    }
    if owner:
        body["owner"] = owner.pk
    if project:
        return api.patch(f"/api/portfolio/projects/{project.pk}/", body, format="json")
    return api.post("/api/portfolio/projects/", body, format="json")


def by_csv(user, code, *, objectives=(), owner=None):
    cell = ";".join(f"{o.name}:{pct}" for o, pct in objectives)
    text = HEADER + f"{code},Via the import,{owner.email if owner else ''},{cell}\n"
    try:
        csv_import.import_projects(file_text=text, by=user)
    except Exception as exc:  # noqa: BLE001 - the refusal is what the test compares
        return exc
    return None


def test_doors_create_the_same_links_from_the_same_input(api, page_clients, role_user):
    # given two active objectives
    a, b = ObjectiveFactory(name="Resilience"), ObjectiveFactory(name="Self-service")
    # when each door raises a proposal serving both (the form picks; a new link counts 100 %)
    by_form(page_clients("pmo_lead"), "FORM-1", objectives=[a, b])
    by_api(api, "API-1", objectives=[(a, 100), (b, 100)])
    by_csv(role_user("pmo_lead"), "CSV-1", objectives=[(a, 100), (b, 100)])
    # then the links are the same
    expected = {"Resilience": 100, "Self-service": 100}
    assert links("FORM-1") == links("API-1") == links("CSV-1") == expected


def test_doors_with_percentages_agree(api, role_user):
    # given
    a, b = ObjectiveFactory(name="Resilience"), ObjectiveFactory(name="Self-service")
    # when the API and the import give percentages
    by_api(api, "API-1", objectives=[(a, 60), (b, 0)])
    by_csv(role_user("pmo_lead"), "CSV-1", objectives=[(a, 60), (b, 0)])
    # then
    assert links("API-1") == links("CSV-1") == {"Resilience": 60, "Self-service": 0}


def test_doors_edit_keeps_retired_links_and_percentages(api, page_clients):
    # given two projects serving an active objective at 60 % and a retired one at 80 %
    active, retired = ObjectiveFactory(name="Active"), ObjectiveFactory(name="Old", active=False)
    new = ObjectiveFactory(name="New")
    projects = [ProjectFactory(code="FORM-1"), ProjectFactory(code="API-1")]
    for project in projects:
        ProjectObjective.objects.create(project=project, objective=active, contribution=60)
        ProjectObjective.objects.create(project=project, objective=retired, contribution=80)
    # when the form picks the active one and a new one, and the API sends the same
    form = by_form(
        page_clients("pmo_lead"), "FORM-1", objectives=[active, new], project=projects[0]
    )
    api_answer = by_api(api, "API-1", objectives=[(active, 60), (new, 100)], project=projects[1])
    # then both keep the retired link and the percentage, and link the new one at 100 %
    assert form.status_code == 302 and api_answer.status_code == 200, api_answer.json()
    expected = {"Active": 60, "New": 100, "Old": 80}
    assert links("FORM-1") == links("API-1") == expected


def test_doors_refuse_a_retired_objective_in_the_same_words(api, page_clients, role_user):
    # given a retired objective
    retired = ObjectiveFactory(name="Old", active=False)
    reason = "“Old” is no longer an active objective."
    # when each door tries to link it
    form = by_form(page_clients("pmo_lead"), "FORM-1", objectives=[retired])
    api_answer = by_api(api, "API-1", objectives=[(retired, 50)])
    refused = by_csv(role_user("pmo_lead"), "CSV-1", objectives=[(retired, 50)])
    # then each refuses with the same reason and creates nothing
    assert form.status_code == 200 and reason in form.context["form"].errors["objectives"]
    assert api_answer.status_code == 400
    assert api_answer.json()["fields"]["objectives"] == [reason]
    assert reason in " ".join(refused.messages)
    assert not Project.objects.exists()


def test_doors_refuse_a_repeated_objective_and_a_bad_percent_alike(api, role_user):
    # given
    a = ObjectiveFactory(name="Resilience")
    # when the API and the import list it twice, or at 150 %
    twice_api = by_api(api, "API-1", objectives=[(a, 10), (a, 20)])
    twice_csv = by_csv(role_user("pmo_lead"), "CSV-1", objectives=[(a, 10), (a, 20)])
    big_api = by_api(api, "API-2", objectives=[(a, 150)])
    big_csv = by_csv(role_user("pmo_lead"), "CSV-2", objectives=[(a, 150)])
    # then the same reasons, and nothing created
    assert twice_api.json()["fields"]["objectives"] == ["“Resilience” is listed twice."]
    assert "“Resilience” is listed twice." in " ".join(twice_csv.messages)
    percent = "150 for “Resilience” is not a percent from 0 to 100."
    assert percent in str(big_api.json()["fields"]["objectives"])
    assert percent in " ".join(big_csv.messages)
    assert not Project.objects.exists()


def test_doors_refuse_an_owner_who_has_left_in_the_same_words(api, page_clients, role_user):
    # given a person who has left
    gone = PersonFactory(name="Ada Gone", active=False)
    reason = "Ada Gone has left; choose an active person as the owner."
    # when each door makes them the owner of a new project
    form = by_form(page_clients("pmo_lead"), "FORM-1", owner=gone)
    api_answer = by_api(api, "API-1", owner=gone)
    refused = by_csv(role_user("pmo_lead"), "CSV-1", owner=gone)
    # then each refuses with the same reason
    assert reason in form.context["form"].errors["owner"]
    assert api_answer.status_code == 400 and api_answer.json()["fields"]["owner"] == [reason]
    assert reason in " ".join(refused.messages)
    assert not Project.objects.exists()


def test_doors_keep_an_owner_who_has_left_on_an_existing_project(api):
    # given a project whose owner has since left
    gone = PersonFactory(active=False)
    project = ProjectFactory(owner=gone)
    # when it is edited by the API without changing the owner
    response = api.patch(
        f"/api/portfolio/projects/{project.pk}/", {"name": "Kept", "owner": gone.pk}, format="json"
    )
    # then it is saved
    assert response.status_code == 200
    project.refresh_from_db()
    assert (project.name, project.owner) == ("Kept", gone)


def test_doors_refuse_the_same_person_who_may_not(api_clients, page_clients, role_user):
    # given an executive, who reads the portfolio
    text = HEADER + "EXE-1,By an executive,,\n"
    # when they try each door, then each refuses with 403 and nothing is created
    assert by_form(page_clients("executive"), "EXE-1").status_code == 403
    assert by_api(api_clients("executive"), "EXE-1").status_code == 403
    from django.core.exceptions import PermissionDenied

    with pytest.raises(PermissionDenied):
        csv_import.import_projects(file_text=text, by=role_user("executive"))
    assert not Project.objects.exists()
