"""Writes of the knowledge base: write and edit lessons and articles, publish, archive, and
mark a lesson applied. Each write is one transaction; nothing is half-saved.

Every write that takes the acting user asks knowledge.permissions first (PermissionDenied is a
403 on the page and in the API alike); moves ask the move tables of workflow.py and are recorded
in LessonTransition / ArticleTransition."""

from collections.abc import Callable, Iterable
from datetime import date, timedelta
from typing import Any

from django.contrib.auth.models import User
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone
from django.utils.text import slugify

from itsm_pmo.models import TransitionRecord
from itsm_pmo.permissions import Actor
from itsm_pmo.workflow import MoveTable, require

from .choices import ArticleKind, Impact, KnowledgeState, LessonCategory, SourceKind
from .models import (
    LONGEST_TEXT,
    SOURCE_FIELDS,
    Article,
    ArticleTransition,
    Lesson,
    LessonApplication,
    LessonTransition,
    Tag,
)
from .permissions import (
    may_edit_article,
    may_edit_lesson,
    may_mark_applied,
    may_move_article,
    may_move_lesson,
    may_publish_articles,
    may_publish_lessons,
    may_write_article,
    may_write_lesson,
)
from .workflow import ARTICLE_MOVES, LESSON_MOVES

MAX_TAGS = 10
REVIEW_AFTER = timedelta(days=180)
LESSON_TEXT = {
    "title": "Give the lesson a short title.",
    "what_happened": "Say what happened.",
    "recommendation": "Say what the next team should do.",
}
ARTICLE_TEXT = {"title": "Give the article a title.", "body": "Write the article."}


def parse_tags(value: str | Iterable[Any] | None) -> list[str]:
    """Tags from a list or a comma-separated string: lower-case slugs, distinct, at most ten."""
    items = value.split(",") if isinstance(value, str) else list(value or ())
    tags = list(dict.fromkeys(slugify(str(item)) for item in items if slugify(str(item))))
    if len(tags) > MAX_TAGS:
        raise ValidationError({"tags": f"At most {MAX_TAGS} tags; this has {len(tags)}."})
    if too_long := [t for t in tags if len(t) > 40]:
        raise ValidationError({"tags": f"A tag has at most 40 characters: {too_long[0]}."})
    return tags


def _set_tags(lesson: Lesson, names: list[str]) -> None:
    existing = {t.name: t for t in Tag.objects.filter(name__in=names)}
    Tag.objects.bulk_create(
        [Tag(name=n) for n in names if n not in existing], ignore_conflicts=True
    )
    lesson.tags.set(Tag.objects.filter(name__in=names))


def _require_text(fields: dict[str, Any], required: dict[str, str]) -> None:
    errors = {
        name: message
        for name, message in required.items()
        if name in fields and not (fields[name] or "").strip()
    }
    errors.update(
        {
            name: f"At most {LONGEST_TEXT:,} characters; this has {len(value):,}."
            for name in required
            if len(value := fields.get(name) or "") > LONGEST_TEXT and name not in errors
        }
    )
    if errors:
        raise ValidationError(errors)


def _require_choice(fields: dict[str, Any], name: str, choices: Any) -> None:
    if name in fields and fields[name] not in choices.values:
        raise ValidationError({name: f"Choose one of: {', '.join(choices.values)}."})


def service_of_source(kind: str, source: Any) -> int | None:
    """The service a lesson about `source` (a SourceKind) concerns, when the source says so:
    an incident's service, a handover's, a change's first item's, else the project's first."""
    if kind in (SourceKind.INCIDENT, SourceKind.HANDOVER) and source.service_id:
        return source.service_id
    if kind == SourceKind.CHANGE:
        first_item_service = (
            source.items.exclude(service=None)
            .order_by("pk")
            .values_list("service_id", flat=True)
            .first()
        )
        if first_item_service:
            return first_item_service
    project = source if kind == SourceKind.PROJECT else source.project
    if project is None:
        return None
    return project.services.order_by("name").values_list("pk", flat=True).first()


