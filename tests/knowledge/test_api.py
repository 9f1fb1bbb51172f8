"""The knowledge API: role rules, ranked search, filters, writes through the services, the
workflow as 403/409/400, marks applied, similar lessons, articles and query counts."""

from datetime import timedelta

import pytest
from django.db import connection
from django.utils import timezone

from knowledge.choices import KnowledgeState
from knowledge.models import Article, Lesson, LessonApplication, Tag
from tests.factories import ProjectFactory, ServiceFactory, UserFactory
from tests.handover.handover_helpers import open_handover
from tests.support.permissions import assert_matrix
from tests.support.queries import assert_constant_queries

from .factories import ArticleFactory, LessonFactory

pytestmark = pytest.mark.django_db
LESSONS = "/api/knowledge/lessons/"
ARTICLES = "/api/knowledge/articles/"
EVERYONE = {"pmo_lead": 200, "itsm_manager": 200, "engineer": 200, "executive": 200}


def lesson_body(**extra) -> dict:
    return {
        "title": "Book the DNS cutover early",
        "what_happened": "The cutover waited two days for the DNS team.",
        "recommendation": "Raise the DNS change a week before go-live.",
        "category": "technical",
        **extra,
    }


def article_body(**extra) -> dict:
    return {
        "title": "Restart the payment gateway",
        "body": "## Steps\n\n1. Drain the node.\n2. Restart it.",
        "kind": "runbook",
        **extra,
    }


def move(client, url, to, comment=""):
    return client.post(f"{url}transition/", {"to": to, "comment": comment}, format="json")


def ids(response) -> list[int]:
    return [row["id"] for row in response.json()["results"]]


# --- lessons: role rules ---------------------------------------------------------------------


def test_lessons_api_reads_are_for_every_role(api_clients):
    # given
    lesson = LessonFactory(published=True)
    # then
    assert_matrix(api_clients, "get", LESSONS, anonymous=401, **EVERYONE)
    assert_matrix(api_clients, "get", f"{LESSONS}{lesson.pk}/", anonymous=401, **EVERYONE)


def test_lessons_api_every_role_writes_publishers_edit_anothers_nobody_deletes(api_clients):
    # given a published lesson by someone else
    lesson = LessonFactory(published=True)
    url = f"{LESSONS}{lesson.pk}/"
    # then: each role writes a lesson of its own; only publishers edit another's
    assert_matrix(
        api_clients,
        "post",
        LESSONS,
        lesson_body(),
        anonymous=401,
        pmo_lead=201,
        itsm_manager=201,
        engineer=201,
        executive=201,
    )
    assert_matrix(
        api_clients,
        "patch",
        url,
        {"impact": "high"},
        anonymous=401,
        pmo_lead=200,
        itsm_manager=200,
        engineer=403,
        executive=403,
    )
    # nobody deletes: a lesson leaves the shelves by being archived (the endpoint has no DELETE)
    assert_matrix(
        api_clients,
        "delete",
        url,
        anonymous=401,
        pmo_lead=405,
        itsm_manager=405,
        engineer=405,
        executive=405,
    )
    assert Lesson.objects.count() == 5


def test_lessons_api_author_edits_own_published_lesson_which_waits_for_a_publisher_again(
    api_clients, role_user
):
    # given an engineer's published lesson
    lesson = LessonFactory(published=True, author=role_user("engineer"))
    # when the engineer edits it
    response = api_clients("engineer").patch(
        f"{LESSONS}{lesson.pk}/", {"title": "Sharper"}, format="json"
    )
    # then the edit is saved and the lesson is a draft until a publisher publishes it again
    assert response.status_code == 200
    assert (response.json()["title"], response.json()["state"]) == ("Sharper", "draft")
    # while a publisher's edit of it keeps it published
    lesson.refresh_from_db()
    api_clients("pmo_lead").post(
        f"{LESSONS}{lesson.pk}/transition/", {"to": "published"}, format="json"
    )
    response = api_clients("pmo_lead").patch(
        f"{LESSONS}{lesson.pk}/", {"impact": "high"}, format="json"
    )
    assert response.json()["state"] == "published"


