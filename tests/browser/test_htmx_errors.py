"""Errors always show (issue 15, item 2): every htmx interaction of the portal, in Chromium,
in its refused case, after a server error and without an answer.

The interactions are found in the templates and in the widgets that write htmx attributes
(`interactions()`), so one added later fails the first test below until it has its scenario
here. Each scenario opens its page as a demo role, then:

- a 500 (the request answered by `page.route`): a toast says the server failed;
- no answer (the request aborted): a toast says so;
- the refused case: what the user sees says why. A refusal of the input lands where it was
  asked (the CAB card's comment error, the ranking's refused weight, the preview's missing
  fields, the lesson that can no longer be applied); a refusal that is not about the input
  (here: the role taken away after the page was opened) is a toast. Never a page inside the
  page, never nothing.
"""

import re
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command
from playwright.sync_api import Page, expect

from handover.models import Handover
from knowledge.models import Lesson
from portfolio.choices import Stage
from portfolio.views.board import COLUMN_PAGE
from resources.heatmap import ROWS_SHOWN
from resources.models import TeamKind
from resources.snapshot import compute_and_publish
from tests.factories import PersonFactory, ProjectFactory, TeamFactory
from tests.knowledge.factories import LessonFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

ROOT = Path(__file__).resolve().parents[2]
PASSWORD = "demo-pass"
LESSON = "Payments migration slipped past the freeze"

# --- the interactions, from the code -------------------------------------------------------

APPS = ("itsm_pmo", "portfolio", "resources", "changes", "handover", "knowledge")
# An attribute that makes htmx send a request, with its value (HTML `name="…"` or a widget's
# Python `"name": …`).
HTMX_REQUEST = re.compile(
    r"""["']?\b(hx-(?:get|post|put|patch|delete)|hx-boost)["']?\s*[=:]\s*("[^"]*"|'[^']*'|[^,}\n]+)"""
)
URL_NAME = re.compile(r"""(?:\{%\s*url\s+|reverse(?:_lazy)?\()["']([\w:]+)["']""")


def _key(path: Path, attribute: str, value: str) -> str:
    """`file attribute what-it-asks`: the URL's name, else the value with its template
    expressions shortened and its optional parts left out
    (`?{column.more_query}&column={column.stage}`)."""
    named = URL_NAME.search(value)
    what = named[1] if named else value.strip("\"'").replace("&amp;", "&")
    what = re.sub(r"\{%\s*if\b.*?\{%\s*endif\s*%\}", "", what)
    what = re.sub(r"\{\{\s*([^}|\s]+)[^}]*\}\}", r"{\1}", what)
    return f"{path.relative_to(ROOT)} {attribute} {what}"


def interactions() -> set[str]:
    """Every place an htmx request is written: templates and the apps' Python (widgets)."""
    files = sorted((ROOT / "templates").rglob("*.html"))
    for app in APPS:
        files += [f for f in sorted((ROOT / app).rglob("*.py")) if "migrations" not in f.parts]
    found = set()
    for path in files:
        for match in HTMX_REQUEST.finditer(path.read_text()):
            found.add(_key(path, match[1], match[2]))
    return found


# --- the scenarios -------------------------------------------------------------------------


@dataclass(frozen=True)
class Interaction:
    user: str  # the demo role that uses it
    open: Callable[[Page], None]  # go to the page and bring the element into view
    request: str  # a regular expression of the URL it asks
    send: Callable[[Page, int], None]  # make it send (n: a number to vary what is typed)
    refused: Callable[[Page, "Portal"], None]  # the refused case, and what must show
    shot: str = ""  # a name: screenshots of its toasts (test-artifacts/screenshots/htmx-…)


def goto(path: str) -> Callable[[Page], None]:
    def go(page: Page) -> None:
        page.goto(path)
        page.wait_for_load_state("networkidle")

    return go


def toast(page: Page, title: str) -> None:
    expect(page.get_by_test_id("error-toast").filter(has_text=title).last).to_be_visible()


def role_taken_away(send: Callable[[Page, int], None]):
    """The refused case of a request that reads only what the page holds: the user's role is
    taken away after the page was opened, and the request is refused with a toast."""

    def refused(page: Page, portal: "Portal") -> None:
        portal.revoke()
        send(page, 99)
        toast(page, "Not allowed")

    return refused


