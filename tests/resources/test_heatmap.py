"""The heatmap grouped by kind of team: a summary row per group, large groups opened on demand
and paged, cells computed once per snapshot and cached until the next one is published."""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.utils import timezone

from resources.engine.calendar import monday_of
from resources.heatmap import OPEN_UP_TO, ROWS_SHOWN
from resources.models import Allocation, TeamKind
from resources.snapshot import compute_and_publish
from tests.factories import PersonFactory, ProjectFactory, TeamFactory
from tests.support.queries import queries_for

pytestmark = pytest.mark.django_db
MONDAY = monday_of(timezone.localdate())
HTMX = {"HTTP_HX_REQUEST": "true"}


def book(person, hours):
    return Allocation.objects.create(
        person=person,
        kind="project",
        project=ProjectFactory(),
        hours_per_week=hours,
        start_date=MONDAY,
        end_date=MONDAY + timedelta(days=4),
    )


def teams_of(kind, count, hours=20):
    teams = [TeamFactory(name=f"{kind} team {n:02d}", kind=kind) for n in range(count)]
    for team in teams:
        book(PersonFactory(team=team, contracted_hours=Decimal(40)), hours)
    return teams


def test_heatmap_small_group_is_open_with_a_summary_row(page_clients):
    # given two project teams: 20 h and 40 h booked of 40 h each
    teams_of(TeamKind.PROJECT, 1, hours=20)
    TeamFactory(name="Second", kind=TeamKind.PROJECT)
    book(PersonFactory(team=TeamFactory(name="Other", kind=TeamKind.PROJECT)), 40)
    compute_and_publish()
    # when
    html = page_clients("pmo_lead").get("/resources/").content.decode()
    # then the group's first row adds its teams up, and its teams are shown
    assert 'data-kind="project"' in html and "Project teams" in html
    assert "project team 00" in html and "Other" in html
    assert "2 teams" in html


def test_heatmap_large_group_opens_on_demand_and_pages(page_clients):
    # given more operations teams than open by themselves, and more than a page
    count = max(OPEN_UP_TO, ROWS_SHOWN) + 3
    teams_of(TeamKind.OPERATIONS, count)
    compute_and_publish()
    client = page_clients("pmo_lead")
    # when the page opens: the group's summary only, saying how many teams it holds
    html = client.get("/resources/").content.decode()
    assert f"{count} teams" in html and "operations team 00" not in html
    assert '<span class="heat-value">50</span>' in html  # 20 h of 40 h in every team
    # when the group is opened (htmx): a page of its teams and a "show more" row
    group = client.get("/resources/?part=group&group=operations&open=operations", **HTMX)
    body = group.content.decode()
    assert body.count('class="heatmap-name ps-4"') == ROWS_SHOWN
    assert body.lstrip().startswith('<tbody id="heat-group-operations"')
    assert 'data-testid="heat-more"' in body and "Show the last 3" in body
    # and the next page brings the rest without another "show more"
    rest = client.get(
        f"/resources/?part=rows&group=operations&open=operations&offset={ROWS_SHOWN}", **HTMX
    ).content.decode()
    assert rest.count('class="heatmap-name ps-4"') == 3 and "heat-more" not in rest
    assert f"operations team {count - 1:02d}" in rest
    # without htmx the links reload the page with the group open
    page = client.get("/resources/?open=operations").content.decode()
    assert page.count('class="heatmap-name ps-4"') == ROWS_SHOWN
    # and closing it shows its summary alone again
    closed = client.get("/resources/?part=group&group=operations&close=operations", **HTMX)
    assert 'class="heatmap-name ps-4"' not in closed.content.decode()


def test_heatmap_filter_applies_to_the_groups(page_clients):
    teams_of(TeamKind.OPERATIONS, 2)
    teams_of(TeamKind.MIXED, 2)
    compute_and_publish()
    html = page_clients("pmo_lead").get("/resources/?kind=mixed").content.decode()
    assert "mixed team 00" in html and "operations team 00" not in html
    assert "2 teams in 1 group" in html


def test_heatmap_cells_are_computed_once_per_snapshot(page_clients):
    # given a published snapshot whose heatmap was shown once
    person = PersonFactory(team=TeamFactory(name="Database"), contracted_hours=Decimal(40))
    book(person, 20)
    compute_and_publish()
    client = page_clients("pmo_lead")
    cold = queries_for(lambda: client.get("/resources/"))
    # when it is shown again, the cells come from the cache
    warm = queries_for(lambda: client.get("/resources/"))
    assert warm < cold
    assert '<span class="heat-value">50</span>' in client.get("/resources/").content.decode()
    # when a new snapshot is published, the page shows its figures (the key changed)
    book(person, 40)
    compute_and_publish()
    html = client.get("/resources/").content.decode()
    assert '<span class="heat-value">150</span>' in html
    assert "project 60 h · operational 0 h · capacity 40 h" in html


def test_team_page_cells_are_computed_once_per_snapshot(page_clients):
    # given a team page shown once for a published snapshot
    person = PersonFactory(name="Ana", contracted_hours=Decimal(40))
    book(person, 20)
    compute_and_publish()
    client = page_clients("executive")
    url = person.team.get_absolute_url()
    cold = queries_for(lambda: client.get(url))
    # when shown again, its people's cells come from the cache
    assert queries_for(lambda: client.get(url)) < cold
    html = client.get(url).content.decode()
    assert "Ana, week of" in html and "project 20.0 h · operational 0.0 h" in html
    # when a new snapshot is published, the page shows its figures
    book(person, 40)
    compute_and_publish()
    assert '<span class="heat-value">150</span>' in client.get(url).content.decode()
