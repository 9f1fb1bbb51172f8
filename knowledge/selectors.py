"""Reads of the knowledge base that the pages, the API and the other apps' pages share.

Visibility: published lessons and articles are for everyone; a draft or an archived one is for
its author (owner) and for those who publish (PMO leads, ITSM managers).

The other apps reach the knowledge base here (with a local import: knowledge loads after them):
each `lessons_for_*` returns a LessonsPanel that `knowledge/_lessons_panel.html` renders, or None
for a user who may not read lessons; `ask_for_lesson` says where to write the lesson a finished
piece of work still owes; `lessons_of` and `articles_of_incident` list what a piece of work
taught. Whether to offer the lesson form is `permissions.may_write_lesson`.
"""

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any
from urllib.parse import urlencode

from django.db.models import (
    CharField,
    Count,
    DateField,
    Exists,
    F,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    prefetch_related_objects,
)
from django.db.models.functions import Coalesce, TruncQuarter
from django.urls import reverse

from itsm_pmo.dates import moment_between
from itsm_pmo.permissions import Actor, may_view
from portfolio.selectors import projects_visible_to, serves_objective

from .choices import KnowledgeState, SourceKind
from .models import SOURCE_FIELDS, Article, Lesson, LessonApplication
from .permissions import (
    may_mark_applied,
    may_publish_articles,
    may_publish_lessons,
    may_write_lesson,
)
from .rendering import plain_texts
from .services import application_context
from .similar import similar_lessons

SHOWN = 5  # lessons a panel shows
FIRST_STEP = 160  # characters of the recommendation a panel shows

SOURCE_RELATED = ("project", "change", "incident", "handover", "handover__project")


def lessons_visible_to(user: Actor) -> QuerySet[Lesson]:
    """The lessons `user` may read, newest published first (drafts after), with what the lists
    show; tags in one more query. A search orders by rank instead."""
    return _readable_lessons(user, _lessons())


def lessons_listed(user: Actor) -> QuerySet[Lesson]:
    """`lessons_visible_to` as the search page lists them: author and service joined, and of
    the source only what a row shows, `source_ref` (code or number) and `source_title` (name
    or title), read by a subquery for each row shown. Joining the four sources cost 14–24 ms
    to plan at enterprise size, more than the rest of the page."""
    return _readable_lessons(user, Lesson.objects.select_related("author", "service")).annotate(
        source_ref=_source_value("code", "number", "number", "project__code"),
        source_title=_source_value("name", "title", "title", "project__name"),
    )


def _source_value(project: str, change: str, incident: str, handover: str) -> Coalesce:
    """One value of whichever source the lesson has (the named field of each kind)."""
    subqueries = []
    for kind, name in zip(SOURCE_FIELDS, (project, change, incident, handover), strict=True):
        model = Lesson._meta.get_field(kind).related_model
        assert model is not None and not isinstance(model, str)  # a foreign key, resolved
        rows = model._default_manager.filter(pk=OuterRef(f"{kind}_id")).values(name)[:1]
        subqueries.append(Subquery(rows))
    return Coalesce(*subqueries, output_field=CharField())


def source_url(lesson: Lesson) -> str:
    """The page of the lesson's source, from its id alone (no query)."""
    kind = lesson.source_kind
    if not kind:
        return ""
    model = Lesson._meta.get_field(kind).related_model
    assert model is not None and not isinstance(model, str)
    return str(model(pk=getattr(lesson, f"{kind}_id")).get_absolute_url())  # type: ignore[attr-defined]


def lessons_in_api(user: Actor) -> QuerySet[Lesson]:
    """`lessons_visible_to` as the API shows them: the source and service by id only, so
    only the author is joined (seven joins cost more to plan than the page of rows), and the
    search vector is left in the database."""
    return _readable_lessons(user, Lesson.objects.select_related("author").defer("search_vector"))