def click(selector: Callable[[Page], object]) -> Callable[[Page, int], None]:
    return lambda page, n: selector(page).click()  # type: ignore[attr-defined]


def fill(selector: Callable[[Page], object], text: str) -> Callable[[Page, int], None]:
    return lambda page, n: selector(page).fill(f"{text} {n}")  # type: ignore[attr-defined]


# CAB queue: reject without a comment (the example).
def cab_card(page: Page):
    return page.locator(".cab-card").first


def cab_refused(page: Page, portal: "Portal") -> None:
    cab_card(page).get_by_role("button", name="Reject").click()
    expect(cab_card(page).get_by_role("alert")).to_contain_text("reason for the rejection")
    expect(cab_card(page).get_by_label(re.compile("Comment on"))).to_have_class(
        re.compile("is-invalid")
    )
    portal.shot(page, "htmx-cab-reject-without-comment")


# Ranking: a weight above 100 is refused by the field itself (the browser's check, which htmx
# makes before sending): the field says so. (The server's own refusal, for a request that
# skips the check, names the criterion: tests/portfolio/test_pages.py.)
def weight_input(page: Page):
    return page.locator(".weight-input").first


def ranking_refused(page: Page, portal: "Portal") -> None:
    weight_input(page).fill("500")
    expect(weight_input(page)).to_have_class(re.compile("is-invalid"))
    expect(page.locator("#weights-form [data-client-error]")).to_contain_text("100")
    # and once corrected, the note goes and the ranking follows
    weight_input(page).fill("5")
    expect(page.locator("#weights-form [data-client-error]")).to_have_count(0)
    expect(page.get_by_test_id("what-if-badge")).to_be_visible()


# Allocation preview: the fields still missing are named by their labels.
def preview_refused(page: Page, portal: "Portal") -> None:
    page.get_by_label("Person").select_option(index=0)
    page.get_by_label("Hours per week").fill("12")
    expect(page.get_by_test_id("preview-errors")).to_contain_text("Person")


# "Mark as applied" on a lesson archived since the panel showed it.
def lesson_row(page: Page):
    return page.get_by_test_id("lessons-panel").locator("li", has_text=LESSON)


def open_lessons(page: Page) -> None:
    goto("/portfolio/projects/new/")(page)
    page.get_by_label("Name").press_sequentially("Payments migration", delay=10)
    expect(lesson_row(page)).to_be_visible()


def apply_refused(page: Page, portal: "Portal") -> None:
    Lesson.objects.filter(title=LESSON).update(state="archived")
    lesson_row(page).get_by_role("button", name=re.compile("Mark as applied")).click()
    expect(lesson_row(page).get_by_role("alert")).to_contain_text("Only a published lesson")


def open_check_owner(page: Page) -> None:
    handover = Handover.objects.filter(state="planning").order_by("pk").first()
    goto(f"/handover/{handover.pk}/")(page)
    page.locator("details summary", has_text="Update").first.click()


def open_status_poll(page: Page) -> None:
    # The status is polled every 20 s: the page's clock is moved on instead of waited for.
    page.clock.install()
    goto("/resources/")(page)


def poll(page: Page, n: int) -> None:
    page.clock.fast_forward("00:25")


