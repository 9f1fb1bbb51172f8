"""The edges of the knowledge base: who edits, what a move records, hostile or odd input."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from knowledge import services
from knowledge.choices import KnowledgeState, LessonCategory
from knowledge.models import LONGEST_TEXT, Lesson
from knowledge.similar import similar_lessons
from tests.factories import ProjectFactory, ServiceFactory, UserFactory

from .factories import ArticleFactory, LessonFactory

pytestmark = pytest.mark.django_db

TEXT = {
    "title": "DNS cut-over took payroll down",
    "what_happened": "The TTL was a day.",
    "recommendation": "Lower the TTL a week ahead.",
    "category": LessonCategory.TECHNICAL,
}


def test_lesson_update_by_another_non_publisher_is_refused(role_user):
    # given a published lesson by someone else
    lesson = LessonFactory(published=True, title="Kept")
    # when / then: an engineer may not rewrite it ...
    with pytest.raises(PermissionDenied):
        services.lesson_update(lesson=lesson, by=role_user("engineer"), title="Vandalised")
    lesson.refresh_from_db()
    assert (lesson.title, lesson.state) == ("Kept", KnowledgeState.PUBLISHED)
    # ... a PMO lead may, and it stays published
    services.lesson_update(lesson=lesson, by=role_user("pmo_lead"), title="Sharper")
    lesson.refresh_from_db()
    assert (lesson.title, lesson.state) == ("Sharper", KnowledgeState.PUBLISHED)


def test_article_update_by_its_owner_sends_a_published_article_back_to_draft(role_user):
    # given an engineer's published article, and another's
    mine = ArticleFactory(published=True, owner=role_user("engineer"))
    theirs = ArticleFactory(published=True)
    # when
    services.article_update(article=mine, by=role_user("engineer"), title="Renewed steps")
    # then
    mine.refresh_from_db()
    assert (mine.title, mine.state, mine.published_at) == ("Renewed steps", "draft", None)
    with pytest.raises(PermissionDenied):
        services.article_update(article=theirs, by=role_user("engineer"), title="x")


def test_transition_keeps_the_comment_in_the_trail_and_a_draft_has_no_publication_date(role_user):
    # given a published lesson
    lesson = LessonFactory(published=True)
    lead = role_user("pmo_lead")
    # when a PMO lead takes it back to draft, saying why
    services.lesson_transition(lesson=lesson, to="draft", by=lead, comment="The numbers are wrong")
    # then the move is recorded with who and why
    lesson.refresh_from_db()
    assert lesson.published_at is None
    move = lesson.transitions.get()
    assert (move.from_state, move.to_state, move.by, move.comment) == (
        "published",
        "draft",
        lead,
        "The numbers are wrong",
    )


def test_lesson_create_keeps_no_service_when_asked_for_none():
    # given a project with a service
    project = ProjectFactory()
    project.services.set([ServiceFactory()])
    # when the writer says the lesson is not about one service, and another says nothing
    chosen = services.lesson_create(
        author=UserFactory(roles=["engineer"]), project=project, service=None, **TEXT
    )
    defaulted = services.lesson_create(
        author=UserFactory(roles=["engineer"]), project=project, **TEXT
    )
    # then
    assert chosen.service is None
    assert defaulted.service == project.services.get()


def test_lesson_create_refuses_a_text_over_the_limit_and_saves_nothing():
    # when
    with pytest.raises(ValidationError) as refused:
        services.lesson_create(
            author=UserFactory(roles=["engineer"]),
            **{**TEXT, "what_happened": "x" * (LONGEST_TEXT + 1)},
        )
    # then
    assert "At most 20,000 characters" in refused.value.message_dict["what_happened"][0]
    assert not Lesson.objects.exists()


def test_similar_leaves_out_what_a_project_taught_through_its_own_changes():
    # given a lesson from the project's own change and one from elsewhere
    from changes import services as change_services

    project = ProjectFactory(name="Payroll cutover")
    change = change_services.change_create(
        requester=UserFactory(roles=["engineer"]), title="Payroll cutover", project=project
    )
    own = LessonFactory(published=True, change=change, title="Payroll cutover overran")
    other = LessonFactory(published=True, title="Payroll cutover needs a rollback rehearsal")
    # when
    found = similar_lessons(text="Payroll cutover", exclude_project_id=project.pk)
    # then
    assert [lesson.pk for lesson in found] == [other.pk]
    assert own.pk not in [
        x.pk for x in similar_lessons(text="Payroll cutover", exclude_change_id=change.pk)
    ]


def test_search_with_an_overlong_query_is_a_400_in_the_api_and_a_note_on_the_page(
    api_clients, page_clients
):
    # given
    LessonFactory(published=True)
    q = "x" * 100_000
    # when
    api = api_clients("engineer").get("/api/knowledge/lessons/", {"q": q})
    page = page_clients("engineer").get("/knowledge/", {"q": q})
    # then
    assert api.status_code == 400 and "q" in api.json()["fields"]
    assert page.status_code == 200


@pytest.mark.parametrize(
    "url",
    [
        "/knowledge/lessons/new/?project=²",
        "/knowledge/lessons/new/?incident=²",
        "/knowledge/articles/new/?incident=²",
        "/knowledge/similar/?title=dns&services=²",
    ],
)
def test_pages_answer_a_non_ascii_digit_id_without_an_error(page_clients, url):
    # when
    response = page_clients("pmo_lead").get(url)
    # then: a page that says so, or a 400 naming the field; never a 500
    assert response.status_code in (200, 400)


def test_apply_with_a_non_ascii_digit_context_is_a_400_not_an_error(page_clients):
    # given
    lesson = LessonFactory(published=True)
    # when
    response = page_clients("engineer").post(
        f"/knowledge/lessons/{lesson.pk}/apply/", {"context": "project:²"}, HTTP_HX_REQUEST="true"
    )
    # then
    assert response.status_code == 400
    lesson.refresh_from_db()
    assert lesson.applied_count == 0
