"""Journey: a known error is suggested on the incident form as the engineer picks the
service, and from the incident's page the engineer links the incident to that problem; the
ITSM manager then sees it grouped on the problem's page."""

import pytest
from playwright.sync_api import expect

from handover.models import Incident
from handover.problems import services as problem_services
from tests.factories import ServiceFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def known_error(role_user):
    ServiceFactory(name="Mail")
    payments = ServiceFactory(name="Payments")
    return problem_services.problem_create(
        by=role_user("itsm_manager"),
        title="Connection pool exhaustion",
        service=payments,
        root_cause="Pool capped at 20",
        workaround="Scale the API to 6 pods at peak.",
    )


def test_journey_the_incident_form_suggests_a_known_error_and_links_it(
    page, known_error, role_user, sign_in, screenshot
):
    role_user("engineer")
    sign_in(page, "engineer_user")
    page.goto("/incidents/new/")
    # nothing suggested before a service is chosen; another service has none
    page.locator("#id_service").select_option(label="Mail")
    expect(page.get_by_test_id("no-known-errors")).to_be_visible()
    # picking the service shows its known error with the workaround
    page.locator("#id_service").select_option(label="Payments")
    panel = page.get_by_test_id("known-errors")
    expect(panel).to_contain_text(known_error.number)
    expect(panel).to_contain_text("Scale the API to 6 pods at peak.")
    screenshot(page, "problems-known-error-on-the-incident-form")
    page.get_by_label("Title").fill("Refunds time out")
    page.get_by_test_id("save-incident").click()
    # on the incident's page, the same suggestion links it to the problem
    page.get_by_test_id(f"link-known-error-{known_error.number}").click()
    expect(page.get_by_test_id("incident-problem")).to_contain_text(known_error.number)
    incident = Incident.objects.get(title="Refunds time out")
    assert incident.problem_id == known_error.pk
    # the ITSM manager finds it grouped under the problem
    page.context.clear_cookies()
    role_user("itsm_manager")
    sign_in(page, "itsm_manager_user")
    page.goto(f"/incidents/problems/{known_error.pk}/")
    expect(page.get_by_test_id(f"linked-{incident.number}")).to_be_visible()
