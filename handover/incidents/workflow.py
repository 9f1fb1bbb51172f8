"""The incident and problem workflows: one move table each.

new → in progress ⇄ on hold → resolved → closed, and a resolved incident may be reopened.
Resolving needs resolution notes (the move's comment); every move is for those who may move
incidents (`transition_incident`). Each state the incident enters stamps its time (STAMPS),
besides the move recorded in IncidentTransition.

A problem follows the ITIL life cycle: new → assess → root-cause analysis → fix in progress →
resolved → closed, with steps back where work is found unfinished, and a resolved problem may
be reopened. The fix starts once the root cause is written down; resolving needs the fix
written down or a comment (the service checks it, PROBLEM_RESOLVE_NEEDS); closing and reopening
say why. A known error is no state: a problem of any state whose workaround is written down.
Every move is for those who edit problem records (ITSM managers) and is recorded in
ProblemTransition; entering resolved or closed stamps its time (PROBLEM_STAMPS).
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
    """What the problem table's checks read."""

    state: str
    has_root_cause: bool


def root_cause_documented(facts: ProblemFacts) -> str | None:
    """The fix starts from a known root cause."""
    if not facts.has_root_cause:
        return "Write down the root cause before the fix starts."
    return None


PROBLEM_STAMPS: dict[str, str] = {P.RESOLVED: "resolved_at", P.CLOSED: "closed_at"}

PROBLEM_MOVES = MoveTable(
    noun="problem",
    states=P,
    moves=[
        Move(P.NEW, P.ASSESS, "Assess", EDIT_PROBLEM),
        Move(P.ASSESS, P.ROOT_CAUSE_ANALYSIS, "Start root-cause analysis", EDIT_PROBLEM),
        Move(P.ASSESS, P.NEW, "Back to new", EDIT_PROBLEM),
        Move(
            P.ROOT_CAUSE_ANALYSIS,
            P.FIX_IN_PROGRESS,
            "Start the fix",
            EDIT_PROBLEM,
            checks=(root_cause_documented,),
        ),
        Move(P.ROOT_CAUSE_ANALYSIS, P.ASSESS, "Back to assessment", EDIT_PROBLEM),
        # A root cause fixed by a change already under way: resolved straight from analysis.
        Move(P.ROOT_CAUSE_ANALYSIS, P.RESOLVED, "Resolve", EDIT_PROBLEM),
        Move(P.FIX_IN_PROGRESS, P.RESOLVED, "Resolve", EDIT_PROBLEM),
        Move(P.FIX_IN_PROGRESS, P.ROOT_CAUSE_ANALYSIS, "Back to analysis", EDIT_PROBLEM),
        Move(P.RESOLVED, P.CLOSED, "Close", EDIT_PROBLEM, comment=True),
        Move(P.RESOLVED, P.ROOT_CAUSE_ANALYSIS, "Reopen", EDIT_PROBLEM, comment=True),
    ],
)
