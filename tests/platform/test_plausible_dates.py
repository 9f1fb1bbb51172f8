"""Dates a person could mean (itsm_pmo/dates.py): filters, the API and forms refuse the rest
with a 400 that names the field, and nothing reaches the database that it would refuse."""

import pytest

from tests.factories import PersonFactory, ProjectFactory

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    "url",
    [
        "/api/changes/freezes/?active_on=2026-01-01T00:00:00%2B17:00",
        "/api/changes/changes/?starts_after=2026-01-01T00:00:00%2B17:00",
        "/api/changes/changes/?starts_before=1899-12-31T00:00:00",
        "/api/changes/changes/?starts_after=2150-01-01T00:00:00Z",
    ],
)
def test_a_filter_date_time_out_of_range_is_a_400_naming_the_field(api_clients, url):
    response = api_clients("itsm_manager").get(url)
    assert response.status_code == 400
    field = url.split("?")[1].split("=")[0]
    assert field in response.json()["fields"]


def test_a_filter_date_time_with_a_real_offset_is_read_in_utc(api_clients):
    response = api_clients("itsm_manager").get(
        "/api/changes/freezes/?active_on=2026-01-01T00:00:00%2B14:00"
    )
    assert response.status_code == 200


def test_a_page_filter_out_of_range_says_why_instead_of_failing(page_clients):
    response = page_clients("itsm_manager").get("/changes/?starts_after=0999-01-01T00:00")
    assert response.status_code in (200, 400)
    assert "between 2000 and 2100" in response.content.decode()


def test_a_booking_in_1850_is_refused_by_the_api(api_clients):
    person, project = PersonFactory(), ProjectFactory()
    payload = {
        "person": person.pk,
        "kind": "project",
        "project": project.pk,
        "hours_per_week": "10",
        "start_date": "1850-01-07",
        "end_date": "1850-02-07",
    }
    response = api_clients("pmo_lead").post("/api/resources/allocations/", payload, format="json")
    assert response.status_code == 400
    assert "start_date" in response.json()["fields"]
    # and the same booking in 2027 is taken
    payload.update(start_date="2027-01-04", end_date="2027-02-05")
    assert (
        api_clients("pmo_lead").post("/api/resources/allocations/", payload, format="json")
    ).status_code == 201
