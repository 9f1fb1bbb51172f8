"""The knowledge base in the inbox: drafts wait for a publisher, articles for their owner's
review."""

from datetime import timedelta

import pytest
from django.utils import timezone

from itsm_pmo.home import Band, Clock
from knowledge.choices import KnowledgeState
from knowledge.home import to_publish, to_review

from .factories import ArticleFactory, LessonFactory

pytestmark = pytest.mark.django_db


def test_home_draft_lessons_wait_for_publishers_a_week_at_most(role_user):
    # given a draft written ten days ago, a fresh one and a published one
    old = LessonFactory(title="Old draft")
    old.__class__.objects.filter(pk=old.pk).update(created_at=timezone.now() - timedelta(days=10))
    LessonFactory(title="Fresh draft")
    LessonFactory(title="Out there", published=True)
    clock = Clock.current()
    # then publishers find both drafts, the old one overdue and first
    found = to_publish.entries(role_user("pmo_lead"), clock, 0, 5)
    assert [item.title for item in found] == ["Old draft", "Fresh draft"]
    assert clock.band(found[0].due) == Band.OVERDUE
    assert to_publish.asks(role_user("itsm_manager"))
    # and those who do not publish are not asked
    assert not to_publish.asks(role_user("engineer")) and not to_publish.asks(
        role_user("executive")
    )


def test_home_articles_wait_for_their_owners_review(role_user):
    engineer = role_user("engineer")
    today = timezone.localdate()
    ArticleFactory(owner=engineer, title="Due", next_review=today - timedelta(days=2))
    ArticleFactory(owner=engineer, title="This week", next_review=today + timedelta(days=3))
    ArticleFactory(owner=engineer, title="Next quarter", next_review=today + timedelta(days=90))
    ArticleFactory(
        owner=engineer,
        title="Archived",
        next_review=today - timedelta(days=9),
        state=KnowledgeState.ARCHIVED,
    )
    ArticleFactory(title="Someone else's", next_review=today - timedelta(days=2))
    found = to_review.entries(engineer, Clock.current(), 0, 5)
    assert [item.title for item in found] == ["Due", "This week"]
    assert found[0].action == "Check it is still true, then set the next review"