def _check_lesson(fields: dict[str, Any]) -> None:
    _require_text(fields, LESSON_TEXT)
    _require_choice(fields, "category", LessonCategory)
    _require_choice(fields, "impact", Impact)
    sources = [f for f in SOURCE_FIELDS if fields.get(f) is not None]
    if len(sources) > 1:
        raise ValidationError(
            {
                "source": "A lesson comes from one project, change, incident "
                f"or handover, not several ({', '.join(sources)})."
            }
        )


@transaction.atomic
def lesson_create(*, author: User, tags: str | Iterable[Any] = (), **fields: Any) -> Lesson:
    """Write a lesson as a draft (every role may). Its service defaults to its source's."""
    require(may_write_lesson(author), "Your role does not write lessons.")
    fields = {**{name: "" for name in LESSON_TEXT}, **fields}
    fields.setdefault("category", "")
    _check_lesson(fields)
    kind = next((f for f in SOURCE_FIELDS if fields.get(f) is not None), None)
    if kind and "service" not in fields and "service_id" not in fields:
        fields["service_id"] = service_of_source(kind, fields[kind])
    names = parse_tags(tags)
    lesson = Lesson.objects.create(author=author, **fields)
    _set_tags(lesson, names)
    return lesson


@transaction.atomic
def lesson_update(
    *, lesson: Lesson, by: Actor, tags: str | Iterable[Any] | None = None, **fields: Any
) -> Lesson:
    """Edit a lesson's text, category, impact, service or source: its author or a publisher.
    A published lesson that someone else than a publisher edits goes back to draft, so what
    everyone reads has always passed a publisher. Its state moves only by lesson_transition."""
    lesson = Lesson.objects.select_for_update().get(pk=lesson.pk)
    require(
        may_edit_lesson(by, lesson),
        "Only its author, a PMO lead or an ITSM manager edits a lesson. "
        "Write your own to add to it.",
    )
    for name in ("state", "author", "applied_count", "published_at"):
        fields.pop(name, None)
    if any(name in fields for name in SOURCE_FIELDS):
        merged = {f: getattr(lesson, f) for f in SOURCE_FIELDS}
        merged.update({f: fields[f] for f in SOURCE_FIELDS if f in fields})
        _check_lesson({**fields, **merged})
    else:
        _check_lesson(fields)
    _save_edit(lesson, fields, by=by, keeps_published=may_publish_lessons(by))
    if tags is not None:
        _set_tags(lesson, parse_tags(tags))
    return lesson


# The comment of the move an edit makes when it sends a published text back to draft.
EDITED = "Edited: back to draft until a publisher publishes it again."


def _save_edit(
    obj: Lesson | Article, fields: dict[str, Any], *, by: Actor, keeps_published: bool
) -> None:
    """Write an edit. A published text edited by someone who does not publish goes back to
    draft, so what everyone reads has always passed a publisher; that move is recorded."""
    for name, value in fields.items():
        setattr(obj, name, value)
    unpublished = obj.state == KnowledgeState.PUBLISHED and not keeps_published
    if unpublished:
        obj.state, obj.published_at = KnowledgeState.DRAFT, None
    obj.save()
    if unpublished:
        _record(obj, KnowledgeState.PUBLISHED, by=by, comment=EDITED)


# Each kind of text: its trail, its move table, and who may move it.
LIFE_CYCLES: dict[type, tuple[type[TransitionRecord], MoveTable, Callable[[Actor, Any], bool]]] = {
    Lesson: (LessonTransition, LESSON_MOVES, may_move_lesson),
    Article: (ArticleTransition, ARTICLE_MOVES, may_move_article),
}


def _record(obj: Lesson | Article, source: str, *, by: Actor, comment: str) -> None:
    """Append the move `obj` just made from `source` to its trail."""
    record = LIFE_CYCLES[type(obj)][0]
    record.objects.create(
        **{record.subject_field: obj},
        from_state=source,
        to_state=obj.state,
        by=by if by.is_authenticated else None,
        comment=(comment or "").strip(),
    )


