"""The knowledge pages: role rules, the search page and its filters, the lesson and article
forms with their prefills, publishing, safe Markdown and bounded queries."""

import re
from datetime import timedelta

import pytest
from django.utils import timezone

from changes import services as change_services
from changes.choices import Outcome
from handover.incidents.services import incident_log
from knowledge.choices import ArticleKind, KnowledgeState, LessonCategory
from knowledge.models import Article, Lesson, Tag
from portfolio.choices import Stage
from tests.factories import ProjectFactory, ServiceFactory, UserFactory
from tests.support.permissions import assert_matrix
from tests.support.queries import assert_constant_queries

from .factories import ArticleFactory, LessonFactory

pytestmark = pytest.mark.django_db

INDEX = "/knowledge/"
ARTICLES = "/knowledge/articles/"


def tagged(lesson, *names):
    lesson.tags.set([Tag.objects.get_or_create(name=n)[0] for n in names])
    return lesson


def titles(response) -> list[str]:
    return [obj.title for obj in response.context["object_list"]]


def an_incident(**fields):
    fields = {
        "title": "Checkout times out",
        "service": ServiceFactory(),
        "description": "Card payments fail after 30 s.",
        **fields,
    }
    return incident_log(reporter=UserFactory(roles=["engineer"]), **fields)


def lesson_post(**fields):
    return {
        "title": "Book the vendor two weeks ahead",
        "category": "vendor",
        "impact": "high",
        "service": "",
        "tags": "vendor, cutover",
        "what_happened": "The vendor's engineer was booked elsewhere on cutover night.",
        "recommendation": "Book the vendor's engineer two weeks before the cutover.",
        **fields,
    }


def article_post(**fields):
    return {
        "title": "Restart the gateway",
        "kind": "runbook",
        "service": "",
        "next_review": (timezone.localdate() + timedelta(days=90)).isoformat(),
        "body": "1. Drain\n2. Restart",
        **fields,
    }


# --- role rules ---------------------------------------------------------------------------


def test_pages_every_role_reads_and_writes_and_anonymous_goes_to_login(page_clients):
    # given a lesson and an article by someone else
    lesson = LessonFactory(published=True)
    article = ArticleFactory(published=True)
    urls = [
        INDEX,
        ARTICLES,
        "/knowledge/lessons/new/",
        "/knowledge/articles/new/",
        f"/knowledge/lessons/{lesson.pk}/",
        f"/knowledge/articles/{article.pk}/",
    ]
    # when / then: everyone reads and writes ...
    for url in urls:
        assert_matrix(
            page_clients,
            "get",
            url,
            anonymous=302,
            pmo_lead=200,
            itsm_manager=200,
            engineer=200,
            executive=200,
        )
    # ... and another's text is edited by the publishers only
    for url in (f"/knowledge/lessons/{lesson.pk}/edit/", f"/knowledge/articles/{article.pk}/edit/"):
        assert_matrix(
            page_clients,
            "get",
            url,
            anonymous=302,
            pmo_lead=200,
            itsm_manager=200,
            engineer=403,
            executive=403,
        )


def test_pages_anonymous_is_sent_to_login(page_clients):
    # when
    response = page_clients("anonymous").get(INDEX)
    # then
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]


@pytest.mark.parametrize("kind", ["lesson", "article"])
def test_transition_is_for_pmo_leads_and_itsm_managers(page_clients, kind):
    # given: a fresh published text for every role (everyone reads it, so a refusal is the
    # service's 403, as in the API), so each one tries the same move
    made = {}

    def fresh():
        factory = LessonFactory if kind == "lesson" else ArticleFactory
        obj = factory(published=True)
        made[len(made)] = obj
        return f"/knowledge/{kind}s/{obj.pk}/transition/"

    # when / then
    assert_matrix(
        page_clients,
        "post",
        "",
        {"to": "archived"},
        fresh=fresh,
        anonymous=302,
        pmo_lead=302,
        itsm_manager=302,
        engineer=403,
        executive=403,
    )
    states = [type(obj).objects.get(pk=obj.pk).state for obj in made.values()]
    assert states == ["published", "archived", "archived", "published", "published"]


