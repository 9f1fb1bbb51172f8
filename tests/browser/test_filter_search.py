"""The incident list's project filter is searched as you type: the options come from the
list's own endpoint, and the chosen project travels in the query string."""

import re

import pytest
from playwright.sync_api import expect

from tests.factories import ProjectFactory
from tests.handover.factories import IncidentFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_incident_list_project_filter_is_searched_as_you_type(page, role_user, sign_in):
    # given incidents on two projects
    role_user("engineer")
    payments = ProjectFactory(code="PRJ-PAY", name="Payments revamp")
    other = ProjectFactory(code="PRJ-HR", name="Payroll")
    IncidentFactory(project=payments, title="Card payments time out")
    IncidentFactory(project=other, title="Payslips late")
    sign_in(page, "engineer_user")
    page.goto("/incidents/")

    # when the engineer types part of the project's name and filters
    page.get_by_label("Find project").fill("revamp")
    expect(page.locator("#id_project")).to_have_value(str(payments.pk))
    page.get_by_role("button", name="Filter").click()

    # then the list shows that project's incident only, filtered from the query string
    expect(page).to_have_url(re.compile(rf"project={payments.pk}"))
    expect(page.get_by_text("Card payments time out")).to_be_visible()
    expect(page.get_by_text("Payslips late")).to_have_count(0)
    expect(page.locator("#id_project")).to_have_value(str(payments.pk))
    assert "priority=1" not in page.url  # the bar's other selects stay on "Any"
