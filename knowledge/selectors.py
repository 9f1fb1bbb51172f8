"""Reads of the knowledge base that the pages and the API share.

Visibility: published lessons and articles are for everyone; a draft or an archived one is for
its author (owner) and for those who publish (PMO leads, ITSM managers)."""

from collections.abc import Iterable
from typing import Any

from django.db.models import F, Q, QuerySet

from itsm_pmo.permissions import Actor
from portfolio.selectors import projects_visible_to

from .choices import KnowledgeState
from .models import Article, Lesson, LessonApplication
from .permissions import may_publish_articles, may_publish_lessons

SOURCE_RELATED = ("project", "change", "incident", "handover", "handover__project")


def lessons_visible_to(user: Actor) -> QuerySet[Lesson]:
    """The lessons `user` may read, newest published first (drafts after), with what the lists
    show; tags in one more query. A search orders by rank instead."""
    lessons = (
        _lessons()
        .prefetch_related("tags")
        .order_by(F("published_at").desc(nulls_last=True), "-created_at", "-pk")
    )
    if may_publish_lessons(user):
        return lessons
    return lessons.filter(Q(state=KnowledgeState.PUBLISHED) | Q(author_id=user.pk))


def articles_visible_to(user: Actor) -> QuerySet[Article]:
    """The articles `user` may read, last edited first, with owner, service and incident."""
    articles = Article.objects.select_related("owner", "service", "incident").order_by(
        "-updated_at", "-pk"
    )
    if may_publish_articles(user):
        return articles
    return articles.filter(Q(state=KnowledgeState.PUBLISHED) | Q(owner_id=user.pk))


def _lessons() -> QuerySet[Lesson]:
    return Lesson.objects.select_related("author", "service", *SOURCE_RELATED)


def published_lessons() -> QuerySet[Lesson]:
    """The lessons everyone reads: the published ones."""
    return _lessons().filter(state=KnowledgeState.PUBLISHED)


def lessons_from(*, source_kind: str, source_id: int) -> QuerySet[Lesson]:
    """The lessons written at one project, change, incident or handover, any state."""
    return _lessons().filter(**{f"{source_kind}_id": source_id})


def handover_lessons(handover: Any, *, limit: int = 5) -> list[Lesson]:
    """Published lessons of earlier handovers into the same service (or, for a new service,
    into one of the project's services), most applied first."""
    service_ids = (
        [handover.service_id]
        if handover.service_id
        else list(handover.project.services.values_list("pk", flat=True))
    )
    if not service_ids:
        return []
    into_same_service = Q(handover__service_id__in=service_ids) | Q(
        handover__isnull=False, service_id__in=service_ids
    )
    return list(
        published_lessons()
        .filter(into_same_service)
        .exclude(handover=handover)
        .order_by("-applied_count", "-published_at", "-pk")[:limit]
    )


def applied_by(user: Actor, lessons: Iterable[Lesson], context: str) -> set[int]:
    """The ids among `lessons` that `user` has already marked applied in `context`."""
    ids = [lesson.pk for lesson in lessons]
    if not ids or not user.is_authenticated:
        return set()
    marks = LessonApplication.objects.filter(by_id=user.pk, context=context, lesson_id__in=ids)
    return set(marks.values_list("lesson_id", flat=True))


def application_places(user: Actor) -> dict[str, QuerySet]:
    """Where `user` may mark a lesson applied, by kind: a project they may see, any change or
    handover. The page's button and the API's `apply/` both look the place up here."""
    return {
        "project": projects_visible_to(user),
        "change": _rows_of("change"),
        "handover": _rows_of("handover"),
    }


def _rows_of(source_field: str) -> QuerySet:
    """Every row a lesson's source field may point at (the model behind the foreign key)."""
    model = Lesson._meta.get_field(source_field).related_model
    assert model is not None and not isinstance(model, str)  # a foreign key, resolved
    return model._default_manager.all()