def test_transition_of_anothers_draft_is_404_for_who_cannot_read_it(page_clients):
    # given another's draft, which only its author and the publishers read
    lesson = LessonFactory()
    # when an engineer tries to publish it
    response = page_clients("engineer").post(
        f"/knowledge/lessons/{lesson.pk}/transition/", {"to": "published"}
    )
    # then it does not exist for them
    assert response.status_code == 404
    lesson.refresh_from_db()
    assert lesson.state == KnowledgeState.DRAFT


def test_lesson_transition_publish_by_pmo_lead_and_refused_move_is_a_message(page_clients):
    # given
    lesson = LessonFactory()
    lead = page_clients("pmo_lead")
    url = f"/knowledge/lessons/{lesson.pk}/transition/"
    # when
    published = lead.post(url, {"to": "published"}, follow=True)
    refused = lead.post(url, {"to": "published"}, follow=True)
    bogus = lead.post(url, {"to": "lost"}, follow=True)
    # then
    lesson.refresh_from_db()
    assert lesson.state == KnowledgeState.PUBLISHED and lesson.published_at is not None
    assert "published: everyone can find it now" in published.content.decode()
    assert "cannot move from Published to Published" in refused.content.decode()
    assert "is not a state of a lesson" in bogus.content.decode()


def test_lesson_transition_engineer_gets_403_and_nothing_moves(page_clients, role_user):
    # given the engineer's own draft: they read it, and still may not publish it
    lesson = LessonFactory(author=role_user("engineer"))
    # when
    response = page_clients("engineer").post(
        f"/knowledge/lessons/{lesson.pk}/transition/", {"to": "published"}
    )
    # then
    assert response.status_code == 403
    lesson.refresh_from_db()
    assert lesson.state == KnowledgeState.DRAFT and not lesson.transitions.exists()


def test_lesson_transition_needs_post(page_clients):
    lesson = LessonFactory()
    response = page_clients("pmo_lead").get(f"/knowledge/lessons/{lesson.pk}/transition/")
    assert response.status_code == 405


def test_lesson_detail_draft_is_for_its_author_and_the_publishers(page_clients, role_user):
    # given
    draft = LessonFactory(author=role_user("executive"))
    url = f"/knowledge/lessons/{draft.pk}/"
    # when / then
    assert_matrix(
        page_clients,
        "get",
        url,
        anonymous=302,
        pmo_lead=200,
        itsm_manager=200,
        engineer=404,
        executive=200,
    )
    assert_matrix(
        page_clients,
        "get",
        f"{url}edit/",
        anonymous=302,
        pmo_lead=200,
        itsm_manager=200,
        engineer=404,
        executive=200,
    )
    author_view = page_clients("executive").get(url).content.decode()
    assert "only you and the publishers see it" in author_view
    assert 'data-testid="move-published"' not in author_view
    lead_view = page_clients("pmo_lead").get(url).content.decode()
    assert 'data-testid="move-published"' in lead_view


def test_article_detail_draft_is_for_its_owner_and_the_publishers(page_clients, role_user):
    # given
    draft = ArticleFactory(owner=role_user("engineer"))
    # when / then
    assert_matrix(
        page_clients,
        "get",
        f"/knowledge/articles/{draft.pk}/",
        anonymous=302,
        pmo_lead=200,
        itsm_manager=200,
        engineer=200,
        executive=404,
    )


def test_lesson_detail_archived_shows_a_banner(page_clients):
    lesson = LessonFactory(state=KnowledgeState.ARCHIVED)
    html = page_clients("pmo_lead").get(f"/knowledge/lessons/{lesson.pk}/").content.decode()
    assert 'data-testid="archived-banner"' in html and "Restore and publish" in html


# --- the search page ----------------------------------------------------------------------


