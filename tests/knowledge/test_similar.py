"""Similar lessons for what someone is writing now: the same service's earlier failure comes up
for a new proposal, service and category boost the score, only published lessons surface.
Runs on both backends (PostgreSQL full text, the TF-IDF fallback on SQLite)."""

import pytest

from knowledge.choices import KnowledgeState, LessonCategory
from knowledge.similar import similar_lessons
from tests.factories import ProjectFactory, ServiceFactory, UserFactory

from .corpus import load_corpus, service_named
from .factories import LessonFactory

pytestmark = pytest.mark.django_db

PROPOSAL = "Migrate the payments gateway to the new cluster"
EARLIER_FAILURE = "Egress allow-list missed when payments moved to the new cluster"
WORDING = {
    "title": "Firewall rule forgotten at cut-over",
    "what_happened": "The new firewall rule was not in the cut-over plan.",
    "recommendation": "List every firewall rule in the cut-over plan.",
}


def titles(lessons) -> list[str]:
    return [lesson.title for lesson in lessons]


def test_similar_proposal_meets_the_same_services_earlier_failure():
    # given the corpus, with the payments gateway's failed move among 45 lessons
    load_corpus(UserFactory(roles=["engineer"]))
    payments = service_named("Payments")

    # when a new project on the same service is proposed
    found = similar_lessons(text=PROPOSAL, service_ids=[payments.pk])

    # then
    assert EARLIER_FAILURE in titles(found)[:5], titles(found)
    assert len(found) == 5 and all(lesson.score > 0 for lesson in found)


def test_similar_service_boost_puts_the_same_service_first():
    # given two lessons worded alike; the other service's is newer and wins a tie
    ours, theirs = ServiceFactory(), ServiceFactory()
    same = LessonFactory(published=True, service=ours, **WORDING)
    other = LessonFactory(published=True, service=theirs, **WORDING)

    # when
    plain = similar_lessons(text="firewall rule cut-over")
    boosted = similar_lessons(text="firewall rule cut-over", service_ids=[ours.pk])

    # then
    assert [lesson.pk for lesson in plain] == [other.pk, same.pk]
    assert [lesson.pk for lesson in boosted] == [same.pk, other.pk]
    assert boosted[0].score > boosted[1].score


def test_similar_category_boost_puts_the_same_category_first():
    # given two lessons worded alike; the other category's is newer and wins a tie
    change = LessonFactory(published=True, category=LessonCategory.CHANGE, **WORDING)
    technical = LessonFactory(published=True, category=LessonCategory.TECHNICAL, **WORDING)

    # when
    plain = similar_lessons(text="firewall rule cut-over")
    boosted = similar_lessons(text="firewall rule cut-over", category=LessonCategory.CHANGE)

    # then
    assert [lesson.pk for lesson in plain] == [technical.pk, change.pk]
    assert [lesson.pk for lesson in boosted] == [change.pk, technical.pk]


def test_similar_service_boost_accepts_ids_as_text():
    # given (ids come from a query string)
    ours = ServiceFactory()
    same = LessonFactory(published=True, service=ours, **WORDING)
    LessonFactory(published=True, service=ServiceFactory(), **WORDING)

    # when
    found = similar_lessons(text="firewall rule", service_ids=[str(ours.pk), ""])

    # then
    assert found[0].pk == same.pk


def test_similar_never_suggests_drafts_or_archived_lessons():
    # given the same words in a draft, an archived and a published lesson
    LessonFactory(state=KnowledgeState.DRAFT, **WORDING)
    LessonFactory(state=KnowledgeState.ARCHIVED, **WORDING)
    published = LessonFactory(published=True, **WORDING)

    # when
    found = similar_lessons(text="firewall rule cut-over plan")

    # then
    assert [lesson.pk for lesson in found] == [published.pk]


def test_similar_excludes_the_projects_own_lessons():
    # given
    project, other_project = ProjectFactory(), ProjectFactory()
    LessonFactory(published=True, project=project, **WORDING)
    elsewhere = LessonFactory(published=True, project=other_project, **WORDING)
    no_project = LessonFactory(published=True, **WORDING)

    # when
    found = similar_lessons(text="firewall rule", exclude_project_id=project.pk)

    # then
    assert {lesson.pk for lesson in found} == {elsewhere.pk, no_project.pk}


def test_similar_ignores_unrelated_lessons():
    # given
    LessonFactory(
        published=True,
        title="Vendor delivery slipped",
        what_happened="Switches came late.",
        recommendation="Order early.",
    )

    # when / then
    assert similar_lessons(text="firewall rule cut-over") == []


@pytest.mark.parametrize("text", ["", "   ", "the new project", "?!"])
def test_similar_without_meaningful_words_returns_nothing(text):
    # given
    LessonFactory(
        published=True,
        title="The new project",
        **{k: v for k, v in WORDING.items() if k != "title"},
    )

    # when / then
    assert similar_lessons(text=text) == []


def test_similar_returns_at_most_limit():
    # given
    for _ in range(7):
        LessonFactory(published=True, **WORDING)

    # when / then
    assert len(similar_lessons(text="firewall rule")) == 5
    assert len(similar_lessons(text="firewall rule", limit=2)) == 2


@pytest.mark.parametrize(
    ("text", "title"),
    [
        ("payments releases", "Release checklist forgotten"),
        ("database migrations", "Data migration overran"),
        ("emergency changes", "Change failed at the first step"),
    ],
)
def test_similar_meets_other_forms_of_a_word(text, title):
    # given
    lesson = LessonFactory(published=True, title=title, what_happened="x", recommendation="y")

    # when
    found = similar_lessons(text=text)

    # then
    assert [row.pk for row in found] == [lesson.pk]
