"""The rules of the change workflow beyond the transition table."""

from dataclasses import dataclass

from .choices import TRANSITIONS, ChangeState, ChangeType

COMMENT_REQUIRED = {ChangeState.CANCELLED}

# Without a policy for its case a change needs one ITSM manager, as does any emergency.
DEFAULT_APPROVAL = ("itsm_manager", 1)


@dataclass(frozen=True)
class ChangeFacts:
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


def blockers(facts: ChangeFacts, to: str) -> list[str]:
    """Why the change cannot enter `to` now; empty when it can (comments aside)."""
    reasons = []
    standard = facts.change_type == ChangeType.STANDARD
    if to == ChangeState.ASSESS:
        if not facts.has_items:
            reasons.append("Name at least one configuration item it touches.")
        if not facts.has_backout_plan and not standard:
            reasons.append("Write a backout plan.")
    if to == ChangeState.AUTHORIZE:
        if standard:
            reasons.append("A standard change is pre-approved: it goes straight to scheduled.")
        if not facts.has_window:
            reasons.append("Plan a window (start and end) before asking for approval.")
        if not facts.has_implementer:
            reasons.append("Name the implementer.")
    if to == ChangeState.SCHEDULED:
        if facts.state == ChangeState.ASSESS and not standard:
            reasons.append("Only a standard change skips authorisation.")
        if standard and not facts.from_template:
            reasons.append("A standard change must be raised from a template.")
        if facts.state == ChangeState.AUTHORIZE and not facts.quorum_reached:
            reasons.append("The approvals have not reached the policy's quorum.")
        if not facts.has_window:
            reasons.append("Plan a window (start and end).")
        if (
            facts.in_freeze
            and not facts.freeze_exception
            and facts.change_type != ChangeType.EMERGENCY
        ):
            reasons.append(
                "The window falls in a change freeze: an ITSM manager must grant "
                "an exception with a reason."
            )
    if (
        to == ChangeState.CLOSED
        and facts.state == ChangeState.IMPLEMENT
        and facts.change_type == ChangeType.EMERGENCY
    ):
        reasons.append("An emergency change is always reviewed after implementation.")
    if to == ChangeState.CLOSED and facts.state == ChangeState.REVIEW and not facts.has_review:
        reasons.append("Record the post-implementation review first.")
    return reasons


def allowed_moves(facts: ChangeFacts) -> list[str]:
    return [to for to in TRANSITIONS[facts.state] if not blockers(facts, to)]


def approval_rule(change_type: str, risk: str, policies) -> tuple[str, int]:
    """(approving role, quorum) for a change: the policy for its type and risk, else for its
    type at any risk; emergencies need one ITSM manager whatever the policies say."""
    if change_type == ChangeType.EMERGENCY:
        return DEFAULT_APPROVAL
    matching = [p for p in policies if p.change_type == change_type and p.risk in (risk, "")]
    policy = min(matching, key=lambda p: p.risk == "", default=None)
    return (policy.approver_group.name, policy.quorum) if policy else DEFAULT_APPROVAL
