"""The two layouts users found broken (issue 15, item 3): the triage board holds all its columns
(inside itself when the screen is narrow), and on a phone the change calendar is an agenda
whose days all show, Thursday to Sunday included, and which the keyboard walks through."""

import re
from datetime import datetime, time, timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from portfolio.choices import BOARD_STAGES, Stage
from tests.changes.factories import ChangeFactory
from tests.factories import ProjectFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def at(browser, live_server, width: int):
    context = browser.new_context(
        base_url=live_server.url, viewport={"width": width, "height": 860}
    )
    context.set_default_timeout(10_000)
    return context.new_page()


def document_width(page) -> int:
    return page.evaluate("document.documentElement.scrollWidth")


def test_the_board_shows_every_column_on_a_laptop_and_scrolls_inside_itself_on_a_phone(
    browser, live_server, sign_in, role_user, screenshot
):
    # given a project in every column of the board
    role_user("pmo_lead")
    for n, stage in enumerate(BOARD_STAGES):
        ProjectFactory(code=f"PRJ-8{n:03d}", name=f"In {stage}", stage=stage)
    # when the PMO lead opens it on a 1440 px laptop
    laptop = at(browser, live_server, 1440)
    sign_in(laptop, "pmo_lead_user")
    laptop.goto("/portfolio/")
    # then every column, "On hold" the last, is on the screen and the page is not wider
    on_hold = laptop.get_by_test_id(f"column-{Stage.ON_HOLD}")
    expect(on_hold).to_be_in_viewport(ratio=1)
    assert document_width(laptop) <= 1440
    screenshot(laptop, "board-1440")
    laptop.context.close()

    # when she opens it on a 390 px phone
    phone = at(browser, live_server, 390)
    sign_in(phone, "pmo_lead_user")
    phone.goto("/portfolio/")
    board = phone.locator(".board")
    # then the page keeps the phone's width and the board scrolls its columns itself
    assert document_width(phone) <= 390
    assert board.evaluate("b => b.scrollWidth > b.clientWidth")
    expect(phone.get_by_test_id(f"column-{Stage.PROPOSED}")).to_be_in_viewport()
    # and the keyboard scrolls it (it takes the focus), as a swipe does, to the last column
    board.focus()
    phone.keyboard.press("ArrowRight")
    phone.wait_for_function("() => document.querySelector('.board').scrollLeft > 0")
    board.evaluate("b => { b.style.scrollBehavior = 'auto'; b.scrollLeft = b.scrollWidth; }")
    expect(phone.get_by_test_id(f"column-{Stage.ON_HOLD}")).to_be_in_viewport()
    assert document_width(phone) <= 390
    screenshot(phone, "board-390-scrolled")
    phone.context.close()


def test_the_calendar_is_an_agenda_on_a_phone(browser, live_server, sign_in, role_user, screenshot):
    # given changes on a Thursday and a Sunday of next month
    role_user("itsm_manager")
    today = timezone.localdate()
    first = (today.replace(day=1) + timedelta(days=32)).replace(day=1)
    thursday = first + timedelta(days=(3 - first.weekday()) % 7)
    sunday = thursday + timedelta(days=3)
    for day, title in ((thursday, "Thursday patching"), (sunday, "Sunday failover test")):
        start = timezone.make_aware(datetime.combine(day, time(19)))
        ChangeFactory(title=title, planned_start=start, planned_end=start + timedelta(hours=2))
    phone = at(browser, live_server, 390)
    sign_in(phone, "itsm_manager_user")
    # when the month is opened on a phone
    phone.goto(f"/changes/calendar/?view=month&date={first:%Y-%m-%d}")
    # then it is a list of the days that hold something, each named, one under the other
    thu = phone.locator(f'td[data-date="{thursday:%Y-%m-%d}"]')
    sun = phone.locator(f'td[data-date="{sunday:%Y-%m-%d}"]')
    expect(thu).to_contain_text(f"Thursday {thursday.day}")
    expect(sun).to_contain_text(f"Sunday {sunday.day}")
    for day in (thu, sun):
        expect(day.locator(".cal-chip")).to_be_visible()
        box = day.bounding_box()
        assert box is not None and box["x"] >= 0 and box["x"] + box["width"] <= 390
    assert sun.bounding_box()["y"] > thu.bounding_box()["y"]
    empty = next(
        d for d in (first + timedelta(days=n) for n in range(28)) if d not in (thursday, sunday)
    )
    expect(phone.locator(f'td[data-date="{empty:%Y-%m-%d}"]')).to_be_hidden()
    assert document_width(phone) <= 390
    screenshot(phone, "calendar-agenda-390")
    # and the keyboard walks it: from the Week button to the first day, to its change, which opens
    phone.get_by_role("link", name="Week", exact=True).focus()
    phone.keyboard.press("Tab")
    expect(phone.locator(":focus")).to_have_attribute(
        "aria-label", re.compile(f"Week of {thursday.day} ")
    )
    phone.keyboard.press("Tab")
    expect(phone.locator(":focus")).to_contain_text("Thursday patching")
    phone.keyboard.press("Enter")
    expect(phone.get_by_role("heading", name=re.compile("Thursday patching"))).to_be_visible()
    phone.context.close()

    # at 1440 px the same month is a grid again: Thursday and Sunday on one row
    laptop = at(browser, live_server, 1440)
    sign_in(laptop, "itsm_manager_user")
    laptop.goto(f"/changes/calendar/?view=month&date={first:%Y-%m-%d}")
    thu, sun = (laptop.locator(f'td[data-date="{d:%Y-%m-%d}"]') for d in (thursday, sunday))
    assert thu.bounding_box()["y"] == sun.bounding_box()["y"]
    expect(laptop.locator(f'td[data-date="{empty:%Y-%m-%d}"]')).to_be_visible()
    laptop.context.close()
