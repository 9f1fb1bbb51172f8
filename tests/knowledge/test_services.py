"""Writes of the knowledge base: lessons and their tags, sources and services; publishing;
marking a lesson applied; articles and their review dates."""

from datetime import timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from changes import services as change_services
from changes.models import ConfigurationItem
from handover.incidents import services as incident_services
from handover.services import handover_open
from itsm_pmo.workflow import TransitionRefused
from knowledge import services
from knowledge.choices import ArticleKind, KnowledgeState, LessonCategory
from knowledge.models import Article, Lesson, LessonApplication, Tag
from tests.factories import ProjectFactory, ServiceFactory, UserFactory

from .factories import ArticleFactory, LessonFactory

pytestmark = pytest.mark.django_db

TEXT = {
    "title": "DNS cut-over took payroll down",
    "what_happened": "The TTL was a day.",
    "recommendation": "Lower the TTL a week ahead.",
    "category": LessonCategory.TECHNICAL,
}
ARTICLE = {"title": "Renew the F5 certificate", "body": "## Steps\n\n1. Renew."}


@pytest.fixture
def author():
    return UserFactory(username="author", roles=["engineer"])


@pytest.fixture
def payments():
    return ServiceFactory(name="Payments")


def errors(excinfo) -> dict:
    return excinfo.value.message_dict


def today():
    return timezone.localdate()


# --- lesson_create ------------------------------------------------------------------------


def test_lesson_create_writes_a_draft(author, payments):
    # when
    lesson = services.lesson_create(author=author, service=payments, **TEXT)

    # then
    lesson.refresh_from_db()
    assert (lesson.state, lesson.author, lesson.service) == (KnowledgeState.DRAFT, author, payments)
    assert lesson.published_at is None and lesson.applied_count == 0


@pytest.mark.parametrize(("field", "message"), list(services.LESSON_TEXT.items()))
@pytest.mark.parametrize("value", ["", "   ", None])
def test_lesson_create_requires_the_text_fields(author, field, message, value):
    # given
    fields = {**TEXT, field: value}

    # when
    with pytest.raises(ValidationError) as excinfo:
        services.lesson_create(author=author, **fields)

    # then
    assert errors(excinfo) == {field: [message]}
    assert not Lesson.objects.exists()


@pytest.mark.parametrize("field", list(services.LESSON_TEXT))
def test_lesson_create_requires_fields_left_out(author, field):
    # given
    fields = {k: v for k, v in TEXT.items() if k != field}

    # when
    with pytest.raises(ValidationError) as excinfo:
        services.lesson_create(author=author, **fields)

    # then
    assert errors(excinfo) == {field: [services.LESSON_TEXT[field]]}


@pytest.mark.parametrize("category", ["", "gossip", "TECHNICAL"])
def test_lesson_create_refuses_an_unknown_category(author, category):
    # when
    with pytest.raises(ValidationError) as excinfo:
        services.lesson_create(author=author, **{**TEXT, "category": category})

    # then
    assert list(errors(excinfo)) == ["category"]
    assert "technical" in errors(excinfo)["category"][0]


def test_lesson_create_refuses_an_unknown_impact(author):
    # when
    with pytest.raises(ValidationError) as excinfo:
        services.lesson_create(author=author, impact="huge", **TEXT)

    # then
    assert list(errors(excinfo)) == ["impact"]


def test_lesson_create_refuses_two_sources(author, payments):
    # given
    project = ProjectFactory()
    incident = incident_services.incident_log(reporter=author, title="Down", service=payments)

    # when
    with pytest.raises(ValidationError) as excinfo:
        services.lesson_create(author=author, project=project, incident=incident, **TEXT)

    # then
    assert list(errors(excinfo)) == ["source"]
    assert "project, incident" in errors(excinfo)["source"][0]
    assert not Lesson.objects.exists()