def test_lessons_api_transition_is_for_pmo_leads_and_itsm_managers(api_clients):
    # given a new published lesson for each caller (every role reads it: a refusal is the
    # service's 403; another's draft would be a 404, as if it did not exist)
    def published_url():
        return f"{LESSONS}{LessonFactory(published=True).pk}/transition/"

    # then
    assert_matrix(
        api_clients,
        "post",
        "",
        {"to": "archived"},
        fresh=published_url,
        anonymous=401,
        pmo_lead=200,
        itsm_manager=200,
        engineer=403,
        executive=403,
    )
    assert Lesson.objects.filter(state=KnowledgeState.ARCHIVED).count() == 2


def test_lessons_api_transition_of_anothers_draft_is_404_for_who_cannot_read_it(api_clients):
    # given another's draft, which only its author and the publishers read
    lesson = LessonFactory()
    # when an engineer tries to publish it
    response = move(api_clients("engineer"), f"{LESSONS}{lesson.pk}/", "published")
    # then it does not exist for them, and nothing moved
    assert response.status_code == 404
    lesson.refresh_from_db()
    assert lesson.state == KnowledgeState.DRAFT and not lesson.transitions.exists()


def test_lessons_api_apply_is_for_every_role(api_clients):
    # given
    lesson = LessonFactory(published=True)
    # then: each user marks it once in the same place
    assert_matrix(
        api_clients,
        "post",
        f"{LESSONS}{lesson.pk}/apply/",
        {"proposal": "New CRM rollout"},
        anonymous=401,
        pmo_lead=201,
        itsm_manager=201,
        engineer=201,
        executive=201,
    )
    lesson.refresh_from_db()
    assert lesson.applied_count == 4


def test_lessons_api_similar_is_for_every_reader(api_clients):
    # given
    LessonFactory(published=True, title="Vendor delivery slipped")
    # then
    assert_matrix(api_clients, "get", f"{LESSONS}similar/?text=vendor", anonymous=401, **EVERYONE)
    assert_matrix(
        api_clients, "post", f"{LESSONS}similar/", {"text": "vendor"}, anonymous=401, **EVERYONE
    )


# --- lessons: lists, search and filters ------------------------------------------------------


def test_lessons_api_list_paginates_under_results(api):
    # given
    LessonFactory.create_batch(7, published=True)
    # when
    page = api.get(f"{LESSONS}?page_size=5&page=2").json()
    # then
    assert page["count"] == 7 and len(page["results"]) == 2
    assert page["previous"] and page["next"] is None
    assert {(row["rank"], row["snippet"]) for row in page["results"]} == {(None, None)}


def test_lessons_api_search_puts_the_best_match_first_with_a_snippet(api):
    # given a title match, a body-only match and a lesson about something else
    best = LessonFactory(
        published=True,
        title="DNS cutover needs a rollback plan",
        what_happened="The <b>DNS</b> records were switched at midnight.",
        recommendation="Plan the DNS cutover with a tested rollback.",
    )
    weaker = LessonFactory(
        published=True,
        title="Go-live weekend",
        what_happened="A late DNS cutover held up the weekend.",
    )
    LessonFactory(published=True, title="Vendor contract", what_happened="Slow vendor.")
    # when
    response = api.get(f"{LESSONS}?q=dns+cutover")
    # then
    assert response.status_code == 200
    rows = response.json()["results"]
    assert [row["id"] for row in rows] == [best.pk, weaker.pk]
    assert isinstance(rows[0]["rank"], float) and rows[0]["rank"] > rows[1]["rank"]
    snippet = rows[0]["snippet"]
    assert "<mark>dns</mark>" in snippet.lower()
    # the author's markup never comes through as markup: PostgreSQL's headline drops the tags,
    # the plain fallback escapes them; either way only <mark> is added
    assert "<b>" not in snippet
    if connection.vendor != "postgresql":
        assert "&lt;b&gt;" in snippet


