"""Search over lessons and articles: ranked full-text search on PostgreSQL, plain matching
on SQLite.

On PostgreSQL a query is a web-search query ("dns cutover", "\"vendor delay\"", "-test") over
the stored weighted vectors (title A, recommendation B, body C) with English stemming, ranked
by ts_rank, with a highlighted snippet cut by ts_headline. When no row holds every word the
search widens to any word, still ranked, so a long query is not a dead end. On SQLite (the
embedded default) rows must contain every word somewhere; a title match counts most.
"""

import operator
import re
from dataclasses import dataclass
from functools import reduce

from django.contrib.postgres.search import SearchHeadline, SearchQuery, SearchRank
from django.db import connection
from django.db.models import F, IntegerField, Q, QuerySet, TextField, Value, When
from django.db.models.expressions import Case
from django.db.models.functions import Concat, Replace
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

CONFIG = "english"
# ts_headline marks matches with these; the snippet is escaped, then they become <mark>.
START, STOP = "\x02", "\x03"
WORD = re.compile(r"\w+")
# Markdown's emphasis, code and heading marks read as noise in a one-line snippet.
MARKDOWN_MARKS = re.compile(r"\*\*|__|`|(?:^|(?<=\s))#{1,6}\s")


@dataclass(frozen=True)
class Searchable:
    """How a model is searched: its text fields with their weights, and the snippet's fields."""

    weights: dict[str, int]
    snippet_fields: tuple[str, ...]


LESSONS = Searchable(
    weights={"title": 3, "recommendation": 2, "what_happened": 1},
    snippet_fields=("what_happened", "recommendation"),
)
ARTICLES = Searchable(weights={"title": 3, "body": 1}, snippet_fields=("body",))


def full_text() -> bool:
    return connection.vendor == "postgresql"


LONGEST_WORD = 40  # longer "words" are pasted noise (hashes, base64), not search terms


def words_of(text: str, limit: int = 40) -> list[str]:
    """The distinct words of `text`, lower-cased, in order; at most `limit`."""
    seen: dict[str, None] = {}
    for word in WORD.findall((text or "").lower()):
        if 1 < len(word) <= LONGEST_WORD:
            seen.setdefault(word, None)
    return list(seen)[:limit]


# A light stemmer for the SQLite fallback, so "certificates" finds "certificate" and
# "overbooking" finds "overbooked"; PostgreSQL's Snowball stemmer does this properly.
SUFFIXES = (
    "ations",
    "ation",
    "ates",
    "ated",
    "ate",
    "ings",
    "ing",
    "ies",
    "ied",
    "ed",
    "es",
    "e",
    "s",
    "y",
)


def stem(word: str) -> str:
    """`word` without its first matching English suffix, keeping a stem of 3 letters or more."""
    for suffix in SUFFIXES:
        if word.endswith(suffix) and len(word) - len(suffix) >= 3:
            return word[: -len(suffix)]
    return word


def stems_of(text: str, limit: int = 40) -> list[str]:
    """The distinct stems of the words of `text`, in order."""
    return list(dict.fromkeys(stem(w) for w in words_of(text, limit=limit)))


def any_word_query(text: str) -> SearchQuery | None:
    """A query matching any word of `text` (each stemmed); None when it has no words."""
    words = words_of(text)
    if not words:
        return None
    return reduce(operator.or_, (SearchQuery(w, config=CONFIG) for w in words))


def ranked(queryset: QuerySet, q: str, how: Searchable) -> QuerySet:
    """The rows of `queryset` matching `q`, best first, each with `rank` (and, on
    PostgreSQL, `headline`)."""
    if not words_of(q):
        return queryset.none()
    if full_text():
        return _ranked_full_text(queryset, q, how)
    return _ranked_plain(queryset, q, how)


def _ranked_full_text(queryset, q, how):
    query = SearchQuery(q, config=CONFIG, search_type="websearch")
    matched = queryset.filter(search_vector=query)
    if not matched.exists():
        query = any_word_query(q)
        matched = queryset.filter(search_vector=query)
    text = _text_of(how.snippet_fields)
    return matched.annotate(
        rank=SearchRank(F("search_vector"), query),
        headline=SearchHeadline(
            text,
            query,
            config=CONFIG,
            start_sel=START,
            stop_sel=STOP,
            max_words=28,
            min_words=12,
            max_fragments=2,
            fragment_delimiter=" … ",
        ),
    ).order_by("-rank", "-pk")


def _text_of(fields: tuple[str, ...]):
    """The snippet's text: one field, or several joined by new lines, without the markers."""
    parts: list = []
    for name in fields:
        parts.extend([F(name), Value("\n")])
    text = Concat(*parts[:-1], output_field=TextField()) if len(fields) > 1 else F(fields[0])
    # The author's text must not carry the markers ts_headline puts around matches.
    return Replace(Replace(text, Value(START), Value("")), Value(STOP), Value(""))


def _ranked_plain(queryset, q, how):
    words = stems_of(q, limit=8)
    for word in words:
        queryset = queryset.filter(
            reduce(operator.or_, (Q(**{f"{f}__icontains": word}) for f in how.weights))
        )
    score = reduce(
        operator.add,
        (
            Case(
                When(**{f"{field}__icontains": word}, then=Value(weight)),
                default=Value(0),
                output_field=IntegerField(),
            )
            for word in words
            for field, weight in how.weights.items()
        ),
    )
    return queryset.annotate(rank=score).order_by("-rank", "-pk")


def snippet(obj, q: str, how: Searchable, *, width: int = 220) -> SafeString:
    """A short excerpt of `obj` around what `q` matched, with the matches in <mark>; escaped,
    so the author's text never becomes markup."""
    headline = getattr(obj, "headline", None)
    if headline is None:
        text = " ".join(getattr(obj, f) for f in how.snippet_fields)
        headline = _plain_headline(
            text.replace(START, "").replace(STOP, ""), stems_of(q, limit=8), width
        )
    # Escaped first; taking characters out cannot make markup; only <mark> is added.
    text = MARKDOWN_MARKS.sub("", escape(headline))
    return mark_safe(text.replace(START, "<mark>").replace(STOP, "</mark>"))  # noqa: S308


def _plain_headline(text: str, words: list[str], width: int) -> str:
    text = " ".join(text.split())
    lower = text.lower()
    hits = [i for w in words if (i := lower.find(w)) >= 0]
    start = max(0, min(hits) - width // 4) if hits else 0
    excerpt = text[start : start + width]
    if words:
        # Mark whole words that start with a stem: "certificate" for "certificates".
        alternatives = "|".join(map(re.escape, words))
        pattern = re.compile(rf"\w*(?:{alternatives})\w*", re.IGNORECASE)
        excerpt = pattern.sub(lambda m: f"{START}{m.group(0)}{STOP}", excerpt)
    return ("… " if start else "") + excerpt + (" …" if start + width < len(text) else "")
