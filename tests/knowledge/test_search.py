"""Search quality: the right lesson comes first for what people type (PostgreSQL full text),
titles outweigh bodies, words are stemmed, snippets are marked and escaped, the stored vector
follows edits; and the plain fallback that runs on SQLite."""

import pytest
from django.db import connection

from knowledge.choices import KnowledgeState
from knowledge.models import Article, Lesson
from knowledge.search import ARTICLES, LESSONS, ranked, snippet
from knowledge.selectors import published_lessons
from knowledge.services import lesson_update
from tests.factories import UserFactory

from .corpus import LESSONS as CORPUS
from .corpus import QUERIES, load_corpus
from .factories import ArticleFactory, LessonFactory

pytestmark = pytest.mark.django_db

postgres_only = pytest.mark.skipif(
    connection.vendor != "postgresql",
    reason="ranked full-text search (stored tsvector, trigger, GIN index, stemming) needs "
    "PostgreSQL; set DATABASE_URL=postgres://... to run it",
)


@pytest.fixture
def corpus():
    return load_corpus(UserFactory(username="corpus_author", roles=["engineer"]))


def titles(q: str) -> list[str]:
    return [row.title for row in ranked(published_lessons(), q, LESSONS)]


# --- the corpus (PostgreSQL) ------------------------------------------------------------------


def test_corpus_is_big_enough_and_every_answer_is_in_it():
    # given / when
    corpus_titles = [row["title"] for row in CORPUS]

    # then
    assert len(corpus_titles) >= 40 and len(set(corpus_titles)) == len(corpus_titles)
    assert len(QUERIES) == 10
    assert {answer for _, answer in QUERIES} <= set(corpus_titles)


@postgres_only
@pytest.mark.parametrize(("q", "answer"), QUERIES, ids=[q for q, _ in QUERIES])
def test_search_corpus_right_answer_in_top_3(corpus, q, answer):
    # given the published corpus

    # when
    found = titles(q)

    # then
    assert answer in found[:3], f"{q!r}: {answer!r} ranked {_rank(found, answer)} in {found[:5]}"


sqlite_only = pytest.mark.skipif(
    connection.vendor == "postgresql", reason="the plain fallback runs on SQLite only"
)


@sqlite_only
@pytest.mark.parametrize(("q", "answer"), QUERIES, ids=[q for q, _ in QUERIES])
def test_search_fallback_corpus_right_answer_in_top_3(corpus, q, answer):
    # given the published corpus

    # when
    found = titles(q)

    # then
    assert answer in found[:3], f"{q!r}: {answer!r} ranked {_rank(found, answer)} in {found[:5]}"


def _rank(found: list[str], answer: str):
    return found.index(answer) + 1 if answer in found else "nowhere"


@postgres_only
def test_search_title_outweighs_body():
    # given "rollback" in one lesson's title and in another's body (the body one is newer,
    # so it would win a tie)
    in_title = LessonFactory(
        published=True,
        title="Rollback took four hours",
        what_happened="The schema could not be undone.",
    )
    in_body = LessonFactory(
        published=True, title="Release went wrong", what_happened="The rollback took four hours."
    )

    # when
    found = list(ranked(published_lessons(), "rollback", LESSONS))

    # then
    assert [row.pk for row in found] == [in_title.pk, in_body.pk]
    assert found[0].rank > found[1].rank


@postgres_only
def test_search_recommendation_outweighs_what_happened():
    # given
    in_body = LessonFactory(published=True, title="A", what_happened="We had no pgbouncer.")
    in_recommendation = LessonFactory(
        published=True, title="B", recommendation="Put pgbouncer in front."
    )
    LessonFactory(published=True, title="C", what_happened="Unrelated.")

    # when
    found = [row.pk for row in ranked(published_lessons(), "pgbouncer", LESSONS)]

    # then
    assert found == [in_recommendation.pk, in_body.pk]


@postgres_only
def test_search_stems_words():
    # given
    lesson = LessonFactory(
        published=True,
        title="Data migration overran its window",
        what_happened="The servers failed twice.",
    )
    LessonFactory(published=True, title="Unrelated", what_happened="Nothing to see.")

    # when / then: plural and inflected forms find the stem
    assert titles("migrations") == [lesson.title]
    assert titles("failing") == [lesson.title]
    assert titles("migrate") == [lesson.title]


@postgres_only
def test_search_widens_to_any_word_when_no_row_has_them_all():
    # given
    lesson = LessonFactory(published=True, title="Certificate expired on the load balancer")

    # when
    found = titles("certificate kangaroo")

    # then
    assert found == [lesson.title]


@postgres_only
def test_search_headline_marks_the_match_and_escapes_the_lesson_text():
    # given a body with markup in it
    LessonFactory(
        published=True,
        title="Escaping",
        what_happened="The template printed <b>x</b> and <script>alert(1)</script> "
        "next to the firewall rule.",
        recommendation="Escape user text.",
    )

    # when
    row = ranked(published_lessons(), "firewall", LESSONS).get()
    html = snippet(row, "firewall", LESSONS)

    # then: ts_headline drops the tags, what is left is escaped; only <mark> is markup
    assert "<mark>firewall</mark>" in html
    assert "<b>" not in html and "<script" not in html
    assert "printed" in html and "alert(1)" in html
    assert html.replace("<mark>", "").replace("</mark>", "").count("<") == 0