SCENARIOS: dict[str, Interaction] = {
    # The known errors of the service (or item) the incident form names, as it is chosen.
    "templates/problems/_known_errors_slot.html hx-get {url}": Interaction(
        user="engineer",
        open=goto("/incidents/new/"),
        request=r"/incidents/problems/known-errors/",
        send=lambda page, n: page.locator("#id_service").select_option(index=1 + n % 3),
        refused=role_taken_away(
            lambda page, n: page.locator("#id_service").select_option(index=1 + n % 3)
        ),
    ),
    "templates/changes/_cab_card.html hx-post changes:change_decide": Interaction(
        user="itsm_manager",
        open=goto("/changes/cab/"),
        request=r"/changes/\d+/decide/$",
        send=click(lambda p: cab_card(p).get_by_role("button", name="Approve")),
        refused=cab_refused,
        shot="cab",
    ),
    "templates/portfolio/_board_column.html hx-get ?{column.more_query}&column={column.stage}": (
        Interaction(
            user="pmo_lead",
            open=goto("/portfolio/"),
            request=r"/portfolio/\?.*column=proposed",
            send=click(lambda p: p.get_by_test_id("more-proposed")),
            refused=role_taken_away(click(lambda p: p.get_by_test_id("more-proposed"))),
        )
    ),
    "templates/portfolio/ranking.html hx-get portfolio:ranking": Interaction(
        user="pmo_lead",
        open=goto("/portfolio/ranking/"),
        request=r"/portfolio/ranking/\?",
        send=lambda page, n: weight_input(page).fill(str(n % 10)),
        refused=ranking_refused,
    ),
    "templates/portfolio/_ranking_table.html hx-boost true": Interaction(
        user="pmo_lead",
        open=goto("/portfolio/ranking/"),
        request=r"/portfolio/ranking/\?.*page=2",
        send=click(lambda p: p.get_by_test_id("ranking-pager").get_by_role("link", name="Next")),
        refused=role_taken_away(
            click(lambda p: p.get_by_test_id("ranking-pager").get_by_role("link", name="Next"))
        ),
    ),
    "templates/portfolio/project_form.html hx-get knowledge:similar": Interaction(
        user="pmo_lead",
        open=goto("/portfolio/projects/new/"),
        request=r"/knowledge/similar/",
        send=fill(lambda p: p.get_by_label("Name"), "Payments"),
        refused=role_taken_away(fill(lambda p: p.get_by_label("Name"), "Payments")),
    ),
    "portfolio/filtersets.py hx-get portfolio:suggest": Interaction(
        user="pmo_lead",
        open=goto("/portfolio/"),
        request=r"/portfolio/suggest/owner/",
        send=fill(lambda p: p.get_by_label("Owner"), "Pri"),
        refused=role_taken_away(fill(lambda p: p.get_by_label("Owner"), "Pri")),
    ),
    "templates/resources/_plan_status.html hx-get resources:status": Interaction(
        user="pmo_lead",
        open=open_status_poll,
        request=r"/resources/status/",
        send=poll,
        refused=role_taken_away(poll),
    ),
    "templates/resources/heatmap.html hx-get resources:index": Interaction(
        user="pmo_lead",
        open=goto("/resources/"),
        request=r"/resources/\?part=grid",
        send=lambda page, n: page.evaluate("htmx.trigger(document.body, 'snapshot-published')"),
        refused=role_taken_away(
            lambda page, n: page.evaluate("htmx.trigger(document.body, 'snapshot-published')")
        ),
    ),
    "templates/resources/_heatmap_group.html hx-get ?part=group&group={g.kind}&close={g.kind}": (
        Interaction(
            user="pmo_lead",
            open=goto("/resources/"),
            request=r"/resources/\?part=group.*close=",
            send=click(lambda p: p.get_by_role("link", name="Hide the project teams")),
            refused=role_taken_away(
                click(lambda p: p.get_by_role("link", name="Hide the project teams"))
            ),
        )
    ),
    "templates/resources/_heatmap_group.html hx-get ?part=group&group={g.kind}&open={g.kind}": (
        Interaction(
            user="pmo_lead",
            open=goto("/resources/"),
            request=r"/resources/\?part=group.*open=",
            send=click(lambda p: p.get_by_role("link", name=re.compile("Show the .* operations"))),
            refused=role_taken_away(
                click(lambda p: p.get_by_role("link", name=re.compile("Show the .* operations")))
            ),
        )
    ),
    "templates/resources/_heatmap_rows.html hx-get ?part=rows&group={g.kind}&open={g.kind}&offset={g.shown_until}": (  # noqa: E501
        Interaction(
            user="pmo_lead",
            open=goto("/resources/?open=operations"),
            request=r"/resources/\?part=rows",
            send=click(lambda p: p.get_by_test_id("heat-more").get_by_role("link")),
            refused=role_taken_away(
                click(lambda p: p.get_by_test_id("heat-more").get_by_role("link"))
            ),
        )
    ),
    "templates/resources/allocation_form.html hx-post resources:allocation_preview": Interaction(
        user="pmo_lead",
        open=goto("/resources/allocations/new/"),
        request=r"/resources/allocations/preview/",
        send=lambda page, n: page.get_by_label("Hours per week").fill(str(n + 1)),
        refused=preview_refused,
    ),
    "templates/knowledge/_apply_button.html hx-post knowledge:lesson_apply": Interaction(
        user="pmo_lead",
        open=open_lessons,
        request=r"/knowledge/lessons/\d+/apply/",
        send=click(
            lambda p: lesson_row(p).get_by_role("button", name=re.compile("Mark as applied"))
        ),
        refused=apply_refused,
    ),
    "templates/handover/handover_detail.html hx-get {owner_search_url}": Interaction(
        user="itsm_manager",
        open=open_check_owner,
        request=r"/handover/filter-options/owner/",
        send=fill(lambda p: p.get_by_label(re.compile("Find the owner of")).first, "Ro"),
        refused=role_taken_away(
            fill(lambda p: p.get_by_label(re.compile("Find the owner of")).first, "Ro")
        ),
    ),
    "itsm_pmo/autocomplete.py hx-get {}": Interaction(
        user="itsm_manager",
        open=goto("/changes/"),
        request=r"/changes/filter-options/project/",
        send=fill(lambda p: p.get_by_label("Find project"), "Pay"),
        refused=role_taken_away(fill(lambda p: p.get_by_label("Find project"), "Pay")),
    ),
}


