"""Journey: the ITSM manager tries to accept a handover, is told which mandatory check is
open, records it as done and accepts."""

from datetime import timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from handover.choices import HandoverState
from handover.models import Handover
from tests.handover.factories import HandoverFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def handover_in_review(role_user, in_process_tasks):
    role_user("itsm_manager")
    handover = HandoverFactory(
        go_live=timezone.localdate() + timedelta(days=12),
        project__code="PRJ-0500",
        project__name="Self-service portal",
    )
    handover.checks.exclude(criterion__name="Runbook published").update(status="done")
    Handover.objects.filter(pk=handover.pk).update(state=HandoverState.READINESS_REVIEW)
    return handover


def test_journey_itsm_manager_accepts_once_the_mandatory_check_is_done(
    page, handover_in_review, sign_in, screenshot
):
    sign_in(page, "itsm_manager_user")
    page.goto("/handover/")
    page.get_by_role("link", name="Self-service portal").click()
    # the acceptance is held back, and the page says by what
    accept = page.get_by_test_id("move-accepted")
    expect(accept).to_be_disabled()
    expect(page.get_by_test_id("mandatory-open")).to_contain_text("Runbook published")
    screenshot(page, "handover-not-ready")

    # the runbook is published: record it with its evidence
    check = page.get_by_test_id("check").filter(has_text="Runbook published")
    check.get_by_text("Update").click()
    check.get_by_label("Status").select_option("done")
    check.get_by_label("Evidence link").fill("https://wiki.example.org/ops/portal/runbook")
    check.get_by_role("button", name="Save").click()
    expect(
        page.get_by_test_id("check")
        .filter(has_text="Runbook published")
        .get_by_test_id("check-status")
    ).to_have_text("Done")

    # and accepts it into operations
    page.get_by_test_id("move-accepted").click()
    expect(page.get_by_text("Accepted").first).to_be_visible()
    handover_in_review.refresh_from_db()
    assert handover_in_review.state == "accepted"
    assert handover_in_review.accepted_by.username == "itsm_manager_user"
    screenshot(page, "handover-accepted")
