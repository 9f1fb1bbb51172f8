"""Import of projects from CSV: every row checked, all rows or none, role rules, bounded queries."""

from datetime import date
from decimal import Decimal

import factory
import pytest
from django.contrib.messages import get_messages
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile

from portfolio import csv_import
from portfolio.models import Project, ProjectObjective, Service, StrategicObjective
from tests.factories import PersonFactory, TeamFactory
from tests.support.permissions import assert_matrix
from tests.support.queries import queries_for

pytestmark = pytest.mark.django_db

HEADER = (
    "code,name,summary,sponsor,owner_email,health,budget,start_date,end_date,"
    "support_team,support_effort_hours,support_cover,services,objectives\n"
)


class ServiceFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Service

    name = factory.Sequence(lambda n: f"Service {n}")
    owning_team = factory.SubFactory(TeamFactory)


class ObjectiveFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = StrategicObjective

    name = factory.Sequence(lambda n: f"Objective {n}")


class ProjectFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Project

    code = factory.Sequence(lambda n: f"PRJ-{n:04d}")
    name = factory.Sequence(lambda n: f"Project {n}")


@pytest.fixture
def catalogue():
    """The people, team, services and objectives the example rows refer to."""
    return {
        "owner": PersonFactory(email="ana.lopez@example.org", name="Ana López"),
        "team": TeamFactory(name="Service Desk"),
        "identity": ServiceFactory(name="Identity"),
        "portal": ServiceFactory(name="Service Desk Portal"),
        "cost": ObjectiveFactory(name="Reduce support cost"),
        "experience": ObjectiveFactory(name="Improve employee experience"),
    }


def upload(client, content: bytes | str, name: str = "projects.csv"):
    data = content.encode("utf-8") if isinstance(content, str) else content
    return client.post("/portfolio/import/", {"file": SimpleUploadedFile(name, data)})


def messages_of(response) -> list[str]:
    return [str(m) for m in get_messages(response.wsgi_request)]


def test_import_projects_creates_every_project_with_its_links(catalogue, role_user):
    # given
    text = HEADER + (
        "PRJ-0101,Password reset,Self-service,CIO,ANA.LOPEZ@example.org,amber,45000.50,"
        "2025-03-03,2025-06-27,service desk,4.5,24x7,identity; Service Desk Portal,"
        "Reduce support cost:60;improve employee experience:40%\n"
        "PRJ-0102,Data centre exit,,,,,,,,,,,,\n"
    )
    # when
    projects = csv_import.import_projects(file_text=text, by=role_user("pmo_lead"))
    # then
    assert [p.code for p in projects] == ["PRJ-0101", "PRJ-0102"]
    reset = Project.objects.get(code="PRJ-0101")
    assert (reset.name, reset.summary, reset.sponsor) == ("Password reset", "Self-service", "CIO")
    assert reset.owner == catalogue["owner"] and reset.support_team == catalogue["team"]
    assert (reset.health, reset.stage, reset.support_cover) == ("amber", "proposed", "24x7")
    assert (reset.budget, reset.support_effort_hours) == (Decimal("45000.50"), Decimal("4.5"))
    assert (reset.start_date, reset.end_date) == (date(2025, 3, 3), date(2025, 6, 27))
    assert set(reset.services.all()) == {catalogue["identity"], catalogue["portal"]}
    assert {(link.objective, link.contribution) for link in reset.objective_links.all()} == {
        (catalogue["cost"], 60),
        (catalogue["experience"], 40),
    }
    exit_ = Project.objects.get(code="PRJ-0102")
    assert (exit_.health, exit_.owner, exit_.budget) == ("green", None, None)
    assert reset.history.first().history_user == role_user("pmo_lead")


