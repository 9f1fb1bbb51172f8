"""The project page's costs card and forms, the benefit numbers and the milestones' baselines
as the page shows them (issue 16)."""

from datetime import date
from decimal import Decimal

import pytest

from portfolio.choices import Stage
from portfolio.models import Benefit, ProjectCost
from tests.factories import MilestoneFactory, ProjectFactory
from tests.portfolio.factories import CostFactory
from tests.support.permissions import assert_matrix
from tests.support.queries import assert_constant_queries

pytestmark = pytest.mark.django_db


def test_costs_card_shows_months_against_the_budget(page_clients):
    project = ProjectFactory(budget=Decimal("1000"))
    CostFactory(project=project, month=date(2026, 1, 1), kind="capital", amount=Decimal("600"))
    CostFactory(project=project, month=date(2026, 2, 1), kind="operating", amount=Decimal("500"))
    page = page_clients("executive").get(project.get_absolute_url()).content.decode()
    # 1100 spent of 1000: 110 %, said to be over budget; newest month first
    assert "110 % · over budget" in page
    assert page.index("Feb 2026") < page.index("Jan 2026")
    assert 'data-testid="add-cost"' not in page  # the executive reads, records nothing


def test_costs_card_keeps_its_queries_whatever_the_months(page_clients):
    project = ProjectFactory(budget=Decimal("1000"))
    CostFactory(project=project, month=date(2020, 1, 1))
    client = page_clients("pmo_lead")

    def grow():
        for month in range(1, 13):
            for kind in ("capital", "operating"):
                CostFactory(project=project, month=date(2025, month, 1), kind=kind)

    assert_constant_queries(lambda: client.get(project.get_absolute_url()), grow)
    page = client.get(project.get_absolute_url()).content.decode()
    assert page.count('data-testid="cost-month"') == 12
    assert "And 1 earlier month, counted in the total." in page


def test_cost_pages_for_a_pmo_lead_only(page_clients):
    cost = CostFactory()
    for path in (
        f"/portfolio/projects/{cost.project_id}/costs/new/",
        f"/portfolio/costs/{cost.pk}/edit/",
    ):
        assert_matrix(
            page_clients,
            "get",
            path,
            anonymous=302,
            pmo_lead=200,
            itsm_manager=403,
            engineer=403,
            executive=403,
        )
    response = page_clients("engineer").post(f"/portfolio/costs/{cost.pk}/delete/")
    assert response.status_code == 403
    assert ProjectCost.objects.filter(pk=cost.pk).exists()


def test_cost_added_edited_and_removed_by_the_page(page_clients):
    project = ProjectFactory()
    client = page_clients("pmo_lead")
    add = f"/portfolio/projects/{project.pk}/costs/new/"
    response = client.post(add, {"month": "2026-03", "kind": "capital", "amount": "250"})
    assert response.status_code == 302
    cost = ProjectCost.objects.get()
    assert (cost.month, cost.kind, cost.amount) == (date(2026, 3, 1), "capital", Decimal("250"))
    # a day that is not the 1st is refused on the field, nothing saved
    mid = client.post(add, {"month": "2026-04-15", "kind": "capital", "amount": "1"})
    assert mid.status_code == 200 and "A cost is booked to a month" in mid.content.decode()
    # the same month and kind again is refused in words
    again = client.post(add, {"month": "2026-03", "kind": "capital", "amount": "1"})
    assert "already has a capital cost for 2026-03" in again.content.decode()
    assert ProjectCost.objects.count() == 1
    edit = client.post(
        f"/portfolio/costs/{cost.pk}/edit/",
        {"month": "2026-03", "kind": "capital", "amount": "300", "note": "invoice 7"},
    )
    assert edit.status_code == 302
    cost.refresh_from_db()
    assert (cost.amount, cost.note) == (Decimal("300"), "invoice 7")
    assert client.post(f"/portfolio/costs/{cost.pk}/delete/").status_code == 302
    assert not ProjectCost.objects.exists()


def test_benefit_numbers_by_the_forms(page_clients):
    project = ProjectFactory()
    client = page_clients("pmo_lead")
    plan = {"description": "Fewer calls", "measure": "calls", "target": "-20 %"}
    refused = client.post(
        f"/portfolio/projects/{project.pk}/benefits/new/", {**plan, "target_value": "800"}
    )
    assert "Give the unit of the numbers" in refused.content.decode()
    client.post(
        f"/portfolio/projects/{project.pk}/benefits/new/",
        {**plan, "unit": "calls/month", "baseline_value": "1000", "target_value": "800"},
    )
    benefit = Benefit.objects.get()
    assert (benefit.baseline_value, benefit.target_value) == (Decimal("1000"), Decimal("800"))
    # a realisation may be a number alone
    done = client.post(f"/portfolio/benefits/{benefit.pk}/realisation/", {"realised_value": "900"})
    assert done.status_code == 302
    benefit.refresh_from_db()
    assert benefit.realised_value == Decimal("900")
    page = client.get(project.get_absolute_url()).content.decode()
    assert "from 1000 to 800 calls/month" in page
    assert "(900 calls/month)" in page
    # and neither words nor a number is no realisation
    empty = client.post(f"/portfolio/benefits/{benefit.pk}/realisation/", {"realised": ""})
    assert "Say what was realised" in empty.content.decode()


def test_milestones_show_their_baseline_and_a_replan(page_clients):
    project = ProjectFactory(stage=Stage.IN_FLIGHT)
    MilestoneFactory(project=project, due_date=date(2027, 2, 1), baseline_date=date(2027, 1, 4))
    MilestoneFactory(project=project, due_date=date(2027, 3, 1), baseline_date=date(2027, 3, 1))
    page = page_clients("executive").get(project.get_absolute_url()).content.decode()
    assert page.count('data-testid="milestone-baseline"') == 2
    assert page.count("re-planned") == 1
