"""The incident workflow: one move table.

new → in progress ⇄ on hold → resolved → closed, and a resolved incident may be reopened.
Resolving needs resolution notes (the move's comment); every move is for those who may move
incidents (`transition_incident`). Each state the incident enters stamps its time (STAMPS),
besides the move recorded in IncidentTransition.
"""

from dataclasses import dataclass

from itsm_pmo.workflow import Move, MoveTable

from ..choices import IncidentState as S
from .permissions import MOVE


@dataclass(frozen=True)
class IncidentFacts:
    """What the table's checks read; incidents have no data-dependent blockers yet."""

    state: str


# The timestamp each state stamps when an incident enters it.
STAMPS: dict[str, str] = {
    S.IN_PROGRESS: "in_progress_at",
    S.ON_HOLD: "on_hold_at",
    S.RESOLVED: "resolved_at",
    S.CLOSED: "closed_at",
}

MOVES = MoveTable(
    noun="incident",
    states=S,
    moves=[
        Move(S.NEW, S.IN_PROGRESS, "Start work", MOVE),
        Move(S.NEW, S.RESOLVED, "Resolve", MOVE, comment=True),
        Move(S.IN_PROGRESS, S.ON_HOLD, "Put on hold", MOVE),
        Move(S.IN_PROGRESS, S.RESOLVED, "Resolve", MOVE, comment=True),
        Move(S.ON_HOLD, S.IN_PROGRESS, "Start work", MOVE),
        Move(S.ON_HOLD, S.RESOLVED, "Resolve", MOVE, comment=True),
        Move(S.RESOLVED, S.CLOSED, "Close", MOVE),
        Move(S.RESOLVED, S.IN_PROGRESS, "Reopen", MOVE),
    ],
)
