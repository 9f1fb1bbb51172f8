"""Journey: the ITSM manager filters the incidents breaching in the next hour, sees the time
left in amber, and opens the incident to read both clocks and what was escalated."""

from datetime import timedelta

import pytest
from playwright.sync_api import expect

from handover.incidents import services
from handover.incidents.sla.services import sla_sweep
from tests.factories import PersonFactory, ServiceFactory, TeamFactory, UserFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
MIN = timedelta(minutes=1)


@pytest.fixture
def desk(role_user, in_process_tasks):
    from django.utils import timezone

    manager = role_user("itsm_manager")
    lead = PersonFactory(name="Dana Cole", user=UserFactory(username="dana"))
    team = TeamFactory(name="Payments support", manager=lead)
    assignee = PersonFactory(name="Rosa Ivanova", team=team)
    service = ServiceFactory(name="Payments", support_hours="24x7", support_group=team)

    def log(title, ago, impact=1, urgency=1):
        incident = services.incident_log(
            reporter=manager,
            title=title,
            service=service,
            impact=impact,
            urgency=urgency,
            assignee=assignee,
            opened_at=timezone.now() - ago,
        )
        return services.incident_transition(incident=incident, to="in_progress", by=manager)

    soon = log("Card payments declined at checkout", 200 * MIN)
    log("Refund file not sent to the bank", 250 * MIN)
    log("Receipts e-mailed twice", 20 * MIN, impact=2, urgency=2)
    sla_sweep()
    return soon


def test_the_manager_finds_what_breaches_next_and_reads_its_clocks(page, sign_in, screenshot, desk):
    sign_in(page, "itsm_manager_user")
    # when the list is filtered to what breaches in the next hour
    page.goto("/incidents/")
    page.get_by_label("Service level").select_option("next_hour")
    page.get_by_role("button", name="Filter").click()
    # then only the card payments incident is listed, its time left in amber
    rows = page.locator("tbody tr")
    expect(rows).to_have_count(1)
    badge = page.get_by_test_id(f"sla-{desk.number}").locator("[data-status=warning]")
    expect(badge).to_contain_text("Resolve in")
    screenshot(page, "sla-breaching-next-hour")
    # when the manager opens it
    page.get_by_role("link", name="Card payments declined at checkout").click()
    # then both clocks and the warning given to the group are shown
    timers = page.get_by_test_id("sla-timers")
    expect(timers.get_by_test_id("sla-response")).to_contain_text("Response late")
    expect(timers.get_by_test_id("sla-resolution")).to_contain_text("Resolve in")
    expect(timers.get_by_test_id("sla-events")).to_contain_text("Warning at 75 %")
    screenshot(page, "sla-incident-clocks")
