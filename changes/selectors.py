"""Reads of change control shared by pages and the API."""

from django.db.models import Exists, OuterRef, QuerySet

from itsm_pmo.roles import role_label

from .choices import ChangeState
from .models import Approval, ApprovalPolicy, ChangeRequest
from .workflow import approval_rule


def change_list() -> QuerySet[ChangeRequest]:
    return ChangeRequest.objects.select_related(
        "requester", "implementer", "team", "project", "template"
    ).prefetch_related("items")


def may_work_on(user, change: ChangeRequest) -> bool:
    """ITSM managers work on any change; engineers on those they raised or implement."""
    return user.has_perm("changes.approve_changerequest") or user.pk in (
        change.requester_id,
        getattr(change.implementer, "user_id", None),
    )


def cab_queue(user, changes: QuerySet[ChangeRequest] | None = None) -> list[ChangeRequest]:
    """Changes waiting in authorize for this user's decision: their role approves the change,
    they neither raised nor implement it, and they have not decided in this round."""
    if not user.has_perm("changes.approve_changerequest"):
        return []
    changes = ChangeRequest.objects.all() if changes is None else changes
    decided = Approval.objects.filter(
        change=OuterRef("pk"), approver=user, round=OuterRef("approval_round")
    )
    waiting = list(
        (change_list() & changes)
        .filter(state=ChangeState.AUTHORIZE)
        .exclude(requester=user)
        .exclude(implementer__user=user)
        .exclude(Exists(decided))
        .prefetch_related("approvals__approver__groups")
        .order_by("planned_start", "pk")
    )
    policies = list(ApprovalPolicy.objects.select_related("approver_group"))
    roles = set(user.groups.values_list("name", flat=True))
    for change in waiting:
        change.approving_role, change.quorum = approval_rule(
            change.change_type, change.effective_risk, policies
        )
        change.approving_role_label = role_label(change.approving_role)
        change.approved_so_far = sum(
            1
            for a in change.approvals.all()
            if a.round == change.approval_round
            and a.decision == "approve"
            and any(g.name == change.approving_role for g in a.approver.groups.all())
        )
    return [c for c in waiting if user.is_superuser or c.approving_role in roles]