# --- the run -------------------------------------------------------------------------------


class Portal:
    """The demo portal in one browser: a signed-in page per role, and the role of the user
    whose page is in use taken away and given back."""

    def __init__(self, browser, live_server, sign_in, screenshot):
        self.browser, self.live_server, self.sign_in = browser, live_server, sign_in
        self.shot = lambda page, name: screenshot(page, name, full_page=False)
        self.pages: dict[str, Page] = {}
        self.user = None

    def page(self, username: str) -> Page:
        if username not in self.pages:
            context = self.browser.new_context(
                base_url=self.live_server.url, viewport={"width": 1280, "height": 900}
            )
            context.set_default_timeout(8_000)
            page = context.new_page()
            self.sign_in(page, username, PASSWORD)
            self.pages[username] = page
        self.user = get_user_model().objects.get(username=username)
        self.groups = list(self.user.groups.all())
        return self.pages[username]

    def revoke(self) -> None:
        self.user.groups.clear()

    def restore(self) -> None:
        self.user.groups.set(self.groups)

    def close(self) -> None:
        for page in self.pages.values():
            page.context.close()


@pytest.fixture
def portal(monkeypatch, browser, live_server, sign_in, screenshot):
    monkeypatch.setenv("DEMO_PASSWORD", PASSWORD)
    call_command("seed_demo")
    # More proposals than a board column shows (its "show more") and a ranking of two pages.
    for n in range(COLUMN_PAGE):
        ProjectFactory(code=f"PRJ-9{n:03d}", name=f"Extra proposal {n:02d}")
    # More operations teams than the heatmap shows at once (its "show more").
    for n in range(ROWS_SHOWN + 1):
        PersonFactory(team=TeamFactory(name=f"Ops {n:02d}", kind=TeamKind.OPERATIONS))
    LessonFactory(published=True, title=LESSON)
    compute_and_publish()
    portal = Portal(browser, live_server, sign_in, screenshot)
    yield portal
    portal.close()


def clear_toasts(page: Page) -> None:
    page.evaluate("document.querySelectorAll('#toasts .toast').forEach(t => t.remove())")


def test_every_htmx_interaction_has_its_scenario():
    # given the htmx requests written in the templates and widgets
    found = interactions()
    # then each has a scenario below, and each scenario an interaction
    missing = sorted(found - SCENARIOS.keys())
    assert not missing, (
        "htmx interactions without a scenario in tests/browser/test_htmx_errors.py (add one: "
        "its page, how to send it, its refused case):\n" + "\n".join(missing)
    )
    assert not sorted(SCENARIOS.keys() - found), "scenarios for interactions that are gone"


