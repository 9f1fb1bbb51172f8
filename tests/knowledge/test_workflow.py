"""The knowledge life cycle: one list of moves, two tables (lessons, articles) that differ only
in the permission; every move recorded in an append-only trail with its comment, shown on the
page; a refused move answered in place with the API's status."""

import importlib
import re

import pytest
from django.apps import apps as global_apps
from django.core.exceptions import PermissionDenied
from django.test import Client

from itsm_pmo.models import AuditTrailIsAppendOnly
from itsm_pmo.workflow import TransitionRefused
from knowledge import services
from knowledge.choices import KnowledgeState
from knowledge.models import ArticleTransition, LessonTransition
from knowledge.workflow import ARTICLE_MOVES, LESSON_MOVES, ROWS
from tests.factories import UserFactory

from .factories import ArticleFactory, LessonFactory

# --- the tables (no database) ---------------------------------------------------------------


def test_tables_share_one_list_of_moves_and_differ_in_the_permission():
    # when
    lesson_rows, article_rows = LESSON_MOVES.as_rows(), ARTICLE_MOVES.as_rows()
    # then: the same moves, labels and (no) comments, in the same order
    assert [(r["from"], r["to"], r["label"]) for r in lesson_rows] == [
        (r["from"], r["to"], r["label"]) for r in article_rows
    ]
    assert len(lesson_rows) == len(ROWS) == 6
    assert {r["permission"] for r in lesson_rows} == {"knowledge.publish_lesson"}
    assert {r["permission"] for r in article_rows} == {"knowledge.publish_article"}
    assert not any(r["comment"] or r["checks"] for r in lesson_rows)


@pytest.mark.parametrize(
    ("state", "allowed"),
    [
        (KnowledgeState.DRAFT, ["published", "archived"]),
        (KnowledgeState.PUBLISHED, ["archived", "draft"]),
        (KnowledgeState.ARCHIVED, ["published", "draft"]),
    ],
)
def test_tables_allow_every_other_state(state, allowed):
    assert LESSON_MOVES.allowed(state, None) == allowed
    assert ARTICLE_MOVES.targets(state) == tuple(allowed)


# --- the trail ------------------------------------------------------------------------------


@pytest.mark.django_db
def test_lesson_moves_are_recorded_with_who_and_why(role_user):
    # given a draft
    lesson = LessonFactory()
    lead, manager = role_user("pmo_lead"), role_user("itsm_manager")
    # when it is published, then archived with a reason
    services.lesson_transition(lesson=lesson, to="published", by=lead)
    services.lesson_transition(lesson=lesson, to="archived", by=manager, comment=" Superseded ")
    # then the trail has both moves, newest first, the comment trimmed
    trail = list(lesson.transitions.values_list("from_state", "to_state", "by", "comment"))
    assert trail == [
        ("published", "archived", manager.pk, "Superseded"),
        ("draft", "published", lead.pk, ""),
    ]


@pytest.mark.django_db
def test_an_edit_that_unpublishes_is_recorded_as_a_move(role_user):
    # given an engineer's published article
    engineer = role_user("engineer")
    article = ArticleFactory(published=True, owner=engineer)
    # when they edit it
    services.article_update(article=article, by=engineer, title="Renewed")
    # then the trail says it went back to draft because of the edit
    move = article.transitions.get()
    assert (move.from_state, move.to_state, move.by) == ("published", "draft", engineer)
    assert move.comment == services.EDITED


@pytest.mark.django_db
def test_a_publishers_edit_moves_nothing(role_user):
    # given a published lesson
    lesson = LessonFactory(published=True)
    # when a publisher edits it
    services.lesson_update(lesson=lesson, by=role_user("itsm_manager"), title="Sharper")
    # then it stays published and the trail is empty
    lesson.refresh_from_db()
    assert lesson.state == KnowledgeState.PUBLISHED and not lesson.transitions.exists()


@pytest.mark.django_db
def test_a_refused_move_records_nothing(role_user):
    # given a published lesson
    lesson = LessonFactory(published=True)
    # when a publisher asks for a move the table does not have, and an engineer for one it has
    with pytest.raises(TransitionRefused):
        services.lesson_transition(lesson=lesson, to="published", by=role_user("pmo_lead"))
    with pytest.raises(PermissionDenied):
        services.lesson_transition(lesson=lesson, to="archived", by=role_user("engineer"))
    # then
    assert not LessonTransition.objects.exists()


@pytest.mark.django_db
def test_the_trail_is_append_only(role_user):
    # given a recorded move
    article = ArticleFactory()
    services.article_transition(article=article, to="published", by=role_user("pmo_lead"))
    move = article.transitions.get()
    # when / then: no change or removal through the application
    move.comment = "rewritten"
    with pytest.raises(AuditTrailIsAppendOnly):
        move.save()
    with pytest.raises(AuditTrailIsAppendOnly):
        move.delete()
    with pytest.raises(AuditTrailIsAppendOnly):
        ArticleTransition.objects.filter(pk=move.pk).update(comment="x")
    with pytest.raises(AuditTrailIsAppendOnly):
        ArticleTransition.objects.all().delete()


