"""The delivery metrics' drill-downs, followed as a signed-in executive: the list's count
equals the number, in and out of a scope; the project list says which drill-only filters are
on and clears them; its query count does not depend on them. Q1 2026 as elsewhere."""

from datetime import date, datetime, time
from decimal import Decimal

import pytest
from django.utils import timezone

from itsm_pmo.dashboard.metrics import (
    Drill,
    completion_metric,
    delivery_metrics,
    projects_by_stage_and_health,
    throughput_by_quarter,
)
from itsm_pmo.dashboard.period import Period, Scope
from portfolio.models import ProjectCost, ProjectTransition
from tests.factories import (
    CriterionFactory,
    ObjectiveFactory,
    ProjectFactory,
    ProjectObjectiveFactory,
    ScoreFactory,
    ServiceFactory,
)
from tests.support.queries import queries_for

pytestmark = pytest.mark.django_db
Q1 = Period(date(2026, 1, 1), date(2026, 3, 31))


def at(day: date) -> datetime:
    return datetime.combine(day, time(12), tzinfo=timezone.get_current_timezone())


@pytest.fixture
def client(page_clients):
    return page_clients("executive")


def listed(client, drill: Drill) -> int:
    response = client.get(drill.url)
    assert response.status_code == 200
    return response.context["paginator"].count


def ranked(client, drill: Drill) -> int:
    response = client.get(drill.url)
    assert response.status_code == 200
    return response.context["count"]


@pytest.fixture
def data_set():
    """Two criteria of weight 1; scores add up. An objective and a service hold some."""
    criteria = CriterionFactory(), CriterionFactory()
    objective, service = ObjectiveFactory(), ServiceFactory()

    def project(values, stage="in_flight", closed_on=None, health="green", aligned=False):
        made = ProjectFactory(stage=stage, health=health)
        for criterion, value in zip(criteria, values, strict=True):
            ScoreFactory(project=made, criterion=criterion, value=value)
        if closed_on:
            ProjectTransition.objects.create(
                project=made, from_state="handover", to_state="closed", at=at(closed_on)
            )
        if aligned:
            ProjectObjectiveFactory(project=made, objective=objective)
            made.services.add(service)
        return made

    project((5, 5), "closed", date(2026, 2, 1), aligned=True)  # K1 10
    project((5, 4), aligned=True)  # L1 9
    project((4, 4), health="red")  # L2 8
    project((3, 3), "closed", date(2026, 3, 1))  # K2 6
    project((2, 2), health="red", aligned=True)  # L3 4
    project((4, 3), "closed", date(2025, 12, 1))  # previous period
    project((5, 5), "rejected")
    return objective, service


def test_every_delivery_tile_drills_to_a_list_of_its_count(data_set, client):
    # Throughput: K1 and K2 → 2. Top quarter: pool K1, L1, L2, K2, L3 → ⌈5 / 4⌉ = 2 (K1,
    # L1): the ranking lists the 2 (its denominator). The others are empty here: 0 each, and
    # their lists too; the rates without a value have no drill or their denominator's.
    metrics = {m.key: m for m in delivery_metrics(Q1)}
    assert metrics["throughput"].value == 2
    assert listed(client, metrics["throughput"].drill) == 2
    assert metrics["top_quarter_completion"].value == 50.0
    assert ranked(client, metrics["top_quarter_completion"].drill) == 2
    counts = [
        "projects_late",
        "projects_over_budget",
        "projects_replanned",
    ]
    for key in counts:
        assert listed(client, metrics[key].drill) == metrics[key].value == 0
    # re-plans per live project: none re-planned of L1, L2, L3 → 0.0, its list the 3 live ones
    assert metrics["replans_per_project"].value == 0.0
    assert listed(client, metrics["replans_per_project"].drill) == 3


def test_the_stage_and_health_segments_drill_to_lists_of_their_counts(data_set, client):
    segments = projects_by_stage_and_health()
    assert [(s.label, s.value) for s in segments] == [
        ("In flight – Green", 1),
        ("In flight – Red", 2),
    ]
    assert [listed(client, s.drill) for s in segments] == [1, 2]