def _move[T: (Lesson, Article)](obj: T, *, to: str, by: Actor, comment: str) -> T:
    """Lock the text, ask who may move it and the move table, write the move and record it."""
    _record_class, table, may_move = LIFE_CYCLES[type(obj)]
    obj = type(obj).objects.select_for_update().get(pk=obj.pk)
    require(
        may_move(by, obj),
        f"Only PMO leads and ITSM managers publish or archive {table.noun}s.",
    )
    source = obj.state
    table.guard(current=source, to=to, facts=None, user=by, comment=comment)
    obj.state = to
    if to == KnowledgeState.PUBLISHED:
        obj.published_at = timezone.now()
    elif to == KnowledgeState.DRAFT:
        obj.published_at = None  # a draft is not published; archiving keeps the date
    obj.save(update_fields=["state", "published_at", "updated_at"])
    _record(obj, source, by=by, comment=comment)
    return obj


@transaction.atomic
def lesson_transition(*, lesson: Lesson, to: str, by: Actor, comment: str = "") -> Lesson:
    """Publish, unpublish (back to draft) or archive a lesson: PMO leads and ITSM managers."""
    return _move(lesson, to=to, by=by, comment=comment)


def application_context(
    *, project: Any = None, change: Any = None, handover: Any = None, proposal: str = ""
) -> str:
    """The context key of a mark: where the lesson was applied."""
    for kind, obj in (("project", project), ("change", change), ("handover", handover)):
        if obj is not None:
            return f"{kind}:{obj.pk}"
    title = " ".join(proposal.split()).lower()[:120]
    if not title:
        raise ValidationError(
            {
                "context": "Say where the lesson was applied: a project, a "
                "change, a handover or the proposal's title."
            }
        )
    return f"proposal:{title}"


def lesson_mark_applied(*, lesson: Lesson, by: User, context: str) -> tuple[Lesson, bool]:
    """Count one use of a published lesson; a second mark by the same user in the same context
    changes nothing. Returns the lesson (with its new count) and whether the mark was new."""
    require(may_mark_applied(by), "Your role does not mark lessons as applied.")
    if lesson.state != KnowledgeState.PUBLISHED:
        raise ValidationError({"lesson": "Only a published lesson can be marked as applied."})
    try:
        with transaction.atomic():
            LessonApplication.objects.create(lesson=lesson, by=by, context=context)
            Lesson.objects.filter(pk=lesson.pk).update(applied_count=F("applied_count") + 1)
    except IntegrityError:
        created = False
    else:
        created = True
    lesson.refresh_from_db(fields=["applied_count"])
    return lesson, created


def _check_article(fields: dict[str, Any], *, today: date) -> None:
    _require_text(fields, ARTICLE_TEXT)
    _require_choice(fields, "kind", ArticleKind)
    review = fields.get("next_review")
    if review is not None and review < today:
        raise ValidationError({"next_review": "The next review is today or later."})


@transaction.atomic
def article_create(*, owner: User, **fields: Any) -> Article:
    """Write an article as a draft (every role may), to be reviewed in six months unless said
    otherwise."""
    require(may_write_article(owner), "Your role does not write articles.")
    today = timezone.localdate()
    fields = {**{name: "" for name in ARTICLE_TEXT}, **fields}
    if fields.get("next_review") is None:
        fields["next_review"] = today + REVIEW_AFTER
    _check_article(fields, today=today)
    return Article.objects.create(owner=owner, **fields)


@transaction.atomic
def article_update(*, article: Article, by: Actor, **fields: Any) -> Article:
    """Edit an article: its owner or a publisher; like a lesson, a published article edited by
    someone else than a publisher goes back to draft."""
    article = Article.objects.select_for_update().get(pk=article.pk)
    require(
        may_edit_article(by, article),
        "Only its owner, a PMO lead or an ITSM manager edits an article.",
    )
    for name in ("state", "published_at", "owner"):
        fields.pop(name, None)
    if fields.get("next_review") == article.next_review:
        fields.pop("next_review")  # an overdue date left as it was is not an error
    _check_article(fields, today=timezone.localdate())
    _save_edit(article, fields, by=by, keeps_published=may_publish_articles(by))
    return article


@transaction.atomic
def article_transition(*, article: Article, to: str, by: Actor, comment: str = "") -> Article:
    """Publish, unpublish or archive an article: PMO leads and ITSM managers."""
    return _move(article, to=to, by=by, comment=comment)
