"""The dashboard page and its API (issue 16): who may read them, the range and scope they
take, that they show the same numbers, the CSV tables, and what a number that cannot be
computed says."""

import csv
import io
from datetime import date, timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from itsm_pmo.dashboard import board
from itsm_pmo.dashboard.forms import preset_period
from itsm_pmo.dashboard.metrics import NO_REVIEWS
from itsm_pmo.dashboard.period import Period, Scope
from tests.factories import ObjectiveFactory, ServiceFactory, UserFactory

from .test_change_metrics import change

pytestmark = pytest.mark.django_db
URL, API = "/dashboard/", "/api/dashboard/"


@pytest.fixture
def reviewed_this_quarter():
    """Two changes reviewed this quarter: one successful, one failed (a failure rate of 50 %)."""
    today = timezone.localdate()
    first = Period.quarter_of(today).start
    change(first, outcome="successful", reviewed=first)
    change(first, outcome="failed", reviewed=today)


def tiles(response) -> dict[str, str]:
    """The page's tiles: {metric key: its value as the tile carries it}."""
    html = response.content.decode()
    found = {}
    for chunk in html.split('data-testid="tile-')[1:]:
        key = chunk.split('"', 1)[0]
        found[key] = chunk.split('data-value="', 1)[1].split('"', 1)[0]
    return found


@pytest.mark.parametrize("role", ["pmo_lead", "itsm_manager", "engineer", "executive"])
def test_every_role_reads_the_dashboard(page_clients, role, reviewed_this_quarter):
    response = page_clients(role).get(URL)
    assert response.status_code == 200
    assert tiles(response)["failure_rate"] == "50.0"


def test_a_user_without_a_role_is_refused_the_page_and_the_api(client):
    nobody = UserFactory(roles=[])
    client.force_login(nobody)
    assert client.get(URL).status_code == 403
    assert client.get(API).status_code == 403


def test_the_executive_signs_in_to_the_dashboard_others_to_their_inbox(client):
    for role, home in (("executive", URL), ("pmo_lead", "/")):
        UserFactory(username=f"{role}-home", roles=[role], password="pw-for-tests")
        response = client.post(
            reverse("login"), {"username": f"{role}-home", "password": "pw-for-tests"}
        )
        assert response.status_code == 302 and response["Location"] == home, role
        client.logout()


def test_the_default_range_is_this_quarter_beside_the_one_before(page_clients):
    today = timezone.localdate()
    quarter = Period.quarter_of(today)
    response = page_clients("executive").get(URL)
    period = response.context["period"]
    assert (period.start, period.end) == (quarter.start, quarter.end)
    assert response.context["previous"].end == quarter.start - timedelta(days=1)


@pytest.mark.parametrize(
    "preset, start, end",
    [
        ("last_quarter", date(2026, 7, 1), date(2026, 9, 30)),
        ("this_year", date(2026, 1, 1), date(2026, 12, 6)),
        ("last_12_months", date(2025, 12, 7), date(2026, 12, 6)),
        ("this_quarter", date(2026, 10, 1), date(2026, 12, 31)),
    ],
)
def test_each_preset_names_whole_days(preset, start, end):
    period = preset_period(preset, date(2026, 12, 6))
    assert (period.start, period.end) == (start, end)


def test_custom_dates_are_read_and_carried_into_the_drill_downs(page_clients):
    response = page_clients("executive").get(
        URL, {"range": "custom", "start": "2026-01-01", "end": "2026-03-31"}
    )
    assert response.status_code == 200
    html = response.content.decode()
    assert "reviewed_after=2026-01-01&amp;reviewed_before=2026-03-31" in html


@pytest.mark.parametrize(
    "query, field, reason",
    [
        ({"range": "custom", "start": "2026-03-31", "end": "2026-01-01"}, "end", "on or after"),
        ({"range": "custom", "start": "2026-01-01"}, "end", "last day"),
        ({"range": "custom", "start": "2020-01-01", "end": "2026-01-01"}, "end", "three years"),
        ({"start": "not a day", "end": "2026-01-01"}, "start", "valid date"),
        ({"range": "next_decade"}, "range", "valid choice"),
        ({"objective": "999999"}, "objective", "valid choice"),
        ({"service": "x"}, "service", "valid choice"),
    ],
)
def test_a_range_or_scope_that_is_not_one_is_a_400_naming_the_field(
    page_clients, api_clients, query, field, reason
):
    page = page_clients("executive").get(URL, query)
    assert page.status_code == 400
    assert reason in page.content.decode() and page.context["form"].errors[field]
    assert "sections" not in page.context
    api = api_clients("executive").get(API, query)
    assert api.status_code == 400
    assert any(reason in message for message in api.json()["fields"][field])