@postgres_only
def test_search_trigger_refreshes_the_vector_after_an_edit():
    # given
    editor = UserFactory(roles=["pmo_lead"])
    lesson = LessonFactory(published=True, title="Firewall rule missing")
    assert titles("firewall") == [lesson.title]

    # when
    lesson_update(lesson=lesson, by=editor, title="Load balancer pool missing")

    # then
    assert titles("balancer") == ["Load balancer pool missing"]
    assert titles("firewall") == []


@postgres_only
def test_search_trigger_fills_the_vector_of_bulk_writes():
    # given rows written without save() (bulk_create, as an import would)
    Lesson.objects.bulk_create(
        [
            Lesson(
                title="Bulk written lesson",
                what_happened="x",
                recommendation="y",
                category="technical",
                author=UserFactory(),
                state=KnowledgeState.PUBLISHED,
            )
        ]
    )

    # when / then
    assert titles("bulk") == ["Bulk written lesson"]


@postgres_only
@pytest.mark.parametrize("table", ["knowledge_lesson", "knowledge_article"])
def test_search_gin_index_exists(table):
    # given / when
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT indexdef FROM pg_indexes WHERE tablename = %s AND indexname = %s",
            [table, f"{table}_search_gin"],
        )
        rows = cursor.fetchall()

    # then
    assert len(rows) == 1 and "USING gin (search_vector)" in rows[0][0]


@postgres_only
def test_search_articles_title_outweighs_body():
    # given
    in_body = ArticleFactory(
        published=True, title="Network runbook", body="Renew the certificate on the F5."
    )
    in_title = ArticleFactory(published=True, title="Certificate renewal", body="Steps.")

    # when
    found = [row.pk for row in ranked(Article.objects.all(), "certificate", ARTICLES)]

    # then
    assert found == [in_title.pk, in_body.pk]


# --- both backends ------------------------------------------------------------------------


def test_search_finds_by_a_title_word():
    # given
    wanted = LessonFactory(published=True, title="Lower the DNS TTL before a cut-over")
    LessonFactory(published=True, title="Vendor delivery delayed the branch refresh")

    # when
    found = titles("dns")

    # then
    assert found == [wanted.title]


def test_search_needs_every_word_when_some_row_has_them_all():
    # given
    both = LessonFactory(published=True, title="Connection pool exhausted")
    LessonFactory(published=True, title="VPN connection drops")

    # when / then
    assert titles("connection pool") == [both.title]


def test_search_ranks_title_matches_above_body_matches():
    # given the body match is newer (it would win a tie on -pk)
    in_title = LessonFactory(published=True, title="Freeze exception refused")
    in_body = LessonFactory(
        published=True, title="Late go-live", what_happened="It landed in the freeze."
    )

    # when
    found = [row.pk for row in ranked(published_lessons(), "freeze", LESSONS)]

    # then
    assert found == [in_title.pk, in_body.pk]


def test_search_only_searches_the_queryset_it_is_given():
    # given
    LessonFactory(title="Firewall draft")  # a draft: not in published_lessons()
    LessonFactory(published=True, title="Firewall published")

    # when / then
    assert titles("firewall") == ["Firewall published"]


@pytest.mark.parametrize("q", ["", "   ", "!!", "a"])
def test_search_without_words_returns_no_rows(q):
    # given
    LessonFactory(published=True, title="A lesson about a firewall")

    # when / then
    assert titles(q) == []


def test_search_fallback_snippet_marks_matches_and_escapes():
    # given a lesson read without a headline (the plain fallback cuts the snippet itself)
    lesson = LessonFactory(
        published=True,
        what_happened="The <b>DNS</b> record kept a long TTL.",
        recommendation="Lower the TTL a week ahead.",
    )
    lesson = Lesson.objects.get(pk=lesson.pk)

    # when
    html = snippet(lesson, "ttl", LESSONS)

    # then
    assert html.count("<mark>TTL</mark>") == 2
    assert "<b>" not in html and "&lt;b&gt;DNS&lt;/b&gt;" in html


def test_search_fallback_snippet_cuts_around_the_first_match():
    # given a long body whose match is near the end
    lesson = LessonFactory(
        published=True,
        what_happened="filler " * 100 + "the kerberos ticket",
        recommendation="Rotate it.",
    )

    # when
    html = snippet(Lesson.objects.get(pk=lesson.pk), "kerberos", LESSONS, width=80)

    # then
    assert html.startswith("… ") and "<mark>kerberos</mark>" in html
    assert len(html) < 160


def test_search_every_row_has_a_rank():
    # given
    LessonFactory(published=True, title="Firewall rule", what_happened="Firewall.")

    # when
    row = ranked(published_lessons(), "firewall", LESSONS).get()

    # then
    assert row.rank > 0