def test_lessons_api_search_without_words_finds_nothing(api):
    # given
    LessonFactory(published=True)
    # when
    response = api.get(f"{LESSONS}?q=%21%21")
    # then
    assert response.status_code == 200 and response.json()["count"] == 0


def test_lessons_api_filters_by_category_tag_and_source(api):
    # given
    project = ProjectFactory()
    vendor = LessonFactory(published=True, category="vendor", project=project)
    vendor.tags.add(Tag.objects.create(name="dns"))
    other = LessonFactory(published=True, category="change")
    other.tags.add(Tag.objects.create(name="cab"))
    # when / then
    assert ids(api.get(f"{LESSONS}?category=vendor")) == [vendor.pk]
    assert ids(api.get(f"{LESSONS}?category=vendor&category=change")) == [other.pk, vendor.pk]
    assert ids(api.get(f"{LESSONS}?tag=DNS")) == [vendor.pk]
    assert ids(api.get(f"{LESSONS}?source=project")) == [vendor.pk]
    assert ids(api.get(f"{LESSONS}?source=incident")) == []
    refused = api.get(f"{LESSONS}?category=weather")
    assert refused.status_code == 400
    assert "category" in refused.json()["fields"]


@pytest.mark.parametrize("query", ["", "?category=vendor", "?q=dns", "?source=project"])
def test_lessons_api_and_page_show_the_same_rows(api, page_clients, query):
    # given published lessons, a draft and lessons with and without a source
    LessonFactory(published=True, category="vendor", title="DNS vendor", project=ProjectFactory())
    LessonFactory(category="vendor", title="DNS draft")
    LessonFactory(published=True, category="change", what_happened="The DNS change.")
    LessonFactory(published=True, category="vendor")
    # when
    api_ids = ids(api.get(f"{LESSONS}{query}&page_size=100" if query else LESSONS))
    page = page_clients("pmo_lead").get(f"/knowledge/{query}")
    # then
    assert api_ids and api_ids == [lesson.pk for lesson in page.context["object_list"]]


def test_lessons_api_engineer_sees_own_drafts_not_anothers(api_clients, role_user):
    # given
    others = LessonFactory(author=UserFactory())
    mine = LessonFactory(author=role_user("engineer"))
    published = LessonFactory(published=True)
    engineer = api_clients("engineer")
    # when / then
    assert engineer.get(f"{LESSONS}{others.pk}/").status_code == 404
    assert engineer.get(f"{LESSONS}{mine.pk}/").status_code == 200
    assert ids(engineer.get(LESSONS)) == [published.pk]  # the published, unless asked
    assert ids(engineer.get(f"{LESSONS}?state=draft")) == [mine.pk]
    assert (
        engineer.patch(f"{LESSONS}{others.pk}/", {"title": "Mine now"}, format="json").status_code
        == 404
    )
    # those who publish see every draft (a list shows drafts when asked for by state)
    assert api_clients("itsm_manager").get(f"{LESSONS}{others.pk}/").status_code == 200
    assert sorted(ids(api_clients("itsm_manager").get(f"{LESSONS}?state=draft"))) == sorted(
        [others.pk, mine.pk]
    )


def test_lessons_api_list_queries_stay_flat(api):
    # given lessons with tags and a source each
    def grow(n):
        for _ in range(n):
            lesson = LessonFactory(
                published=True, project=ProjectFactory(), service=ServiceFactory()
            )
            lesson.tags.add(*Tag.objects.filter(name__in=["dns", "cutover"]))

    Tag.objects.bulk_create([Tag(name="dns"), Tag(name="cutover")])
    grow(3)
    # then
    assert_constant_queries(lambda: api.get(LESSONS), lambda: grow(27))
    assert_constant_queries(lambda: api.get(f"{LESSONS}?q=lesson"), lambda: grow(3))


# --- lessons: writes -------------------------------------------------------------------------