def test_index_shows_published_lessons_and_hides_another_users_draft(page_clients, role_user):
    # given
    LessonFactory(published=True, title="Freeze the DNS the week before cutover")
    LessonFactory(title="Someone else's draft")
    LessonFactory(title="My own draft", author=role_user("engineer"))
    # when
    engineer = page_clients("engineer").get(INDEX)
    engineer_drafts = page_clients("engineer").get(f"{INDEX}?state=draft")
    lead_drafts = page_clients("pmo_lead").get(f"{INDEX}?state=draft")
    # then: the search lists the published; drafts are asked for, and only visible ones come
    assert titles(engineer) == ["Freeze the DNS the week before cutover"]
    assert titles(engineer_drafts) == ["My own draft"]
    assert sorted(titles(lead_drafts)) == ["My own draft", "Someone else's draft"]
    assert "Someone else&#x27;s draft" not in engineer_drafts.content.decode()


def test_index_state_filter_is_shown_to_publishers_only(page_clients):
    # when
    lead = page_clients("pmo_lead").get(INDEX)
    engineer = page_clients("engineer").get(INDEX)
    # then
    assert [c["name"] for c in lead.context["controls"]][-1] == "state"
    assert "state" not in [c["name"] for c in engineer.context["controls"]]


def test_index_drafts_link_counts_every_draft_for_publishers_and_own_for_writers(
    page_clients, role_user
):
    # given
    LessonFactory.create_batch(2)
    LessonFactory(author=role_user("engineer"))
    # when
    lead = page_clients("pmo_lead").get(INDEX)
    engineer = page_clients("engineer").get(INDEX)
    # then
    assert lead.context["draft_count"] == 3 and "Waiting to be published" in lead.content.decode()
    assert engineer.context["draft_count"] == 1 and "Your drafts" in engineer.content.decode()
    assert len(page_clients("pmo_lead").get(f"{INDEX}?state=draft").context["object_list"]) == 3


def test_index_filters_by_category_tag_and_source(page_clients):
    # given
    project = ProjectFactory()
    vendor = tagged(
        LessonFactory(published=True, title="Vendor", category="vendor", project=project), "cutover"
    )
    tagged(LessonFactory(published=True, title="Scheduling", category="scheduling"), "dns")
    client = page_clients("executive")
    # when
    by_category = client.get(f"{INDEX}?category=vendor")
    by_tag = client.get(f"{INDEX}?tag=dns")
    by_source = client.get(f"{INDEX}?source=project")
    by_project = client.get(f"{INDEX}?project={project.pk}")
    blanks = client.get(f"{INDEX}?category=&impact=&q=&service=&source=&tag=")
    # then
    assert titles(by_category) == ["Vendor"]
    assert titles(by_tag) == ["Scheduling"]
    assert titles(by_source) == ["Vendor"]
    assert titles(by_project) == ["Vendor"]
    assert sorted(titles(blanks)) == ["Scheduling", "Vendor"]  # an empty select is "any"
    assert (
        f'From <a href="{project.get_absolute_url()}">{project.code}</a>'
        in by_source.content.decode()
    )
    assert vendor.pk not in {lesson.pk for lesson in by_tag.context["object_list"]}


def test_index_bad_filter_is_ignored_with_a_note_not_an_error(page_clients):
    # given
    LessonFactory(published=True)
    # when
    response = page_clients("engineer").get(f"{INDEX}?category=bogus")
    # then
    assert response.status_code == 200
    assert "Some filters were ignored" in response.content.decode()


def test_index_search_ranks_title_matches_first_and_highlights(page_clients):
    # given
    LessonFactory(
        published=True,
        title="Plan the cutover weekend",
        what_happened="The DNS change took hours to propagate.",
    )
    LessonFactory(
        published=True, title="Book the DNS vendor early", what_happened="Nobody was available."
    )
    LessonFactory(published=True, title="Unrelated", what_happened="Budget ran out.")
    # when
    response = page_clients("engineer").get(f"{INDEX}?q=dns")
    # then
    assert titles(response) == ["Book the DNS vendor early", "Plan the cutover weekend"]
    html = response.content.decode()
    assert "<mark>DNS</mark> change took hours" in html
    assert "best match first" in html


