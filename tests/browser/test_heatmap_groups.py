"""The heatmap at size: a large group of teams shows its summary row, opens on demand (htmx)
with a page of teams, brings the rest with "show more", and closes again."""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from resources.engine.calendar import monday_of
from resources.heatmap import ROWS_SHOWN
from resources.models import Allocation, TeamKind
from resources.snapshot import compute_and_publish
from tests.factories import PersonFactory, ProjectFactory, TeamFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
COUNT = ROWS_SHOWN + 4


@pytest.fixture
def many_teams(role_user):
    role_user("pmo_lead")
    monday = monday_of(timezone.localdate())
    for n in range(COUNT):
        person = PersonFactory(
            team=TeamFactory(name=f"Ops {n:02d}", kind=TeamKind.OPERATIONS),
            contracted_hours=Decimal(40),
        )
        Allocation.objects.create(
            person=person,
            kind="project",
            project=ProjectFactory(),
            hours_per_week=20,
            start_date=monday,
            end_date=monday + timedelta(days=4),
        )
    compute_and_publish()


def test_heatmap_opens_a_large_group_on_demand(page, many_teams, sign_in):
    sign_in(page, "pmo_lead_user")
    page.goto("/resources/")
    group = page.locator("#heat-group-operations")
    expect(group.locator(".heatmap-summary")).to_contain_text(f"{COUNT} teams")
    expect(page.get_by_role("link", name="Ops 00")).to_have_count(0)
    # open the group: a page of its teams
    page.get_by_role("link", name=f"Show the {COUNT} operations teams").click()
    expect(page.get_by_role("link", name="Ops 00")).to_be_visible()
    expect(page.locator("#heat-group-operations th.ps-4")).to_have_count(ROWS_SHOWN)
    # show the rest
    page.get_by_test_id("heat-more").get_by_role("link").click()
    expect(page.locator("#heat-group-operations th.ps-4")).to_have_count(COUNT)
    expect(page.get_by_test_id("heat-more")).to_have_count(0)
    # close it again
    page.get_by_role("link", name="Hide the operations teams").click()
    expect(page.get_by_role("link", name="Ops 00")).to_have_count(0)
