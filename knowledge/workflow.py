"""The life cycle lessons and articles share, as two move tables built from one list of rows.

A text is written as a draft, published (everyone searches it and meets it on other pages),
taken back to draft while it is reworked, archived (kept for the record, shown to nobody else),
and restored. Every move is a publisher's: the lesson table names `knowledge.publish_lesson`,
the article table `knowledge.publish_article`. No move needs data beyond the state (no checks,
so the facts are None) and none requires a comment; a comment given is kept in the trail.

One more way out of `published` is not a button: an edit by someone who does not publish sends
a published text back to draft (`services._save_edit`), recorded in the same trail.
"""

from itsm_pmo.workflow import Move, MoveTable

from .choices import KnowledgeState
from .permissions import PUBLISH_ARTICLE, PUBLISH_LESSON

DRAFT, PUBLISHED, ARCHIVED = KnowledgeState.DRAFT, KnowledgeState.PUBLISHED, KnowledgeState.ARCHIVED

# (from, to, button label); a refused move's 409 lists the allowed ones in this order.
ROWS: tuple[tuple[str, str, str], ...] = (
    (DRAFT, PUBLISHED, "Publish"),
    (DRAFT, ARCHIVED, "Archive"),
    (PUBLISHED, ARCHIVED, "Archive"),
    # Back to draft takes a published text off the shelves while it is reworked.
    (PUBLISHED, DRAFT, "Unpublish (back to draft)"),
    (ARCHIVED, PUBLISHED, "Restore and publish"),
    (ARCHIVED, DRAFT, "Restore as draft"),
)

# What the page says after a move, by the state entered.
DONE_TEXT = {
    PUBLISHED: "published: everyone can find it now",
    DRAFT: "moved back to draft: only its author and the publishers see it",
    ARCHIVED: "archived: it no longer shows in searches",
}


def knowledge_moves(*, noun: str, permission: str) -> MoveTable:
    """The shared life cycle as the move table of one kind of text."""
    return MoveTable(
        noun=noun,
        states=KnowledgeState,
        moves=[Move(source, target, label, permission) for source, target, label in ROWS],
    )


LESSON_MOVES = knowledge_moves(noun="lesson", permission=PUBLISH_LESSON)
ARTICLE_MOVES = knowledge_moves(noun="article", permission=PUBLISH_ARTICLE)
