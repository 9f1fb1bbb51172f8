"""Factories of the knowledge base. `published=True` makes a lesson or article searchable."""

from datetime import timedelta

import factory
from django.utils import timezone

from knowledge.choices import ArticleKind, KnowledgeState, LessonCategory
from knowledge.models import Article, Lesson

from ..factories import UserFactory


class LessonFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Lesson
        skip_postgeneration_save = True

    title = factory.Sequence(lambda n: f"Lesson {n}")
    what_happened = "What happened, in a sentence or two."
    recommendation = "What to do next time."
    category = LessonCategory.TECHNICAL
    author = factory.SubFactory(UserFactory)

    class Params:
        published = factory.Trait(
            state=KnowledgeState.PUBLISHED, published_at=factory.LazyFunction(timezone.now)
        )


class ArticleFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Article

    title = factory.Sequence(lambda n: f"Article {n}")
    body = "## Steps\n\n1. Check the thing.\n2. Fix the thing."
    kind = ArticleKind.HOW_TO
    owner = factory.SubFactory(UserFactory)
    next_review = factory.LazyFunction(lambda: timezone.localdate() + timedelta(days=180))

    class Params:
        published = factory.Trait(
            state=KnowledgeState.PUBLISHED, published_at=factory.LazyFunction(timezone.now)
        )