def test_lessons_api_create_with_tags_and_a_source_takes_the_sources_service(api):
    # given a project on one service
    service = ServiceFactory()
    project = ProjectFactory()
    project.services.add(service)
    # when
    response = api.post(
        LESSONS, lesson_body(project=project.pk, tags=["DNS", "Cut over"]), format="json"
    )
    # then
    assert response.status_code == 201, response.json()
    body = response.json()
    assert body["tags"] == ["cut-over", "dns"]
    assert body["service"] == service.pk
    assert body["source_kind"] == "project" and body["project"] == project.pk
    assert body["state"] == "draft" and body["applied_count"] == 0
    assert body["author"]["username"] == "pmo_lead_user"
    assert body["what_happened_html"].startswith("<p>")
    assert body["url"].endswith(f"{LESSONS}{body['id']}/")
    assert body["web_url"] == f"/knowledge/lessons/{body['id']}/"


def test_lessons_api_a_given_service_wins_over_the_sources(api):
    # given
    project = ProjectFactory()
    project.services.add(ServiceFactory())
    chosen = ServiceFactory()
    # when
    body = api.post(
        LESSONS, lesson_body(project=project.pk, service=chosen.pk), format="json"
    ).json()
    # then
    assert body["service"] == chosen.pk


def _two_sources():
    return {"project": ProjectFactory().pk, "handover": open_handover().pk}


@pytest.mark.parametrize(
    ("extra", "field"),
    [
        (lambda: {"title": "  "}, "title"),
        (lambda: {"recommendation": ""}, "recommendation"),
        (lambda: {"category": "weather"}, "category"),
        (_two_sources, "source"),
        (lambda: {"tags": [f"tag-{n}" for n in range(11)]}, "tags"),
        (lambda: {"project": 999_999}, "project"),
    ],
)
def test_lessons_api_bad_input_is_400_with_the_field_and_saves_nothing(api, extra, field):
    # when
    response = api.post(LESSONS, lesson_body(**extra()), format="json")
    # then
    assert response.status_code == 400
    body = response.json()
    assert body["code"] == "invalid"
    assert list(body["fields"]) == [field] and body["fields"][field][0]
    assert Lesson.objects.count() == 0 and Tag.objects.count() == 0


def test_lessons_api_source_project_must_exist(api_clients):
    # given any project (every role reads every project) and one that does not exist
    project = ProjectFactory()
    # when
    allowed = api_clients("engineer").post(LESSONS, lesson_body(project=project.pk), format="json")
    refused = api_clients("engineer").post(LESSONS, lesson_body(project=999999), format="json")
    # then
    assert refused.status_code == 400 and "project" in refused.json()["fields"]
    assert allowed.status_code == 201
    assert Lesson.objects.count() == 1


def test_lessons_api_refused_edit_saves_nothing(api):
    # given
    lesson = LessonFactory(title="Before")
    # when the title is fine but the tags are not
    response = api.patch(
        f"{LESSONS}{lesson.pk}/",
        {"title": "After", "tags": [f"t{n}" for n in range(11)]},
        format="json",
    )
    # then
    assert response.status_code == 400
    assert "At most 10 tags" in response.json()["fields"]["tags"][0]
    lesson.refresh_from_db()
    assert lesson.title == "Before" and not lesson.tags.exists()


def test_lessons_api_edit_moves_the_source_and_keeps_one(api):
    # given a lesson from a project
    lesson = LessonFactory(project=ProjectFactory())
    handover = open_handover()
    url = f"{LESSONS}{lesson.pk}/"
    # when a second source is added / the source is swapped
    added = api.patch(url, {"handover": handover.pk}, format="json")
    swapped = api.patch(
        url, {"project": None, "handover": handover.pk, "tags": ["ELS"]}, format="json"
    )
    # then
    assert added.status_code == 400 and "source" in added.json()["fields"]
    assert swapped.status_code == 200, swapped.json()
    assert swapped.json()["source_kind"] == "handover" and swapped.json()["tags"] == ["els"]


def test_lessons_api_state_is_not_written_by_an_edit(api):
    # given
    lesson = LessonFactory()
    # when
    response = api.patch(
        f"{LESSONS}{lesson.pk}/", {"state": "published", "applied_count": 9}, format="json"
    )
    # then
    assert response.status_code == 200
    lesson.refresh_from_db()
    assert lesson.state == KnowledgeState.DRAFT and lesson.applied_count == 0


