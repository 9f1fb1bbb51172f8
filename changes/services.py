"""Writes of change control: each checks the predicates and the move table, runs in one
transaction with the change row locked first, and records every move."""

from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from typing import Any

from django.contrib.auth.models import User
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from itsm_pmo.permissions import Actor
from itsm_pmo.roles import role_label
from itsm_pmo.versioning import check_version
from itsm_pmo.workflow import TransitionRefused, require

from . import notifications, rules
from .choices import ChangeState, ChangeType, Decision, Outcome, Risk
from .insight import insight_for
from .models import (
    Approval,
    ChangeRequest,
    ChangeTransition,
    ConfigurationItem,
    PostImplementationReview,
)
from .permissions import (
    is_own,
    may_correct_review,
    may_decide,
    may_edit,
    may_grant_freeze_exception,
    may_move,
    may_override_risk,
    may_raise,
    may_review,
)
from .selectors import approval_needed, facts_for
from .workflow import EDITABLE_STATES, MOVES, NOT_EDITABLE, REVIEWABLE_STATES


def change_number(pk: int) -> str:
    return f"CHG{pk:07d}"


def _signed_in(by: Actor) -> User:
    """The acting user as the row a record points at (the predicates have refused the
    anonymous visitor already; this says so to the type checker, and to a careless caller)."""
    if not isinstance(by, User):
        raise PermissionDenied("Sign in first.")
    return by


def _assessed_risk(change: ChangeRequest) -> str:
    """The risk level the factors give the change now."""
    assessment = insight_for(change).assessment
    return assessment.level if assessment is not None else change.risk


def _locked(change: ChangeRequest) -> ChangeRequest:
    """The change row, locked (not its implementer's: the join may be empty)."""
    return (
        ChangeRequest.objects.select_related("implementer")
        .select_for_update(of=("self",))
        .get(pk=change.pk)
    )


@transaction.atomic
def change_create(
    *, requester: Actor, items: Iterable[ConfigurationItem] = (), **fields: Any
) -> ChangeRequest:
    """Raise a change (`may_raise`); it gets its CHG number from its id. A template fills
    the gaps."""
    require(may_raise(requester), "Your role does not raise changes.")
    template = fields.get("template")
    if template is not None:
        fields.setdefault("change_type", ChangeType.STANDARD)
        for name in ("backout_plan", "test_plan", "effort_hours", "category"):
            if not fields.get(name):
                fields[name] = getattr(template, name)
        if not items:
            items = list(template.items.all())
    _refuse_plan_problems(change_plan_problems(fields=fields, items=items))
    change = ChangeRequest.objects.create(requester=_signed_in(requester), **fields)
    change.items.set(items)
    change.number = change_number(change.pk)
    change.risk = _assessed_risk(change)
    change.save(update_fields=["number", "risk"])
    return change


@transaction.atomic
def change_update(
    *,
    change: ChangeRequest,
    by: Actor,
    items: Iterable[ConfigurationItem] | None = None,
    expected_version: str | list[str] | None = None,
    **fields: Any,
) -> ChangeRequest:
    """Edit a change (`may_edit`) while it is still a draft (new or assess); the risk is
    re-assessed. With `expected_version` (the version the edit was made from) an edit from a
    version that is no longer current is refused: no lost update."""
    change = _locked(change)
    require(may_edit(by, change), "Engineers edit the changes they raised or implement.")
    check_version(change, expected_version)
    if change.state not in EDITABLE_STATES:
        raise TransitionRefused(NOT_EDITABLE, allowed=[], current=change.state)
    _refuse_plan_problems(change_plan_problems(fields=fields, items=items, change=change))
    for name, value in fields.items():
        setattr(change, name, value)
    change.save()
    if items is not None:
        change.items.set(items)
    change.risk = _assessed_risk(change)
    change.save(update_fields=["risk"])
    return change