def test_index_snippet_drops_markdown_marks_but_keeps_the_highlight(page_clients):
    # given
    LessonFactory(published=True, what_happened="The **cutover** ran `late`.")
    # when
    html = page_clients("engineer").get(f"{INDEX}?q=cutover").content.decode()
    # then (PostgreSQL's headline may start at the match; SQLite's keeps the sentence)
    assert "<mark>cutover</mark> ran late." in html
    assert "**" not in html.split("<mark>cutover</mark>", 1)[1][:20]


def test_index_tabs_count_lessons_and_articles_for_the_same_search(page_clients):
    # given
    LessonFactory(published=True, title="Patch the gateway at night")
    ArticleFactory(published=True, title="Gateway runbook")
    ArticleFactory(published=True, title="Gateway how-to")
    ArticleFactory(published=True, title="Payroll")
    # when
    lessons = page_clients("engineer").get(f"{INDEX}?q=gateway")
    articles = page_clients("engineer").get(f"{ARTICLES}?q=gateway")
    # then
    assert (lessons.context["lesson_count"], lessons.context["article_count"]) == (1, 2)
    assert (articles.context["lesson_count"], articles.context["article_count"]) == (1, 2)
    assert f'href="{ARTICLES}?q=gateway"' in lessons.content.decode()


def test_index_paginates_by_25(page_clients):
    # given
    LessonFactory.create_batch(27, published=True)
    client = page_clients("engineer")
    # when
    first = client.get(INDEX)
    second = client.get(f"{INDEX}?page=2")
    # then
    assert len(first.context["object_list"]) == 25 and first.context["is_paginated"]
    assert len(second.context["object_list"]) == 2
    assert "1–25 of 27" in first.content.decode()


def test_index_empty_states_say_nothing_yet_or_nothing_matches(page_clients):
    # given
    client = page_clients("engineer")
    # when
    nothing_yet = client.get(INDEX).content.decode()
    LessonFactory(published=True)
    no_match = client.get(f"{INDEX}?q=zebra").content.decode()
    # then
    assert 'data-testid="nothing-yet"' in nothing_yet and "Write a lesson" in nothing_yet
    assert 'data-testid="no-match"' in no_match and "Clear all filters" in no_match
    assert 'data-testid="nothing-yet"' not in no_match


def test_index_shows_the_recommendation_without_a_query_and_applied_count(page_clients):
    # given
    LessonFactory(published=True, recommendation="**Book** the vendor _early_.", applied_count=4)
    # when
    html = page_clients("executive").get(INDEX).content.decode()
    # then
    assert "Book the vendor early." in html
    assert "applied 4×" in html


def test_index_query_count_is_constant_for_3_and_30_lessons(page_clients):
    # given
    client = page_clients("engineer")
    service = ServiceFactory()

    def lessons(n):
        for i in range(n):
            source = [{"project": ProjectFactory()}, {"incident": an_incident()}, {}][i % 3]
            tagged(LessonFactory(published=True, service=service, **source), f"t{i % 4}", "x")

    lessons(3)

    # user (the session is cached), permissions ×2, count, page, tags, services, drafts,
    # articles, roles, popular tags; and 6 for the navigation's count of what waits in the
    # engineer's inbox (itsm_pmo/home.py)
    # when / then
    # +1 since issue 17: the header's count of unread notifications
    assert_constant_queries(lambda: client.get(INDEX), lambda: lessons(27), expected=18)
    assert_constant_queries(
        lambda: client.get(f"{INDEX}?q=lesson&category=technical"), lambda: lessons(3)
    )


def test_article_list_query_count_is_constant(page_clients):
    # given
    client = page_clients("pmo_lead")
    ArticleFactory.create_batch(3, published=True, service=ServiceFactory())

    def grow():
        for _ in range(27):
            ArticleFactory(published=True, service=ServiceFactory(), incident=an_incident())

    # when / then
    assert_constant_queries(lambda: client.get(ARTICLES), grow)


# --- the lesson form ----------------------------------------------------------------------


