"""Nothing an author writes runs in a reader's browser: a script tag, an event-handler attribute
and a javascript: link in a lesson's or an article's Markdown are inert on its page, on the
search page and in the lessons surfaced on a project page."""

import pytest
from playwright.sync_api import expect

from knowledge.models import Article, Lesson
from tests.factories import ProjectFactory
from tests.knowledge.factories import ArticleFactory, LessonFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

HOSTILE = """Deploy went **wrong**.

<script>window.__pwned = "script"; alert("script")</script>

<img src="x" onerror="window.__pwned = 'onerror'; alert('onerror')">

<a href="#" onclick="window.__pwned = 'onclick'">a harmless-looking anchor</a>

[the runbook](javascript:window.__pwned='javascript-link';alert('link'))
"""


@pytest.fixture
def hostile(role_user):
    author = role_user("engineer")
    lesson = LessonFactory(
        published=True,
        author=author,
        title="Rollback failed on deploy",
        what_happened=HOSTILE,
        recommendation=HOSTILE,
    )
    article = ArticleFactory(
        published=True, owner=author, title="Deploy rollback runbook", body=HOSTILE
    )
    return lesson, article


def _assert_inert(page, dialogs):
    assert page.evaluate("window.__pwned === undefined"), page.evaluate("window.__pwned")
    assert page.locator("script:not([src])").filter(has_text="__pwned").count() == 0
    assert page.locator("[onerror], [onclick]").count() == 0
    assert page.locator("a[href^='javascript:' i]").count() == 0
    assert dialogs == []


def test_markdown_from_an_author_never_runs_in_the_browser(page, hostile, sign_in, role_user):
    lesson, article = hostile
    dialogs = []
    page.on("dialog", lambda dialog: (dialogs.append(dialog.message), dialog.dismiss()))
    role_user("pmo_lead")
    sign_in(page, "pmo_lead_user")

    # the lesson page: the formatting survives, the hostile parts do not
    page.goto(lesson.get_absolute_url())
    expect(page.get_by_role("heading", name="Rollback failed on deploy")).to_be_visible()
    expect(page.locator("strong", has_text="wrong").first).to_be_visible()
    link = page.get_by_text("the runbook").first
    expect(link).to_be_visible()
    link.click()  # a javascript: link, were it kept, would run now
    page.get_by_text("a harmless-looking anchor").first.click()
    _assert_inert(page, dialogs)

    # the article page
    page.goto(article.get_absolute_url())
    expect(page.locator("strong", has_text="wrong").first).to_be_visible()
    page.get_by_text("the runbook").first.click()
    _assert_inert(page, dialogs)

    # search results and the lessons surfaced on a project page show the text, not its markup
    page.goto("/knowledge/?q=deploy")
    expect(page.get_by_role("link", name="Rollback failed on deploy")).to_be_visible()
    _assert_inert(page, dialogs)
    project = ProjectFactory(name="Deploy rollback automation", summary="Rollback on deploy")
    page.goto(f"/portfolio/projects/{project.pk}/")
    expect(page.get_by_role("link", name="Rollback failed on deploy")).to_be_visible()
    _assert_inert(page, dialogs)
    assert Lesson.objects.count() == 1 and Article.objects.count() == 1