def test_the_api_returns_the_numbers_the_page_shows(
    page_clients, api_clients, reviewed_this_quarter
):
    shown = tiles(page_clients("executive").get(URL))
    body = api_clients("executive").get(API).json()
    returned = {
        metric["key"]: metric for section in body["sections"] for metric in section["tiles"]
    }
    assert set(returned) == set(shown)
    for key, metric in returned.items():
        on_page = None if shown[key] == "" else float(shown[key])
        assert metric["value"] == on_page, key
    assert returned["failure_rate"]["value"] == 50.0
    assert returned["failure_rate"]["drill"].startswith("/changes/?failed=1")


def test_a_number_that_cannot_be_computed_says_why_on_the_page_and_in_the_api(
    page_clients, api_clients
):
    html = page_clients("executive").get(URL).content.decode()
    assert 'data-testid="why-success_rate"' in html and NO_REVIEWS in html
    assert "NaN" not in html
    metric = next(
        m
        for s in api_clients("executive").get(API).json()["sections"]
        for m in s["tiles"]
        if m["key"] == "success_rate"
    )
    assert metric["value"] is None and metric["why_missing"] == NO_REVIEWS


def test_the_scope_is_shown_and_sent_to_every_drill_down(page_clients):
    objective, service = ObjectiveFactory(name="Grow online sales"), ServiceFactory()
    response = page_clients("executive").get(
        URL, {"objective": objective.pk, "service": service.pk}
    )
    html = response.content.decode()
    assert "Grow online sales" in response.content.decode()
    assert response.context["period"].scope == Scope(objective.pk, service.pk)
    drill = response.context["sections"][2].tiles[0].drill.url
    assert f"objective={objective.pk}" in drill and f"service={service.pk}" in drill
    assert 'data-testid="dashboard-scope"' in html


def csv_rows(response) -> list[list[str]]:
    assert response["Content-Type"].startswith("text/csv")
    return list(csv.reader(io.StringIO(response.content.decode())))


def test_the_csv_holds_every_tile_and_each_chart_table(api_clients, reviewed_this_quarter):
    api = api_clients("executive")
    body = api.get(API).json()
    rows = csv_rows(api.get(API, {"format": "csv"}))
    assert rows[0][:4] == ["section", "key", "label", "value"]
    by_key = {row[1]: row for row in rows[1:]}
    assert len(by_key) == sum(len(s["tiles"]) for s in body["sections"])
    assert by_key["failure_rate"][3] == "50.0"
    # a chart's own table: a row per label
    chart = next(c for s in body["sections"] for c in s["charts"] if c["key"] == "throughput")
    table = csv_rows(api.get(API, {"format": "csv", "table": "throughput"}))
    assert [row[0] for row in table[1:]] == chart["labels"]


def test_an_unknown_csv_table_is_a_400_naming_it_in_the_portals_json_error(api_clients):
    response = api_clients("executive").get(API, {"format": "csv", "table": "salaries"})
    assert response.status_code == 400
    assert response["Content-Type"] == "application/json"
    assert "No such table" in response.json()["fields"]["table"][0]


def test_a_format_the_api_does_not_write_is_a_400_naming_it(api_clients):
    response = api_clients("executive").get(API, {"format": "xlsx"})
    assert response.status_code == 400
    assert "csv" in response.json()["fields"]["format"][0]


def test_a_label_is_not_a_formula_in_the_csv(api_clients):
    from tests.factories import ProjectFactory

    ProjectFactory(name="=HYPERLINK(1)", stage="in_flight", health="red")
    table = csv_rows(api_clients("executive").get(API, {"format": "csv", "table": "stage_health"}))
    assert all(not row[0].startswith("=") for row in table)


def test_chart_data_on_the_page_is_escaped_json(page_clients):
    from tests.factories import ProjectFactory

    ProjectFactory(name="</script><script>alert(1)</script>", stage="in_flight")
    html = page_clients("executive").get(URL).content.decode()
    assert "<script>alert(1)" not in html


def test_the_page_and_the_api_sections_are_built_once_from_one_structure():
    sections = board.build(Period.quarter_of(timezone.localdate()))
    assert [s.key for s in sections] == [
        "delivery",
        "operations",
        "change",
        "capacity",
        "alignment",
        "knowledge",
    ]
    for section in sections:
        for chart in section.charts:
            assert all(len(s.values) == len(chart.labels) for s in chart.series), chart.key