def test_lesson_create_prefills_from_a_closed_project(page_clients):
    # given
    service = ServiceFactory(name="CRM")
    project = ProjectFactory(code="PRJ-042", name="CRM migration", stage=Stage.CLOSED)
    project.services.set([service])
    # when
    response = page_clients("pmo_lead").get(f"/knowledge/lessons/new/?project={project.pk}")
    # then
    form = response.context["form"]
    assert form.initial["title"] == "Lesson from PRJ-042: CRM migration"
    assert form.initial["category"] == LessonCategory.SCHEDULING
    assert form.initial["service"] == service.pk
    html = response.content.decode()
    assert "The project is closed. What should the next project know?" in html
    assert 'data-testid="source-card"' in html
    assert f'name="project" value="{project.pk}"' in html


def test_lesson_create_from_a_project_saves_its_source_and_service(page_clients, role_user):
    # given
    service = ServiceFactory()
    project = ProjectFactory()
    project.services.set([service])
    # when
    response = page_clients("pmo_lead").post(
        f"/knowledge/lessons/new/?project={project.pk}",
        lesson_post(project=project.pk, service=service.pk),
    )
    # then
    lesson = Lesson.objects.get()
    assert response.status_code == 302 and response["Location"] == lesson.get_absolute_url()
    assert (lesson.project, lesson.service, lesson.state) == (project, service, "draft")
    assert lesson.author == role_user("pmo_lead")
    assert sorted(lesson.tags.values_list("name", flat=True)) == ["cutover", "vendor"]


def test_lesson_create_prefills_from_a_backed_out_change(page_clients):
    # given
    change = change_services.change_create(
        requester=UserFactory(roles=["engineer"]), title="Upgrade the LB"
    )
    change.outcome = Outcome.BACKED_OUT
    change.save()
    # when
    response = page_clients("engineer").get(f"/knowledge/lessons/new/?change={change.pk}")
    # then
    assert (
        response.context["form"].initial["title"] == f"Lesson from {change.number}: Upgrade the LB"
    )
    assert response.context["form"].initial["category"] == LessonCategory.CHANGE
    assert (
        "This change was backed out. What should the next change do differently?"
        in response.content.decode()
    )


@pytest.mark.parametrize("raw", ["999999", "abc"])
def test_lesson_create_unknown_source_shows_an_error_not_a_500(page_clients, raw):
    # when
    response = page_clients("engineer").get(f"/knowledge/lessons/new/?incident={raw}")
    # then
    assert response.status_code == 200
    assert f"There is no incident {raw} that you can see" in response.content.decode()


def test_lesson_create_posted_unknown_source_is_refused_and_nothing_saved(page_clients):
    # when
    response = page_clients("engineer").post(
        "/knowledge/lessons/new/", lesson_post(incident="999999")
    )
    # then
    assert response.status_code == 200
    assert "Incident: Select a valid choice" in response.content.decode()
    assert not Lesson.objects.exists()


def test_lesson_create_missing_text_is_shown_on_the_form_and_nothing_saved(page_clients):
    # when
    response = page_clients("engineer").post(
        "/knowledge/lessons/new/", lesson_post(title="", recommendation=" ")
    )
    # then
    assert response.status_code == 200
    form = response.context["form"]
    assert set(form.errors) == {"title", "recommendation"}
    assert "The lesson was not saved" in response.content.decode()
    assert not Lesson.objects.exists()


def test_lesson_create_service_refusal_lands_on_its_field(page_clients):
    # given: eleven tags, one more than a lesson takes (the service's rule)
    too_many = ", ".join(f"tag{i}" for i in range(11))
    # when
    response = page_clients("engineer").post("/knowledge/lessons/new/", lesson_post(tags=too_many))
    # then
    assert response.status_code == 200
    assert response.context["form"].errors["tags"] == ["At most 10 tags; this has 11."]
    assert not Lesson.objects.exists() and not Tag.objects.exists()


def test_lesson_create_save_and_publish_is_for_publishers(page_clients):
    # when
    lead = page_clients("pmo_lead").post(
        "/knowledge/lessons/new/", lesson_post(title="Lead's", publish="1")
    )
    engineer = page_clients("engineer").post(
        "/knowledge/lessons/new/", lesson_post(title="Engineer's", publish="1")
    )
    # then
    assert lead.status_code == engineer.status_code == 302
    assert Lesson.objects.get(title="Lead's").state == KnowledgeState.PUBLISHED
    assert Lesson.objects.get(title="Engineer's").state == KnowledgeState.DRAFT
    assert (
        "Save and publish"
        in page_clients("itsm_manager").get("/knowledge/lessons/new/").content.decode()
    )
    assert (
        "Save and publish"
        not in page_clients("engineer").get("/knowledge/lessons/new/").content.decode()
    )


