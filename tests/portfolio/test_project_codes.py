"""Project codes proposed (issue 15): the intake form proposes the next free PRJ-nnnn, which
the person may change; the API gives it when the code is omitted (said in the schema)."""

import pytest

from portfolio import services
from portfolio.models import Project
from portfolio.selectors import next_project_code
from tests.factories import ProjectFactory, UserFactory

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("codes", "proposed"),
    [
        ([], "PRJ-0001"),
        (["PRJ-0009", "PRJ-0010", "PRJ-0002"], "PRJ-0011"),
        # other shapes are left alone, a longer number counts as larger
        (["PRJ-0100", "LEGACY-99999", "PRJ-12AB", "prj-0500"], "PRJ-0101"),
        (["PRJ-9999", "PRJ-10000"], "PRJ-10001"),
    ],
)
def test_next_project_code_is_one_above_the_highest(codes, proposed):
    for code in codes:
        ProjectFactory(code=code)
    assert next_project_code() == proposed


def test_the_intake_form_proposes_the_next_code_and_takes_another(page_clients):
    ProjectFactory(code="PRJ-0041")
    client = page_clients("pmo_lead")
    # the form opens with the next free code in the field
    form = client.get("/portfolio/projects/new/").context["form"]
    assert form["code"].value() == "PRJ-0042"
    # the person may keep it, or type another
    client.post("/portfolio/projects/new/", {"code": "PRJ-0042", "name": "A", "health": "green"})
    client.post("/portfolio/projects/new/", {"code": "OPS-7", "name": "B", "health": "green"})
    assert set(Project.objects.values_list("code", flat=True)) == {"PRJ-0041", "PRJ-0042", "OPS-7"}


def test_the_api_gives_the_next_code_when_none_is_sent(api_clients):
    ProjectFactory(code="PRJ-0007")
    api = api_clients("pmo_lead")
    made = api.post("/api/portfolio/projects/", {"name": "No code"}, format="json")
    assert made.status_code == 201, made.json()
    assert made.json()["code"] == "PRJ-0008"
    given = api.post("/api/portfolio/projects/", {"name": "Coded", "code": "X-1"}, format="json")
    assert given.json()["code"] == "X-1"
    # a blank code is not "none": it is refused, naming the field
    blank = api.post("/api/portfolio/projects/", {"name": "Blank", "code": ""}, format="json")
    assert blank.status_code == 400 and "code" in blank.json()["fields"]


def test_the_schema_says_the_code_may_be_omitted():
    from drf_spectacular.generators import SchemaGenerator

    schema = SchemaGenerator().get_schema(request=None, public=True)
    request = schema["components"]["schemas"]["ProjectRequest"]
    assert "code" not in request.get("required", [])
    assert "next free PRJ-nnnn" in request["properties"]["code"]["description"]


def test_the_service_gives_the_next_code_too():
    project = services.project_create(by=UserFactory(roles=["pmo_lead"]), fields={"name": "S"})
    assert project.code == "PRJ-0001"