@pytest.mark.django_db
@pytest.mark.parametrize("model", ["lessontransition", "articletransition"])
def test_the_admin_shows_the_trail_read_only(model, role_user):
    # given a superuser and a recorded move
    admin = UserFactory(is_superuser=True, is_staff=True)
    lesson = LessonFactory()
    services.lesson_transition(lesson=lesson, to="published", by=role_user("pmo_lead"))
    client = Client()
    client.force_login(admin)
    # when / then: the list opens, adding is refused
    assert client.get(f"/admin/knowledge/{model}/").status_code == 200
    assert client.get(f"/admin/knowledge/{model}/add/").status_code == 403
    if model == "lessontransition":
        move = lesson.transitions.get()
        response = client.post(f"/admin/knowledge/{model}/{move.pk}/delete/", {"post": "yes"})
        assert response.status_code == 403 and lesson.transitions.count() == 1


@pytest.mark.django_db
def test_moves_made_before_the_trail_are_read_from_the_edit_history(role_user):
    # given a lesson moved the old way (the state saved with a reason, no trail row)
    lead = role_user("pmo_lead")
    lesson = LessonFactory()
    lesson.state, lesson._history_user, lesson._change_reason = "published", lead, "Reviewed"
    lesson.save()
    lesson.state, lesson._change_reason = "archived", ""
    lesson.title = "Edited while archiving"
    lesson.save()
    lesson.title = "Only an edit"
    lesson.save()
    migration = importlib.import_module("knowledge.migrations.0005_transitions_from_history")
    # when the data migration runs
    migration.forwards(global_apps, None)
    # then each change of state is a move, with who and why; the pure edit is none
    trail = list(
        lesson.transitions.order_by("at", "pk").values_list(
            "from_state", "to_state", "by", "comment"
        )
    )
    assert trail == [
        ("draft", "published", lead.pk, "Reviewed"),
        ("published", "archived", lead.pk, ""),
    ]


# --- the pages ------------------------------------------------------------------------------


@pytest.mark.django_db
def test_page_move_keeps_its_comment_and_the_history_shows_it(page_clients):
    # given a published lesson
    lesson = LessonFactory(published=True)
    url = f"/knowledge/lessons/{lesson.pk}/transition/"
    # when a PMO lead archives it from its page, saying why
    response = page_clients("pmo_lead").post(url, {"to": "archived", "comment": "Out of date"})
    # then
    assert response.status_code == 302
    assert lesson.transitions.get().comment == "Out of date"
    html = page_clients("pmo_lead").get(lesson.get_absolute_url()).content.decode()
    history = html.split('data-testid="history"')[1]
    assert "Archived" in history and "Out of date" in history


@pytest.mark.django_db
def test_page_refused_move_is_409_in_place_and_moves_nothing(page_clients):
    # given a published article
    article = ArticleFactory(published=True)
    # when a publisher asks for a move the table does not have
    response = page_clients("itsm_manager").post(
        f"/knowledge/articles/{article.pk}/transition/", {"to": "published"}
    )
    # then the article's page answers in place with the reason, as the API's 409
    assert response.status_code == 409
    assert "cannot move from Published to Published" in response.content.decode()
    assert not article.transitions.exists()


@pytest.mark.django_db
def test_page_buttons_are_the_moves_the_user_may_make(page_clients, role_user):
    # given the engineer's own archived lesson
    lesson = LessonFactory(author=role_user("engineer"), state=KnowledgeState.ARCHIVED)
    url = lesson.get_absolute_url()
    # when the author and a publisher open it
    author = page_clients("engineer").get(url).content.decode()
    lead = page_clients("pmo_lead").get(url).content.decode()
    # then only the publisher sees the table's moves out of "archived", publishing first
    assert 'data-testid="move-' not in author
    moves = re.findall(r'data-testid="move-(\w+)"', lead)
    assert moves == ["published", "draft", "comment"]
    assert "Restore and publish" in lead and "Restore as draft" in lead
    # and the state badge is the shared one
    assert 'class="state-badge state-knowledge-archived"' in lead


@pytest.mark.django_db
@pytest.mark.parametrize("url", ["/knowledge/", "/knowledge/articles/"])
def test_search_pages_have_no_inline_script_or_style(page_clients, url):
    # when
    html = page_clients("engineer").get(url).content.decode()
    # then the behaviour comes from a static file, the look from app.css
    assert "/static/js/knowledge-search.js" in html
    assert not re.search(r"<script(?![^>]*\bsrc=)[^>]*>", html)
    assert "<style" not in html