def test_lesson_create_takes_the_service_of_its_incident(author, payments):
    # given
    incident = incident_services.incident_log(
        reporter=author, title="Card payments declined", service=payments
    )

    # when
    lesson = services.lesson_create(author=author, incident=incident, **TEXT)

    # then
    assert (lesson.service_id, lesson.source_kind, lesson.source) == (
        payments.pk,
        "incident",
        incident,
    )


def test_lesson_create_takes_the_first_service_of_its_project_by_name(author):
    # given
    project = ProjectFactory()
    project.services.set([ServiceFactory(name="Zeta"), ServiceFactory(name="Alpha")])

    # when
    lesson = services.lesson_create(author=author, project=project, **TEXT)

    # then
    assert lesson.service.name == "Alpha"


def test_lesson_create_takes_the_service_of_its_changes_first_item(author, payments):
    # given an item without a service, then two with one
    project = ProjectFactory()
    project.services.set([ServiceFactory(name="Alpha")])
    shared = ConfigurationItem.objects.create(name="san-01")
    app = ConfigurationItem.objects.create(name="pay-api", service=payments)
    later = ConfigurationItem.objects.create(name="hr-app", service=ServiceFactory(name="HR"))
    change = change_services.change_create(
        requester=author, title="Release", project=project, items=[later, shared, app]
    )

    # when
    lesson = services.lesson_create(author=author, change=change, **TEXT)

    # then
    assert lesson.service == payments


def test_lesson_create_takes_the_project_service_of_a_change_without_items(author):
    # given
    project = ProjectFactory()
    project.services.set([ServiceFactory(name="Alpha")])
    change = change_services.change_create(requester=author, title="Plan", project=project)

    # when
    lesson = services.lesson_create(author=author, change=change, **TEXT)

    # then
    assert lesson.service.name == "Alpha"


def test_lesson_create_takes_the_service_of_its_handover(author, payments):
    # given
    project = ProjectFactory()
    project.services.set([payments])
    handover = handover_open(project=project)

    # when
    lesson = services.lesson_create(author=author, handover=handover, **TEXT)

    # then
    assert lesson.service == payments


def test_lesson_create_keeps_a_service_given_with_the_source(author, payments):
    # given
    other = ServiceFactory(name="Network")
    incident = incident_services.incident_log(reporter=author, title="Down", service=payments)

    # when
    lesson = services.lesson_create(author=author, incident=incident, service=other, **TEXT)

    # then
    assert lesson.service == other


def test_lesson_create_without_source_has_no_service(author):
    # when
    lesson = services.lesson_create(author=author, **TEXT)

    # then
    assert lesson.service is None and lesson.source is None


# --- tags ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("DNS, Cut Over, dns,  , cut-over", ["dns", "cut-over"]),
        (["Vendor", "vendor ", "On-Call"], ["vendor", "on-call"]),
        ("", []),
        (None, []),
    ],
)
def test_parse_tags_slugs_and_dedupes(value, expected):
    # when / then
    assert services.parse_tags(value) == expected


def test_parse_tags_allows_ten_and_refuses_eleven():
    # given
    ten = [f"tag{n}" for n in range(10)]

    # when / then
    assert services.parse_tags(ten) == ten
    with pytest.raises(ValidationError) as excinfo:
        services.parse_tags([*ten, "tag10"])
    assert errors(excinfo) == {"tags": ["At most 10 tags; this has 11."]}


def test_parse_tags_refuses_a_tag_over_40_characters():
    # when
    with pytest.raises(ValidationError) as excinfo:
        services.parse_tags(["ok", "x" * 41])

    # then
    assert list(errors(excinfo)) == ["tags"]


def test_lesson_create_with_too_many_tags_saves_nothing(author):
    # when
    with pytest.raises(ValidationError):
        services.lesson_create(author=author, tags=[f"t{n}" for n in range(11)], **TEXT)

    # then
    assert not Lesson.objects.exists() and not Tag.objects.exists()


