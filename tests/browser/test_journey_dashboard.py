"""Journey (issue 16): the executive signs in and lands on the dashboard with its charts
drawn, changes the range, narrows it to a strategic objective, and drills from the change
failure tile into the failed changes."""

import re

import pytest
from playwright.sync_api import expect

from changes import selectors as changes
from itsm_pmo.dashboard.forms import preset_period
from itsm_pmo.dashboard.period import Period, Scope
from portfolio.models import StrategicObjective

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

# Every canvas on the page with the number of its data points that are above zero.
DRAWN = """() => [...document.querySelectorAll('canvas[data-chart]')].map(c => {
  const chart = Chart.getChart(c);
  const points = chart ? chart.data.datasets.flatMap(d => d.data) : [];
  return {chart: !!chart, width: c.width, above: points.filter(v => v > 0).length};
})"""


def objective_with_failures(period: Period) -> StrategicObjective:
    """An objective whose projects' changes failed in the period: the journey's choice."""
    for objective in StrategicObjective.objects.order_by("name"):
        scoped = Period(period.start, period.end, Scope(objective=objective.pk))
        if changes.review_outcomes(*scoped.bounds(), **scoped.scope.narrowing())[
            "failed_or_caused"
        ]:
            return objective
    raise AssertionError("the demo has no objective whose changes failed in the last 12 months")


def test_journey_executive_reads_narrows_and_drills_the_dashboard(page, demo, sign_in, screenshot):
    from django.utils import timezone

    # when the executive signs in
    sign_in(page, "executive", "demo-pass")
    # then the dashboard is their home, with every chart drawn with data
    expect(page).to_have_url(re.compile(r"/dashboard/$"))
    expect(page.get_by_role("heading", name="Dashboard", exact=True)).to_be_visible()
    page.wait_for_function("() => window.Chart && document.querySelector('canvas[data-chart]')")
    canvases = page.evaluate(DRAWN)
    assert len(canvases) >= 6
    assert all(c["chart"] and c["width"] > 0 for c in canvases), canvases
    assert sum(1 for c in canvases if c["above"]) >= 6, canvases
    screenshot(page, "dashboard-executive")

    # when they choose the last 12 months
    page.get_by_label("Range", exact=True).select_option(label="Last 12 months")
    page.get_by_role("button", name="Show").click()
    # then the range says so, and the charts are drawn again
    expect(page).to_have_url(re.compile(r"range=last_12_months"))
    last_12 = preset_period("last_12_months", timezone.localdate())
    expect(page.get_by_test_id("dashboard-period")).to_contain_text(
        last_12.start.strftime("%-d %b")
    )

    # when they narrow it to an objective
    objective = objective_with_failures(last_12)
    page.get_by_label("Strategic objective").select_option(label=objective.name)
    page.get_by_role("button", name="Show").click()
    expect(page.get_by_test_id("dashboard-scope")).to_contain_text(objective.name)
    tile = page.get_by_test_id("tile-failure_rate")
    expect(tile).not_to_have_attribute("data-value", "")
    screenshot(page, "dashboard-objective")

    # when they open the change failure rate
    tile.get_by_test_id("drill-failure_rate").click()
    # then the change list shows the failed changes of that objective in those 12 months
    expect(page).to_have_url(re.compile(r"/changes/\?.*failed=1"))
    expect(page).to_have_url(re.compile(rf"objective={objective.pk}"))
    scoped = Period(last_12.start, last_12.end, Scope(objective=objective.pk))
    failed = changes.review_outcomes(*scoped.bounds(), **scoped.scope.narrowing())[
        "failed_or_caused"
    ]
    rows = page.locator("table tbody tr")
    expect(rows).to_have_count(failed)
    screenshot(page, "dashboard-failed-changes")
