"""Journey (issue 17): a P2 logged on a service the Service Desk supports lands unassigned
at the top of the desk's queue; an engineer of the desk takes it, then passes it to the
network team with a reason, which the incident's history keeps."""

import re

import pytest
from playwright.sync_api import expect

from handover.models import Incident, IncidentCategory
from tests.factories import PersonFactory, ServiceFactory, TeamFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def desk(role_user):
    desk = TeamFactory(name="Service Desk")
    TeamFactory(name="Network")
    PersonFactory(user=role_user("engineer"), team=desk, name="Erin Engineer")
    ServiceFactory(name="Email", support_group=desk)
    access = IncidentCategory.objects.get_or_create(name="Access", parent=None)[0]
    IncidentCategory.objects.get_or_create(name="Password reset", parent=access)
    network = IncidentCategory.objects.get_or_create(name="Network", parent=None)[0]
    IncidentCategory.objects.get_or_create(name="VPN", parent=network)
    return desk


def test_journey_a_p2_lands_in_the_desk_queue_is_taken_and_passed_on(
    page, desk, sign_in, screenshot
):
    sign_in(page, "engineer_user")
    page.goto("/incidents/new/")
    page.get_by_label("Title").fill("Cannot send mail")
    page.locator("#id_service").select_option(label="Email")
    # the group's empty choice names the service's group
    expect(page.locator("#id_assignment_group option[value='']")).to_contain_text("Service Desk")
    # the subcategories offered are the category's own
    page.locator("#id_category").select_option(label="Access")
    expect(page.locator("#id_subcategory option", has_text="VPN")).to_be_hidden()
    page.locator("#id_subcategory").select_option(label="Password reset")
    page.get_by_role("group", name="Impact").get_by_label("1 – High").check()
    page.get_by_role("group", name="Urgency").get_by_label("2 – Medium").check()
    page.get_by_test_id("save-incident").click()
    expect(page).to_have_url(re.compile(r"/incidents/\d+/$"))
    incident = Incident.objects.get()
    assert (incident.priority, incident.assignment_group, incident.assignee) == (2, desk, None)

    # the desk's queue holds it, unassigned; the engineer takes it
    page.goto("/incidents/")
    page.get_by_test_id("queues-link").click()
    page.get_by_role("link", name="Service Desk").click()
    row = page.get_by_test_id(f"queue-row-{incident.number}")
    expect(row).to_contain_text("Unassigned")
    screenshot(page, "queue-service-desk")
    # on a phone the page stays within the screen (the table scrolls inside its card)
    page.set_viewport_size({"width": 375, "height": 800})
    wide = page.evaluate("document.documentElement.scrollWidth")
    assert wide <= 375, f"the queue is {wide} px wide on a phone"
    page.set_viewport_size({"width": 1280, "height": 800})
    row.get_by_test_id(f"take-{incident.number}").click()
    expect(page.get_by_test_id(f"queue-row-{incident.number}")).to_contain_text("Erin Engineer")

    # passing it to the network team asks why, and the history keeps the reason
    page.get_by_test_id(f"reassign-{incident.number}").click()
    page.get_by_label("Assignment group").select_option(label="Network")
    page.locator("#id_person").select_option("")  # into the network queue, unassigned
    page.get_by_test_id("save-assignment").click()
    expect(page.locator(".invalid-feedback")).to_contain_text("Say why it moves")
    page.get_by_label("Reason").fill("The mail relay is behind the firewall")
    page.get_by_test_id("save-assignment").click()
    incident.refresh_from_db()
    assert incident.assignment_group.name == "Network" and incident.assignee is None
    page.goto(incident.get_absolute_url())
    expect(page.get_by_test_id("reassignments")).to_contain_text(
        "The mail relay is behind the firewall"
    )
    expect(page.get_by_test_id("assignment-group")).to_contain_text("Network")
    screenshot(page, "incident-reassigned")
