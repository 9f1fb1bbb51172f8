"""The incident and problem workflows: one move table each.

new → in progress ⇄ on hold → resolved → closed, and a resolved incident may be reopened.
Resolving needs resolution notes (the move's comment); every move is for those who may move
incidents (`transition_incident`). Each state the incident enters stamps its time (STAMPS),
besides the move recorded in IncidentTransition.

A problem is open until its workaround is written down (known error) and resolved once its
fix is in; resolving and reopening say why. Every move is for those who edit problem records
(ITSM managers) and is recorded in ProblemTransition.
"""

from dataclasses import dataclass

from itsm_pmo.workflow import Move, MoveTable

from ..choices import IncidentState as S
from ..choices import ProblemState as P
from .permissions import EDIT_PROBLEM, MOVE


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


@dataclass(frozen=True)
class ProblemFacts:
    state: str
    has_workaround: bool


def workaround_documented(facts: ProblemFacts) -> str | None:
    if not facts.has_workaround:
        return "A known error has a workaround: describe it first."
    return None


PROBLEM_MOVES = MoveTable(
    noun="problem",
    states=P,
    moves=[
        Move(P.OPEN, P.KNOWN_ERROR, "Known error", EDIT_PROBLEM, checks=(workaround_documented,)),
        Move(P.OPEN, P.RESOLVED, "Resolve", EDIT_PROBLEM, comment=True),
        Move(P.KNOWN_ERROR, P.RESOLVED, "Resolve", EDIT_PROBLEM, comment=True),
        Move(P.RESOLVED, P.OPEN, "Reopen", EDIT_PROBLEM, comment=True),
    ],
)
