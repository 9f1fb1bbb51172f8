"""What the lesson and article pages share: service errors onto forms, excerpts, the moves
of the shared life cycle and the history of a text."""

from django.core.exceptions import ValidationError
from django.http import QueryDict

from ..choices import KNOWLEDGE_TRANSITIONS, KnowledgeState

# (button label, Bootstrap button style) of each move, by target state.
MOVE_BUTTONS = {
    KnowledgeState.PUBLISHED: ("Publish", "btn-success"),
    KnowledgeState.DRAFT: ("Unpublish (back to draft)", "btn-outline-secondary"),
    KnowledgeState.ARCHIVED: ("Archive", "btn-outline-danger"),
}
DONE_TEXT = {
    KnowledgeState.PUBLISHED: "published: everyone can find it now",
    KnowledgeState.DRAFT: "moved back to draft: only its author and the publishers see it",
    KnowledgeState.ARCHIVED: "archived: it no longer shows in searches",
}
HISTORY_WORDS = {
    KnowledgeState.PUBLISHED: "Published",
    KnowledgeState.DRAFT: "Moved back to draft",
    KnowledgeState.ARCHIVED: "Archived",
}


def add_service_errors(form, exc: ValidationError) -> None:
    """A service's refusal onto the form: each message on its field, the rest on top."""
    errors = exc.message_dict if hasattr(exc, "error_dict") else {None: exc.messages}
    for field, messages in errors.items():
        form.add_error(field if field in form.fields else None, messages)


def moves_for(state: str) -> list[tuple[str, str, str]]:
    """(target state, label, button style) of every move from `state`, publish first."""
    moves = []
    for to in sorted(KNOWLEDGE_TRANSITIONS[state], key=list(MOVE_BUTTONS).index):
        label, style = MOVE_BUTTONS[to]
        if state == KnowledgeState.ARCHIVED and to == KnowledgeState.PUBLISHED:
            label = "Restore and publish"
        elif state == KnowledgeState.ARCHIVED:
            label = "Restore as draft"
        moves.append((to, label, style))
    return moves


def history_of(obj, limit: int = 12) -> list[dict]:
    """Who wrote, edited, published or archived `obj`, newest first, in one query."""
    records = list(
        obj.history.select_related("history_user").order_by("history_date", "history_id")
    )
    entries, previous = [], None
    for record in records:
        if previous is None:
            what = "Written"
        elif record.state != previous.state:
            what = HISTORY_WORDS[record.state]
        else:
            what = "Edited"
        entries.append({"what": what, "who": record.history_user, "when": record.history_date})
        previous = record
    return entries[::-1][:limit]


def without_blanks(params) -> QueryDict:
    """A query string without its page and empty values: an empty select means "any"."""
    kept = QueryDict(mutable=True)
    for key in params:
        values = [v for v in params.getlist(key) if v.strip()]
        if values and key != "page":
            kept.setlist(key, values)
    return kept
