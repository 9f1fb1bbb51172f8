"""The project form sets how much a project serves each objective (it used to pick objectives
only, leaving the percentages to the API): the same rules as the API and the import."""

import re

import pytest

from portfolio.models import Project, ProjectObjective
from tests.factories import ObjectiveFactory, ProjectFactory

pytestmark = pytest.mark.django_db


def links(project: Project) -> dict[int, int]:
    return dict(project.objective_links.values_list("objective_id", "contribution"))


def form_data(project: Project, **extra) -> dict:
    return {"code": project.code, "name": project.name, "health": "green", **extra}


def test_project_form_shows_each_objective_with_its_percentage(page_clients):
    # given a project serving one objective at 80 %, another not, and a retired one
    served, other = ObjectiveFactory(name="Resilience"), ObjectiveFactory(name="Self-service")
    retired = ObjectiveFactory(name="Old goal", active=False)
    project = ProjectFactory()
    ProjectObjective.objects.create(project=project, objective=served, contribution=80)
    # when the edit form opens
    html = page_clients("pmo_lead").get(f"/portfolio/projects/{project.pk}/edit/").content.decode()
    # then the served one is ticked with 80, the other offered empty, the retired one not
    box = re.search(rf'<input[^>]*name="objectives"[^>]*value="{served.pk}"[^>]*>', html).group(0)
    assert "checked" in box
    percent = re.search(rf'<input[^>]*name="contribution_{served.pk}"[^>]*>', html).group(0)
    assert 'value="80"' in percent and 'min="0"' in percent and 'max="100"' in percent
    assert f'name="contribution_{other.pk}"' in html
    assert f'name="contribution_{retired.pk}"' not in html and "Old goal" not in html
    assert "through the API" not in html


def test_project_form_saves_the_percentages_ticked(page_clients):
    # given links to a (50 %), c (70 %), d (30 %) and a retired one (60 %)
    a, b, c, d = (ObjectiveFactory() for _ in range(4))
    retired = ObjectiveFactory(active=False)
    project = ProjectFactory()
    for objective, pct in ((a, 50), (c, 70), (d, 30), (retired, 60)):
        ProjectObjective.objects.create(project=project, objective=objective, contribution=pct)
    # when a is set to 40, b ticked anew without a percentage, c ticked as it was, and d
    # unticked though its percentage is still in the form
    response = page_clients("pmo_lead").post(
        f"/portfolio/projects/{project.pk}/edit/",
        form_data(
            project,
            objectives=[a.pk, b.pk, c.pk],
            **{
                f"contribution_{a.pk}": "40",
                f"contribution_{b.pk}": "",
                f"contribution_{c.pk}": "",
                f"contribution_{d.pk}": "30",
            },
        ),
    )
    # then
    assert response.status_code == 302, response.context["form"].errors
    assert links(project) == {a.pk: 40, b.pk: 100, c.pk: 70, retired.pk: 60}


def test_project_form_zero_percent_is_a_percent(page_clients):
    a = ObjectiveFactory()
    project = ProjectFactory()
    page_clients("pmo_lead").post(
        f"/portfolio/projects/{project.pk}/edit/",
        form_data(project, objectives=[a.pk], **{f"contribution_{a.pk}": "0"}),
    )
    assert links(project) == {a.pk: 0}


@pytest.mark.parametrize(
    ("typed", "message"),
    [
        ("101", "101 for “Resilience” is not a percent from 0 to 100."),
        ("-1", "-1 for “Resilience” is not a percent from 0 to 100."),
        ("50.5", "Enter a whole number."),
    ],
)
def test_project_form_refuses_a_percentage_beside_its_field(page_clients, typed, message):
    # given a project serving Resilience at 50 %
    a = ObjectiveFactory(name="Resilience")
    project = ProjectFactory(name="Kept")
    ProjectObjective.objects.create(project=project, objective=a, contribution=50)
    # when a bad percentage is typed
    response = page_clients("pmo_lead").post(
        f"/portfolio/projects/{project.pk}/edit/",
        form_data(project, name="Renamed", objectives=[a.pk], **{f"contribution_{a.pk}": typed}),
    )
    # then the form comes back with the reason after the field, and nothing is saved
    html = response.content.decode()
    assert response.status_code == 200 and message in html
    assert html.index(message) > html.index(f'name="contribution_{a.pk}"')
    project.refresh_from_db()
    assert project.name == "Kept" and links(project) == {a.pk: 50}


def test_intake_form_takes_percentages_too(page_clients):
    a, b = ObjectiveFactory(), ObjectiveFactory()
    page_clients("pmo_lead").post(
        "/portfolio/projects/new/",
        {
            "code": "PRJ-9001",
            "name": "New one",
            "health": "green",
            "objectives": [a.pk, b.pk],
            f"contribution_{a.pk}": "25",
        },
    )
    assert links(Project.objects.get(code="PRJ-9001")) == {a.pk: 25, b.pk: 100}