def change_plan_problems(
    *,
    fields: dict[str, Any],
    items: Iterable[ConfigurationItem] | None,
    change: ChangeRequest | None = None,
) -> dict[str, str]:
    """{field: reason} of what `changes.rules` refuses in a change about to be raised (or,
    with `change`, edited with these fields): for the service to raise and the form to
    show next to its fields."""

    def value(name: str) -> Any:
        return fields[name] if name in fields else getattr(change, name, None)

    template = value("template")
    if items is None:
        items = list(change.items.all()) if change is not None else []
    elif not items and template is not None and change is None:
        items = list(template.items.all())  # a new change from a template takes its items
    start = value("planned_start")
    return rules.plan_problems(
        change_type=value("change_type") or "",
        template=template,
        template_item_ids=(
            set(template.items.values_list("pk", flat=True)) if template is not None else set()
        ),
        items=items,
        start=start,
        end=value("planned_end"),
        start_is_new=not _recording_history.get()
        and (change is None or start != change.planned_start),
        now=timezone.now(),
    )


def _refuse_plan_problems(problems: dict[str, str]) -> None:
    if problems:
        raise ValidationError(problems)


def _move(change: ChangeRequest, to: str, by: Actor, comment: str) -> None:
    """Record the move and make it; the row is locked by the caller."""
    ChangeTransition.objects.create(
        change=change, from_state=change.state, to_state=to, by=_signed_in(by), comment=comment
    )
    if to == ChangeState.AUTHORIZE:
        # The assessed risk is fixed as the change goes to the CAB: it picks the policy.
        change.risk = _assessed_risk(change)
    change.state = to
    change.save(update_fields=["state", "risk", "approval_round", "updated_at"])
    if to == ChangeState.AUTHORIZE:
        if not _recording_history.get():
            notifications.tell_approvers(change, by=by)


def change_transition(
    *, change: ChangeRequest, to: str, by: Actor, comment: str = ""
) -> ChangeRequest:
    """Move a change (`may_move`, then the move table: 409 with the allowed moves if the
    table refuses, 403 if the role may not make the move)."""
    comment = (comment or "").strip()
    with transaction.atomic():
        change = _locked(change)
        require(may_move(by, change), "Engineers move the changes they raised or implement.")
        MOVES.guard(current=change.state, to=to, facts=facts_for(change), user=by, comment=comment)
        _move(change, to, by, comment)
    return change


