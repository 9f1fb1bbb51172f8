"""Lessons learned and knowledge articles.

Both carry a `search_vector` that PostgreSQL keeps itself (a trigger, migration 0002): title
weighted above the recommendation above the body, English stemming, a GIN index. On SQLite the
column stays empty and search falls back to plain matching (see search.py).

Two trails: every move between states is a LessonTransition / ArticleTransition (append-only,
with the mover's comment); edits of the text stay in django-simple-history's records.
"""

from django.conf import settings
from django.contrib.postgres.search import SearchVectorField
from django.db import models
from django.db.models import Q
from django.urls import reverse
from simple_history.models import HistoricalRecords

from itsm_pmo.dates import plausible_date
from itsm_pmo.models import TransitionRecord
from itsm_pmo.text import MARKDOWN, BoundedTextField

from .choices import ArticleKind, Impact, KnowledgeState, LessonCategory, SourceKind

SOURCE_FIELDS = tuple(SourceKind.values)
# A lesson or article is read, not archived: 20,000 characters is ten pages, and keeps every
# text well inside PostgreSQL's limit for a search vector.
LONGEST_TEXT = MARKDOWN


def _at_most_one_source() -> Q:
    none = Q(**{f"{f}__isnull": True for f in SOURCE_FIELDS})
    exactly = [Q(**{f"{g}__isnull": g != f for g in SOURCE_FIELDS}) for f in SOURCE_FIELDS]
    condition = none
    for q in exactly:
        condition |= q
    return condition


class Tag(models.Model):
    """A free label on lessons ("dns", "cutover"): lower-case, hyphenated."""

    name = models.SlugField(max_length=40, unique=True)

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class Lesson(models.Model):
    """What happened, and what to do next time: captured where work ends, surfaced where the
    next decision is made. One source at most (a project, change, incident or handover)."""

    title = models.CharField(max_length=200)
    what_happened = BoundedTextField(
        max_length=LONGEST_TEXT, help_text="Markdown. The facts: what went wrong or well."
    )
    recommendation = BoundedTextField(
        max_length=LONGEST_TEXT,
        verbose_name="what to do next time",
        help_text="Markdown. What the next team should do differently.",
    )
    category = models.CharField(max_length=20, choices=LessonCategory.choices)
    tags = models.ManyToManyField(Tag, blank=True, related_name="lessons")
    impact = models.CharField(max_length=10, choices=Impact.choices, default=Impact.MEDIUM)
    state = models.CharField(
        max_length=20,
        choices=KnowledgeState.choices,
        default=KnowledgeState.DRAFT,
        editable=False,
        db_index=True,
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="lessons"
    )
    service = models.ForeignKey(
        "portfolio.Service",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="lessons",
        help_text="The service it concerns; similar work on the same service meets it first.",
    )
    project = models.ForeignKey(
        "portfolio.Project",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="lessons",
    )
    change = models.ForeignKey(
        "changes.ChangeRequest",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="lessons",
    )
    incident = models.ForeignKey(
        "handover.Incident",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="lessons",
    )
    handover = models.ForeignKey(
        "handover.Handover",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="lessons",
    )
    applied_count = models.PositiveIntegerField(
        default=0, editable=False, help_text="How often it was marked as applied."
    )
    published_at = models.DateTimeField(null=True, blank=True, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    search_vector = SearchVectorField(null=True, editable=False)
    history = HistoricalRecords(excluded_fields=["updated_at", "search_vector", "applied_count"])

    class Meta:
        ordering = ["-published_at", "-pk"]
        permissions = [("publish_lesson", "Can publish, unpublish and archive lessons")]
        constraints = [
            models.CheckConstraint(
                condition=_at_most_one_source(), name="lesson_at_most_one_source"
            )
        ]
        # The lists' order has its index on PostgreSQL only (NULLS LAST; migration 0006).

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("knowledge:lesson_detail", args=[self.pk])

    @property
    def source_kind(self) -> str:
        return next((f for f in SOURCE_FIELDS if getattr(self, f"{f}_id")), "")

    @property
    def source(self):
        kind = self.source_kind
        return getattr(self, kind) if kind else None


class LessonApplication(models.Model):
    """One user saying "I applied this lesson" in one context; the lesson counts them."""

    lesson = models.ForeignKey(Lesson, on_delete=models.CASCADE, related_name="applications")
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="lesson_applications"
    )
    # "project:12", "change:40", "handover:3" or "proposal:<title>": one mark per user and
    # context, so a second click on the same page does not count twice.
    context = models.CharField(max_length=140)
    applied_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-applied_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["lesson", "by", "context"], name="one_application_per_user_and_context"
            )
        ]

    def __str__(self) -> str:
        return f"{self.by} applied {self.lesson} ({self.context})"


class Article(models.Model):
    """A knowledge article: a runbook, a how-to or a known error, owned and reviewed."""

    title = models.CharField(max_length=200)
    body = BoundedTextField(max_length=LONGEST_TEXT, help_text="Markdown.")
    kind = models.CharField(max_length=20, choices=ArticleKind.choices, default=ArticleKind.HOW_TO)
    service = models.ForeignKey(
        "portfolio.Service",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="articles",
    )
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="knowledge_articles"
    )
    next_review = models.DateField(
        help_text="When the owner checks it is still true.", validators=[plausible_date]
    )
    state = models.CharField(
        max_length=20,
        choices=KnowledgeState.choices,
        default=KnowledgeState.DRAFT,
        editable=False,
        db_index=True,
    )
    incident = models.ForeignKey(
        "handover.Incident",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="articles",
        help_text="The incident a known error was written from.",
    )
    published_at = models.DateTimeField(null=True, blank=True, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    search_vector = SearchVectorField(null=True, editable=False)
    history = HistoricalRecords(excluded_fields=["updated_at", "search_vector"])

    class Meta:
        ordering = ["title", "pk"]
        permissions = [("publish_article", "Can publish, unpublish and archive articles")]
        # The lists' order (selectors.articles_visible_to): a page is read off the index.
        indexes = [models.Index(fields=["-updated_at", "-id"], name="article_last_edited_first")]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("knowledge:article_detail", args=[self.pk])


class LessonTransition(TransitionRecord):
    """One move of a lesson through the knowledge life cycle: who, when, from, to and why."""

    lesson = models.ForeignKey(Lesson, on_delete=models.CASCADE, related_name="transitions")
    subject_field = "lesson"

    class Meta(TransitionRecord.Meta):
        pass


class ArticleTransition(TransitionRecord):
    """One move of an article through the knowledge life cycle: who, when, from, to and why."""

    article = models.ForeignKey(Article, on_delete=models.CASCADE, related_name="transitions")
    subject_field = "article"

    class Meta(TransitionRecord.Meta):
        pass
