"""Who may do what with lessons and articles: one predicate per rule.

The services call them and raise PermissionDenied (a 403 on the page and in the API alike);
pages ask them only to decide which buttons to show. Who may *read* a text is a scope, not a
yes/no on one row: it lives in the selectors (`lessons_visible_to`, `articles_visible_to`).
"""

from typing import TYPE_CHECKING

from itsm_pmo.permissions import Actor

if TYPE_CHECKING:
    from .models import Article, Lesson

# The permissions the move tables (workflow.py) name for every move of each life cycle.
PUBLISH_LESSON = "knowledge.publish_lesson"
PUBLISH_ARTICLE = "knowledge.publish_article"


def may_publish_lessons(user: Actor) -> bool:
    """PMO leads and ITSM managers publish, unpublish and archive lessons, and read every draft."""
    return bool(user.has_perm(PUBLISH_LESSON))


def may_publish_articles(user: Actor) -> bool:
    """PMO leads and ITSM managers publish, unpublish and archive articles, and read every draft."""
    return bool(user.has_perm(PUBLISH_ARTICLE))


def may_write_lesson(user: Actor) -> bool:
    """Every role writes lessons (a new one is a draft of its author's)."""
    return bool(user.has_perm("knowledge.add_lesson"))


def may_write_article(user: Actor) -> bool:
    """Every role writes articles (a new one is a draft its writer owns)."""
    return bool(user.has_perm("knowledge.add_article"))


def may_edit_lesson(user: Actor, lesson: "Lesson") -> bool:
    """Its author and the publishers edit a lesson; everyone else suggests by writing one."""
    return bool(user.has_perm("knowledge.change_lesson")) and (
        lesson.author_id == user.pk or may_publish_lessons(user)
    )


def may_edit_article(user: Actor, article: "Article") -> bool:
    """Its owner and the publishers edit an article."""
    return bool(user.has_perm("knowledge.change_article")) and (
        article.owner_id == user.pk or may_publish_articles(user)
    )


def may_move_lesson(user: Actor, lesson: "Lesson") -> bool:
    """Only publishers move a lesson between states, whoever wrote it."""
    return may_publish_lessons(user)


def may_move_article(user: Actor, article: "Article") -> bool:
    """Only publishers move an article between states, whoever owns it."""
    return may_publish_articles(user)


def may_mark_applied(user: Actor) -> bool:
    """Every role marks the lessons it reads as applied where it used them."""
    return bool(user.has_perm("knowledge.add_lessonapplication"))
