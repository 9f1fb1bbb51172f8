"""Journey: each demo role signs in and finds its own inbox on the home page ("my work"),
with the count of what waits in the navigation."""

import re

import pytest
from playwright.sync_api import expect

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

HOME_LINES = {
    "pmo_lead": ("PMO lead", "Triage the portfolio"),
    "itsm_manager": ("ITSM manager", "Approve changes"),
    "engineer": ("Engineer", "Raise changes"),
    "executive": ("Executive", "Read portfolio health"),
}
# The kinds of work the issue names for each role: each holds something in the demo.
INBOX = {
    "pmo_lead": ["Proposals to score", "Stage moves that wait", "Benefits to review"],
    "itsm_manager": ["Changes to decide", "Handovers to accept"],
    "engineer": [
        "Readiness checks you own",
        "Incidents for you and your team",
        "Changes to implement",
    ],
    "executive": ["Projects in the red", "Breached freezes", "Critical conflicts"],
}


@pytest.mark.parametrize("username", list(HOME_LINES))
def test_journey_demo_role_signs_in_and_sees_its_inbox(page, demo, sign_in, screenshot, username):
    badge, intro = HOME_LINES[username]
    # when the demo user signs in through the form
    sign_in(page, username, "demo-pass")
    if username == "executive":
        # the executive lands on the dashboard, their home; the inbox is one link away
        expect(page).to_have_url(re.compile(r"/dashboard/$"))
        page.get_by_role("navigation", name="Main navigation").get_by_role(
            "link", name="My work"
        ).click()
    # then the home page speaks to their role
    expect(page.get_by_test_id("role-badge")).to_have_text(badge)
    expect(page.get_by_text(intro)).to_be_visible()
    navigation = page.get_by_role("navigation", name="Main navigation")
    expect(navigation).to_be_visible()
    # and their inbox holds every kind of work the issue names for them, each with entries
    groups = page.get_by_test_id("inbox-group")
    for title in INBOX[username]:
        group = groups.filter(has=page.get_by_role("heading", name=title, exact=True))
        expect(group).to_have_count(1)
        expect(group.get_by_test_id("inbox-entry").first).to_be_visible()
        expect(group.get_by_test_id("inbox-action").first).not_to_be_empty()
    # and the navigation counts what the groups hold, and the summary by urgency adds up
    totals = [int(t) for t in groups.get_by_test_id("inbox-group-count").all_inner_texts()]
    count = navigation.get_by_test_id("my-work-count")
    expect(count).to_have_text(re.compile(rf"^{sum(totals)}\b"))
    summary = page.get_by_test_id("inbox-summary").locator(".inbox-summary-count")
    assert sum(int(n) for n in summary.all_inner_texts()) == sum(totals)
    screenshot(page, f"home-{username}")


def test_journey_engineer_opens_a_check_from_the_inbox(page, demo, sign_in, screenshot):
    sign_in(page, "engineer", "demo-pass")
    checks = page.get_by_test_id("inbox-group").filter(
        has=page.get_by_role("heading", name="Readiness checks you own")
    )
    # the most urgent check leads, overdue, and says what to do
    first = checks.get_by_test_id("inbox-entry").first
    expect(first).to_have_attribute("data-band", "Overdue")
    expect(first.get_by_test_id("inbox-action")).to_contain_text("add the evidence")
    # when it is opened, the handover page opens at that check
    first.get_by_role("link").click()
    expect(page).to_have_url(re.compile(r"/handover/\d+/#check-\d+$"))
    expect(page.get_by_text("Backup and recovery tested").first).to_be_visible()
    # and the count stays in the navigation on every page
    expect(page.get_by_test_id("my-work-count")).to_be_visible()


def test_journey_pmo_lead_sees_a_whole_kind_of_work(page, demo, sign_in, screenshot):
    sign_in(page, "pmo_lead", "demo-pass")
    moves = page.get_by_test_id("inbox-group").filter(
        has=page.get_by_role("heading", name="Stage moves that wait")
    )
    # a group shows its first five and a link to the rest
    expect(moves.get_by_test_id("inbox-entry")).to_have_count(5)
    moves.get_by_test_id("inbox-group-more").click()
    expect(page.get_by_role("heading", name="Stage moves that wait")).to_be_visible()
    total = int(page.get_by_test_id("my-work-list-total").inner_text())
    assert total > 5
    expect(page.get_by_test_id("inbox-entry")).to_have_count(total)
    navigation = page.get_by_role("navigation", name="Main navigation")
    expect(navigation.get_by_role("link", name=re.compile("^My work"))).to_have_attribute(
        "aria-current", "page"
    )
    screenshot(page, "my-work-stage-moves-pmo_lead")


def test_journey_wrong_password_stays_on_login(page, demo, screenshot):
    page.goto("/")
    expect(page).to_have_url("/accounts/login/?next=/")
    page.get_by_label("Username").fill("engineer")
    page.get_by_label("Password").fill("wrong")
    page.get_by_role("button", name="Sign in").click()
    expect(page.get_by_role("alert")).to_contain_text("correct username and password")
    screenshot(page, "login-refused")


def test_journey_phone_menu_opens_and_navigates(browser, live_server, demo, sign_in, screenshot):
    # given a phone-sized screen
    context = browser.new_context(
        base_url=live_server.url, viewport={"width": 390, "height": 844}, is_mobile=True
    )
    page = context.new_page()
    sign_in(page, "pmo_lead", "demo-pass")
    # then the navigation is folded away until the menu button is pressed
    expect(page.get_by_role("link", name="Resources")).to_be_hidden()
    expect(page.get_by_test_id("inbox-summary")).to_be_visible()
    # and the menu button carries the count of what waits, as the folded sidebar would
    expect(page.get_by_test_id("menu-work-count")).to_be_visible()
    folded = page.get_by_test_id("menu-work-count").inner_text()
    screenshot(page, "home-pmo_lead-phone")
    page.get_by_role("button", name="Open menu").click()
    assert page.get_by_test_id("my-work-count").inner_text().split()[0] == folded.split()[0]
    expect(page.get_by_test_id("my-work-count")).to_be_visible()
    page.get_by_role("link", name="Resources").click()
    expect(page.get_by_role("heading", name="Capacity heatmap")).to_be_visible()
    screenshot(page, "resources-phone")
    context.close()
