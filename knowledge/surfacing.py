"""Lessons where decisions are made, and the ask for a lesson where work ends.

Plain functions the other apps' pages call with a local import. Each `lessons_for_*` returns a
LessonsPanel that `knowledge/_lessons_panel.html` renders, or None for a user who may not read
lessons; `ask_for_lesson` says where to write the lesson a finished piece of work still owes.
"""

from dataclasses import dataclass, field
from urllib.parse import urlencode

from django.urls import reverse

from itsm_pmo.permissions import Actor, may_view

from . import selectors, services
from .choices import SourceKind
from .models import Article, Lesson
from .permissions import may_mark_applied, may_write_lesson
from .rendering import plain_text
from .similar import similar_lessons

SHOWN = 5
FIRST_STEP = 160  # characters of the recommendation a panel shows


@dataclass
class LessonsPanel:
    """What the lessons card shows: the lessons, and where a "Mark as applied" counts."""

    lessons: list
    context: str = ""  # "project:12"; empty on a proposal being written
    proposal: str = ""  # the proposal's title: the context of a mark on the intake form
    applied: set[int] = field(default_factory=set)
    can_apply: bool = False
    title: str = "Lessons from earlier work"
    lead: str = ""
    empty: str = "No published lessons match yet."
    next: str = ""


def may_write(user: Actor) -> bool:
    """Whether to offer `user` the lesson form (other apps' pages ask this)."""
    return may_write_lesson(user)


def lesson_form_url(source_kind: str, source_id: int) -> str:
    """The lesson form, prefilled from a project, change, incident or handover."""
    return f"{reverse('knowledge:lesson_create')}?{urlencode({source_kind: source_id})}"


def known_error_form_url(incident_id: int) -> str:
    """The article form, prefilled as a known error from a resolved incident."""
    return f"{reverse('knowledge:article_create')}?{urlencode({'incident': incident_id})}"


def source_label(lesson) -> str:
    """ "CHG0000042", "PRJ-7", "handover of PRJ-7": where a lesson was learnt (no query when
    the source was read with it)."""
    kind = lesson.source_kind
    if kind == SourceKind.PROJECT:
        return lesson.project.code
    if kind == SourceKind.CHANGE:
        return lesson.change.number or f"change {lesson.change_id}"
    if kind == SourceKind.INCIDENT:
        return lesson.incident.number or f"incident {lesson.incident_id}"
    if kind == SourceKind.HANDOVER:
        return f"handover of {lesson.handover.project.code}"
    return ""


def _with_labels(lessons: list) -> list:
    from django.db.models import prefetch_related_objects

    # A handover's label needs its project; similar_lessons does not read it, so fetch it for
    # those lessons only (no query when there are none).
    prefetch_related_objects([x for x in lessons if x.handover_id], "handover__project")
    for lesson in lessons:
        lesson.source_label = source_label(lesson)
        lesson.first_step = plain_text(lesson.recommendation, FIRST_STEP)
    return lessons


def panel(user, lessons: list, *, context: str = "", proposal: str = "", **shown) -> LessonsPanel:
    """A panel of `lessons` for `user`, with those already marked applied in this context."""
    key = context or (services.application_context(proposal=proposal) if proposal.strip() else "")
    applied = selectors.applied_by(user, lessons, key) if key else set()
    for lesson in _with_labels(lessons):
        lesson.applied_here = lesson.pk in applied
    return LessonsPanel(
        lessons=lessons,
        context=context,
        proposal=proposal,
        applied=applied,
        can_apply=may_mark_applied(user),
        **shown,
    )


def lessons_for_proposal(
    user,
    *,
    title: str,
    summary: str = "",
    service_ids=(),
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


def lessons_for_project(project, user, *, next_url: str = "") -> LessonsPanel | None:
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
        context=services.application_context(project=project),
        lead="What went wrong last time on similar work.",
        next=next_url,
    )


def lessons_for_change(change, user, *, next_url: str = "") -> LessonsPanel | None:
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
        context=services.application_context(change=change),
        title="Lessons from earlier changes",
        next=next_url,
    )


def lessons_for_handover(handover, user, *, next_url: str = "") -> LessonsPanel | None:
    """Lessons of earlier handovers into the same service, most applied first."""
    if not may_view(user, Lesson):
        return None
    return panel(
        user,
        selectors.handover_lessons(handover, limit=SHOWN),
        context=services.application_context(handover=handover),
        title=f"Lessons from earlier handovers into {handover.service_label}",
        empty="No published lessons from earlier handovers into this service yet.",
        next=next_url,
    )


def lessons_of(source_kind: str, source_id: int, user) -> list | None:
    """The lessons written at one project, change, incident or handover that `user` may read."""
    if not may_view(user, Lesson):
        return None
    visible = selectors.lessons_visible_to(user).values("pk")
    return list(
        selectors.lessons_from(source_kind=source_kind, source_id=source_id)
        .filter(pk__in=visible)
        .order_by("-created_at", "-pk")
    )


def ask_for_lesson(source_kind: str, source_id: int, user) -> str:
    """The lesson form for a piece of work that ended and taught nobody anything yet; empty
    when `user` may not write one or a lesson from it already exists."""
    if (
        not may_write(user)
        or selectors.lessons_from(source_kind=source_kind, source_id=source_id).exists()
    ):
        return ""
    return lesson_form_url(source_kind, source_id)


def articles_of_incident(incident, user) -> list | None:
    """The articles (known errors) written from an incident that `user` may read."""
    if not may_view(user, Article):
        return None
    return list(selectors.articles_visible_to(user).filter(incident=incident))
