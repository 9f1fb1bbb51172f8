"""Journey: an engineer sees the bell's unread count, reads their notifications, marks one
read, opens another (which takes them to its object), and chooses by keyboard to hear of
their group's queue by e-mail too."""

import re

import pytest
from playwright.sync_api import expect

from itsm_pmo.models import Notification, NotificationPreference
from tests.factories import UserFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_journey_notifications_read_and_preferences(page, sign_in, screenshot):
    # given an engineer with three unread notifications
    elena = UserFactory(username="elena", roles=["engineer"])
    for title in ["INC-0001 is assigned to you", "INC-0002 is at 75 %", "<b>x</b>"]:
        Notification.objects.create(
            recipient=elena, event="assigned_to_me", title=title, url="/incidents/"
        )
    # when she signs in, the header says how many are unread, in words too
    sign_in(page, "elena")
    bell = page.get_by_test_id("notification-bell")
    expect(page.get_by_test_id("notification-count")).to_have_text("3")
    expect(bell).to_have_accessible_name("3 unread notifications")
    bell.click()
    # then her notifications are listed, newest first, user text as text
    rows = page.get_by_test_id("notification")
    expect(rows).to_have_count(3)
    expect(rows.first).to_contain_text("<b>x</b>")
    screenshot(page, "notifications-list")
    # when she marks one read
    rows.nth(1).get_by_test_id("notification-mark-read").click()
    expect(page.get_by_test_id("notification-count")).to_have_text("2")
    expect(page.locator('[data-testid="notification"][data-read="no"]')).to_have_count(2)
    # and opens another: it is read and she is on its page
    page.get_by_role("link", name="Unread: INC-0001 is assigned to you").click()
    expect(page).to_have_url(re.compile(r"/incidents/$"))
    expect(page.get_by_test_id("notification-count")).to_have_text("1")
    # when she chooses, by keyboard, e-mail for her group's queue too
    page.goto("/notifications/preferences/")
    box = page.locator('input[name="assigned_to_group:email"]')
    expect(box).not_to_be_checked()
    box.focus()
    page.keyboard.press("Space")
    expect(box).to_be_checked()
    page.get_by_test_id("notification-preferences-save").focus()
    page.keyboard.press("Enter")
    # then it is saved and shown as changed from the default
    expect(page.get_by_text("Your notification preferences are saved.")).to_be_visible()
    expect(page.locator('input[name="assigned_to_group:email"]')).to_be_checked()
    assert NotificationPreference.objects.filter(
        user=elena, event="assigned_to_group", in_app=True, email=True
    ).exists()
    screenshot(page, "notifications-preferences")
