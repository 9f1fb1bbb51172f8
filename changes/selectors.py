"""Reads of change control shared by pages, the API and the services."""

from django.db.models import Exists, OuterRef, QuerySet

from itsm_pmo.permissions import Actor
from itsm_pmo.roles import role_label

from .choices import ChangeState, Decision
from .insight import in_freeze
from .models import Approval, ApprovalPolicy, ChangeRequest
from .permissions import may_decide
from .workflow import ChangeFacts, approval_rule


def changes() -> QuerySet[ChangeRequest]:
    """Every change, unscoped (every role reads every change): the choices of another app's
    form, a loader's lookups."""
    return ChangeRequest.objects.all()


def change_list() -> QuerySet[ChangeRequest]:
    """Changes with what every list and page shows of them, in one query each."""
    return ChangeRequest.objects.select_related(
        "requester", "implementer", "team", "project", "template"
    ).prefetch_related("items")


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
    """What the move table's checks need to know about the change."""
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


def cab_queue(user: Actor, changes: QuerySet[ChangeRequest] | None = None) -> list[ChangeRequest]:
    """Changes waiting in authorize for this user's decision (`may_decide`: their role
    approves the change, they neither raised nor implement it) on which they have not
    decided in this round."""
    if not user.is_authenticated:
        return []
    changes = ChangeRequest.objects.all() if changes is None else changes
    decided = Approval.objects.filter(
        change=OuterRef("pk"), approver=user, round=OuterRef("approval_round")
    )
    waiting = list(
        (change_list() & changes)
        .filter(state=ChangeState.AUTHORIZE)
        .exclude(Exists(decided))
        .prefetch_related("approvals__approver__groups")
        .order_by("planned_start", "pk")
    )
    if not waiting:
        return []
    policies = list(ApprovalPolicy.objects.select_related("approver_group"))
    queue = []
    for change in waiting:
        role, quorum = approval_rule(change.change_type, change.effective_risk, policies)
        if not may_decide(user, change, approving_role=role):
            continue
        approved = [
            a
            for a in change.approvals.all()
            if a.round == change.approval_round
            and a.decision == Decision.APPROVE
            and any(g.name == role for g in a.approver.groups.all())
        ]
        # What the queue's cards show beside the change itself.
        for name, value in (
            ("approving_role", role),
            ("approving_role_label", role_label(role)),
            ("quorum", quorum),
            ("approved_so_far", len(approved)),
        ):
            setattr(change, name, value)
        queue.append(change)
    return queue
