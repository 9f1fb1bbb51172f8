"""The handover workflow: its facts, the checks that need them, and the one move table.

planning → readiness review → accepted → early-life support → closed. Moving back (to planning
or to readiness review) needs a comment and is never blocked. Readiness review needs a
receiving team and a go-live; acceptance needs every mandatory check settled and is for
`accept_handover` (ITSM managers); early-life support starts at go-live; closing waits until
early-life support may end.
"""

from dataclasses import dataclass
from datetime import date

from itsm_pmo.dates import short_date
from itsm_pmo.workflow import Move, MoveTable

from .choices import HandoverState as S
from .permissions import ACCEPT, MOVE
from .readiness import mandatory_open_message


@dataclass(frozen=True)
class HandoverFacts:
    """What the checks read, gathered once (services.facts_for / facts_from)."""

    state: str
    has_receiving_team: bool
    go_live_on: date | None
    go_live_reached: bool
    mandatory_open: tuple[str, ...]
    els_exit_on: date | None  # None while early-life support may not end yet
    els_projected_exit: date | None = None
    els_max_priority: int = 2


def receiving_team_named(facts: HandoverFacts) -> str | None:
    if not facts.has_receiving_team:
        return "Name the receiving support team."
    return None


def go_live_planned(facts: HandoverFacts) -> str | None:
    if facts.go_live_on is None:
        return "Plan the project's go-live milestone."
    return None


def mandatory_checks_settled(facts: HandoverFacts) -> str | None:
    return mandatory_open_message(facts.mandatory_open) or None


def go_live_reached(facts: HandoverFacts) -> str | None:
    if facts.go_live_on is None:
        return "Plan the project's go-live milestone."
    if not facts.go_live_reached:
        return f"Early-life support starts at go-live ({short_date(facts.go_live_on)})."
    return None


def early_life_support_may_end(facts: HandoverFacts) -> str | None:
    if facts.els_exit_on is not None:
        return None
    when = f" on {short_date(facts.els_projected_exit)}" if facts.els_projected_exit else ""
    priorities = f"1–{facts.els_max_priority}" if facts.els_max_priority > 1 else "1"
    return (
        f"Early-life support ends{when} if no priority {priorities} incident is opened before then."
    )


MOVES = MoveTable(
    noun="handover",
    states=S,
    moves=[
        Move(
            S.PLANNING,
            S.READINESS_REVIEW,
            "Readiness review",
            MOVE,
            checks=(receiving_team_named, go_live_planned),
        ),
        Move(
            S.READINESS_REVIEW,
            S.ACCEPTED,
            "Accept into operations",
            ACCEPT,
            checks=(mandatory_checks_settled,),
        ),
        Move(S.READINESS_REVIEW, S.PLANNING, "Back to planning", MOVE, comment=True),
        Move(
            S.ACCEPTED, S.EARLY_LIFE_SUPPORT, "Early-life support", MOVE, checks=(go_live_reached,)
        ),
        Move(S.ACCEPTED, S.READINESS_REVIEW, "Back to readiness review", MOVE, comment=True),
        Move(S.EARLY_LIFE_SUPPORT, S.CLOSED, "Closed", MOVE, checks=(early_life_support_may_end,)),
    ],
)