def test_lesson_tags_reuse_existing_tag_rows(author):
    # given
    first = services.lesson_create(author=author, tags="dns, cutover", **TEXT)

    # when
    second = services.lesson_create(
        author=author, tags=["DNS", "vendor"], **{**TEXT, "title": "Another"}
    )

    # then
    assert sorted(Tag.objects.values_list("name", flat=True)) == ["cutover", "dns", "vendor"]
    assert set(first.tags.all()) & set(second.tags.all()) == {Tag.objects.get(name="dns")}


# --- lesson_update -------------------------------------------------------------------------


def test_lesson_update_cannot_set_state_count_or_author(author):
    # given
    lesson = services.lesson_create(author=author, **TEXT)
    other = UserFactory()

    # when
    services.lesson_update(
        lesson=lesson,
        by=author,
        title="New title",
        state="published",
        applied_count=9,
        published_at=timezone.now(),
        author=other,
    )

    # then
    lesson.refresh_from_db()
    assert lesson.title == "New title"
    assert (lesson.state, lesson.applied_count, lesson.published_at, lesson.author) == (
        KnowledgeState.DRAFT,
        0,
        None,
        author,
    )


def test_lesson_update_refuses_blank_text_and_changes_nothing(author):
    # given
    lesson = services.lesson_create(author=author, **TEXT)

    # when
    with pytest.raises(ValidationError) as excinfo:
        services.lesson_update(lesson=lesson, by=author, title=" ", recommendation="Other")

    # then
    assert errors(excinfo) == {"title": [services.LESSON_TEXT["title"]]}
    lesson.refresh_from_db()
    assert (lesson.title, lesson.recommendation) == (TEXT["title"], TEXT["recommendation"])


def test_lesson_update_refuses_a_second_source_but_allows_a_swap(author, payments):
    # given
    project = ProjectFactory()
    lesson = services.lesson_create(author=author, project=project, **TEXT)
    incident = incident_services.incident_log(reporter=author, title="Down", service=payments)

    # when adding a second source
    with pytest.raises(ValidationError) as excinfo:
        services.lesson_update(lesson=lesson, by=author, incident=incident)

    # then
    assert list(errors(excinfo)) == ["source"]

    # when swapping
    services.lesson_update(lesson=lesson, by=author, project=None, incident=incident)

    # then
    lesson.refresh_from_db()
    assert lesson.source == incident


def test_lesson_update_replaces_tags_only_when_given(author):
    # given
    lesson = services.lesson_create(author=author, tags=["dns"], **TEXT)

    # when
    services.lesson_update(lesson=lesson, by=author, title="Renamed")

    # then
    assert list(lesson.tags.values_list("name", flat=True)) == ["dns"]

    # when
    services.lesson_update(lesson=lesson, by=author, tags="vendor, cab")

    # then
    assert sorted(lesson.tags.values_list("name", flat=True)) == ["cab", "vendor"]


# --- lesson_transition ---------------------------------------------------------------------


@pytest.mark.parametrize("role", ["pmo_lead", "itsm_manager"])
def test_lesson_transition_publishers_publish(role_user, author, role):
    # given
    lesson = services.lesson_create(author=author, **TEXT)
    before = timezone.now()

    # when
    services.lesson_transition(lesson=lesson, to="published", by=role_user(role))

    # then
    lesson.refresh_from_db()
    assert lesson.state == KnowledgeState.PUBLISHED
    assert before <= lesson.published_at <= timezone.now()


@pytest.mark.parametrize("role", ["engineer", "executive"])
def test_lesson_transition_refused_to_other_roles(role_user, author, role):
    # given
    lesson = services.lesson_create(author=author, **TEXT)

    # when
    with pytest.raises(PermissionDenied):
        services.lesson_transition(lesson=lesson, to="published", by=role_user(role))

    # then
    lesson.refresh_from_db()
    assert lesson.state == KnowledgeState.DRAFT and lesson.published_at is None