def change_approve(
    *, change: ChangeRequest, approver: Actor, decision: str, comment: str = ""
) -> Approval:
    """Record a CAB decision (`may_decide`). The change row is locked first, so simultaneous
    approvers are serialised: each decision is recorded once and the move to scheduled (the
    table's CAB row) happens once, when the quorum is reached."""
    if decision not in Decision.values:
        raise ValidationError({"decision": "Say approve or reject."})
    comment = (comment or "").strip()
    if decision == Decision.REJECT and not comment:
        raise ValidationError({"comment": "Give the reason for the rejection."})
    with transaction.atomic():
        change = _locked(change)
        group, _needed = approval_needed(change)
        if not may_decide(approver, change, approving_role=group):
            if is_own(approver, change):
                raise PermissionDenied("Nobody approves a change they requested or implement.")
            raise PermissionDenied(f"This change needs approval from the {role_label(group)} role.")
        if change.state not in (ChangeState.AUTHORIZE, ChangeState.SCHEDULED):
            raise TransitionRefused(
                "This change is not waiting for approval.",
                allowed=MOVES.allowed(change.state, facts_for(change)),
                current=change.state,
            )
        try:
            with transaction.atomic():
                approval = Approval.objects.create(
                    change=change,
                    approver=_signed_in(approver),
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
        # The CAB's decision makes the move: the decision predicate stands for the row's role.
        if decision == Decision.REJECT:
            change.approval_round += 1
            _move(change, ChangeState.NEW, approver, f"Rejected: {comment}")
            tell_requester(change, approval)
            return approval
        schedule = MOVES.get(ChangeState.AUTHORIZE, ChangeState.SCHEDULED)
        if schedule is not None and not schedule.blockers(facts_for(change)):
            _move(change, ChangeState.SCHEDULED, approver, "Quorum of approvals reached.")
            tell_requester(change, approval)
    return approval


_recording_history = ContextVar("change_recording_history", default=False)


@contextmanager
def recording_history() -> Iterator[None]:
    """For loaders that rebuild past changes (the demo's history, test fixtures): a window
    may lie in the past, and the moves email nobody (history is not news). Every other rule
    of the plan still holds; no page or API call enters this."""
    token = _recording_history.set(True)
    try:
        yield
    finally:
        _recording_history.reset(token)


def tell_requester(change: ChangeRequest, approval: Approval) -> None:
    """The CAB's decision, told to the requester once the transaction commits (through the
    notification service: their preferences, retried, never the change's error); history
    rebuilt by a loader tells nobody."""
    if not _recording_history.get():
        notifications.tell_requester(change, approval)


def risk_override_set(
    *, change: ChangeRequest, by: Actor, level: str, reason: str = ""
) -> ChangeRequest:
    """An ITSM manager's judgement over the assessed risk (`may_override_risk`), with the
    reason; an empty level returns the change to its assessed risk."""
    require(may_override_risk(by, change), "Only an ITSM manager overrides the assessed risk.")
    reason = (reason or "").strip()
    if level and level not in Risk.values:
        raise ValidationError({"level": f"Choose one of {', '.join(Risk.values)}."})
    if level and not reason:
        raise ValidationError({"reason": "Say why the assessed risk is overridden."})
    with transaction.atomic():
        change = _locked(change)
        change.risk_override, change.risk_override_reason = level, reason if level else ""
        change.save(update_fields=["risk_override", "risk_override_reason", "updated_at"])
    return change


def freeze_exception_grant(*, change: ChangeRequest, by: Actor, reason: str) -> ChangeRequest:
    """Let a change run inside a freeze: an ITSM manager's explicit, reasoned exception
    (`may_grant_freeze_exception`)."""
    require(
        may_grant_freeze_exception(by, change), "Only an ITSM manager grants freeze exceptions."
    )
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": "Say why this change may run during the freeze."})
    with transaction.atomic():
        change = _locked(change)
        change.freeze_exception, change.freeze_exception_reason = True, reason
        change.freeze_exception_by = _signed_in(by)
        change.save(
            update_fields=[
                "freeze_exception",
                "freeze_exception_reason",
                "freeze_exception_by",
                "updated_at",
            ]
        )
    return change


def _review_input(outcome: str, incidents_caused: int) -> None:
    if outcome not in Outcome.values:
        raise ValidationError({"outcome": f"Choose one of {', '.join(Outcome.values)}."})
    if incidents_caused is None or incidents_caused < 0:
        raise ValidationError({"incidents_caused": "Count the incidents it caused (0 or more)."})


def review_record(
    *,
    change: ChangeRequest,
    by: Actor,
    outcome: str,
    incidents_caused: int = 0,
    notes: str = "",
) -> PostImplementationReview:
    """The post-implementation review of an implemented change (`may_review`), once; the
    change takes its outcome."""
    _review_input(outcome, incidents_caused)
    with transaction.atomic():
        change = _locked(change)
        require(may_review(by, change), "Engineers review the changes they raised or implement.")
        if change.state not in REVIEWABLE_STATES:
            raise TransitionRefused(
                "Only an implemented change is reviewed.",
                allowed=MOVES.allowed(change.state, facts_for(change)),
                current=change.state,
            )
        if PostImplementationReview.objects.filter(change=change).exists():
            raise ValidationError(
                {"change": "This change already has its review: correct that one instead."}
            )
        review = PostImplementationReview.objects.create(
            change=change,
            outcome=outcome,
            incidents_caused=incidents_caused,
            notes=notes,
            reviewed_by=_signed_in(by),
        )
        change.outcome = outcome
        change.save(update_fields=["outcome", "updated_at"])
    return review


def review_correct(
    *,
    review: PostImplementationReview,
    by: Actor,
    outcome: str,
    incidents_caused: int,
    notes: str = "",
) -> PostImplementationReview:
    """Correct a recorded review (`may_correct_review`), e.g. when an incident it caused
    shows up later; the change's outcome follows the review's."""
    _review_input(outcome, incidents_caused)
    with transaction.atomic():
        change = _locked(review.change)
        review = PostImplementationReview.objects.select_for_update().get(pk=review.pk)
        review.change = change
        require(
            may_correct_review(by, review),
            "Engineers correct the reviews of the changes they raised or implement.",
        )
        review.outcome, review.incidents_caused, review.notes = outcome, incidents_caused, notes
        review.reviewed_by = _signed_in(by)
        review.save(update_fields=["outcome", "incidents_caused", "notes", "reviewed_by"])
        change.outcome = outcome
        change.save(update_fields=["outcome", "updated_at"])
    return review
