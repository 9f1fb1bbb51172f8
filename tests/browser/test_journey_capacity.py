"""Journey: the PMO lead finds an over-allocated person on the heatmap, moves an allocation
and sees the conflict resolve (computed by the worker, or in-process on the default)."""

import re
from datetime import timedelta
from decimal import Decimal

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from resources.engine.calendar import monday_of
from resources.models import Allocation
from resources.snapshot import compute_and_publish
from tests.factories import PersonFactory, ProjectFactory, TeamFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def stretched_dba(role_user):
    role_user("pmo_lead")
    monday = monday_of(timezone.localdate())
    team = TeamFactory(name="Database")
    dana = PersonFactory(name="Dana Quist", team=team, contracted_hours=Decimal(40))
    PersonFactory(name="Omar Relaxed", team=team, contracted_hours=Decimal(40))
    end = monday + timedelta(weeks=3, days=4)
    for project, hours in [
        (ProjectFactory(code="PRJ-UPG", name="Core DB upgrade"), 20),
        (ProjectFactory(code="PRJ-DWH", name="Warehouse"), 15),
    ]:
        Allocation.objects.create(
            person=dana,
            kind="project",
            project=project,
            hours_per_week=hours,
            start_date=monday,
            end_date=end,
        )
    Allocation.objects.create(
        person=dana, kind="on_call", hours_per_week=15, start_date=monday, end_date=end
    )
    compute_and_publish()
    return dana


def test_journey_pmo_lead_resolves_an_over_allocation(
    page, stretched_dba, background_tasks, sign_in, screenshot
):
    sign_in(page, "pmo_lead_user")
    # the conflicts list: one tick selects every open conflict on the page
    page.goto("/resources/conflicts/")
    page.get_by_label("Select all on this page").check()
    ticks = page.locator(".conflict-check")
    expect(ticks).to_have_count(4)
    for index in range(4):
        expect(ticks.nth(index)).to_be_checked()
    # the heatmap: the Database team is hot this week (50 h of 80 h is fine for the team …)
    page.goto("/resources/")
    expect(page.get_by_role("link", name="1 people over-allocated")).to_be_visible()
    screenshot(page, "capacity-heatmap")
    # … so the PMO lead opens the team and finds Dana at 125 %
    page.get_by_role("link", name="Database").click()
    dana_row = page.locator("tr", has=page.get_by_role("link", name="Dana Quist"))
    expect(dana_row.locator(".heat-value").first).to_have_text("125")
    screenshot(page, "capacity-team")
    page.get_by_role("link", name="Dana Quist").first.click()
    expect(page.get_by_text("Dana Quist is booked 50.0 h against 40.0 h").first).to_be_visible()
    # the load chart is drawn from the page's JSON by a static script
    expect(page.locator("#load-chart")).to_have_attribute("style", re.compile("display: block"))

    # moves the warehouse work to a later quarter, seeing the effect before saving
    warehouse = page.locator("tr", has=page.get_by_role("link", name="PRJ-DWH Warehouse"))
    warehouse.get_by_role("link", name="Edit").click()
    # the form opens with the effect of the allocation as it stands: still over
    expect(page.get_by_test_id("preview-over")).to_be_visible()
    later = monday_of(timezone.localdate()) + timedelta(weeks=12)
    page.get_by_label("Start date").fill(str(later))
    page.get_by_label("End date").fill(str(later + timedelta(weeks=3, days=4)))
    page.get_by_label("End date").dispatch_event("change")
    expect(page.get_by_test_id("preview-ok")).to_be_visible()
    screenshot(page, "capacity-allocation-preview")
    page.get_by_role("button", name="Save").click()
    expect(page.get_by_text("The capacity picture is being updated.")).to_be_visible()

    # and sees the conflict resolve once the new picture is published
    page.goto("/resources/conflicts/?state=resolved")
    for _ in range(30):
        if page.get_by_test_id("conflict-row").count() >= 4:
            break
        page.wait_for_timeout(1000)
        page.reload()
    rows = page.get_by_test_id("conflict-row")
    expect(rows.first).to_contain_text("resolved")
    expect(rows).to_have_count(4)
    screenshot(page, "capacity-conflicts-resolved")
    page.goto("/resources/conflicts/")
    expect(page.get_by_text("No conflicts here.")).to_be_visible()