def test_preview_reports_each_broken_row_with_line_and_field(catalogue):
    # given: line 2 is fine, every later line breaks one rule
    text = (
        HEADER
        + "\n".join(
            [
                "PRJ-1,Fine,,,,,,,,,,,,",
                ",No code,,,,,,,,,,,,",
                "PRJ-3,,,,,,,,,,,,,",
                "PRJ-4,Owner,,,nobody@example.org,,,,,,,,,",
                "PRJ-5,Team,,,,,,,,Night Shift,,,,",
                "PRJ-6,Service,,,,,,,,,,,Mainframe,",
                "PRJ-7,Objective,,,,,,,,,,,,World peace:10",
                "PRJ-8,Date,,,,,,2025-02-30,,,,,,",
                "PRJ-9,Order,,,,,,2025-05-01,2025-04-01,,,,,",
                "PRJ-10,Number,,,,,12k,,,,,,,",
                "PRJ-11,Negative,,,,,,,,,-4,,,",
                "PRJ-12,Percent,,,,,,,,,,,,Reduce support cost:120",
                "PRJ-13,Choice,,,,purple,,,,,,weekends,,",
            ]
        )
        + "\n"
    )
    # when
    result = csv_import.preview(text)
    # then
    assert {(line, field) for line, field, _ in result.errors} == {
        (3, "code"),
        (4, "name"),
        (5, "owner_email"),
        (6, "support_team"),
        (7, "services"),
        (8, "objectives"),
        (9, "start_date"),
        (10, "end_date"),
        (11, "budget"),
        (12, "support_effort_hours"),
        (13, "objectives"),
        (14, "health"),
        (14, "support_cover"),
    }
    assert [row.line for row in result.rows if not row.errors] == [2]
    assert not result.ok


def test_import_projects_with_broken_rows_creates_nothing(catalogue, role_user):
    # given: the first two rows are fine, the third names an unknown owner
    text = HEADER + (
        "PRJ-1,One,,,,,,,,,,,Identity,\nPRJ-2,Two,,,,,,,,,,,,\n"
        "PRJ-3,Three,,,ghost@example.org,,,,,,,,,\n"
    )
    # when
    with pytest.raises(ValidationError) as raised:
        csv_import.import_projects(file_text=text, by=role_user("pmo_lead"))
    # then
    assert "Line 4, owner_email" in raised.value.messages[0]
    assert not Project.objects.exists() and not ProjectObjective.objects.exists()


def test_preview_refuses_a_code_that_already_exists(catalogue):
    # given
    ProjectFactory(code="PRJ-0042")
    # when
    result = csv_import.preview(HEADER + "PRJ-0042,Again,,,,,,,,,,,,\n")
    # then
    assert [(e.line, e.field) for e in result.errors] == [(2, "code")]
    assert "already exists" in result.errors[0].message


def test_preview_refuses_a_code_repeated_in_the_file(catalogue):
    # when
    result = csv_import.preview(HEADER + "PRJ-1,One,,,,,,,,,,,,\nPRJ-1,Other,,,,,,,,,,,,\n")
    # then
    assert [(e.line, e.field) for e in result.errors] == [(3, "code")]
    assert "line 2" in result.errors[0].message


def test_preview_names_unknown_columns_and_accepts_a_bom():
    # when
    result = csv_import.preview("\ufeffcode,name,colour,priority\nPRJ-1,One,red,1\n")
    # then
    assert [(e.line, e.field) for e in result.errors] == [(1, "header")]
    assert "colour, priority" in result.errors[0].message
    assert csv_import.preview("\ufeffCode,Name\nPRJ-1,One\n").ok


def test_preview_refuses_more_rows_than_the_limit_with_one_error(monkeypatch):
    # given
    monkeypatch.setattr(csv_import, "MAX_ROWS", 3)
    # when
    result = csv_import.preview("code,name\n" + "".join(f"P{i},N\n" for i in range(4)))
    # then
    assert len(result.errors) == 1 and result.errors[0].field == "file"
    assert "more than 3 projects" in result.errors[0].message


def test_preview_queries_do_not_grow_with_rows(catalogue):
    # given
    def rows(n):
        return HEADER + "".join(
            f"PRJ-{i},Project {i},,,ana.lopez@example.org,,,,,Service Desk,,,"
            f"Identity;Service Desk Portal,Reduce support cost:50\n"
            for i in range(n)
        )

    # when
    few, many = (
        queries_for(lambda: csv_import.preview(rows(2))),
        queries_for(lambda: csv_import.preview(rows(200))),
    )
    # then
    assert few == many <= 5


def test_import_pages_upload_preview_and_confirm(catalogue, page_clients):
    # given
    client = page_clients("pmo_lead")
    text = HEADER + "PRJ-1,One,,,,,,,,,,,Identity,\nPRJ-2,Two,,,,,,,,,,,,\n"
    # when
    preview = upload(client, text)
    # then
    assert preview.status_code == 200
    assert b"2 rows, 0 errors" in preview.content and b"Import 2 projects" in preview.content
    assert not Project.objects.exists()
    # when
    confirmed = client.post("/portfolio/import/confirm/", {"digest": preview.context["digest"]})
    # then
    assert confirmed.status_code == 302 and confirmed.url == "/portfolio/projects/"
    assert messages_of(confirmed) == ["Imported 2 projects."]
    assert set(Project.objects.values_list("code", flat=True)) == {"PRJ-1", "PRJ-2"}
    assert "portfolio_import_csv" not in client.session


