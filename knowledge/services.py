"""Writes of the knowledge base: write and edit lessons and articles, publish, archive, and
mark a lesson applied. Each write is one transaction; nothing is half-saved."""

from datetime import date, timedelta

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone
from django.utils.text import slugify

from itsm_pmo.domain import guard_transition

from .choices import (
    KNOWLEDGE_TRANSITIONS,
    ArticleKind,
    Impact,
    KnowledgeState,
    LessonCategory,
    SourceKind,
)
from .models import LONGEST_TEXT, SOURCE_FIELDS, Article, Lesson, LessonApplication, Tag
from .selectors import may_edit_article, may_edit_lesson

MAX_TAGS = 10
REVIEW_AFTER = timedelta(days=180)
LESSON_TEXT = {
    "title": "Give the lesson a short title.",
    "what_happened": "Say what happened.",
    "recommendation": "Say what the next team should do.",
}
ARTICLE_TEXT = {"title": "Give the article a title.", "body": "Write the article."}


def parse_tags(value) -> list[str]:
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


def _require_text(fields: dict, required: dict[str, str]) -> None:
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


def _require_choice(fields: dict, name: str, choices) -> None:
    if name in fields and fields[name] not in choices.values:
        raise ValidationError({name: f"Choose one of: {', '.join(choices.values)}."})


def service_of_source(kind: str, source) -> int | None:
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


def _check_lesson(fields: dict) -> None:
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
def lesson_create(*, author, tags=(), **fields) -> Lesson:
    """Write a lesson as a draft. Its service defaults to its source's."""
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
def lesson_update(*, lesson: Lesson, by, tags=None, **fields) -> Lesson:
    """Edit a lesson's text, category, impact, service or source: its author or a publisher.
    A published lesson that someone else than a publisher edits goes back to draft, so what
    everyone reads has always passed a publisher. Its state moves only by lesson_transition."""
    lesson = Lesson.objects.select_for_update().get(pk=lesson.pk)
    if not may_edit_lesson(by, lesson):
        raise PermissionDenied("Only its author, a PMO lead or an ITSM manager edits a lesson.")
    for name in ("state", "author", "applied_count", "published_at"):
        fields.pop(name, None)
    if any(name in fields for name in SOURCE_FIELDS):
        merged = {f: getattr(lesson, f) for f in SOURCE_FIELDS}
        merged.update({f: fields[f] for f in SOURCE_FIELDS if f in fields})
        _check_lesson({**fields, **merged})
    else:
        _check_lesson(fields)
    for name, value in fields.items():
        setattr(lesson, name, value)
    _unpublish_unless_publisher(lesson, by, "knowledge.publish_lesson")
    lesson.save()
    if tags is not None:
        _set_tags(lesson, parse_tags(tags))
    return lesson


def _unpublish_unless_publisher(obj, by, permission: str) -> None:
    if obj.state == KnowledgeState.PUBLISHED and not by.has_perm(permission):
        obj.state, obj.published_at = KnowledgeState.DRAFT, None
        obj._change_reason = "Edited: back to draft until a publisher publishes it again"


def _move(obj, *, noun: str, to: str, by, comment: str, permission: str):
    if not by.has_perm(permission):
        raise PermissionDenied(f"Only PMO leads and ITSM managers publish or archive {noun}s.")
    allowed = list(KNOWLEDGE_TRANSITIONS[obj.state])
    guard_transition(
        noun=noun,
        states=KnowledgeState,
        table=KNOWLEDGE_TRANSITIONS,
        current=obj.state,
        to=to,
        blockers=[],
        allowed=allowed,
        needs_comment=False,
        comment=comment,
    )
    obj.state = to
    if to == KnowledgeState.PUBLISHED:
        obj.published_at = timezone.now()
    elif to == KnowledgeState.DRAFT:
        obj.published_at = None  # a draft is not published; archiving keeps the date
    obj._change_reason = comment or None  # kept in the text's history
    obj.save(update_fields=["state", "published_at", "updated_at"])
    return obj


@transaction.atomic
def lesson_transition(*, lesson: Lesson, to: str, by, comment: str = "") -> Lesson:
    """Publish, unpublish (back to draft) or archive a lesson: PMO leads and ITSM managers."""
    lesson = Lesson.objects.select_for_update().get(pk=lesson.pk)
    return _move(
        lesson, noun="lesson", to=to, by=by, comment=comment, permission="knowledge.publish_lesson"
    )


def application_context(*, project=None, change=None, handover=None, proposal: str = "") -> str:
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


def lesson_mark_applied(*, lesson: Lesson, by, context: str) -> tuple[Lesson, bool]:
    """Count one use of a published lesson; a second mark by the same user in the same context
    changes nothing. Returns the lesson (with its new count) and whether the mark was new."""
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


def _check_article(fields: dict, *, today: date) -> None:
    _require_text(fields, ARTICLE_TEXT)
    _require_choice(fields, "kind", ArticleKind)
    review = fields.get("next_review")
    if review is not None and review < today:
        raise ValidationError({"next_review": "The next review is today or later."})


@transaction.atomic
def article_create(*, owner, **fields) -> Article:
    """Write an article as a draft, to be reviewed in six months unless said otherwise."""
    today = timezone.localdate()
    fields = {**{name: "" for name in ARTICLE_TEXT}, **fields}
    if fields.get("next_review") is None:
        fields["next_review"] = today + REVIEW_AFTER
    _check_article(fields, today=today)
    return Article.objects.create(owner=owner, **fields)


@transaction.atomic
def article_update(*, article: Article, by, **fields) -> Article:
    """Edit an article: its owner or a publisher; like a lesson, a published article edited by
    someone else than a publisher goes back to draft."""
    article = Article.objects.select_for_update().get(pk=article.pk)
    if not may_edit_article(by, article):
        raise PermissionDenied("Only its owner, a PMO lead or an ITSM manager edits an article.")
    for name in ("state", "published_at"):
        fields.pop(name, None)
    if fields.get("next_review") == article.next_review:
        fields.pop("next_review")  # an overdue date left as it was is not an error
    _check_article(fields, today=timezone.localdate())
    for name, value in fields.items():
        setattr(article, name, value)
    _unpublish_unless_publisher(article, by, "knowledge.publish_article")
    article.save()
    return article


@transaction.atomic
def article_transition(*, article: Article, to: str, by, comment: str = "") -> Article:
    """Publish, unpublish or archive an article: PMO leads and ITSM managers."""
    article = Article.objects.select_for_update().get(pk=article.pk)
    return _move(
        article,
        noun="article",
        to=to,
        by=by,
        comment=comment,
        permission="knowledge.publish_article",
    )