def test_lesson_transition_refuses_a_move_the_table_does_not_allow(role_user):
    # given
    lesson = LessonFactory(published=True)

    # when
    with pytest.raises(TransitionRefused) as excinfo:
        services.lesson_transition(lesson=lesson, to="published", by=role_user("pmo_lead"))

    # then
    assert excinfo.value.current == "published"
    assert sorted(excinfo.value.allowed) == ["archived", "draft"]


def test_lesson_transition_refuses_an_unknown_state(role_user):
    # given
    lesson = LessonFactory()

    # when
    with pytest.raises(ValidationError) as excinfo:
        services.lesson_transition(lesson=lesson, to="deleted", by=role_user("pmo_lead"))

    # then
    assert list(errors(excinfo)) == ["to"]


def test_lesson_transition_archive_and_unpublish_keep_the_publication_date(role_user):
    # given
    publisher = role_user("itsm_manager")
    lesson = LessonFactory(published=True)
    published_at = Lesson.objects.get(pk=lesson.pk).published_at

    # when
    services.lesson_transition(lesson=lesson, to="archived", by=publisher)

    # then
    lesson.refresh_from_db()
    assert (lesson.state, lesson.published_at) == (KnowledgeState.ARCHIVED, published_at)

    # when
    services.lesson_transition(lesson=lesson, to="published", by=publisher)

    # then: republished now
    lesson.refresh_from_db()
    assert lesson.state == KnowledgeState.PUBLISHED and lesson.published_at > published_at


# --- lesson_mark_applied -------------------------------------------------------------------


def test_lesson_mark_applied_counts_once_per_user_and_context(author):
    # given
    lesson = LessonFactory(published=True)
    project = ProjectFactory()
    context = services.application_context(project=project)

    # when
    _, first = services.lesson_mark_applied(lesson=lesson, by=author, context=context)
    lesson, second = services.lesson_mark_applied(lesson=lesson, by=author, context=context)

    # then
    assert (first, second, lesson.applied_count) == (True, False, 1)
    assert LessonApplication.objects.count() == 1

    # when the same user applies it somewhere else
    lesson, third = services.lesson_mark_applied(
        lesson=lesson, by=author, context="proposal:open banking apis"
    )

    # then
    assert third and lesson.applied_count == 2


def test_lesson_mark_applied_by_two_users_counts_two(author):
    # given
    lesson = LessonFactory(published=True)
    context = services.application_context(proposal="Open banking APIs")

    # when
    services.lesson_mark_applied(lesson=lesson, by=author, context=context)
    lesson, created = services.lesson_mark_applied(
        lesson=lesson, by=UserFactory(roles=["executive"]), context=context
    )

    # then
    assert created and lesson.applied_count == 2
    assert Lesson.objects.get(pk=lesson.pk).applied_count == 2


@pytest.mark.parametrize("state", [KnowledgeState.DRAFT, KnowledgeState.ARCHIVED])
def test_lesson_mark_applied_refuses_an_unpublished_lesson(author, state):
    # given
    lesson = LessonFactory(state=state)

    # when
    with pytest.raises(ValidationError) as excinfo:
        services.lesson_mark_applied(lesson=lesson, by=author, context="proposal:x")

    # then
    assert list(errors(excinfo)) == ["lesson"]
    assert not LessonApplication.objects.exists()
    assert Lesson.objects.get(pk=lesson.pk).applied_count == 0


def test_application_context_names_where_it_was_applied(author):
    # given
    project = ProjectFactory()

    # when / then
    assert services.application_context(project=project) == f"project:{project.pk}"
    assert (
        services.application_context(proposal="  Open   Banking APIs ")
        == "proposal:open banking apis"
    )
    with pytest.raises(ValidationError) as excinfo:
        services.application_context(proposal="   ")
    assert list(errors(excinfo)) == ["context"]


# --- articles ------------------------------------------------------------------------------