def test_import_preview_page_marks_broken_rows_and_offers_no_import(catalogue, page_clients):
    # given
    client = page_clients("pmo_lead")
    # when
    response = upload(client, HEADER + "PRJ-1,One,,,,,,,,,,,,\nPRJ-2,,,,,,,,,,,,,\n")
    # then
    assert b"2 rows, 1 error" in response.content
    assert b'class="table-danger" data-line="3"' in response.content
    assert b"Import 2 projects" not in response.content
    assert "portfolio_import_csv" not in client.session


def test_import_preview_page_shows_an_empty_state_without_data_rows(page_clients):
    # when
    response = upload(page_clients("pmo_lead"), HEADER)
    # then
    assert b"The file has no data rows." in response.content
    assert b"Import 0 projects" not in response.content


def test_import_confirm_without_pending_import_redirects_with_a_message(page_clients):
    # when
    response = page_clients("pmo_lead").post("/portfolio/import/confirm/")
    # then
    assert response.status_code == 302 and response.url == "/portfolio/import/"
    assert messages_of(response) == [
        "There is no import waiting for confirmation. Upload the file again."
    ]


def test_import_confirm_imports_nothing_when_a_code_was_taken_meanwhile(catalogue, page_clients):
    # given: a clean preview, then someone creates one of its codes
    client = page_clients("pmo_lead")
    preview = upload(client, HEADER + "PRJ-1,One,,,,,,,,,,,,\nPRJ-2,Two,,,,,,,,,,,,\n")
    ProjectFactory(code="PRJ-2")
    # when
    response = client.post("/portfolio/import/confirm/", {"digest": preview.context["digest"]})
    # then
    assert response.status_code == 200
    assert b"already exists" in response.content
    assert list(Project.objects.values_list("code", flat=True)) == ["PRJ-2"]


def test_import_confirm_refuses_a_file_other_than_the_one_shown(catalogue, page_clients):
    # given file A previewed in one tab, then file B in another
    client = page_clients("pmo_lead")
    first = upload(client, HEADER + "PRJ-A,From A,,,,,,,,,,,,\n")
    upload(client, HEADER + "PRJ-B,From B,,,,,,,,,,,,\n")
    # when the first tab confirms
    response = client.post("/portfolio/import/confirm/", {"digest": first.context["digest"]})
    # then nothing is imported
    assert response.url == "/portfolio/import/"
    assert "different file" in messages_of(response)[0]
    assert not Project.objects.exists()


def test_import_pages_role_rules(page_clients):
    # then
    assert_matrix(
        page_clients,
        "get",
        "/portfolio/import/",
        anonymous=302,
        pmo_lead=200,
        itsm_manager=403,
        engineer=403,
        executive=403,
    )
    assert_matrix(
        page_clients,
        "post",
        "/portfolio/import/confirm/",
        {},
        anonymous=302,
        pmo_lead=302,
        itsm_manager=403,
        engineer=403,
        executive=403,
    )
    assert (
        page_clients("anonymous").get("/portfolio/import/").url.startswith("/accounts/login/?next=")
    )


def test_import_upload_refuses_non_utf8_bytes_with_a_form_error(page_clients):
    # when
    response = upload(page_clients("pmo_lead"), "code,name\nPRJ-1,Café\n".encode("latin-1"))
    # then
    assert response.status_code == 200
    assert "is not UTF-8 text" in response.content.decode()
    assert not Project.objects.exists()


def test_import_upload_refuses_a_file_that_is_not_csv(page_clients):
    # when
    response = upload(page_clients("pmo_lead"), b"PK\x03\x04", name="projects.xlsx")
    # then
    assert response.status_code == 200
    assert "Choose a .csv file" in response.content.decode()


def test_import_upload_page_explains_the_columns_with_an_example(page_clients):
    # when
    response = page_clients("pmo_lead").get("/portfolio/import/")
    # then
    content = response.content.decode()
    assert 'enctype="multipart/form-data"' in content and "csrfmiddlewaretoken" in content
    assert "support_effort_hours" in content and "PRJ-0101,Self-service password reset" in content


def test_import_upload_refuses_a_file_over_the_size_limit(page_clients, monkeypatch):
    # given
    monkeypatch.setattr(csv_import, "MAX_BYTES", 20)
    # when
    response = upload(page_clients("pmo_lead"), HEADER)
    # then
    assert response.status_code == 200
    assert "The file is larger than" in response.content.decode()
