"""The knowledge base in the inbox: lessons waiting for a publisher (due a week after they
were written, while the story is fresh), and the articles a person owns that are due for
review (a runbook nobody re-reads goes stale), listed from a week before their review date."""

from datetime import timedelta

from django.db.models import F, QuerySet
from django.db.models.functions import TruncDate
from django.utils.timezone import localdate

from itsm_pmo.home import Clock, QuerySource, WorkItem, on

from .choices import KnowledgeState
from .models import Article, Lesson
from .permissions import may_publish_lessons, may_write_article

PUBLISH_WITHIN = timedelta(days=7)
REVIEW_AHEAD = timedelta(days=7)


def lessons_to_publish() -> QuerySet[Lesson]:
    """Draft lessons, the oldest first: each is due PUBLISH_WITHIN after it was written."""
    return (
        Lesson.objects.filter(state=KnowledgeState.DRAFT)
        .select_related("author")
        .annotate(due=TruncDate(F("created_at") + PUBLISH_WITHIN))
        .order_by("due", "pk")
    )


def _lesson(lesson, clock: Clock) -> WorkItem:
    author = lesson.author.get_full_name() or lesson.author.username
    return WorkItem(
        title=lesson.title,
        url=lesson.get_absolute_url(),
        action="Read it, then publish it or ask the author for more",
        due=lesson.due,
        meta=f"by {author} · written {on(localdate(lesson.created_at), clock)}",
        badge=lesson.get_category_display(),
        tone="light",
    )


to_publish = QuerySource(
    kind="lessons-to-publish",
    title="Lessons to publish",
    icon="journal-check",
    who=may_publish_lessons,
    rows=lambda user, clock: lessons_to_publish(),
    entry=_lesson,
    order=60,
    empty="No lesson waits for publishing.",
    link=("Lessons", "knowledge:index"),
)


def articles_to_review(user, clock: Clock) -> QuerySet[Article]:
    """The user's articles (not archived) whose review date has come or comes this week."""
    return (
        Article.objects.filter(owner=user, next_review__lt=clock.today + REVIEW_AHEAD)
        .exclude(state=KnowledgeState.ARCHIVED)
        .annotate(due=F("next_review"))
        .order_by("due", "pk")
    )


def _article(article, clock: Clock) -> WorkItem:
    return WorkItem(
        title=article.title,
        url=article.get_absolute_url(),
        action="Check it is still true, then set the next review",
        due=article.due,
        meta=f"{article.get_kind_display()} · {article.get_state_display()}",
        badge=article.get_kind_display(),
        tone="light",
    )


to_review = QuerySource(
    kind="articles-to-review",
    title="Articles due for your review",
    icon="journal-text",
    who=may_write_article,
    rows=articles_to_review,
    entry=_article,
    order=70,
    empty="None of your articles is due for review.",
    link=("Articles", "knowledge:article_list"),
)
