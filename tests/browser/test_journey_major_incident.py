"""Journey: an ITSM manager declares a P1 a major incident from its page, engages the
technical lead, tells the customers, and, once service is restored, cannot close it until the
review is written with an action; closed, the lesson form starts from the review."""

import re

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from handover.choices import IncidentState
from handover.models import Incident, MajorIncident
from tests.factories import PersonFactory, ServiceFactory
from tests.handover.factories import IncidentFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def p1(role_user):
    PersonFactory(user=role_user("itsm_manager"), name="Maria Manager")
    PersonFactory(name="Tariq Techlead")
    return IncidentFactory(
        title="Payments down",
        service=ServiceFactory(name="Payments"),
        impact=1,
        urgency=1,
        priority=1,
    )


def test_journey_itsm_manager_runs_a_major_incident(page, p1, sign_in, screenshot):
    sign_in(page, "itsm_manager_user")
    page.goto(p1.get_absolute_url())
    proposal = page.get_by_test_id("propose-major")
    proposal.get_by_label("What is happening").fill("Card payments fail everywhere.")
    proposal.get_by_role("button", name="Declare a major incident").click()

    expect(page).to_have_url(re.compile(r"/major-incidents/\d+/$"))
    expect(page.get_by_test_id("people")).to_contain_text("Maria Manager")

    # engage the technical lead (search-as-you-type) and tell the customers
    engage = page.get_by_test_id("engage-form")
    engage.get_by_label("Find person").fill("Tariq")
    expect(engage.locator("select[name=person]")).to_contain_text("Tariq Techlead")
    engage.locator("select[name=person]").select_option(label="Tariq Techlead")
    engage.get_by_label("Role").select_option(label="Technical lead")
    engage.get_by_role("button", name="Engage").click()
    expect(page.get_by_test_id("people")).to_contain_text("Tariq Techlead")

    post = page.get_by_test_id("update-form")
    post.get_by_label("Kind").select_option("communication")
    post.get_by_label("Sent to").select_option("customers")
    post.get_by_label("Text").fill("Card payments are failing; next update in 30 minutes.")
    post.get_by_role("button", name="Post").click()
    expect(page.get_by_test_id("timeline")).to_contain_text("Communication · Customers")
    screenshot(page, "major-incident-active")

    # service restored: the review starts; closing waits for the review
    Incident.objects.filter(pk=p1.pk).update(state=IncidentState.RESOLVED)
    page.reload()
    page.get_by_test_id("move-review").click()
    expect(page.get_by_test_id("blocked-closed")).to_contain_text("at least one action")
    expect(page.get_by_test_id("move-closed")).to_be_disabled()

    review = page.get_by_test_id("review-form")
    review.get_by_label("What happened").fill("The gateway's pool ran dry at 09:12.")
    review.get_by_label("Impact").fill("No card payments for 47 minutes.")
    review.get_by_label("Root cause").fill("A connection leak in the v4.2 release.")
    review.get_by_role("button", name="Save the review").click()
    action = page.get_by_test_id("action-form")
    action.get_by_label("Action", exact=True).fill("Alarm on pool saturation")
    action.get_by_label("Find owner").fill("Tariq")
    expect(action.locator("select[name=owner]")).to_contain_text("Tariq Techlead")
    action.locator("select[name=owner]").select_option(label="Tariq Techlead")
    action.get_by_label("Due").fill((timezone.localdate()).isoformat())
    action.get_by_role("button", name="Add the action").click()
    expect(page.get_by_test_id("actions")).to_contain_text("Alarm on pool saturation")

    page.get_by_test_id("move-closed").click()
    expect(page.get_by_test_id("state").first).to_contain_text("Closed")
    assert MajorIncident.objects.get().state == "closed"
    # the action stays tracked: ticked done after closing
    page.get_by_role("button", name="Mark done: Alarm on pool saturation").click()
    expect(page.get_by_test_id("actions")).to_contain_text("Done")
    screenshot(page, "major-incident-closed")

    # the lesson starts from the review
    page.get_by_test_id("record-lesson").click()
    expect(page.locator("textarea[name=what_happened]")).to_contain_text("pool ran dry")
    expect(page.locator("textarea[name=recommendation]")).to_contain_text(
        "Alarm on pool saturation"
    )
