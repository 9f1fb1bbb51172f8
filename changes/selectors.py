"""Reads of change control shared by pages, the API and the services."""

from datetime import datetime

from django.db.models import Case, DateTimeField, Exists, F, OuterRef, Q, QuerySet, When

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


def cab_queue_windows(
    user: Actor, changes: QuerySet[ChangeRequest] | None = None
) -> list[tuple[int, datetime | None]]:
    """(id, planned start) of the changes waiting in authorize for this user's decision
    (`may_decide`: their role approves the change, they neither raised nor implement it) on
    which they have not decided in this round, soonest window first. Reads only what the rule
    needs, so the whole queue is counted cheaply and a page of it loaded in full
    (`cab_cards`)."""
    if not user.is_authenticated:
        return []
    changes = ChangeRequest.objects.all() if changes is None else changes
    decided = Approval.objects.filter(
        change=OuterRef("pk"), approver=user, round=OuterRef("approval_round")
    )
    waiting = list(
        changes.filter(state=ChangeState.AUTHORIZE)
        .exclude(Exists(decided))
        .select_related("implementer")
        .only(
            "pk",
            "change_type",
            "risk",
            "risk_override",
            "requester_id",
            "implementer__user_id",
            "planned_start",
        )
        .order_by("planned_start", "pk")
    )
    if not waiting:
        return []
    policies = list(ApprovalPolicy.objects.select_related("approver_group"))
    return [
        (change.pk, change.planned_start)
        for change in waiting
        if may_decide(
            user,
            change,
            approving_role=approval_rule(change.change_type, change.effective_risk, policies)[0],
        )
    ]


def cab_queue_ids(user: Actor, changes: QuerySet[ChangeRequest] | None = None) -> list[int]:
    """The ids of `cab_queue_windows`: the changes waiting for this user's CAB decision."""
    return [pk for pk, _ in cab_queue_windows(user, changes)]


def to_implement(user: Actor, *, before: datetime) -> QuerySet[ChangeRequest]:
    """Changes `user` implements that are scheduled to start before `before` (or are being
    implemented): `due` is the window's start, or its end once implementation began."""
    if not user.is_authenticated:
        return ChangeRequest.objects.none()
    return (
        ChangeRequest.objects.filter(implementer__user=user)
        .filter(
            Q(state=ChangeState.IMPLEMENT)
            | Q(state=ChangeState.SCHEDULED, planned_start__lt=before)
        )
        .select_related("team", "project")
        .annotate(
            due=Case(
                When(state=ChangeState.IMPLEMENT, then=F("planned_end")),
                default=F("planned_start"),
                output_field=DateTimeField(),
            )
        )
        .order_by(F("due").asc(nulls_last=True), "pk")
    )


def cab_cards(ids: list[int]) -> list[ChangeRequest]:
    """The changes of `ids` (from `cab_queue_ids`), in that order, with what the queue's cards
    show beside each: the approving role, the quorum and the approvals so far."""
    if not ids:
        return []
    found = {
        change.pk: change
        for change in change_list()
        .filter(pk__in=ids)
        .prefetch_related("approvals__approver__groups")
    }
    policies = list(ApprovalPolicy.objects.select_related("approver_group"))
    cards = []
    for change in (found[pk] for pk in ids if pk in found):
        role, quorum = approval_rule(change.change_type, change.effective_risk, policies)
        approved = [
            a
            for a in change.approvals.all()
            if a.round == change.approval_round
            and a.decision == Decision.APPROVE
            and any(g.name == role for g in a.approver.groups.all())
        ]
        for name, value in (
            ("approving_role", role),
            ("approving_role_label", role_label(role)),
            ("quorum", quorum),
            ("approved_so_far", len(approved)),
        ):
            setattr(change, name, value)
        cards.append(change)
    return cards


def cab_queue(user: Actor, changes: QuerySet[ChangeRequest] | None = None) -> list[ChangeRequest]:
    """Changes waiting in authorize for this user's decision, as the queue's cards
    (`cab_queue_ids`, then `cab_cards`)."""
    return cab_cards(cab_queue_ids(user, changes))
