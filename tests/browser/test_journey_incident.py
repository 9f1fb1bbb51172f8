"""Journey: an engineer on their project's page logs an incident with the quick form and
finds it on the project page, with the change that caused it."""

import re

import pytest
from playwright.sync_api import expect

from handover.models import Incident
from tests.factories import PersonFactory, ProjectFactory, ServiceFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def project(role_user):
    owner = PersonFactory(user=role_user("engineer"), name="Erin Engineer")
    payments = ServiceFactory(name="Payments", tier=1)
    project = ProjectFactory(code="PRJ-PAY", name="Payments revamp", owner=owner, stage="in_flight")
    project.services.add(payments)
    return project


def test_journey_engineer_logs_an_incident_from_the_project_page(
    page, project, sign_in, screenshot
):
    sign_in(page, "engineer_user")
    page.goto(f"/portfolio/projects/{project.pk}/")
    card = page.get_by_test_id("project-incidents")
    expect(card).to_contain_text("No incidents logged against this project.")
    card.get_by_role("link", name="Log incident").click()

    # the short form starts on the project and its service
    expect(page.get_by_role("heading", name="Log an incident")).to_be_visible()
    project_box, service_box = page.locator("#id_project"), page.locator("#id_service")
    service_pk = str(project.services.get().pk)
    expect(project_box).to_have_value(str(project.pk))
    expect(service_box).to_have_value(service_pk)
    # the search box finds the project again and fills its service
    project_box.select_option("")
    service_box.select_option("")
    page.get_by_label("Find the project or service").fill("PRJ-PAY Payments revamp")
    expect(project_box).to_have_value(str(project.pk))
    expect(service_box).to_have_value(service_pk)
    page.get_by_label("Title").fill("Card payments time out")
    page.get_by_role("group", name="Impact").get_by_label("1 – High").check()
    page.get_by_role("group", name="Urgency").get_by_label("2 – Medium").check()
    screenshot(page, "incident-quick-form")
    page.get_by_test_id("save-incident").click()

    expect(page).to_have_url(re.compile(r"/incidents/\d+/$"))
    incident = Incident.objects.get()
    assert page.url.endswith(f"/incidents/{incident.pk}/")
    assert (incident.priority, incident.project_id) == (2, project.pk)
    expect(page.get_by_role("alert").first).to_contain_text(f"{incident.number} logged")
    expect(page.get_by_text("P2 High", exact=True)).to_be_visible()

    page.get_by_role("link", name="Payments revamp").first.click()
    row = page.get_by_test_id(f"project-incident-{incident.number}")
    expect(row).to_contain_text("Card payments time out")
    expect(row).to_contain_text("New")
    screenshot(page, "incident-on-project-page")