def test_lesson_edit_by_its_author_changes_text_and_tags_and_asks_for_publishing_again(
    page_clients, role_user
):
    # given
    lesson = tagged(LessonFactory(published=True, author=role_user("engineer")), "old")
    url = f"/knowledge/lessons/{lesson.pk}/edit/"
    client = page_clients("engineer")
    assert client.get(url).context["form"].initial["tags"] == "old"
    # when
    response = client.post(url, lesson_post(title="Sharper title", tags="new, dns"))
    # then
    assert response.status_code == 302
    lesson.refresh_from_db()
    # (a published lesson edited by someone who does not publish waits for a publisher again)
    assert lesson.title == "Sharper title" and lesson.state == KnowledgeState.DRAFT
    assert sorted(lesson.tags.values_list("name", flat=True)) == ["dns", "new"]


def test_lesson_edit_refuses_blank_text_and_keeps_the_lesson(page_clients):
    # given
    lesson = LessonFactory(published=True, title="Kept")
    # when
    response = page_clients("itsm_manager").post(
        f"/knowledge/lessons/{lesson.pk}/edit/", lesson_post(title="")
    )
    # then
    assert response.status_code == 200 and "title" in response.context["form"].errors
    lesson.refresh_from_db()
    assert lesson.title == "Kept"


# --- the lesson page ----------------------------------------------------------------------


def test_lesson_detail_renders_markdown_and_sanitises_scripts(page_clients):
    # given
    lesson = LessonFactory(
        published=True,
        what_happened="**Bold** <script>alert('x')</script> <img src=x onerror=alert(1)>",
        recommendation="- one\n- two",
    )
    # when
    html = page_clients("engineer").get(f"/knowledge/lessons/{lesson.pk}/").content.decode()
    # then
    body = html.split('data-testid="what-happened">')[1].split("</div>")[0]
    assert "<strong>Bold</strong>" in body
    assert "<script" not in body and "onerror" not in body
    assert not re.search(r"<script>alert", html)
    assert "<li>one</li>" in html


def test_lesson_detail_shows_source_tags_applied_count_and_history(page_clients):
    # given
    incident = an_incident()
    lesson = tagged(LessonFactory(incident=incident, applied_count=3), "dns")
    page_clients("pmo_lead").post(
        f"/knowledge/lessons/{lesson.pk}/transition/", {"to": "published"}
    )
    # when
    html = page_clients("engineer").get(f"/knowledge/lessons/{lesson.pk}/").content.decode()
    # then
    assert f'<a href="{incident.get_absolute_url()}">{incident.number}</a>' in html
    assert 'href="/knowledge/?tag=dns"' in html
    assert "Applied 3 times" in html
    history = html.split('data-testid="history"')[1]
    assert history.index("Published") < history.index("Written")


# --- articles -----------------------------------------------------------------------------


def test_article_create_prefills_a_known_error_from_an_incident(page_clients):
    # given
    incident = an_incident(resolution_notes="Restart the pool.")
    # when
    response = page_clients("engineer").get(f"/knowledge/articles/new/?incident={incident.pk}")
    # then
    initial = response.context["form"].initial
    assert initial["title"] == "Known error: Checkout times out"
    assert initial["kind"] == ArticleKind.KNOWN_ERROR
    assert initial["service"] == incident.service_id
    assert [line for line in initial["body"].splitlines() if line.startswith("## ")] == [
        "## Symptoms",
        "## Cause",
        "## Workaround",
        "## Fix",
    ]
    assert "Card payments fail after 30 s." in initial["body"]
    assert "Restart the pool." in initial["body"]
    assert f'name="incident" value="{incident.pk}"' in response.content.decode()