def first_lines(exc: Exception) -> str:
    return " ".join(str(exc).splitlines()[:4])


def check(key: str, interaction: Interaction, portal: Portal) -> list[str]:
    """The three cases of one interaction; what failed, as sentences."""
    failed = []
    page = portal.page(interaction.user)
    interaction.open(page)
    matches = re.compile(interaction.request)
    cases = [
        ("a server error", "Something went wrong", lambda r: r.fulfill(status=500, body="Boom")),
        ("no answer", "No answer from the server", lambda r: r.abort()),
    ]
    for n, (case, title, answer) in enumerate(cases):
        page.route(lambda url: bool(matches.search(url)), answer)
        try:
            interaction.send(page, n)
            toast(page, title)
            if interaction.shot:
                portal.shot(page, f"htmx-{interaction.shot}-{case.replace(' ', '-')}")
        except AssertionError as exc:
            failed.append(f"{key}: {case} shows no toast ({first_lines(exc)})")
        finally:
            page.unroute_all()
            clear_toasts(page)
    try:
        interaction.refused(page, portal)
        # and the answer never put a page inside the page
        expect(page.locator(".app")).to_have_count(1)
    except AssertionError as exc:
        failed.append(f"{key}: the refused case shows no error ({first_lines(exc)})")
    finally:
        portal.restore()
        clear_toasts(page)
    return failed


def test_every_htmx_interaction_shows_its_errors(portal):
    failed = []
    for key in sorted(SCENARIOS, key=lambda k: (SCENARIOS[k].user, k)):
        failed += check(key, SCENARIOS[key], portal)
    assert not failed, "\n".join(failed)


def test_an_htmx_request_after_the_session_ended_goes_to_the_sign_in(page, sign_in, role_user):
    # given the board open with more proposals than a column shows, and the session gone
    role_user("pmo_lead")
    for n in range(COLUMN_PAGE + 1):
        ProjectFactory(code=f"PRJ-9{n:03d}", name=f"Proposal {n:02d}")
    sign_in(page, "pmo_lead_user")
    page.goto("/portfolio/")
    page.context.clear_cookies()
    # when a column asks for more
    page.get_by_test_id("more-proposed").click()
    # then the whole page goes to the sign-in, which comes back to the board
    expect(page).to_have_url(re.compile(r"/accounts/login/\?next=/portfolio/"))
    expect(page.locator(".app")).to_have_count(0)


def drag(page: Page, source, target) -> None:
    """Drag with mouse movements (the board uses SortableJS's pointer fallback)."""
    box, goal = source.bounding_box(), target.bounding_box()
    page.mouse.move(box["x"] + box["width"] / 2, box["y"] + 20)
    page.mouse.down()
    x, y = goal["x"] + goal["width"] / 2, goal["y"] + 40
    page.mouse.move(x, y, steps=25)
    page.mouse.move(x + 2, y + 2, steps=5)
    page.mouse.up()


def test_a_dragged_card_the_server_could_not_move_goes_back_with_the_same_toast(
    page, sign_in, role_user
):
    # given the board (its drag and drop sends its own request, not htmx)
    role_user("pmo_lead")
    ProjectFactory(code="PRJ-DRAG", name="Drag me")
    ProjectFactory(code="PRJ-HERE", name="Already assessed", stage="assessed")
    sign_in(page, "pmo_lead_user")
    page.goto("/portfolio/")
    card = page.get_by_test_id("card-PRJ-DRAG")
    cases = [
        ("Something went wrong", lambda route: route.fulfill(status=500, body="Boom")),
        ("No answer from the server", lambda route: route.abort()),
    ]
    for title, answer in cases:
        # when a move is answered with a server error, or not at all
        page.route(re.compile(r"/transition/$"), answer)
        drag(page, card, page.get_by_test_id(f"column-{Stage.ASSESSED}"))
        # then the toast says so and the card is back where it was
        toast(page, title)
        expect(
            page.get_by_test_id("column-proposed").get_by_test_id("card-PRJ-DRAG")
        ).to_be_visible()
        page.unroute_all()
        clear_toasts(page)
