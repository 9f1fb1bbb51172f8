"""The lessons most relevant to what someone is writing now (a proposal, a change, a project).

Relevance is text similarity to the title and summary being written, boosted when the lesson
is about the same service or the same category: the lesson from the same service's earlier
failure is the one that matters. Only published lessons are surfaced.

PostgreSQL: the text's words, each stemmed, any of them matching the stored weighted vector
(a GIN lookup), ranked by ts_rank normalised by length. SQLite: the same idea in Python over
the published lessons (a TF-IDF weighted word overlap), which is plenty for a demo's hundreds.
"""

import math
from collections import Counter

from django.contrib.postgres.search import SearchRank
from django.db.models import F, FloatField, Q, Value, When
from django.db.models.expressions import Case, ExpressionWrapper

from .choices import KnowledgeState
from .models import Lesson
from .search import any_word_query, full_text, stem, words_of

SERVICE_BOOST = 0.6
CATEGORY_BOOST = 0.3
# ts_rank normalisation 1: divide by 1 + log(length), so a long lesson does not win on bulk.
LENGTH_NORMALISED = 1

STOP_WORDS = frozenset(
    """a an and are as at be been but by for from has have in into is it its
of on or our so that the their then there these this to was we were will with within without
new project projects""".split()
)


def similar_lessons(
    *,
    text: str,
    service_ids=(),
    category: str = "",
    exclude_project_id: int | None = None,
    exclude_change_id: int | None = None,
    limit: int = 5,
) -> list[Lesson]:
    """Up to `limit` published lessons, most relevant to `text` first; not those a project
    taught itself (through its changes, incidents and handover too), nor a change's own."""
    candidates = Lesson.objects.filter(state=KnowledgeState.PUBLISHED).select_related(
        "service", "project", "change", "incident", "handover"
    )
    if exclude_project_id:
        candidates = candidates.exclude(
            Q(project_id=exclude_project_id)
            | Q(change__project_id=exclude_project_id)
            | Q(incident__project_id=exclude_project_id)
            | Q(handover__project_id=exclude_project_id)
        )
    if exclude_change_id:
        candidates = candidates.exclude(change_id=exclude_change_id)
    service_ids = [int(s) for s in service_ids if s]
    if full_text():
        return _similar_full_text(candidates, text, service_ids, category, limit)
    return _similar_plain(candidates, text, service_ids, category, limit)


def _boost(service_ids, category):
    boost = Value(1.0)
    if service_ids:
        boost = boost + Case(
            When(service_id__in=service_ids, then=Value(SERVICE_BOOST)),
            default=Value(0.0),
            output_field=FloatField(),
        )
    if category:
        boost = boost + Case(
            When(category=category, then=Value(CATEGORY_BOOST)),
            default=Value(0.0),
            output_field=FloatField(),
        )
    return boost


def _similar_full_text(candidates, text, service_ids, category, limit):
    query = any_word_query(" ".join(w for w in words_of(text) if w not in STOP_WORDS))
    if query is None:
        return []
    rank = SearchRank(F("search_vector"), query, normalization=Value(LENGTH_NORMALISED))
    score = ExpressionWrapper(rank * _boost(service_ids, category), output_field=FloatField())
    return list(
        candidates.filter(search_vector=query)
        .annotate(score=score)
        .order_by("-score", "-applied_count", "-pk")[:limit]
    )


def _stems(text: str) -> list[str]:
    return [stem(w) for w in words_of(text, limit=10_000) if w not in STOP_WORDS]


def _similar_plain(candidates, text, service_ids, category, limit):
    wanted = set(_stems(text))
    if not wanted:
        return []
    rows = list(
        candidates.values_list(
            "pk", "title", "recommendation", "what_happened", "service_id", "category"
        )
    )
    documents = {}
    for pk, title, recommendation, body, *_ in rows:
        weights: Counter = Counter()
        for field_text, weight in ((title, 3), (recommendation, 2), (body, 1)):
            for shared in set(_stems(field_text)) & wanted:
                weights[shared] = max(weights[shared], weight)
        documents[pk] = weights
    frequency = Counter(stem for weights in documents.values() for stem in weights)
    scores = {}
    for pk, _, _, _, service_id, lesson_category in rows:
        relevance = sum(
            weight * math.log(1 + len(rows) / frequency[stem])
            for stem, weight in documents[pk].items()
        )
        if relevance <= 0:
            continue
        boost = (
            1
            + (SERVICE_BOOST if service_id in service_ids else 0)
            + (CATEGORY_BOOST if category and lesson_category == category else 0)
        )
        scores[pk] = relevance * boost
    best = sorted(scores, key=lambda pk: (-scores[pk], -pk))[:limit]
    by_pk = candidates.in_bulk(best)
    lessons = [by_pk[pk] for pk in best]
    for lesson in lessons:
        lesson.score = scores[lesson.pk]
    return lessons
