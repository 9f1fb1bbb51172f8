"""Writes of the handover: each one transaction, the handover row locked first. Every write
that takes the acting user asks the predicates of permissions.py and the move table of
workflow.py before it writes."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from django.core.exceptions import ValidationError
from django.core.validators import URLValidator
from django.db import transaction
from django.utils import timezone

from itsm_pmo.models import OPENED
from itsm_pmo.permissions import Actor
from itsm_pmo.workflow import TransitionRefused, require
from portfolio.choices import MilestoneKind

from . import notifications
from .choices import CHECKS_EDITABLE, CheckStatus, HandoverState
from .models import Handover, HandoverTransition, ReadinessCheck, ReadinessCriterion
from .permissions import (
    may_accept,
    may_assign_check,
    may_move,
    may_open,
    may_plan,
    may_update_check,
    signed_in,
)
from .readiness import ElsStatus, Readiness, els_status, readiness_summary
from .workflow import MOVES, HandoverFacts

if TYPE_CHECKING:
    from portfolio.models import Milestone, Project

DEFAULT_ELS_EFFORT_HOURS = Decimal("10")
# What planning a handover may change; its project and state are not among them.
PLANNED_FIELDS = (
    "service",
    "new_service_name",
    "receiving_team",
    "els_quiet_days",
    "els_max_priority",
    "els_effort_hours",
)
_UNSET: Any = object()


def go_live_of(project: Project) -> Milestone | None:
    """The project's go-live milestone (the earliest if several), or None."""
    return project.milestones.filter(kind=MilestoneKind.GO_LIVE).order_by("due_date", "pk").first()


def go_live_date(milestone: Milestone | None) -> date | None:
    """When it went (or goes) live: the completion date once recorded, else the plan."""
    if milestone is None:
        return None
    return milestone.completed_on or milestone.due_date


# --- opening and planning --------------------------------------------------------------------


@transaction.atomic
def handover_open(*, project: Project, by: Actor | None = None, **fields: Any) -> Handover:
    """The project's handover, opened with a check per active criterion if it has none yet
    (calling it again returns the same handover and adds checks for new criteria).

    The system's path: a project's approval opens its handover (the approver's right to approve
    is the rule). A person opening one by hand goes through handover_create."""
    defaults = {
        "service": project.services.order_by("name").first(),
        "receiving_team": project.support_team,
        "els_effort_hours": project.support_effort_hours
        if project.support_effort_hours is not None
        else DEFAULT_ELS_EFFORT_HOURS,
    }
    defaults.update(fields)
    handover, created = Handover.objects.get_or_create(project=project, defaults=defaults)
    if created and by is not None:
        HandoverTransition.objects.create(
            handover=handover,
            from_state=OPENED,  # who opened it and when: not a move from a state to itself
            to_state=handover.state,
            by=signed_in(by),
            comment="Handover opened.",
        )
    have = set(handover.checks.values_list("criterion_id", flat=True))
    ReadinessCheck.objects.bulk_create(
        ReadinessCheck(handover=handover, criterion=criterion)
        for criterion in ReadinessCriterion.objects.filter(active=True).exclude(pk__in=have)
    )
    return handover


def handover_create(*, project: Project, by: Actor, **fields: Any) -> Handover:
    """Open a project's handover by hand: for those who plan handovers (403 otherwise)."""
    require(may_open(by), "Only PMO leads and ITSM managers open a handover.")
    _validate_planned(fields)
    return handover_open(project=project, by=by, **fields)


def on_project_approved(
    sender: Any, project: Project, by: Actor | None = None, **kwargs: Any
) -> None:
    """Subscribed by `portfolio.services.when_project_approved`: the handover starts with
    approval."""
    handover_open(project=project, by=by)


def _validate_planned(fields: dict[str, Any]) -> None:
    unknown = set(fields) - set(PLANNED_FIELDS)
    if unknown:
        raise ValidationError({name: "Not changed by planning the handover." for name in unknown})
    priority = fields.get("els_max_priority")
    if priority is not None and not 1 <= priority <= 5:
        raise ValidationError({"els_max_priority": "A priority is from 1 (highest) to 5."})


@transaction.atomic
def handover_update(*, handover: Handover, by: Actor, fields: dict[str, Any]) -> Handover:
    """Plan a handover (its service, receiving team and early-life support terms): for those
    who plan handovers. Its project and state are not changed here."""
    handover = Handover.objects.select_for_update().get(pk=handover.pk)
    require(may_plan(by, handover), "Only PMO leads and ITSM managers plan a handover.")
    _validate_planned(fields)
    for name, value in fields.items():
        setattr(handover, name, value)
    handover.save()
    return handover


# --- checks ----------------------------------------------------------------------------------


