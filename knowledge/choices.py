"""Vocabulary of the knowledge base: lesson categories, states, article kinds, source kinds."""

from django.db import models


class LessonCategory(models.TextChoices):
    SCHEDULING = "scheduling", "Scheduling"
    RESOURCING = "resourcing", "Resourcing"
    HANDOVER = "handover", "Handover"
    CHANGE = "change", "Change"
    TECHNICAL = "technical", "Technical"
    VENDOR = "vendor", "Vendor"
    COMMUNICATION = "communication", "Communication"


class Impact(models.TextChoices):
    LOW = "low", "Low"
    MEDIUM = "medium", "Medium"
    HIGH = "high", "High"


class KnowledgeState(models.TextChoices):
    """One life cycle for lessons and articles: only published ones are searched and surfaced."""

    DRAFT = "draft", "Draft"
    PUBLISHED = "published", "Published"
    ARCHIVED = "archived", "Archived"


class ArticleKind(models.TextChoices):
    RUNBOOK = "runbook", "Runbook"
    HOW_TO = "how_to", "How-to"
    KNOWN_ERROR = "known_error", "Known error"


class SourceKind(models.TextChoices):
    """Where a lesson came from: the field of Lesson that holds it has the same name."""

    PROJECT = "project", "Project"
    CHANGE = "change", "Change"
    INCIDENT = "incident", "Incident"
    HANDOVER = "handover", "Handover"


# The category a lesson captured at a source starts with.
CATEGORY_FOR_SOURCE = {
    SourceKind.PROJECT: LessonCategory.SCHEDULING,
    SourceKind.CHANGE: LessonCategory.CHANGE,
    SourceKind.INCIDENT: LessonCategory.TECHNICAL,
    SourceKind.HANDOVER: LessonCategory.HANDOVER,
}
