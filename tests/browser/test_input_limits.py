"""Input as users expect it, in the browser (issue 15): a text area counts what is typed
against its limit (static/js/text_limit.js, no inline script), the intake form proposes the
next free project code, and a Hebrew name in the project's header does not pull the dates
beside it into its own direction."""

from datetime import date

import pytest
from playwright.sync_api import expect

from tests.factories import ProjectFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

# Where on screen a piece of text of the page's header is drawn: the left and right edges of
# all the boxes it takes (a run the bidi algorithm splits is drawn in several).
WHERE_TEXT_IS = """(text) => {
  const walker = document.createTreeWalker(document.querySelector(".page-lead"), 4);
  while (walker.nextNode()) {
    const at = walker.currentNode.data.indexOf(text);
    if (at >= 0) {
      const range = document.createRange();
      range.setStart(walker.currentNode, at);
      range.setEnd(walker.currentNode, at + text.length);
      const boxes = [...range.getClientRects()];
      return {
        left: Math.min(...boxes.map(b => b.left)),
        right: Math.max(...boxes.map(b => b.right)),
      };
    }
  }
  return null;
}"""


def test_a_text_area_counts_against_its_limit(page, sign_in, role_user):
    # given a PMO lead on the intake form, where the next code is proposed
    role_user("pmo_lead")
    ProjectFactory(code="PRJ-0041")
    sign_in(page, "pmo_lead_user")
    page.goto("/portfolio/projects/new/")
    expect(page.get_by_label("Code")).to_have_value("PRJ-0042")
    counter = page.locator('[data-limit-for="id_summary"]')
    expect(counter).to_have_text("0 / 10,000 characters")
    # when a summary is typed, then the count follows it
    page.get_by_label("Summary").fill("Self-service password reset")
    expect(counter).to_have_text("27 / 10,000 characters")


def test_a_hebrew_sponsor_keeps_the_dates_in_their_place(page, sign_in, role_user, screenshot):
    # given a project whose sponsor's name is Hebrew, followed in the header by its dates
    role_user("pmo_lead")
    project = ProjectFactory(
        sponsor="דוד כהן", start_date=date(2030, 3, 4), end_date=date(2030, 6, 28)
    )
    sign_in(page, "pmo_lead_user")
    page.goto(project.get_absolute_url())
    # then on screen the whole start date comes after the sponsor's name, its day included
    name = page.evaluate(WHERE_TEXT_IS, "דוד כהן")
    day = page.evaluate(WHERE_TEXT_IS, "4 Mar 2030")
    assert name["right"] <= day["left"] + 1, (name, day)
    expect(page.locator(".page-lead bdi", has_text="דוד כהן")).to_be_visible()
    screenshot(page, "rtl-sponsor-header", full_page=False)
