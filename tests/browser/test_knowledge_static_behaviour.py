"""What the knowledge pages do in the browser now that their script is a static file: "/"
focuses the search box, a filter select searches at once with the empty fields left out of
the URL, and a refused "Mark as applied" shows its reason in place (no inline handler)."""

import re

import pytest
from playwright.sync_api import expect

from knowledge.choices import LessonCategory
from tests.knowledge.factories import LessonFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_search_page_keys_and_filters_come_from_the_static_script(page, sign_in, role_user):
    # given published lessons and an engineer on the search page
    role_user("engineer")
    LessonFactory(published=True, title="Vendor slipped", category=LessonCategory.VENDOR)
    LessonFactory(published=True, title="DNS took a day", category=LessonCategory.TECHNICAL)
    sign_in(page, "engineer_user")
    page.goto("/knowledge/")
    box = page.get_by_test_id("search-box")
    # when "/" is pressed outside a field, then the search box has the focus
    page.locator("h1").click()
    page.keyboard.press("/")
    expect(box).to_be_focused()
    # when a category is chosen, then the page searches at once, without the empty fields
    page.get_by_label("Category").select_option("vendor")
    expect(page).to_have_url(re.compile(r"/knowledge/\?category=vendor$"))
    expect(page.get_by_test_id("results")).to_contain_text("Vendor slipped")
    expect(page.get_by_test_id("results")).not_to_contain_text("DNS took a day")


def test_a_refused_mark_shows_its_reason_in_place(page, sign_in, role_user):
    # given a lesson's apply button on a page, and the lesson archived meanwhile
    role_user("pmo_lead")
    lesson = LessonFactory(published=True, title="Payments migration slipped past the freeze")
    sign_in(page, "pmo_lead_user")
    page.goto("/portfolio/projects/new/")
    page.get_by_label("Name").press_sequentially("Payments migration", delay=20)
    row = page.get_by_test_id("lessons-panel").get_by_test_id(f"lesson-{lesson.pk}")
    expect(row).to_be_visible()
    type(lesson).objects.filter(pk=lesson.pk).update(state="archived")
    # when it is marked applied
    row.get_by_role("button", name=re.compile("Mark as applied")).click()
    # then the 400's reason replaces the button, where the user is looking
    expect(row.get_by_role("alert")).to_contain_text("Only a published lesson")