# --- lessons: the workflow -------------------------------------------------------------------


def test_lessons_api_transition_refused_is_409_and_unknown_state_400(api):
    # given
    lesson = LessonFactory()
    url = f"{LESSONS}{lesson.pk}/"
    # when
    refused = move(api, url, "draft")
    unknown = move(api, url, "deleted")
    # then
    assert refused.status_code == 409
    assert refused.json()["code"] == "transition_not_allowed"
    assert refused.json()["allowed"] == ["published", "archived"]
    assert unknown.status_code == 400 and "to" in unknown.json()["fields"]
    lesson.refresh_from_db()
    assert lesson.state == KnowledgeState.DRAFT and lesson.published_at is None


def test_lessons_api_publish_archive_and_republish(api_clients):
    # given
    lesson = LessonFactory()
    url = f"{LESSONS}{lesson.pk}/"
    manager = api_clients("itsm_manager")
    # when / then
    published = move(manager, url, "published", "Reviewed at the retro.")
    assert published.status_code == 200
    assert published.json()["state"] == "published" and published.json()["published_at"]
    assert move(manager, url, "archived").json()["state"] == "archived"
    assert move(manager, url, "published").json()["state"] == "published"


def test_lessons_api_engineer_cannot_publish_even_their_own(api_clients, role_user):
    # given
    lesson = LessonFactory(author=role_user("engineer"))
    # when
    response = move(api_clients("engineer"), f"{LESSONS}{lesson.pk}/", "published")
    # then
    assert response.status_code == 403
    lesson.refresh_from_db()
    assert lesson.state == KnowledgeState.DRAFT


# --- lessons: marked applied -----------------------------------------------------------------


def test_lessons_api_apply_counts_once_per_user_and_place(api):
    # given
    lesson = LessonFactory(published=True)
    project = ProjectFactory()
    url = f"{LESSONS}{lesson.pk}/apply/"
    # when
    first = api.post(url, {"project": project.pk}, format="json")
    again = api.post(url, {"project": project.pk}, format="json")
    elsewhere = api.post(url, {"proposal": "  Data  centre exit "}, format="json")
    # then
    assert first.status_code == 201
    assert first.json() == {
        "lesson": lesson.pk,
        "context": f"project:{project.pk}",
        "applied_count": 1,
        "created": True,
    }
    assert again.status_code == 200
    assert again.json()["applied_count"] == 1 and again.json()["created"] is False
    assert elsewhere.status_code == 201
    assert elsewhere.json()["context"] == "proposal:data centre exit"
    assert elsewhere.json()["applied_count"] == 2
    lesson.refresh_from_db()
    assert lesson.applied_count == 2


def test_lessons_api_apply_in_a_change_or_handover(api):
    # given
    lesson = LessonFactory(published=True)
    handover = open_handover()
    # when
    response = api.post(f"{LESSONS}{lesson.pk}/apply/", {"handover": handover.pk}, format="json")
    # then
    assert response.status_code == 201
    assert response.json()["context"] == f"handover:{handover.pk}"


@pytest.mark.parametrize(
    ("published", "data", "field"),
    [
        (False, {"proposal": "New CRM"}, "lesson"),
        (True, {}, "context"),
        (True, {"proposal": "   "}, "context"),
        (True, {"proposal": "New CRM", "project": None, "handover": 999_999}, "handover"),
    ],
)
def test_lessons_api_apply_refuses_drafts_and_missing_places(api, published, data, field):
    # given
    lesson = LessonFactory(published=published)
    # when
    response = api.post(f"{LESSONS}{lesson.pk}/apply/", data, format="json")
    # then
    assert response.status_code == 400
    assert field in response.json()["fields"]
    assert not LessonApplication.objects.exists()


