"""The knowledge base's panels on the home page: drafts waiting for a publisher, and the
articles a user owns that are due for review (a runbook nobody re-reads goes stale)."""

from django.urls import reverse
from django.utils import timezone

from itsm_pmo.home import WorkItem, WorkPanel

from .choices import KnowledgeState
from .models import Article, Lesson
from .permissions import may_publish_lessons


def drafts_panel(user) -> WorkPanel | None:
    if not may_publish_lessons(user):
        return None
    drafts = (
        Lesson.objects.filter(state=KnowledgeState.DRAFT)
        .select_related("author")
        .order_by("-created_at", "-pk")[:6]
    )
    items = [
        WorkItem(
            title=lesson.title,
            url=lesson.get_absolute_url(),
            meta=f"by {lesson.author.get_full_name() or lesson.author.username}"
            f" · {lesson.created_at:%d %b}",
            badge=lesson.get_category_display(),
        )
        for lesson in drafts
    ]
    return WorkPanel(
        title="Lessons waiting to be published",
        icon="journal-check",
        items=items,
        empty="No lesson waits for publishing.",
        more_url=f"{reverse('knowledge:index')}?state=draft",
        order=60,
    )


def review_panel(user) -> WorkPanel | None:
    today = timezone.localdate()
    due = (
        Article.objects.filter(owner=user, next_review__lte=today)
        .exclude(state=KnowledgeState.ARCHIVED)
        .order_by("next_review", "pk")[:6]
    )
    items = [
        WorkItem(
            title=article.title,
            url=article.get_absolute_url(),
            meta=f"review was due {article.next_review:%d %b %Y}",
            badge=article.get_kind_display(),
            tone="warning",
        )
        for article in due
    ]
    if not items:
        return None  # most people own no overdue article; no empty panel for them
    return WorkPanel(
        title="Articles due for your review",
        icon="journal-text",
        items=items,
        more_url=f"{reverse('knowledge:article_list')}?review_due=true",
        order=70,
    )
