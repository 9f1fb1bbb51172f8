"""The major-incident workflow: active → post-incident review → closed.

A major incident moves to review once its incident is resolved (service is restored), and
closes only when the review is complete: what happened, the impact and the root cause are
written, and at least one action has an owner and a due date (every action has both). Back
from review to active needs a comment (the fault came back). Every move is for those who run
major incidents (ITSM managers) and is recorded in MajorIncidentTransition.
"""

from dataclasses import dataclass

from itsm_pmo.workflow import Move, MoveTable

from .choices import MajorIncidentState as S
from .permissions import RUN


@dataclass(frozen=True)
class MajorFacts:
    """What the checks read, gathered once (selectors.facts_for)."""

    state: str
    incident_resolved: bool
    review_missing: tuple[str, ...]  # the review's parts still blank, by label
    actions: int


def service_restored(facts: MajorFacts) -> str | None:
    if not facts.incident_resolved:
        return "Resolve the incident first: the review starts once service is restored."
    return None


def review_complete(facts: MajorFacts) -> str | None:
    reasons = []
    if facts.review_missing:
        reasons.append(f"Write the review's {', '.join(facts.review_missing)}.")
    if not facts.actions:
        reasons.append("Agree at least one action, with an owner and a due date.")
    return " ".join(reasons) or None


MOVES = MoveTable(
    noun="major incident",
    states=S,
    moves=[
        Move(S.ACTIVE, S.REVIEW, "Start the review", RUN, checks=(service_restored,)),
        Move(S.REVIEW, S.ACTIVE, "Back to active", RUN, comment=True),
        Move(S.REVIEW, S.CLOSED, "Close", RUN, checks=(review_complete,)),
    ],
)

# The timestamp each state stamps when a major incident enters it.
STAMPS: dict[str, str] = {S.REVIEW: "review_started_at", S.CLOSED: "closed_at"}