def test_lessons_api_apply_in_two_places_at_once_is_refused(api):
    # given
    lesson = LessonFactory(published=True)
    # when
    response = api.post(
        f"{LESSONS}{lesson.pk}/apply/",
        {"project": ProjectFactory().pk, "proposal": "New CRM"},
        format="json",
    )
    # then
    assert response.status_code == 400
    assert "context" in response.json()["fields"]
    assert not LessonApplication.objects.exists()


# --- lessons: similar ------------------------------------------------------------------------


def _twin_lessons():
    """Two published lessons worded the same, on two services."""
    first, second = ServiceFactory(), ServiceFactory()
    text = {
        "title": "Database migration overran the change window",
        "what_happened": "The migration took six hours instead of two.",
        "recommendation": "Rehearse the migration on a copy of production data.",
    }
    return (
        LessonFactory(published=True, service=first, **text),
        first,
        LessonFactory(published=True, service=second, **text),
        second,
    )


def test_lessons_api_similar_get_puts_the_same_service_first(api):
    # given
    on_first, first, on_second, second = _twin_lessons()
    LessonFactory(published=True, title="Vendor contract", what_happened="Slow vendor.")
    LessonFactory(title="Database migration draft")  # drafts are never surfaced
    text = "Migrate the billing database"
    # when
    for_first = api.get(f"{LESSONS}similar/", {"text": text, "service": first.pk})
    for_second = api.get(f"{LESSONS}similar/", {"text": text, "service": [second.pk]})
    # then
    assert for_first.status_code == 200
    assert ids(for_first) == [on_first.pk, on_second.pk]
    assert ids(for_second) == [on_second.pk, on_first.pk]
    row = for_first.json()["results"][0]
    assert (
        isinstance(row["score"], float) and row["score"] > for_first.json()["results"][1]["score"]
    )
    assert row["web_url"] == f"/knowledge/lessons/{on_first.pk}/"


def test_lessons_api_similar_post_takes_services_and_category(api):
    # given
    on_first, first, on_second, second = _twin_lessons()
    # when
    response = api.post(
        f"{LESSONS}similar/",
        {"text": "Database migration", "services": [first.pk], "category": "technical"},
        format="json",
    )
    # then (without the service the newer lesson would come first)
    assert response.status_code == 200
    assert ids(response) == [on_first.pk, on_second.pk]


def test_lessons_api_similar_returns_at_most_five(api):
    # given
    LessonFactory.create_batch(7, published=True, title="Firewall rule forgotten")
    # when
    response = api.get(f"{LESSONS}similar/", {"text": "firewall rules"})
    # then
    assert len(response.json()["results"]) == 5


@pytest.mark.parametrize("method", ["get", "post"])
@pytest.mark.parametrize(
    ("data", "field"),
    [
        ({}, "text"),
        ({"text": "  "}, "text"),
        ({"text": "migration", "category": "weather"}, "category"),
    ],
)
def test_lessons_api_similar_bad_input_is_400_with_the_field(api, method, data, field):
    # when
    response = getattr(api, method)(
        f"{LESSONS}similar/", data, **({"format": "json"} if method == "post" else {})
    )
    # then
    assert response.status_code == 400
    assert list(response.json()["fields"]) == [field]


# --- articles --------------------------------------------------------------------------------


def test_articles_api_role_rules(api_clients):
    # given
    article = ArticleFactory(published=True)
    url = f"{ARTICLES}{article.pk}/"
    # then
    assert_matrix(api_clients, "get", ARTICLES, anonymous=401, **EVERYONE)
    assert_matrix(api_clients, "get", url, anonymous=401, **EVERYONE)
    assert_matrix(
        api_clients,
        "post",
        ARTICLES,
        article_body(),
        anonymous=401,
        pmo_lead=201,
        itsm_manager=201,
        engineer=201,
        executive=201,
    )
    assert_matrix(
        api_clients,
        "patch",
        url,
        {"kind": "known_error"},
        anonymous=401,
        pmo_lead=200,
        itsm_manager=200,
        engineer=403,
        executive=403,
    )
    assert_matrix(
        api_clients,
        "delete",
        url,
        anonymous=401,
        pmo_lead=405,
        itsm_manager=405,
        engineer=405,
        executive=405,
    )
    # (a published article: every role reads it, so a refusal is the service's 403, not a 404)
    assert_matrix(
        api_clients,
        "post",
        "",
        {"to": "archived"},
        fresh=lambda: f"{ARTICLES}{ArticleFactory(published=True).pk}/transition/",
        anonymous=401,
        pmo_lead=200,
        itsm_manager=200,
        engineer=403,
        executive=403,
    )


