"""Pages that fit (issue 15, items 3 and 5): every page of the portal, in Chromium, at a
phone's width (390 px) and a laptop's (1440 px), as a demo role that may open it
(tests/browser/portal_pages.py finds them all), and the main pages at 768, 1280 and 1920 px.

On each page:
- the document is no wider than the screen (a table or the board may scroll inside its own
  container, the page never sideways);
- on a wide screen the dark sidebar reaches the bottom of the page, however long;
- the console holds no error (a script that failed, a refusal of the content security
  policy) and every file the page asked for came (the favicon, a stylesheet, a script).
"""

import re

import pytest
from playwright.sync_api import Page

from .conftest import DEMO_PASSWORD as PASSWORD
from .portal_pages import ANONYMOUS, Visit, portal_pages

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


WIDTHS = (390, 1440)
# The pages whose layout is the most demanding, also at the other widths the issue names.
MAIN_PAGES = ("portfolio:index", "changes:calendar", "changes:cab", "portfolio:project_detail")
MORE_WIDTHS = (768, 1280, 1920)
# Screenshots (test-artifacts/screenshots/fit-<name>-<width>.png) of the pages users asked about.
SHOTS = {
    "portfolio:index": "board",
    "changes:calendar": "calendar",
    "changes:cab": "cab-queue",
    "portfolio:project_detail": "project-page",
}
SIDEBAR_FROM = 992  # px: narrower, the sidebar is a menu that slides in

SETTLED = """() => document.fonts.status === 'loaded'
  && !document.querySelector('.htmx-request, .htmx-swapping, .htmx-settling')"""
MEASURE = """() => {
  const root = document.documentElement;
  const sidebar = document.querySelector('.app-sidebar');
  return {
    width: root.scrollWidth,
    viewport: root.clientWidth,
    height: root.scrollHeight,
    sidebar: sidebar ? sidebar.getBoundingClientRect().height : null,
  };
}"""


class Tour:
    """One browser context per demo user at one width, signed in once, watching the console
    and the requests of every page it opens."""

    def __init__(self, browser, base_url: str, sign_in, width: int):
        self.browser, self.base_url, self.sign_in, self.width = browser, base_url, sign_in, width
        self.pages: dict[str, Page] = {}
        self.heard: list[str] = []

    def page(self, user: str) -> Page:
        if user not in self.pages:
            context = self.browser.new_context(
                base_url=self.base_url, viewport={"width": self.width, "height": 860}
            )
            context.set_default_timeout(15_000)
            page = context.new_page()
            if user != ANONYMOUS:
                self.sign_in(page, user, PASSWORD)
            page.on("console", lambda m, page=page: self._console(page, m))
            page.on("pageerror", lambda e: self.heard.append(f"script error: {e}"))
            page.on("response", lambda r, page=page: self._response(page, r))
            page.on("requestfailed", lambda r: self._failed(r))
            self.pages[user] = page
        return self.pages[user]

    def _console(self, page: Page, message) -> None:
        if message.type != "error":
            return
        # The page itself answered 4xx on purpose (the 404 page, an edit refused): the
        # browser says so in the console, which is not an error of the page.
        if message.text.startswith("Failed to load resource") and (
            message.location.get("url") == page.url
        ):
            return
        self.heard.append(f"console: {message.text}")

    def _response(self, page: Page, response) -> None:
        if response.status >= 400 and response.request.resource_type != "document":
            self.heard.append(f"{response.status} for {response.url}")

    def _failed(self, request) -> None:
        # ERR_ABORTED: the tour went on to the next page before a late request (the favicon)
        # was answered, which says nothing about the file.
        if "/static/" in request.url and "ERR_ABORTED" not in (request.failure or ""):
            self.heard.append(f"no answer for {request.url}: {request.failure}")

    def visit(self, visit: Visit, shot=None) -> list[str]:
        page = self.page(visit.user)
        self.heard = []
        where = f"{visit.path} at {self.width} px (as {visit.user or 'anonymous'}, {visit.source})"
        try:
            response = page.goto(visit.path)
        except Exception as exc:  # a download (the ranking's CSV) is no page
            if "Download is starting" in str(exc):
                return []
            raise
        kind = (response.headers.get("content-type", "") if response else "").split(";")[0]
        if kind != "text/html" or not re.search(r"<html[\s>]", response.text(), re.I):
            return []  # a fragment, JSON or a file: not a page
        # Loaded: its fonts (they set the widths) and what htmx asks for as the page opens.
        page.wait_for_function(SETTLED)
        size = page.evaluate(MEASURE)
        problems = [f"{where}: {heard}" for heard in self.heard]
        if size["width"] > size["viewport"]:
            problems.append(f"{where}: the page is {size['width']} px wide")
        if self.width >= SIDEBAR_FROM and size["sidebar"] is not None:
            if size["sidebar"] < size["height"] - 1:
                problems.append(
                    f"{where}: the sidebar stops at {size['sidebar']:.0f} px of {size['height']}"
                )
        if shot:
            shot(page)
        return problems

    def close(self) -> None:
        for page in self.pages.values():
            page.context.close()


def test_every_page_fits_the_screen_and_logs_no_error(
    demo, browser, live_server, sign_in, screenshot
):
    # given every page of the portal and a demo user for each
    visits = portal_pages()
    assert len(visits) > 40  # the finder found the portal, not a handful of pages
    problems: list[str] = []
    widths = [(width, visits) for width in WIDTHS]
    widths += [(width, [v for v in visits if v.source in MAIN_PAGES]) for width in MORE_WIDTHS]
    # when each is opened at each width
    for width, shown in widths:
        tour = Tour(browser, live_server.url, sign_in, width)
        for visit in shown:
            name = SHOTS.get(visit.source) if width in WIDTHS else None
            shot = (
                (lambda page, n=name, w=width: screenshot(page, f"fit-{n}-{w}")) if name else None
            )
            problems += tour.visit(visit, shot)
        tour.close()
    # then none is wider than the screen, the sidebar reaches the bottom and nothing failed
    assert not problems, f"{len(problems)} problem(s):\n" + "\n".join(problems)