def check_update(
    *,
    check: ReadinessCheck,
    by: Actor,
    status: Any = _UNSET,
    owner: Any = _UNSET,
    evidence_url: Any = _UNSET,
    waiver_reason: Any = _UNSET,
) -> ReadinessCheck:
    """Update a readiness check: engineers the checks they own, planners any. Waiving needs
    a reason; only planners reassign owners; the checklist is frozen once accepted."""
    with transaction.atomic():
        handover = Handover.objects.select_for_update().get(pk=check.handover_id)
        check = ReadinessCheck.objects.select_related("owner", "criterion").get(pk=check.pk)
        require(may_update_check(by, check), "Engineers update the readiness checks they own.")
        if handover.state not in CHECKS_EDITABLE:
            raise TransitionRefused(
                "The checklist is frozen once operations have accepted the handover; send it "
                "back to readiness review first.",
                allowed=[],
                current=handover.state,
            )
        if owner is not _UNSET and owner != check.owner:
            require(may_assign_check(by, check), "Only PMO leads and ITSM managers assign checks.")
            check.owner = owner
            check.handover = handover
            notifications.tell_check_owner(check, by=by)
        if status is not _UNSET:
            if status not in CheckStatus.values:
                raise ValidationError({"status": f"Choose one of {', '.join(CheckStatus.values)}."})
            check.status = status
        if evidence_url is not _UNSET:
            evidence_url = (evidence_url or "").strip()
            if evidence_url:
                try:
                    URLValidator(schemes=["http", "https"])(evidence_url)
                except ValidationError as exc:
                    raise ValidationError({"evidence_url": "Enter a valid http(s) link."}) from exc
            check.evidence_url = evidence_url
        if waiver_reason is not _UNSET:
            check.waiver_reason = (waiver_reason or "").strip()
        if check.status == CheckStatus.WAIVED:
            if not check.waiver_reason:
                raise ValidationError({"waiver_reason": "Say why this check is waived."})
        else:
            check.waiver_reason = ""  # a reason belongs to a waiver only
        check.save()
    return check


# --- the workflow ----------------------------------------------------------------------------


def facts_for(handover: Handover, *, today: date | None = None) -> HandoverFacts:
    """The facts the move table's checks need, read from the database."""
    today = today or timezone.localdate()
    go_live = go_live_date(go_live_of(handover.project))
    summary = readiness_summary(handover.checks.select_related("criterion"))
    return facts_from(
        handover,
        go_live=go_live,
        readiness=summary,
        els=els_for(handover, today=today, go_live=go_live),
        today=today,
    )


def facts_from(
    handover: Handover,
    *,
    go_live: date | None,
    readiness: Readiness,
    els: ElsStatus | None,
    today: date,
) -> HandoverFacts:
    """The facts from what a caller (the detail page) has already read."""
    return HandoverFacts(
        state=handover.state,
        has_receiving_team=handover.receiving_team_id is not None,
        go_live_on=go_live,
        go_live_reached=go_live is not None and go_live <= today,
        mandatory_open=readiness.mandatory_open,
        els_exit_on=els.exit_on if els and els.ended else None,
        els_projected_exit=els.exit_on if els else None,
        els_max_priority=handover.els_max_priority,
    )


def els_for(
    handover: Handover,
    *,
    today: date | None = None,
    go_live: Any = _UNSET,
    incidents: Any = None,
) -> ElsStatus | None:
    """Early-life support computed from the project's incidents (None before it starts)."""
    today = today or timezone.localdate()
    started = handover.els_started_on
    if started is None:
        if handover.state != HandoverState.EARLY_LIFE_SUPPORT:
            return None
        started = go_live_date(go_live_of(handover.project)) if go_live is _UNSET else go_live
        if started is None:
            return None
    if incidents is None:
        incidents = handover.project.incidents.values_list("opened_at", "priority")
    pairs = [(timezone.localtime(opened).date(), priority) for opened, priority in incidents]
    if handover.els_ended_on:
        today = min(today, handover.els_ended_on)
    return els_status(started, pairs, handover.els_quiet_days, handover.els_max_priority, today)


def handover_transition(*, handover: Handover, to: str, by: Actor, comment: str = "") -> Handover:
    """Move a handover as the move table allows (409 with the allowed moves if not); only
    ITSM managers accept (403); every move is recorded."""
    comment = (comment or "").strip()
    require(may_move(by, handover), "You may not move handovers.")
    if to == HandoverState.ACCEPTED:
        require(
            may_accept(by, handover), "Only an ITSM manager accepts a handover into operations."
        )
    with transaction.atomic():
        handover = (
            Handover.objects.select_for_update().select_related("project").get(pk=handover.pk)
        )
        today = timezone.localdate()
        facts = facts_for(handover, today=today)
        MOVES.guard(current=handover.state, to=to, facts=facts, user=by, comment=comment)
        now = timezone.now()
        fields = ["state", "updated_at"]
        if to == HandoverState.ACCEPTED:
            handover.accepted_by, handover.accepted_at = signed_in(by), now
            fields += ["accepted_by", "accepted_at"]
        elif handover.state == HandoverState.ACCEPTED and to == HandoverState.READINESS_REVIEW:
            handover.accepted_by, handover.accepted_at = None, None
            fields += ["accepted_by", "accepted_at"]
        elif to == HandoverState.EARLY_LIFE_SUPPORT:
            handover.els_started_on = facts.go_live_on
            fields.append("els_started_on")
        elif to == HandoverState.CLOSED:
            handover.els_ended_on = facts.els_exit_on
            handover.closed_at = now
            went_live = handover.els_started_on or facts.go_live_on or today
            handover.transition_days = max(0, (timezone.localdate(now) - went_live).days)
            fields += ["els_ended_on", "closed_at", "transition_days"]
        HandoverTransition.objects.create(
            handover=handover,
            from_state=handover.state,
            to_state=to,
            by=signed_in(by),
            comment=comment,
        )
        handover.state = to
        handover.save(update_fields=fields)
        if to == HandoverState.READINESS_REVIEW:
            notifications.tell_acceptors(handover, by=by)
    return handover
