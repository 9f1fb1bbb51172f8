"""Journey: a PMO lead starts a proposal; while she types, the lesson from the same service's
earlier failure appears beside the form; she marks it applied and raises the proposal. The
lesson now counts one application, and its page says so."""

import re

import pytest
from playwright.sync_api import expect

from knowledge.choices import LessonCategory
from knowledge.models import LessonApplication
from portfolio.models import Project
from tests.factories import ServiceFactory
from tests.knowledge.factories import LessonFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def memory(role_user):
    role_user("pmo_lead")
    payments = ServiceFactory(name="Payments", tier=1)
    ServiceFactory(name="Intranet", tier=4)
    failure = LessonFactory(
        published=True,
        service=payments,
        category=LessonCategory.SCHEDULING,
        title="Payments gateway migration slipped past the year-end freeze",
        what_happened="The cutover of the payments gateway was planned for mid-December "
        "and collided with the year-end change freeze.",
        recommendation="Plan any payments migration cutover before the freeze; book the "
        "change window with the CAB when the project is approved.",
    )
    LessonFactory(
        published=True,
        title="Intranet search was slow after launch",
        what_happened="Indexing ran during office hours.",
        recommendation="Schedule re-indexing at night.",
    )
    LessonFactory(
        title="Draft: payments gateway lesson nobody published",
        what_happened="Not yet reviewed.",
        recommendation="Payments migration.",
    )
    return failure, payments


def test_journey_pmo_lead_meets_a_lesson_while_writing_a_proposal(
    page, memory, sign_in, screenshot
):
    failure, payments = memory
    sign_in(page, "pmo_lead_user")
    page.goto("/portfolio/projects/new/")
    panel = page.get_by_test_id("lessons-panel")
    expect(panel).to_contain_text("Start typing")

    # as she types, the panel fills with the relevant published lesson (not the draft)
    page.get_by_label("Name").press_sequentially("Migrate the payments gateway", delay=20)
    page.get_by_label("Summary").fill("Move card payments to the new gateway cluster.")
    lesson_row = panel.get_by_test_id(f"lesson-{failure.pk}")
    expect(lesson_row).to_contain_text("slipped past the year-end freeze")
    expect(panel).not_to_contain_text("nobody published")
    screenshot(page, "knowledge-intake-lessons")

    # she marks it applied: the button confirms, the lesson counts one application
    lesson_row.get_by_role("button", name=re.compile("Mark as applied")).click()
    expect(lesson_row.get_by_role("button", name=re.compile("Applied"))).to_be_disabled()
    application = LessonApplication.objects.get()
    assert (application.lesson_id, application.by.username) == (failure.pk, "pmo_lead_user")
    failure.refresh_from_db()
    assert failure.applied_count == 1

    # the proposal itself is raised as usual
    page.get_by_label("Code").fill("PRJ-PAYGW")
    page.get_by_role("button", name="Raise proposal").click()
    expect(page).to_have_url(re.compile(r"/portfolio/projects/\d+/$"))
    assert Project.objects.filter(code="PRJ-PAYGW").exists()

    # the lesson's own page shows how often it was applied
    page.goto(failure.get_absolute_url())
    expect(page.get_by_text(re.compile(r"Applied 1 time"))).to_be_visible()
    screenshot(page, "knowledge-lesson-page")
