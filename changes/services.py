"""Writes of change control: each one transaction, the change row locked first."""

from contextlib import contextmanager
from contextvars import ContextVar

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction

from itsm_pmo.domain import TransitionRefused, guard_transition

from . import tasks
from .choices import TRANSITIONS, ChangeState, ChangeType, Decision, Risk
from .insight import in_freeze, insight_for
from .models import (
    Approval,
    ApprovalPolicy,
    ChangeRequest,
    ChangeTransition,
    PostImplementationReview,
)
from .workflow import (
    COMMENT_REQUIRED,
    ChangeFacts,
    allowed_moves,
    approval_rule,
    blockers,
)


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
    change.items.set(items)
    change.number = change_number(change.pk)
    change.risk = insight_for(change).assessment.level
    change.save(update_fields=["number", "risk"])
    return change


@transaction.atomic
def change_update(*, change: ChangeRequest, by, items=None, **fields) -> ChangeRequest:
    """Edit a change while it is still a draft (new or assess); the risk is re-assessed."""
    if change.state not in (ChangeState.NEW, ChangeState.ASSESS):
        raise TransitionRefused(
            "Only a new change or one in assessment is edited; send it back to new first.",
            allowed=[],
            current=change.state,
        )
    for name, value in fields.items():
        setattr(change, name, value)
    change.save()
    if items is not None:
        change.items.set(items)
    change.risk = insight_for(change).assessment.level
    change.save(update_fields=["risk"])
    return change


def approval_needed(change: ChangeRequest) -> tuple[str, int]:
    """(approving role, quorum) for the change under the current policies."""
    policies = ApprovalPolicy.objects.select_related("approver_group").filter(
        change_type=change.change_type
    )
    return approval_rule(change.change_type, change.effective_risk, policies)


def approvals_counted(change: ChangeRequest, group: str) -> int:
    """Approvals of the current round from members of the approving role."""
    return change.approvals.filter(
        round=change.approval_round, decision=Decision.APPROVE, approver__groups__name=group
    ).count()


def facts_for(change: ChangeRequest) -> ChangeFacts:
    group, needed = approval_needed(change)
    return ChangeFacts(
        state=change.state,
        change_type=change.change_type,
        has_items=change.items.exists(),
        has_window=bool(change.planned_start and change.planned_end),
        has_backout_plan=bool(change.backout_plan.strip()),
        has_implementer=change.implementer_id is not None,
        from_template=change.template_id is not None,
        quorum_reached=approvals_counted(change, group) >= needed,
        in_freeze=in_freeze(change),
        freeze_exception=change.freeze_exception,
        has_review=hasattr(change, "review"),
    )


def _move(change: ChangeRequest, to: str, by, comment: str) -> None:
    ChangeTransition.objects.create(
        change=change, from_state=change.state, to_state=to, by=by, comment=comment
    )
    if to == ChangeState.AUTHORIZE:
        # The assessed risk is fixed as the change goes to the CAB: it picks the policy.
        change.risk = insight_for(change).assessment.level
    change.state = to
    change.save(update_fields=["state", "risk", "approval_round", "updated_at"])
    if to == ChangeState.AUTHORIZE:
        notify_later(tasks.notify_approvers, change.pk)


def change_transition(*, change: ChangeRequest, to: str, by, comment: str = "") -> ChangeRequest:
    """Move a change if the table and its rules allow it (409 with the allowed moves if not)."""
    comment = (comment or "").strip()
    with transaction.atomic():
        change = ChangeRequest.objects.select_for_update().get(pk=change.pk)
        facts = facts_for(change)
        guard_transition(
            noun="change",
            states=ChangeState,
            table=TRANSITIONS,
            current=change.state,
            to=to,
            blockers=blockers(facts, to) if to in ChangeState.values else [],
            allowed=allowed_moves(facts),
            needs_comment=to in COMMENT_REQUIRED,
            comment=comment,
        )
        _move(change, to, by, comment)
    return change