def test_articles_api_create_owns_renders_and_schedules_the_review(api_clients):
    # given
    engineer = api_clients("engineer")
    service = ServiceFactory()
    # when
    response = engineer.post(ARTICLES, article_body(service=service.pk), format="json")
    # then
    assert response.status_code == 201, response.json()
    body = response.json()
    assert body["owner"]["username"] == "engineer_user"
    assert body["state"] == "draft" and body["service"] == service.pk
    assert body["next_review"] == (timezone.localdate() + timedelta(days=180)).isoformat()
    assert body["body_html"].startswith("<h2>Steps</h2>")
    assert body["web_url"] == f"/knowledge/articles/{body['id']}/"
    # the writer reads their draft; another engineer does not
    assert engineer.get(f"{ARTICLES}{body['id']}/").status_code == 200
    assert ArticleFactory().pk not in ids(engineer.get(ARTICLES))


@pytest.mark.parametrize(
    ("data", "field"),
    [
        ({"body": " "}, "body"),
        ({"kind": "poem"}, "kind"),
        ({"next_review": "2001-01-01"}, "next_review"),
    ],
)
def test_articles_api_bad_input_is_400_with_the_field_and_saves_nothing(api, data, field):
    # when
    response = api.post(ARTICLES, article_body(**data), format="json")
    # then
    assert response.status_code == 400
    assert list(response.json()["fields"]) == [field]
    assert not Article.objects.exists()


def test_articles_api_edit_keeps_an_overdue_review_date(api):
    # given an article whose review is overdue
    article = ArticleFactory(next_review=timezone.localdate() - timedelta(days=3))
    url = f"{ARTICLES}{article.pk}/"
    # when the title changes / the date moves into the past
    renamed = api.patch(
        url, {"title": "Renamed", "next_review": str(article.next_review)}, format="json"
    )
    backdated = api.patch(url, {"next_review": "2001-01-01"}, format="json")
    # then
    assert renamed.status_code == 200 and renamed.json()["title"] == "Renamed"
    assert backdated.status_code == 400 and "next_review" in backdated.json()["fields"]


def test_articles_api_transition_refused_is_409_and_unknown_state_400(api):
    # given
    article = ArticleFactory(published=True)
    url = f"{ARTICLES}{article.pk}/"
    # when / then
    refused = move(api, url, "published")
    assert refused.status_code == 409
    assert refused.json()["allowed"] == ["archived", "draft"]
    assert move(api, url, "gone").status_code == 400
    assert move(api, url, "archived").json()["state"] == "archived"


def test_articles_api_search_ranks_with_a_snippet_and_filters(api):
    # given
    best = ArticleFactory(
        published=True,
        title="Certificate renewal",
        body="Renew the certificate before it expires.",
        kind="runbook",
    )
    other = ArticleFactory(
        published=True, title="Load balancer", body="Check the certificate chain.", kind="how_to"
    )
    ArticleFactory(published=True, title="Printer", body="Turn it off and on.")
    # when
    searched = api.get(f"{ARTICLES}?q=certificate")
    # then
    rows = searched.json()["results"]
    assert [row["id"] for row in rows] == [best.pk, other.pk]
    assert "<mark>certificate</mark>" in rows[0]["snippet"].lower()
    assert ids(api.get(f"{ARTICLES}?q=certificate&kind=how_to")) == [other.pk]


def test_articles_api_list_queries_stay_flat(api):
    # given
    ArticleFactory.create_batch(3, published=True, service=ServiceFactory())
    # then
    assert_constant_queries(
        lambda: api.get(ARTICLES), lambda: ArticleFactory.create_batch(27, service=ServiceFactory())
    )
