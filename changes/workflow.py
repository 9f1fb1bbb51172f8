"""The change workflow's move table: every move, who makes it, and what blocks it.

The states are in choices.py. The type-specific rules live here as checks: a standard change
skips authorisation (from a template), a normal one waits for the CAB's quorum and for a
freeze exception, an emergency one is always reviewed, and a change in review closes only
once its post-implementation review is recorded. The service asks `MOVES.guard` before it
moves a change; the change page asks `MOVES.options` for its buttons and their reasons; a
refused move answers 409 with `MOVES.allowed`.
"""

from collections.abc import Iterable
from dataclasses import dataclass
from typing import TYPE_CHECKING

from itsm_pmo.workflow import Move, MoveTable

from .choices import ChangeState, ChangeType

if TYPE_CHECKING:
    from .models import ApprovalPolicy

S = ChangeState
MOVE = "changes.transition_changerequest"

# A change is edited only while it is a draft; it is reviewed once it has been implemented.
EDITABLE_STATES = (S.NEW, S.ASSESS)
NOT_EDITABLE = "Only a new change or one in assessment is edited; send it back to new first."
REVIEWABLE_STATES = (S.IMPLEMENT, S.REVIEW)

# Without a policy for its case a change needs one ITSM manager, as does any emergency.
DEFAULT_APPROVAL = ("itsm_manager", 1)


@dataclass(frozen=True)
class ChangeFacts:
    """What the checks need to know about one change, read once by the service."""

    state: str
    change_type: str
    has_items: bool
    has_window: bool
    has_backout_plan: bool
    has_implementer: bool
    from_template: bool
    quorum_reached: bool
    in_freeze: bool
    freeze_exception: bool
    has_review: bool


@dataclass(frozen=True)
class ChangeMove(Move):
    """A move of the change table; `by_cab` marks the one the CAB's quorum makes inside
    `change_approve`, which the change page does not offer as a button."""

    by_cab: bool = False


# --- checks: each returns why the move is blocked, or None --------------------------------


def names_items(facts: ChangeFacts) -> str | None:
    if not facts.has_items:
        return "Name at least one configuration item it touches."
    return None


def has_backout_plan(facts: ChangeFacts) -> str | None:
    if not facts.has_backout_plan and facts.change_type != ChangeType.STANDARD:
        return "Write a backout plan."
    return None


def not_standard(facts: ChangeFacts) -> str | None:
    if facts.change_type == ChangeType.STANDARD:
        return "A standard change is pre-approved: it goes straight to scheduled."
    return None


def window_for_cab(facts: ChangeFacts) -> str | None:
    if not facts.has_window:
        return "Plan a window (start and end) before asking for approval."
    return None


def names_implementer(facts: ChangeFacts) -> str | None:
    if not facts.has_implementer:
        return "Name the implementer."
    return None


def only_standard_skips_cab(facts: ChangeFacts) -> str | None:
    if facts.change_type != ChangeType.STANDARD:
        return "Only a standard change skips authorisation."
    return None


def standard_from_template(facts: ChangeFacts) -> str | None:
    if facts.change_type == ChangeType.STANDARD and not facts.from_template:
        return "A standard change must be raised from a template."
    return None


def quorum_reached(facts: ChangeFacts) -> str | None:
    if not facts.quorum_reached:
        return "The approvals have not reached the policy's quorum."
    return None


def has_window(facts: ChangeFacts) -> str | None:
    if not facts.has_window:
        return "Plan a window (start and end)."
    return None


def clear_of_freezes(facts: ChangeFacts) -> str | None:
    if facts.in_freeze and not facts.freeze_exception and facts.change_type != ChangeType.EMERGENCY:
        return (
            "The window falls in a change freeze: an ITSM manager must grant "
            "an exception with a reason."
        )
    return None


def emergency_is_reviewed(facts: ChangeFacts) -> str | None:
    if facts.change_type == ChangeType.EMERGENCY:
        return "An emergency change is always reviewed after implementation."
    return None


def review_recorded(facts: ChangeFacts) -> str | None:
    if not facts.has_review:
        return "Record the post-implementation review first."
    return None


MOVES = MoveTable(
    noun="change",
    states=ChangeState,
    moves=[
        ChangeMove(
            S.NEW, S.ASSESS, "Submit for assessment", MOVE, checks=(names_items, has_backout_plan)
        ),
        ChangeMove(S.NEW, S.CANCELLED, "Cancel", MOVE, comment=True),
        ChangeMove(
            S.ASSESS,
            S.AUTHORIZE,
            "Ask the CAB",
            MOVE,
            checks=(not_standard, window_for_cab, names_implementer),
        ),
        ChangeMove(
            S.ASSESS,
            S.SCHEDULED,
            "Schedule (pre-approved)",
            MOVE,
            checks=(only_standard_skips_cab, standard_from_template, has_window, clear_of_freezes),
        ),
        ChangeMove(S.ASSESS, S.NEW, "Back to new", MOVE),
        ChangeMove(S.ASSESS, S.CANCELLED, "Cancel", MOVE, comment=True),
        ChangeMove(
            S.AUTHORIZE,
            S.SCHEDULED,
            "Schedule",
            MOVE,
            by_cab=True,
            checks=(standard_from_template, quorum_reached, has_window, clear_of_freezes),
        ),
        ChangeMove(S.AUTHORIZE, S.NEW, "Withdraw to new", MOVE),
        ChangeMove(S.AUTHORIZE, S.CANCELLED, "Cancel", MOVE, comment=True),
        ChangeMove(S.SCHEDULED, S.IMPLEMENT, "Start implementing", MOVE),
        ChangeMove(S.SCHEDULED, S.CANCELLED, "Cancel", MOVE, comment=True),
        ChangeMove(S.IMPLEMENT, S.REVIEW, "Move to review", MOVE),
        ChangeMove(S.IMPLEMENT, S.CLOSED, "Close", MOVE, checks=(emergency_is_reviewed,)),
        ChangeMove(S.REVIEW, S.CLOSED, "Close", MOVE, checks=(review_recorded,)),
    ],
)


def approval_rule(
    change_type: str, risk: str, policies: Iterable["ApprovalPolicy"]
) -> tuple[str, int]:
    """(approving role, quorum) for a change: the policy for its type and risk, else for its
    type at any risk; emergencies need one ITSM manager whatever the policies say."""
    if change_type == ChangeType.EMERGENCY:
        return DEFAULT_APPROVAL
    matching = [p for p in policies if p.change_type == change_type and p.risk in (risk, "")]
    policy = min(matching, key=lambda p: p.risk == "", default=None)
    return (policy.approver_group.name, policy.quorum) if policy else DEFAULT_APPROVAL