def test_article_create_reviews_in_six_months_by_default(author):
    # when
    article = services.article_create(owner=author, **ARTICLE)

    # then
    assert article.next_review == today() + timedelta(days=180)
    assert (article.state, article.owner, article.kind) == (
        KnowledgeState.DRAFT,
        author,
        ArticleKind.HOW_TO,
    )


def test_article_create_refuses_a_past_review_date_and_accepts_today(author):
    # when
    with pytest.raises(ValidationError) as excinfo:
        services.article_create(owner=author, next_review=today() - timedelta(days=1), **ARTICLE)

    # then
    assert list(errors(excinfo)) == ["next_review"]
    assert not Article.objects.exists()
    assert services.article_create(owner=author, next_review=today(), **ARTICLE).pk


@pytest.mark.parametrize(("field", "message"), list(services.ARTICLE_TEXT.items()))
def test_article_create_requires_title_and_body(author, field, message):
    # when
    with pytest.raises(ValidationError) as excinfo:
        services.article_create(owner=author, **{**ARTICLE, field: " "})

    # then
    assert errors(excinfo) == {field: [message]}


def test_article_create_refuses_an_unknown_kind(author):
    # when
    with pytest.raises(ValidationError) as excinfo:
        services.article_create(owner=author, kind="faq", **ARTICLE)

    # then
    assert list(errors(excinfo)) == ["kind"]


def test_article_update_accepts_an_unchanged_overdue_review_date(author):
    # given an article whose review is overdue
    article = ArticleFactory(owner=author)
    overdue = today() - timedelta(days=10)
    Article.objects.filter(pk=article.pk).update(next_review=overdue)
    article.refresh_from_db()

    # when the owner fixes a typo and leaves the date as it was
    services.article_update(article=article, by=author, title="Fixed", next_review=overdue)

    # then
    article.refresh_from_db()
    assert (article.title, article.next_review) == ("Fixed", overdue)


def test_article_update_refuses_a_new_past_review_date(author):
    # given
    article = ArticleFactory(owner=author)

    # when
    with pytest.raises(ValidationError) as excinfo:
        services.article_update(
            article=article, by=author, title="Fixed", next_review=today() - timedelta(days=3)
        )

    # then
    assert list(errors(excinfo)) == ["next_review"]
    article.refresh_from_db()
    assert article.title != "Fixed"


def test_article_update_cannot_set_state(author):
    # given
    article = ArticleFactory(owner=author)

    # when
    services.article_update(
        article=article, by=author, state="published", published_at=timezone.now()
    )

    # then
    article.refresh_from_db()
    assert (article.state, article.published_at) == (KnowledgeState.DRAFT, None)


@pytest.mark.parametrize("role", ["pmo_lead", "itsm_manager"])
def test_article_transition_publishers_publish(role_user, author, role):
    # given
    article = ArticleFactory(owner=author)

    # when
    services.article_transition(article=article, to="published", by=role_user(role))

    # then
    article.refresh_from_db()
    assert article.state == KnowledgeState.PUBLISHED and article.published_at is not None


@pytest.mark.parametrize("role", ["engineer", "executive"])
def test_article_transition_refused_to_other_roles(role_user, role):
    # given the engineer owns it, and still may not publish it
    article = ArticleFactory(owner=role_user(role))

    # when
    with pytest.raises(PermissionDenied):
        services.article_transition(article=article, to="published", by=role_user(role))

    # then
    article.refresh_from_db()
    assert article.state == KnowledgeState.DRAFT


def test_article_transition_refuses_a_move_the_table_does_not_allow(role_user):
    # given
    article = ArticleFactory()

    # when
    with pytest.raises(TransitionRefused) as excinfo:
        services.article_transition(article=article, to="draft", by=role_user("itsm_manager"))

    # then
    assert excinfo.value.current == "draft"
    assert sorted(excinfo.value.allowed) == ["archived", "published"]