def test_article_create_from_an_incident_saves_it_as_the_source(page_clients, role_user):
    # given
    incident = an_incident()
    # when
    response = page_clients("engineer").post(
        f"/knowledge/articles/new/?incident={incident.pk}",
        article_post(kind="known_error", incident=incident.pk, service=incident.service_id),
    )
    # then
    article = Article.objects.get()
    assert response.status_code == 302
    assert (article.incident, article.owner, article.state) == (
        incident,
        role_user("engineer"),
        KnowledgeState.DRAFT,
    )


def test_article_create_defaults_the_review_to_six_months(page_clients):
    response = page_clients("engineer").get("/knowledge/articles/new/")
    assert response.context["form"].initial["next_review"] == timezone.localdate() + timedelta(
        days=180
    )


def test_article_create_refuses_a_past_review_date_and_saves_nothing(page_clients):
    # when
    yesterday = (timezone.localdate() - timedelta(days=1)).isoformat()
    response = page_clients("engineer").post(
        "/knowledge/articles/new/", article_post(next_review=yesterday)
    )
    # then
    assert response.status_code == 200
    assert response.context["form"].errors["next_review"] == ["The next review is today or later."]
    assert not Article.objects.exists()


def test_article_detail_marks_an_overdue_review(page_clients):
    # given
    article = ArticleFactory(
        published=True,
        body="## Steps\n\n<script>x()</script>ok",
        next_review=timezone.localdate() - timedelta(days=2),
    )
    # when
    html = page_clients("engineer").get(f"/knowledge/articles/{article.pk}/").content.decode()
    # then
    assert 'data-testid="review-due"' in html and 'data-testid="review-banner"' in html
    assert "<h2>Steps</h2>" in html and "<script>x()" not in html


def test_article_list_filters_by_kind_and_review_due(page_clients):
    # given
    ArticleFactory(
        published=True, title="Runbook", kind="runbook", next_review=timezone.localdate()
    )
    ArticleFactory(published=True, title="How-to", kind="how_to")
    client = page_clients("executive")
    # when
    runbooks = client.get(f"{ARTICLES}?kind=runbook")
    due = client.get(f"{ARTICLES}?review_due=true")
    not_due = client.get(f"{ARTICLES}?review_due=false")
    # then
    assert titles(runbooks) == ["Runbook"]
    assert titles(due) == ["Runbook"] and 'data-testid="review-due"' in due.content.decode()
    assert titles(not_due) == ["How-to"]


def test_article_list_search_highlights_the_body(page_clients):
    # given
    ArticleFactory(published=True, title="Gateway", body="Drain the pool, then restart.")
    # when
    response = page_clients("engineer").get(f"{ARTICLES}?q=drain")
    # then
    assert titles(response) == ["Gateway"]
    assert "<mark>Drain</mark> the pool" in response.content.decode()


def test_article_save_and_publish_by_an_itsm_manager(page_clients):
    # when
    page_clients("itsm_manager").post("/knowledge/articles/new/", article_post(publish="1"))
    # then
    article = Article.objects.get()
    assert article.state == KnowledgeState.PUBLISHED and article.published_at is not None


def test_lesson_list_rows_say_where_each_lesson_came_from(page_clients):
    # given a published lesson from each kind of source (the list reads their labels by
    # subquery, not by joining the four tables)
    from tests.changes.factories import ChangeFactory
    from tests.handover.factories import HandoverFactory

    project, change, handover = ProjectFactory(), ChangeFactory(), HandoverFactory()
    incident = an_incident()
    for source in ({"project": project}, {"change": change}, {"incident": incident}):
        LessonFactory(published=True, **source)
    LessonFactory(published=True, handover=handover)
    # when the list is read
    html = page_clients("executive").get(INDEX).content.decode()
    # then each row links to its source with its code or number
    for url, label in (
        (project.get_absolute_url(), project.code),
        (change.get_absolute_url(), change.number),
        (incident.get_absolute_url(), incident.number),
        (handover.get_absolute_url(), f"the handover of {handover.project.code}"),
    ):
        assert f'From <a href="{url}">{label}</a>' in html
