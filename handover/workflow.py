"""The rules of the handover workflow beyond the transition table."""

from dataclasses import dataclass
from datetime import date

from .choices import HANDOVER_TRANSITIONS, HandoverState
from .readiness import mandatory_open_message

# Moving back needs a reason and is never blocked.
BACKWARDS = {
    (HandoverState.READINESS_REVIEW, HandoverState.PLANNING),
    (HandoverState.ACCEPTED, HandoverState.READINESS_REVIEW),
}


@dataclass(frozen=True)
class HandoverFacts:
    state: str
    has_receiving_team: bool
    go_live_on: date | None
    go_live_reached: bool
    mandatory_open: tuple[str, ...]
    els_exit_on: date | None  # None while early-life support may not end yet
    els_projected_exit: date | None = None
    els_max_priority: int = 2


def needs_comment(state: str, to: str) -> bool:
    return (state, to) in BACKWARDS


def blockers(facts: HandoverFacts, to: str) -> list[str]:
    """Why the handover cannot enter `to` now; empty when it can (comments aside)."""
    if (facts.state, to) in BACKWARDS:
        return []
    reasons = []
    if to == HandoverState.READINESS_REVIEW:
        if not facts.has_receiving_team:
            reasons.append("Name the receiving support team.")
        if facts.go_live_on is None:
            reasons.append("Plan the project's go-live milestone.")
    if to == HandoverState.ACCEPTED and facts.mandatory_open:
        reasons.append(mandatory_open_message(facts.mandatory_open))
    if to == HandoverState.EARLY_LIFE_SUPPORT:
        if facts.go_live_on is None:
            reasons.append("Plan the project's go-live milestone.")
        elif not facts.go_live_reached:
            reasons.append(f"Early-life support starts at go-live ({facts.go_live_on:%d %b %Y}).")
    if to == HandoverState.CLOSED and facts.els_exit_on is None:
        when = f" on {facts.els_projected_exit:%d %b %Y}" if facts.els_projected_exit else ""
        reasons.append(
            f"Early-life support ends{when} if no priority 1–"
            f"{facts.els_max_priority} incident is opened before then."
            if facts.els_max_priority > 1
            else f"Early-life support ends{when} if no priority 1 incident is opened before then."
        )
    return reasons


def allowed_moves(facts: HandoverFacts) -> list[str]:
    return [to for to in HANDOVER_TRANSITIONS[facts.state] if not blockers(facts, to)]