def _readable_lessons(user: Actor, lessons: QuerySet[Lesson]) -> QuerySet[Lesson]:
    """Of `lessons`, those `user` may read, in the lists' order (on PostgreSQL the index
    `lesson_newest_first`)."""
    lessons = lessons.prefetch_related("tags").order_by(
        F("published_at").desc(nulls_last=True), "-created_at", "-pk"
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


# --- lessons and articles on the other apps' pages ----------------------------------------------


@dataclass
class LessonsPanel:
    """What the lessons card shows: the lessons, and where a "Mark as applied" counts."""

    lessons: list[Lesson]
    context: str = ""  # "project:12"; empty on a proposal being written
    proposal: str = ""  # the proposal's title: the context of a mark on the intake form
    applied: set[int] = field(default_factory=set)
    can_apply: bool = False
    title: str = "Lessons from earlier work"
    lead: str = ""
    empty: str = "No published lessons match yet."
    next: str = ""


def lesson_form_url(source_kind: str, source_id: int) -> str:
    """The lesson form, prefilled from a project, change, incident or handover."""
    return f"{reverse('knowledge:lesson_create')}?{urlencode({source_kind: source_id})}"


def known_error_form_url(incident_id: int) -> str:
    """The article form, prefilled as a known error from a resolved incident."""
    return f"{reverse('knowledge:article_create')}?{urlencode({'incident': incident_id})}"


def source_label(lesson: Lesson) -> str:
    """ "CHG0000042", "PRJ-7", "handover of PRJ-7": where a lesson was learnt (no query when
    the source was read with it)."""
    kind = lesson.source_kind
    # The kind names the foreign key that is set, so its row is there.
    if kind == SourceKind.PROJECT and lesson.project is not None:
        return str(lesson.project.code)
    if kind == SourceKind.CHANGE and lesson.change is not None:
        return str(lesson.change.number or f"change {lesson.change_id}")
    if kind == SourceKind.INCIDENT and lesson.incident is not None:
        return str(lesson.incident.number or f"incident {lesson.incident_id}")
    if kind == SourceKind.HANDOVER and lesson.handover is not None:
        return f"handover of {lesson.handover.project.code}"
    return ""


def _with_labels(lessons: list[Lesson]) -> list[Lesson]:
    # A handover's label needs its project; similar_lessons does not read it, so fetch it for
    # those lessons only (no query when there are none).
    prefetch_related_objects([x for x in lessons if x.handover_id], "handover__project")
    first_steps = plain_texts([lesson.recommendation for lesson in lessons], FIRST_STEP)
    for lesson, first_step in zip(lessons, first_steps, strict=True):
        # What the panel's template shows of each lesson, beside the lesson itself.
        lesson.source_label = source_label(lesson)  # type: ignore[attr-defined]
        lesson.first_step = first_step  # type: ignore[attr-defined]
    return lessons


def panel(
    user: Actor, lessons: list[Lesson], *, context: str = "", proposal: str = "", **shown: str
) -> LessonsPanel:
    """A panel of `lessons` for `user`, with those already marked applied in this context."""
    key = context or (application_context(proposal=proposal) if proposal.strip() else "")
    applied = applied_by(user, lessons, key) if key else set()
    for lesson in _with_labels(lessons):
        lesson.applied_here = lesson.pk in applied  # type: ignore[attr-defined]
    return LessonsPanel(
        lessons=lessons,
        context=context,
        proposal=proposal,
        applied=applied,
        can_apply=may_mark_applied(user),
        **shown,
    )


def lessons_for_proposal(
    user: Actor,
    *,
    title: str,
    summary: str = "",
    service_ids: Sequence[int] = (),
    category: str = "",
    context: str = "",
    exclude_project_id: int | None = None,
    next_url: str = "",
) -> LessonsPanel:
    """The intake form's panel: lessons like the proposal being typed."""
    lead = "Before you commit: what went wrong last time on similar work."
    text = f"{title} {summary}".strip()
    if not text:
        return panel(
            user,
            [],
            lead=lead,
            next=next_url,
            empty="Start typing a title and summary to see lessons from earlier work.",
        )
    lessons = similar_lessons(
        text=text,
        service_ids=service_ids,
        category=category,
        exclude_project_id=exclude_project_id,
        limit=SHOWN,
    )
    # A mark on a proposal counts against its title (or, untitled yet, its summary's start).
    proposal = "" if context else (title or summary[:120])
    return panel(user, lessons, context=context, proposal=proposal, lead=lead, next=next_url)


def lessons_for_project(project: Any, user: Actor, *, next_url: str = "") -> LessonsPanel | None:
    """Lessons of earlier work like this project, its services first, not its own."""
    if not may_view(user, Lesson):
        return None
    lessons = similar_lessons(
        text=f"{project.name} {project.summary}",
        service_ids=[s.pk for s in project.services.all()],
        exclude_project_id=project.pk,
        limit=SHOWN,
    )
    return panel(
        user,
        lessons,
        context=application_context(project=project),
        lead="What went wrong last time on similar work.",
        next=next_url,
    )


def lessons_for_change(change: Any, user: Actor, *, next_url: str = "") -> LessonsPanel | None:
    """Lessons of earlier changes like this one, on the same services first."""
    if not may_view(user, Lesson):
        return None
    service_ids = {item.service_id for item in change.items.all() if item.service_id}
    if change.project_id:
        service_ids.update(change.project.services.values_list("pk", flat=True))
    lessons = similar_lessons(
        text=f"{change.title} {change.description}",
        service_ids=sorted(service_ids),
        category="change",
        exclude_change_id=change.pk,
        limit=SHOWN,
    )
    return panel(
        user,
        lessons,
        context=application_context(change=change),
        title="Lessons from earlier changes",
        next=next_url,
    )


def lessons_for_handover(handover: Any, user: Actor, *, next_url: str = "") -> LessonsPanel | None:
    """Lessons of earlier handovers into the same service, most applied first."""
    if not may_view(user, Lesson):
        return None
    return panel(
        user,
        handover_lessons(handover, limit=SHOWN),
        context=application_context(handover=handover),
        title=f"Lessons from earlier handovers into {handover.service_label}",
        empty="No published lessons from earlier handovers into this service yet.",
        next=next_url,
    )


def lessons_of(source_kind: str, source_id: int, user: Actor) -> list[Lesson] | None:
    """The lessons written at one project, change, incident or handover that `user` may read."""
    if not may_view(user, Lesson):
        return None
    visible = lessons_visible_to(user).values("pk")
    return list(
        lessons_from(source_kind=source_kind, source_id=source_id)
        .filter(pk__in=visible)
        .order_by("-created_at", "-pk")
    )


def ask_for_lesson(source_kind: str, source_id: int, user: Actor) -> str:
    """The lesson form for a piece of work that ended and taught nobody anything yet; empty
    when `user` may not write one or a lesson from it already exists."""
    if (
        not may_write_lesson(user)
        or lessons_from(source_kind=source_kind, source_id=source_id).exists()
    ):
        return ""
    return lesson_form_url(source_kind, source_id)


def articles_of_incident(incident: Any, user: Actor) -> list[Article] | None:
    """The articles (known errors) written from an incident that `user` may read."""
    if not may_view(user, Article):
        return None
    return list(articles_visible_to(user).filter(incident=incident))


# --- The executive view's aggregates (issue 16; docs/metrics.md, "Knowledge") -------------
# Each condition is a function the aggregate and the lesson list's drill-down filter
# (filtersets.py) both use, so the list behind a number counts what the number counts.


def in_scope(
    lessons: QuerySet[Lesson], *, objective: int | None = None, service: int | None = None
) -> QuerySet[Lesson]:
    """The lessons of a project aligned with `objective` and on `service` (docs/metrics.md,
    "Scope"); either None does not narrow."""
    if objective is not None:
        lessons = lessons.filter(serves_objective(objective))
    if service is not None:
        lessons = lessons.filter(service_id=service)
    return lessons


def created_between(
    lessons: QuerySet[Lesson], start: datetime | None, end: datetime | None
) -> QuerySet[Lesson]:
    """Lessons recorded (captured) in [start, end), in any state."""
    return lessons.filter(moment_between("created_at", start, end))


def applied_between(
    lessons: QuerySet[Lesson], start: datetime | None, end: datetime | None
) -> QuerySet[Lesson]:
    """Lessons someone marked applied in [start, end): one row however many marks."""
    marks = LessonApplication.objects.filter(lesson=OuterRef("pk")).filter(
        moment_between("applied_at", start, end)
    )
    return lessons.filter(Exists(marks))


def _scoped(objective: int | None, service: int | None) -> QuerySet[Lesson]:
    """The lessons the dashboard counts: the published ones (everyone reads them, so every
    role's list behind a count holds as many; a draft is not knowledge yet), in scope."""
    return in_scope(
        Lesson.objects.filter(state=KnowledgeState.PUBLISHED), objective=objective, service=service
    )


def lessons_captured_applied(
    start: datetime, end: datetime, *, objective: int | None = None, service: int | None = None
) -> dict[str, int]:
    """Published lessons (in scope) recorded in [start, end), and the distinct published
    lessons someone marked applied in it. Two queries."""
    lessons = _scoped(objective, service)
    return {
        "captured": created_between(lessons, start, end).count(),
        "applied": applied_between(lessons, start, end).count(),
    }


def lessons_by_quarter(
    start: datetime, end: datetime, *, objective: int | None = None, service: int | None = None
) -> dict[date, dict[str, int]]:
    """{first day of a quarter: {"captured": n, "applied": n}} for the quarters with any in
    [start, end), in the portal's time zone, of the lessons in scope. Two grouped queries."""
    quarters: dict[date, dict[str, int]] = {}
    lessons = _scoped(objective, service)
    marks = LessonApplication.objects.filter(
        applied_at__gte=start, applied_at__lt=end, lesson__in=lessons.values("pk")
    )
    captured = (
        created_between(lessons, start, end)
        .annotate(quarter=TruncQuarter("created_at", output_field=DateField()))
        .values("quarter")
        .annotate(n=Count("pk"))
        .order_by()
    )
    applied = (
        marks.annotate(quarter=TruncQuarter("applied_at", output_field=DateField()))
        .values("quarter")
        .annotate(n=Count("lesson", distinct=True))
        .order_by()
    )
    for key, rows in (("captured", captured), ("applied", applied)):
        for row in rows:
            counts = quarters.setdefault(row["quarter"], {"captured": 0, "applied": 0})
            counts[key] = row["n"]
    return dict(sorted(quarters.items()))


# --- Problem management (issue 17): known errors the incident form suggests ---------------


def published_known_errors(
    user: Actor, *, service_id: int, exclude: Iterable[int] = ()
) -> QuerySet[Article]:
    """The published known-error articles of a service that `user` reads, newest first, less
    `exclude` (those the suggestions already show through their problem)."""
    from .choices import ArticleKind

    return (
        articles_visible_to(user)
        .filter(kind=ArticleKind.KNOWN_ERROR, state=KnowledgeState.PUBLISHED, service_id=service_id)
        .exclude(pk__in=list(exclude))
        .order_by("-published_at", "-pk")
    )