def change_approve(
    *, change: ChangeRequest, approver, decision: str, comment: str = ""
) -> Approval:
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
            raise TransitionRefused(
                "This change is not waiting for approval.",
                allowed=allowed_moves(facts_for(change)),
                current=change.state,
            )
        implementer_user = change.implementer.user_id if change.implementer else None
        if approver.pk in (change.requester_id, implementer_user):
            raise PermissionDenied("Nobody approves a change they requested or implement.")
        group, _needed = approval_needed(change)
        if not approver.is_superuser and not approver.groups.filter(name=group).exists():
            raise PermissionDenied(f"This change needs approval from the {group} role.")
        try:
            with transaction.atomic():
                approval = Approval.objects.create(
                    change=change,
                    approver=approver,
                    decision=decision,
                    comment=comment,
                    round=change.approval_round,
                )
        except IntegrityError as exc:
            raise TransitionRefused(
                "You have already decided on this change.", allowed=[], current=change.state
            ) from exc
        if change.state != ChangeState.AUTHORIZE:
            return approval  # late approvals are recorded, the change has moved on
        if decision == Decision.REJECT:
            change.approval_round += 1
            _move(change, ChangeState.NEW, approver, f"Rejected: {comment}")
            notify_later(tasks.notify_requester, change.pk, approval.pk)
            return approval
        facts = facts_for(change)
        if not blockers(facts, ChangeState.SCHEDULED):
            _move(change, ChangeState.SCHEDULED, approver, "Quorum of approvals reached.")
            notify_later(tasks.notify_requester, change.pk, approval.pk)
    return approval


_emails_muted = ContextVar("change_emails_muted", default=False)


@contextmanager
def emails_muted():
    """For bulk loads such as the demo's history: changes move as usual, nobody is emailed."""
    token = _emails_muted.set(True)
    try:
        yield
    finally:
        _emails_muted.reset(token)


def notify_later(task, *args) -> None:
    """Queue an email once the transaction that caused it has committed."""
    if not _emails_muted.get():
        transaction.on_commit(lambda: task.delay(*args))


def risk_override_set(*, change: ChangeRequest, by, level: str, reason: str) -> ChangeRequest:
    """An ITSM manager's judgement over the assessed risk, with the reason; an empty level
    returns the change to its assessed risk."""
    reason = (reason or "").strip()
    if level and level not in Risk.values:
        raise ValidationError({"level": f"Choose one of {', '.join(Risk.values)}."})
    if level and not reason:
        raise ValidationError({"reason": "Say why the assessed risk is overridden."})
    if not by.has_perm("changes.approve_changerequest"):
        raise PermissionDenied("Only an ITSM manager overrides the assessed risk.")
    with transaction.atomic():
        change = ChangeRequest.objects.select_for_update().get(pk=change.pk)
        change.risk_override, change.risk_override_reason = level, reason if level else ""
        change.save(update_fields=["risk_override", "risk_override_reason", "updated_at"])
    return change


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
        change.save(
            update_fields=[
                "freeze_exception",
                "freeze_exception_reason",
                "freeze_exception_by",
                "updated_at",
            ]
        )
    return change


def review_record(
    *, change: ChangeRequest, by, outcome: str, incidents_caused: int = 0, notes: str = ""
) -> PostImplementationReview:
    """The post-implementation review; the change takes its outcome."""
    with transaction.atomic():
        change = ChangeRequest.objects.select_for_update().get(pk=change.pk)
        if change.state not in (ChangeState.IMPLEMENT, ChangeState.REVIEW):
            raise TransitionRefused(
                "Only an implemented change is reviewed.",
                allowed=allowed_moves(facts_for(change)),
                current=change.state,
            )
        review, _ = PostImplementationReview.objects.update_or_create(
            change=change,
            defaults={
                "outcome": outcome,
                "incidents_caused": incidents_caused,
                "notes": notes,
                "reviewed_by": by,
            },
        )
        change.outcome = outcome
        change.save(update_fields=["outcome", "updated_at"])
    return review
