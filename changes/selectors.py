"""Reads of change control shared by pages, the API and the services."""

from datetime import datetime
from typing import Any

from django.db.models import (
    Avg,
    Case,
    Count,
    DateTimeField,
    DurationField,
    Exists,
    ExpressionWrapper,
    F,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    When,
)

from itsm_pmo.dates import moment_between
from itsm_pmo.permissions import Actor
from itsm_pmo.roles import role_label
from portfolio.selectors import serves_objective

from .choices import ChangeState, ChangeType, Decision, Outcome
from .insight import in_freeze
from .models import (
    Approval,
    ApprovalPolicy,
    ChangeRequest,
    ChangeTransition,
    ConfigurationItem,
)
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


# --- The executive view's aggregates (issue 16; docs/metrics.md defines each one) ---------
# Each answers one aggregate query over a half-open range of moments [start, end): the
# number of queries does not grow with the data. Each condition is a function below that the
# aggregate and the change list's drill-down filter (filtersets.py) both use, so the list
# behind a number counts what the number counts.

FAILED_OUTCOMES = (Outcome.FAILED, Outcome.BACKED_OUT)


def in_scope(
    changes: QuerySet[ChangeRequest], *, objective: int | None = None, service: int | None = None
) -> QuerySet[ChangeRequest]:
    """The changes of a project aligned with `objective` and with a configuration item on
    `service` (docs/metrics.md, "Scope"); either None does not narrow. EXISTS, not joins:
    a change on two items of the service is one row."""
    if objective is not None:
        changes = changes.filter(serves_objective(objective))
    if service is not None:
        on_service = ConfigurationItem.objects.filter(changes=OuterRef("pk"), service_id=service)
        changes = changes.filter(Exists(on_service))
    return changes


def reviewed_between(
    changes: QuerySet[ChangeRequest], start: datetime | None, end: datetime | None
) -> QuerySet[ChangeRequest]:
    """Changes whose review was recorded in [start, end) (one review a change)."""
    return changes.filter(review__isnull=False).filter(
        moment_between("review__reviewed_at", start, end)
    )


def outcome_is(outcome: str) -> Q:
    """The change's review has this outcome."""
    return Q(review__outcome=outcome)


def failed_or_caused() -> Q:
    """The change failed or was backed out by its review, or caused an incident: by the
    review's own count or by an incident linked to it (`caused_by_change`)."""
    linked = ChangeRequest.objects.filter(pk=OuterRef("pk"), incidents_caused__isnull=False)
    return (
        Q(review__outcome__in=FAILED_OUTCOMES)
        | Q(review__incidents_caused__gt=0)
        | Q(Exists(linked))
    )


def raised_between(
    changes: QuerySet[ChangeRequest], start: datetime | None, end: datetime | None
) -> QuerySet[ChangeRequest]:
    """Changes raised (created) in [start, end); cancelled ones too: they were raised."""
    return changes.filter(moment_between("created_at", start, end))


def implemented_between(
    changes: QuerySet[ChangeRequest], start: datetime | None, end: datetime | None
) -> QuerySet[ChangeRequest]:
    """Changes whose first move into review (implemented) was in [start, end), annotated
    with that moment as `done_at`: a change implemented twice counts its first move only."""
    into_review = ChangeTransition.objects.filter(
        change=OuterRef("pk"), to_state=ChangeState.REVIEW
    )
    first_done = into_review.order_by("at").values("at")[:1]
    # Only changes moved into review in the range can have their first move there: asking
    # that first (a semi-join) spares the first-move subquery for every other change.
    moved_then = into_review.filter(moment_between("at", start, end))
    return (
        changes.filter(Exists(moved_then))
        .annotate(done_at=Subquery(first_done))
        .filter(done_at__isnull=False)
        .filter(moment_between("done_at", start, end))
    )


def refused_between(
    changes: QuerySet[ChangeRequest], start: datetime | None, end: datetime | None
) -> QuerySet[ChangeRequest]:
    """Changes the CAB rejected at least once in [start, end) (one row however often)."""
    rejected = Approval.objects.filter(change=OuterRef("pk"), decision=Decision.REJECT).filter(
        moment_between("decided_at", start, end)
    )
    return changes.filter(Exists(rejected))


