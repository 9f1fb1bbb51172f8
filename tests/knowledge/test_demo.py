"""The demo knowledge base: tied to the demo's own story, honest counts, idempotent."""

import pytest
from django.core.management import call_command
from django.db.models import Count
from django.utils import timezone

from knowledge.choices import KnowledgeState, LessonCategory
from knowledge.models import Article, Lesson, LessonApplication, Tag
from knowledge.similar import similar_lessons
from portfolio.models import Project

pytestmark = pytest.mark.django_db


def source_key(lesson: Lesson) -> str:
    """The source by its natural key: incidents and handovers are rebuilt on every run."""
    source = lesson.source
    if source is None:
        return ""
    key = getattr(source, "code", None) or getattr(source, "title", None) or source.project.code
    return f"{lesson.source_kind}:{key}"


def snapshot():
    lessons = sorted(
        (
            lesson.title,
            lesson.state,
            lesson.category,
            str(lesson.service),
            source_key(lesson),
            lesson.applied_count,
            tuple(sorted(t.name for t in lesson.tags.all())),
        )
        for lesson in Lesson.objects.prefetch_related("tags")
    )
    articles = sorted(
        Article.objects.values_list(
            "title", "state", "kind", "service__name", "incident__title", "next_review"
        )
    )
    return lessons, articles, LessonApplication.objects.count(), Tag.objects.count()


def test_demo_knowledge_is_idempotent_with_honest_counts():
    # given
    call_command("seed_demo")
    first = snapshot()

    # when
    call_command("seed_demo")

    # then nothing is duplicated, and every source is re-linked to the rebuilt objects
    assert snapshot() == first
    lessons = Lesson.objects.annotate(marks=Count("applications"))
    assert all(lesson.applied_count == lesson.marks for lesson in lessons)
    assert Lesson.objects.filter(incident__isnull=False).count() >= 8
    assert Lesson.objects.filter(handover__isnull=False).count() >= 2


def test_demo_knowledge_tells_the_demos_story():
    # when
    call_command("seed_demo")

    # then: every category, most published, a publisher's queue, an archive
    lessons = Lesson.objects.all()
    # (the current quarter's and those of the year before it, knowledge/demo_history.py)
    assert 40 <= lessons.count() <= 70
    assert set(lessons.values_list("category", flat=True)) == set(LessonCategory.values)
    states = {s: lessons.filter(state=s).count() for s in KnowledgeState.values}
    assert states["published"] > 30 and states["draft"] >= 3 and states["archived"] >= 1
    assert not lessons.filter(state="published", published_at=None).exists()
    assert not lessons.filter(state="draft").exclude(published_at=None).exists()
    assert lessons.filter(applied_count__gte=5).exists()

    # the backed-out payments release and its P1 each taught something
    assert lessons.filter(change__outcome="backed_out", state="published").exists()
    assert lessons.filter(incident__priority=1, state="published").exists()

    # runbooks, how-tos and known errors; some reviews due
    articles = Article.objects.all()
    assert 10 <= articles.count() <= 20
    assert set(articles.values_list("kind", flat=True)) == {"runbook", "how_to", "known_error"}
    assert (
        articles.filter(kind="known_error", incident__state__in=("resolved", "closed")).count() >= 3
    )
    assert articles.filter(state="published", next_review__lt=timezone.localdate()).count() >= 2

    # the open banking proposal meets the lessons of the payments gateway's failures
    proposal = Project.objects.get(code="PRJ-0119")
    found = similar_lessons(
        text=f"{proposal.name} {proposal.summary}",
        service_ids=list(proposal.services.values_list("pk", flat=True)),
    )
    payments = [
        lesson
        for lesson in found
        if lesson.service_id in set(proposal.services.values_list("pk", flat=True))
    ]
    assert any(lesson.change and lesson.change.outcome == "backed_out" for lesson in payments)
