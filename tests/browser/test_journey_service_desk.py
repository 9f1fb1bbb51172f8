"""Journey (issue 17): an engineer logs a P2 on a service; it lands in the Service Desk queue;
an analyst of the desk takes it and sees the clock's time left; waiting for a change stops the
clock; a problem opened from it with a workaround becomes a known error, and the next incident
logged on the same configuration item is offered it."""

import re

import pytest
from playwright.sync_api import expect

from handover.models import Incident, Problem
from tests.changes.factories import ConfigurationItemFactory
from tests.factories import PersonFactory, ServiceFactory, TeamFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def desk(role_user):
    """The Service Desk supports Payments round the clock (so the clock runs whatever the hour
    of the test); Erin reports from another team; Ana, an ITSM manager, works the desk."""
    desk = TeamFactory(name="Service Desk")
    PersonFactory(user=role_user("engineer"), name="Erin Engineer")
    PersonFactory(user=role_user("itsm_manager"), team=desk, name="Ana Analyst")
    payments = ServiceFactory(name="Payments", support_group=desk, support_hours="24x7")
    ConfigurationItemFactory(name="pay-db-01", service=payments)
    return desk


def log_incident(page, title: str) -> None:
    """The incident form, on Payments and its database, P2 (high impact, medium urgency)."""
    page.goto("/incidents/new/")
    page.get_by_label("Title").fill(title)
    page.locator("#id_service").select_option(label="Payments")
    page.get_by_label("Find configuration item").fill("pay-db")
    expect(page.locator("#id_configuration_item option", has_text="pay-db-01")).to_have_count(1)
    page.locator("#id_configuration_item").select_option(label="pay-db-01")
    page.get_by_role("group", name="Impact").get_by_label("1 – High").check()
    page.get_by_role("group", name="Urgency").get_by_label("2 – Medium").check()


def test_journey_from_the_desk_queue_to_a_known_error(page, desk, sign_in, screenshot):
    # an engineer logs a P2 on Payments
    sign_in(page, "engineer_user")
    log_incident(page, "Card refunds fail")
    page.get_by_test_id("save-incident").click()
    expect(page).to_have_url(re.compile(r"/incidents/\d+/$"))
    incident = Incident.objects.get()
    assert (incident.priority, incident.assignment_group) == (2, desk)

    # it waits, unassigned, in the Service Desk queue; the analyst takes it
    page.context.clear_cookies()
    sign_in(page, "itsm_manager_user")
    page.goto("/incidents/queues/")
    page.get_by_role("link", name="Service Desk").click()
    row = page.get_by_test_id(f"queue-row-{incident.number}")
    expect(row).to_contain_text("Unassigned")
    row.get_by_test_id(f"take-{incident.number}").click()
    row = page.get_by_test_id(f"queue-row-{incident.number}")
    expect(row).to_contain_text("Ana Analyst")
    # the clock shows the time left of its eight hours
    expect(row.get_by_test_id(f"sla-{incident.number}")).to_contain_text(
        re.compile(r"Resolve in 7 h \d+ min")
    )
    screenshot(page, "service-desk-queue-taken")

    # waiting for a change stops the clock
    page.goto(incident.get_absolute_url())
    page.get_by_test_id("move-in_progress").click()
    page.locator("#hold-reason").select_option(label="Awaiting change")
    page.get_by_test_id("move-on_hold").click()
    expect(page.get_by_test_id("hold-reason")).to_contain_text("Awaiting change")
    expect(page.get_by_test_id("sla-resolution")).to_contain_text("Resolution paused")
    incident.refresh_from_db()
    assert incident.state == "on_hold" and incident.resolution_due_at is None
    screenshot(page, "service-desk-on-hold")

    # a problem opened from it, with its workaround, is a known error
    page.get_by_test_id("open-problem-from-incident").click()
    expect(page.get_by_test_id("from-incident")).to_contain_text(incident.number)
    page.get_by_label("Root cause").fill("The refund job holds a lock on the ledger table.")
    page.get_by_label("Workaround").fill("Restart the refund worker; refunds then go through.")
    page.get_by_test_id("save-problem").click()
    problem = Problem.objects.get()
    assert problem.known_error_article is not None
    assert list(problem.incidents.all()) == [incident]

    # the next incident on the same item is offered the known error
    page.context.clear_cookies()
    sign_in(page, "engineer_user")
    log_incident(page, "Refunds stuck again")
    panel = page.get_by_test_id("known-errors")
    expect(panel).to_contain_text(problem.number)
    expect(panel).to_contain_text("Restart the refund worker")
    screenshot(page, "service-desk-known-error-offered")