def _scoped(objective: int | None, service: int | None) -> QuerySet[ChangeRequest]:
    return in_scope(ChangeRequest.objects.all(), objective=objective, service=service)


def review_outcomes(
    start: datetime, end: datetime, *, objective: int | None = None, service: int | None = None
) -> dict[str, int]:
    """Changes reviewed in the range (in scope) by their review's outcome, and those that
    failed or caused an incident."""
    return reviewed_between(_scoped(objective, service), start, end).aggregate(
        reviewed=Count("pk"),
        successful=Count("pk", filter=outcome_is(Outcome.SUCCESSFUL)),
        with_issues=Count("pk", filter=outcome_is(Outcome.WITH_ISSUES)),
        failed=Count("pk", filter=Q(review__outcome__in=FAILED_OUTCOMES)),
        failed_or_caused=Count("pk", filter=failed_or_caused()),
    )


def incidents_caused_by_priority(
    start: datetime, end: datetime, *, objective: int | None = None, service: int | None = None
) -> dict[int, int]:
    """Incidents linked to a change (in scope) whose review was recorded in the range, by
    priority."""
    rows = (
        reviewed_between(_scoped(objective, service), start, end)
        .filter(incidents_caused__isnull=False)
        .values("incidents_caused__priority")
        .annotate(n=Count("incidents_caused"))
        .order_by()
    )
    return {row["incidents_caused__priority"]: row["n"] for row in rows}


def raised_by_type(
    start: datetime, end: datetime, *, objective: int | None = None, service: int | None = None
) -> dict[str, int]:
    """Changes raised in the range (in scope): all and emergency."""
    return raised_between(_scoped(objective, service), start, end).aggregate(
        raised=Count("pk"),
        emergency=Count("pk", filter=Q(change_type=ChangeType.EMERGENCY)),
    )


def lead_time(
    start: datetime, end: datetime, *, objective: int | None = None, service: int | None = None
) -> dict[str, Any]:
    """Changes implemented in the range (in scope) and the mean time from raised to their
    first move into review."""
    return implemented_between(_scoped(objective, service), start, end).aggregate(
        implemented=Count("pk"),
        mean=Avg(ExpressionWrapper(F("done_at") - F("created_at"), output_field=DurationField())),
    )


def refused_by_cab(
    start: datetime, end: datetime, *, objective: int | None = None, service: int | None = None
) -> int:
    """Changes (in scope) the CAB rejected at least once in the range."""
    return refused_between(_scoped(objective, service), start, end).count()


def items_depending_on(item_id: int, *, depth: int = 3, limit: int = 50) -> list[ConfigurationItem]:
    """The configuration items that depend on `item_id`, directly or through others, up to
    `depth` levels and `limit` items (one query a level, one for the rows), with their
    service: what else stops when the item fails (a major incident's affected services)."""
    seen: set[int] = {item_id}
    frontier = {item_id}
    found: list[int] = []
    for _ in range(depth):
        if not frontier or len(found) >= limit:
            break
        through = ConfigurationItem.depends_on.through.objects
        nxt = set(
            through.filter(to_configurationitem_id__in=frontier).values_list(
                "from_configurationitem_id", flat=True
            )[: limit * 4]
        )
        frontier = nxt - seen
        seen |= frontier
        found.extend(sorted(frontier))
    found = found[:limit]
    if not found:
        return []
    return list(ConfigurationItem.objects.filter(pk__in=found).select_related("service"))


def configuration_items() -> QuerySet[ConfigurationItem]:
    """Every configuration item, unscoped: another app's form, filter or demo picks from it."""
    return ConfigurationItem.objects.all()


# --- Problem management (issue 17): the items a problem form offers and a fix change names --


def configuration_item_catalogue() -> QuerySet[ConfigurationItem]:
    """Every configuration item with its service, by name: another app's form choices."""
    return ConfigurationItem.objects.select_related("service").order_by("name", "pk")


def items_of_service(service_id: int | None) -> QuerySet[ConfigurationItem]:
    """The configuration items that carry a service (none without one)."""
    if not service_id:
        return ConfigurationItem.objects.none()
    return ConfigurationItem.objects.filter(service_id=service_id).order_by("name", "pk")
