"""Journey: each demo role signs in and sees its own home page."""

import pytest
from django.core.management import call_command
from playwright.sync_api import expect

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

HOME_LINES = {
    "pmo_lead": ("PMO lead", "Triage the portfolio"),
    "itsm_manager": ("ITSM manager", "Approve changes"),
    "engineer": ("Engineer", "Raise changes"),
    "executive": ("Executive", "Read portfolio health"),
}


@pytest.fixture
def demo(monkeypatch):
    monkeypatch.setenv("DEMO_PASSWORD", "demo-pass")
    call_command("seed_demo")


@pytest.mark.parametrize("username", list(HOME_LINES))
def test_journey_demo_role_signs_in_and_sees_home(page, demo, sign_in, screenshot, username):
    badge, intro = HOME_LINES[username]
    # when the demo user signs in through the form
    sign_in(page, username, "demo-pass")
    # then the home page speaks to their role
    expect(page.get_by_test_id("role-badge")).to_have_text(badge)
    expect(page.get_by_text(intro)).to_be_visible()
    expect(page.get_by_role("navigation", name="Main navigation")).to_be_visible()
    screenshot(page, f"home-{username}")


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
    screenshot(page, "home-pmo_lead-phone")
    page.get_by_role("button", name="Open menu").click()
    page.get_by_role("link", name="Resources").click()
    expect(page.get_by_role("heading", name="Capacity heatmap")).to_be_visible()
    screenshot(page, "resources-phone")
    context.close()