def test_in_a_scope_every_delivery_number_and_its_list_are_narrowed(data_set, client):
    objective, service = data_set
    scoped = Period(Q1.start, Q1.end, Scope(objective=objective.pk, service=service.pk))
    # Aligned: K1 (closed in Q1), L1 (green), L3 (red). Throughput 1; the pool K1, L1, L3 →
    # top ⌈3 / 4⌉ = 1: K1, closed → 100 %; stage and health: in flight green 1, red 1.
    metrics = {m.key: m for m in delivery_metrics(scoped)}
    assert (metrics["throughput"].value, metrics["top_quarter_completion"].value) == (1, 100.0)
    assert metrics["throughput"].drill.params["objective"] == str(objective.pk)
    assert listed(client, metrics["throughput"].drill) == 1
    assert ranked(client, metrics["top_quarter_completion"].drill) == 1
    segments = projects_by_stage_and_health(scoped)
    assert [(s.value, listed(client, s.drill)) for s in segments] == [(1, 1), (1, 1)]
    assert throughput_by_quarter(scoped) == [(date(2026, 1, 1), 1)]
    assert listed(client, metrics["replans_per_project"].drill) == 2  # L1, L3


def test_the_ranking_without_top_is_the_live_portfolio(data_set, client):
    assert ranked(client, Drill("portfolio:ranking")) == 3
    drill = completion_metric(Q1).drill
    page = client.get(drill.url).content.decode()
    assert "Showing: the top-ranked quarter" in page


def test_the_project_list_says_which_drill_filters_are_on_and_clears_them(client):
    project = ProjectFactory(code="PRJ-4001", budget=Decimal(10), health="red")
    ProjectCost.objects.create(project=project, month=date(2026, 1, 1), amount=Decimal(20))
    ProjectFactory(health="red")
    url = (
        "/portfolio/projects/?health=red"
        "&over_budget=1&spent_after=2026-01-01&spent_before=2026-03-31"
    )
    response = client.get(url)
    assert response.context["paginator"].count == 1
    page = response.content.decode()
    assert 'data-testid="drill-filters"' in page
    assert "Over budget" in page
    assert "With a budget and costs on or after 1 Jan" in page
    # the bar keeps them as hidden inputs when another filter changes, not as fields
    assert '<input type="hidden" name="over_budget" value="1">' in page
    assert 'id="id_over_budget"' not in page
    # the clear link keeps the bar's own filter
    assert 'href="?health=red" class="ms-2" data-testid="drill-clear">Clear</a>' in page
    assert client.get("/portfolio/projects/?health=red").context["paginator"].count == 2
    plain = client.get("/portfolio/projects/?health=red").content.decode()
    assert 'data-testid="drill-filters"' not in plain


def test_a_refused_drill_filter_is_said(client):
    page = client.get("/portfolio/projects/?late=perhaps").content.decode()
    assert "Missed a baseline date: Give true or false." in page


def test_the_project_lists_queries_do_not_depend_on_the_drill_filters(
    data_set, client, django_assert_num_queries
):
    objective, service = data_set
    # Every drill filter at once that keeps rows (L1 and L3): they are subqueries of the
    # list's count and page queries; the objective's and the service's ids are each checked
    # with one query. Then as many queries with ten times the rows.
    url = (
        "/portfolio/projects/?late=0&baseline_after=2026-01-01&baseline_before=2026-03-31"
        "&over_budget=0&live=1"
        f"&objective={objective.pk}&service={service.pk}"
    )
    plain = queries_for(lambda: client.get("/portfolio/projects/"))
    with django_assert_num_queries(plain + 2):
        assert client.get(url).context["paginator"].count == 2
    for _ in range(20):
        made = ProjectFactory(stage="in_flight")
        ProjectObjectiveFactory(project=made, objective=objective)
        made.services.add(service)
    with django_assert_num_queries(plain + 2):
        assert client.get(url).context["paginator"].count == 22


def test_the_rankings_top_quarter_costs_one_query_more_whatever_the_rows(data_set, client):
    url = completion_metric(Q1).drill.url
    plain = queries_for(lambda: client.get("/portfolio/ranking/"))
    # the ids of the projects first closed in the days: one query
    assert queries_for(lambda: client.get(url)) == plain + 1
    for n in range(10):
        made = ProjectFactory(stage="closed")
        ProjectTransition.objects.create(
            project=made, from_state="handover", to_state="closed", at=at(date(2026, 2, 1 + n))
        )
        ProjectFactory(stage="in_flight")
    assert queries_for(lambda: client.get(url)) == plain + 1
