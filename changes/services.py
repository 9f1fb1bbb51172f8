"""Writes of change control: each one transaction, the change row locked first."""

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Q

from itsm_pmo.domain import TransitionRefused, guard_transition

from . import selectors
from .choices import TRANSITIONS, ChangeState, ChangeType, Decision
from .models import (
    Approval,
    ApprovalPolicy,
    ChangeRequest,
    ChangeTransition,
    PostImplementationReview,
)
from .workflow import COMMENT_REQUIRED, ChangeFacts, allowed_moves, blockers


def change_number(pk: int) -> str:
    return f"CHG{pk:07d}"


@transaction.atomic
def change_create(*, requester, items=(), **fields) -> ChangeRequest:
    """Raise a change; it gets its CHG number from its id. A template fills the gaps."""
    template = fields.get("template")
    if template is not None:
        fields.setdefault("change_type", ChangeType.STANDARD)
        for name in ("backout_plan", "test_plan", "effort_hours", "category"):
            if not fields.get(name):
                fields[name] = getattr(template, name)
        if not items:
            items = list(template.items.all())
    change = ChangeRequest.objects.create(requester=requester, **fields)
    change.number = change_number(change.pk)
    change.save(update_fields=["number"])
    change.items.set(items)
    return change


def policy_for(change: ChangeRequest) -> ApprovalPolicy | None:
    """The policy for the change's type and risk, or for its type at any risk."""
    policies = ApprovalPolicy.objects.select_related("approver_group").filter(
        Q(risk=change.effective_risk) | Q(risk=""), change_type=change.change_type)
    return min(policies, key=lambda p: p.risk == "", default=None)


def _quorum(change: ChangeRequest) -> tuple[int, int, str]:
    """(approvals that count, approvals needed, approving group) in the current round."""
    policy = policy_for(change)
    group, needed = (policy.approver_group.name, policy.quorum) if policy else ("itsm_manager", 1)
    if change.change_type == ChangeType.EMERGENCY:
        group, needed = "itsm_manager", 1  # the emergency path: one ITSM manager is enough
    counted = change.approvals.filter(round=change.approval_round, decision=Decision.APPROVE,
                                      approver__groups__name=group).count()
    return counted, needed, group


def facts_for(change: ChangeRequest) -> ChangeFacts:
    counted, needed, _ = _quorum(change)
    return ChangeFacts(
        state=change.state, change_type=change.change_type,
        has_items=change.items.exists(),
        has_window=bool(change.planned_start and change.planned_end),
        has_backout_plan=bool(change.backout_plan.strip()),
        has_implementer=change.implementer_id is not None,
        from_template=change.template_id is not None,
        quorum_reached=counted >= needed,
        in_freeze=bool(selectors.freezes_overlapping(change)),
        freeze_exception=change.freeze_exception,
        has_review=hasattr(change, "review"),
    )


def _move(change: ChangeRequest, to: str, by, comment: str) -> None:
    ChangeTransition.objects.create(change=change, from_state=change.state, to_state=to,
                                    by=by, comment=comment)
    change.state = to
    change.save(update_fields=["state", "approval_round", "updated_at"])


def change_transition(*, change: ChangeRequest, to: str, by, comment: str = "") -> ChangeRequest:
    """Move a change if the table and its rules allow it (409 with the allowed moves if not)."""
    comment = (comment or "").strip()
    with transaction.atomic():
        change = ChangeRequest.objects.select_for_update().get(pk=change.pk)
        facts = facts_for(change)
        guard_transition(noun="change", states=ChangeState, table=TRANSITIONS,
                         current=change.state, to=to,
                         blockers=blockers(facts, to) if to in ChangeState.values else [],
                         allowed=allowed_moves(facts), needs_comment=to in COMMENT_REQUIRED,
                         comment=comment)
        _move(change, to, by, comment)
    return change


def change_approve(*, change: ChangeRequest, approver, decision: str,
                   comment: str = "") -> Approval:
    """Record a CAB decision. The change row is locked first, so simultaneous approvers are
    serialised: each decision is recorded once and the move to scheduled happens once."""
    if decision not in Decision.values:
        raise ValidationError({"decision": "Say approve or reject."})
    comment = (comment or "").strip()
    if decision == Decision.REJECT and not comment:
        raise ValidationError({"comment": "Give the reason for the rejection."})
    with transaction.atomic():
        change = ChangeRequest.objects.select_for_update().get(pk=change.pk)
        if change.state not in (ChangeState.AUTHORIZE, ChangeState.SCHEDULED):
            raise TransitionRefused("This change is not waiting for approval.",
                                    allowed=allowed_moves(facts_for(change)),
                                    current=change.state)
        implementer_user = change.implementer.user_id if change.implementer else None
        if approver.pk in (change.requester_id, implementer_user):
            raise PermissionDenied("Nobody approves a change they requested or implement.")
        _counted, _needed, group = _quorum(change)
        if not approver.is_superuser and not approver.groups.filter(name=group).exists():
            raise PermissionDenied(f"This change needs approval from the {group} role.")
        try:
            with transaction.atomic():
                approval = Approval.objects.create(change=change, approver=approver,
                                                   decision=decision, comment=comment,
                                                   round=change.approval_round)
        except IntegrityError as exc:
            raise TransitionRefused("You have already decided on this change.",
                                    allowed=[], current=change.state) from exc
        if change.state != ChangeState.AUTHORIZE:
            return approval  # late approvals are recorded, the change has moved on
        if decision == Decision.REJECT:
            change.approval_round += 1
            _move(change, ChangeState.NEW, approver, f"Rejected: {comment}")
            return approval
        facts = facts_for(change)
        if not blockers(facts, ChangeState.SCHEDULED):
            _move(change, ChangeState.SCHEDULED, approver, "Quorum of approvals reached.")
    return approval


def freeze_exception_grant(*, change: ChangeRequest, by, reason: str) -> ChangeRequest:
    """Let a change run inside a freeze: an ITSM manager's explicit, reasoned exception."""
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": "Say why this change may run during the freeze."})
    if not by.has_perm("changes.grant_freeze_exception"):
        raise PermissionDenied("Only an ITSM manager grants freeze exceptions.")
    with transaction.atomic():
        change = ChangeRequest.objects.select_for_update().get(pk=change.pk)
        change.freeze_exception, change.freeze_exception_reason = True, reason
        change.freeze_exception_by = by
        change.save(update_fields=["freeze_exception", "freeze_exception_reason",
                                   "freeze_exception_by", "updated_at"])
    return change


def review_record(*, change: ChangeRequest, by, outcome: str, incidents_caused: int = 0,
                  notes: str = "") -> PostImplementationReview:
    """The post-implementation review; the change takes its outcome."""
    with transaction.atomic():
        change = ChangeRequest.objects.select_for_update().get(pk=change.pk)
        if change.state not in (ChangeState.IMPLEMENT, ChangeState.REVIEW):
            raise TransitionRefused("Only an implemented change is reviewed.",
                                    allowed=allowed_moves(facts_for(change)),
                                    current=change.state)
        review, _ = PostImplementationReview.objects.update_or_create(
            change=change, defaults={"outcome": outcome, "incidents_caused": incidents_caused,
                                     "notes": notes, "reviewed_by": by})
        change.outcome = outcome
        change.save(update_fields=["outcome", "updated_at"])
    return review
