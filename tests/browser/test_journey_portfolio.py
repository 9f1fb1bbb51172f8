"""Journey: the PMO lead re-weights the ranking and drags a proposal to approved."""

import pytest
from playwright.sync_api import expect

from portfolio.choices import CriterionKind
from tests.factories import CriterionFactory, PersonFactory, ProjectFactory, ScoreFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def portfolio(role_user):
    role_user("pmo_lead")
    value = CriterionFactory(name="Business value", weight=3, order=1)
    risk = CriterionFactory(name="Delivery risk", weight=1, higher_is_better=False, order=2)
    CriterionFactory(name="Strategic alignment", weight=1, kind=CriterionKind.ALIGNMENT, order=3)
    strong = ProjectFactory(code="PRJ-STRONG", name="Strong but risky", stage="assessed")
    safe = ProjectFactory(code="PRJ-SAFE", name="Safe bet", stage="assessed")
    for project, v, r in [(strong, 5, 5), (safe, 2, 1)]:
        ScoreFactory(project=project, criterion=value, value=v)
        ScoreFactory(project=project, criterion=risk, value=r)
    proposal = ProjectFactory(
        code="PRJ-CHAT",
        name="Service desk chatbot",
        owner=PersonFactory(name="Rosa Silva"),
        sponsor="COO",
    )
    return {"risk": risk, "proposal": proposal}


def drag(page, source, target):
    """Drag with real mouse movements (the board uses SortableJS's pointer fallback)."""
    box, goal = source.bounding_box(), target.bounding_box()
    page.mouse.move(box["x"] + box["width"] / 2, box["y"] + 20)
    page.mouse.down()
    x, y = goal["x"] + goal["width"] / 2, goal["y"] + 40
    page.mouse.move(x, y, steps=25)
    page.mouse.move(x + 2, y + 2, steps=5)
    page.mouse.up()


def test_journey_pmo_lead_reweights_and_moves_a_proposal(page, portfolio, sign_in, screenshot):
    sign_in(page, "pmo_lead_user")
    # the ranking: value weighs most, so the strong but risky project leads
    page.goto("/portfolio/ranking/")
    rows = page.get_by_test_id("rank-row")
    expect(rows.first).to_contain_text("Strong but risky")
    screenshot(page, "portfolio-ranking")
    # when the PMO lead makes delivery risk weigh 10
    weight = page.locator(f"#w{portfolio['risk'].pk}")
    weight.fill("10")
    weight.dispatch_event("input")
    # then the order changes before anything is saved
    expect(page.get_by_test_id("what-if-badge")).to_be_visible()
    expect(rows.first).to_contain_text("Safe bet")
    screenshot(page, "portfolio-ranking-what-if")

    # the board: drag the unscored proposal to Approved
    page.goto("/portfolio/")
    card = page.get_by_test_id("card-PRJ-CHAT")
    approved = page.get_by_test_id("column-approved")
    drag(page, card, approved)
    # refused until it is scored: the card goes back and the reason is shown
    expect(page.locator("#board-alert")).to_contain_text("Score every criterion")
    expect(page.get_by_test_id("column-proposed").get_by_test_id("card-PRJ-CHAT")).to_be_visible()
    screenshot(page, "portfolio-board-refused")

    # the PMO lead scores it
    page.goto(f"/portfolio/projects/{portfolio['proposal'].pk}/scores/")
    page.get_by_label("Business value", exact=True).select_option("4")
    page.get_by_label("Delivery risk", exact=True).select_option("2")
    page.get_by_role("button", name="Save scores").click()
    expect(page.get_by_text("Scores of PRJ-CHAT saved.")).to_be_visible()

    # and drags it again: accepted, and it sits in the Approved column
    page.goto("/portfolio/")
    with page.expect_response(lambda r: r.url.endswith("/transition/")) as moved:
        drag(page, page.get_by_test_id("card-PRJ-CHAT"), page.get_by_test_id("column-approved"))
    assert moved.value.ok
    expect(page.get_by_test_id("column-approved").get_by_test_id("card-PRJ-CHAT")).to_be_visible()
    screenshot(page, "portfolio-board-approved")
    portfolio["proposal"].refresh_from_db()
    assert portfolio["proposal"].stage == "approved"

    # putting a project on hold asks why (the move table says that move needs a comment)
    page.set_viewport_size({"width": 1800, "height": 900})  # every column in view
    drag(page, page.get_by_test_id("card-PRJ-SAFE"), page.get_by_test_id("column-on_hold"))
    page.locator("#move-comment-text").fill("Waiting for the budget round")
    with page.expect_response(lambda r: r.url.endswith("/transition/")) as moved:
        page.locator("#move-comment-form").get_by_role("button", name="Move").click()
    assert moved.value.ok
    on_hold = page.get_by_test_id("column-on_hold")
    expect(on_hold.get_by_test_id("card-PRJ-SAFE")).to_be_visible()
    safe = ProjectFactory._meta.model.objects.get(code="PRJ-SAFE")
    assert (safe.stage, safe.transitions.get().comment) == (
        "on_hold",
        "Waiting for the budget round",
    )


def test_journey_board_show_more_then_drag_a_card_it_revealed(page, role_user, sign_in):
    # given 20 unscored proposals: the column shows a page of them
    role_user("pmo_lead")
    for i in range(20):
        ProjectFactory(code=f"PRJ-{i:02d}", name=f"Proposal {i:02d}", stage="proposed")
    sign_in(page, "pmo_lead_user")
    page.set_viewport_size({"width": 1800, "height": 2600})  # the whole column in view
    page.goto("/portfolio/")
    proposed = page.get_by_test_id("column-proposed")
    expect(proposed.locator(".board-card")).to_have_count(15)
    # when the PMO lead asks for more
    page.get_by_test_id("more-proposed").click()
    # then the column shows them all, without a reload, and says how many it holds
    expect(page.get_by_test_id("column-proposed").locator(".board-card")).to_have_count(20)
    expect(page.get_by_test_id("more-proposed")).to_have_count(0)
    # and a card it revealed can be dragged to another column (no criteria: nothing to score)
    last = page.get_by_test_id("column-proposed").locator(".board-card").last
    code = last.get_attribute("data-code")
    with page.expect_response(lambda r: r.url.endswith("/transition/")) as moved:
        drag(page, last, page.get_by_test_id("column-assessed"))
    assert moved.value.ok
    assessed = page.get_by_test_id("column-assessed")
    expect(assessed.get_by_test_id(f"card-{code}")).to_be_visible()
