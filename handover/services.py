"""Writes of the handover: each one transaction, the handover row locked first."""

from decimal import Decimal

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.validators import URLValidator
from django.db import transaction
from django.utils import timezone

from itsm_pmo.domain import TransitionRefused, guard_transition
from portfolio.choices import MilestoneKind

from .choices import HANDOVER_TRANSITIONS, CheckStatus, HandoverState
from .models import Handover, HandoverTransition, ReadinessCheck, ReadinessCriterion
from .readiness import els_status, readiness_summary
from .workflow import HandoverFacts, allowed_moves, blockers, needs_comment

DEFAULT_ELS_EFFORT_HOURS = Decimal("10")
# Once operations have accepted, the checklist is the record of what they accepted.
CHECKS_EDITABLE = (HandoverState.PLANNING, HandoverState.READINESS_REVIEW)
_UNSET = object()


def go_live_of(project):
    """The project's go-live milestone (the earliest if several), or None."""
    return project.milestones.filter(kind=MilestoneKind.GO_LIVE).order_by("due_date", "pk").first()


def go_live_date(milestone):
    """When it went (or goes) live: the completion date once recorded, else the plan."""
    if milestone is None:
        return None
    return milestone.completed_on or milestone.due_date


# --- opening ---------------------------------------------------------------------------------


@transaction.atomic
def handover_open(*, project, by=None, **fields) -> Handover:
    """The project's handover, opened with a check per active criterion if it has none yet
    (calling it again returns the same handover and adds checks for new criteria)."""
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
            from_state=handover.state,
            to_state=handover.state,
            by=by,
            comment="Handover opened.",
        )
    have = set(handover.checks.values_list("criterion_id", flat=True))
    ReadinessCheck.objects.bulk_create(
        ReadinessCheck(handover=handover, criterion=criterion)
        for criterion in ReadinessCriterion.objects.filter(active=True).exclude(pk__in=have)
    )
    return handover


def on_project_approved(sender, project, by=None, **kwargs) -> None:
    """Receiver of portfolio.signals.project_approved: the handover starts with approval."""
    handover_open(project=project, by=by)


# --- checks ----------------------------------------------------------------------------------


def may_update_check(user, check: ReadinessCheck) -> bool:
    """PMO leads and ITSM managers update any check; engineers the checks they own."""
    if not user.has_perm("handover.change_readinesscheck"):
        return False
    if user.has_perm("handover.change_handover"):
        return True
    owner_user = check.owner.user_id if check.owner_id else None
    return owner_user is not None and owner_user == user.pk


def check_update(
    *,
    check: ReadinessCheck,
    by,
    status=_UNSET,
    owner=_UNSET,
    evidence_url=_UNSET,
    waiver_reason=_UNSET,
) -> ReadinessCheck:
    """Update a readiness check. Waiving needs a reason; only planners reassign owners."""
    with transaction.atomic():
        handover = Handover.objects.select_for_update().get(pk=check.handover_id)
        check = ReadinessCheck.objects.select_related("owner", "criterion").get(pk=check.pk)
        if not may_update_check(by, check):
            raise PermissionDenied("Engineers update the readiness checks they own.")
        if handover.state not in CHECKS_EDITABLE:
            raise TransitionRefused(
                "The checklist is frozen once operations have accepted the handover; send it "
                "back to readiness review first.",
                allowed=[],
                current=handover.state,
            )
        if owner is not _UNSET and owner != check.owner:
            if not by.has_perm("handover.change_handover"):
                raise PermissionDenied("Only PMO leads and ITSM managers assign checks.")
            check.owner = owner
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


def facts_for(handover: Handover, *, today=None) -> HandoverFacts:
    """The facts the workflow rules need, read from the database."""
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


def facts_from(handover: Handover, *, go_live, readiness, els, today) -> HandoverFacts:
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


def els_for(handover: Handover, *, today=None, go_live=_UNSET, incidents=None):
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


def handover_transition(*, handover: Handover, to: str, by, comment: str = "") -> Handover:
    """Move a handover if the table and its rules allow it (409 with the allowed moves if
    not); only ITSM managers accept (403)."""
    comment = (comment or "").strip()
    if not by.has_perm("handover.transition_handover"):
        raise PermissionDenied("You may not move handovers.")
    if to == HandoverState.ACCEPTED and not by.has_perm("handover.accept_handover"):
        raise PermissionDenied("Only an ITSM manager accepts a handover into operations.")
    with transaction.atomic():
        handover = (
            Handover.objects.select_for_update().select_related("project").get(pk=handover.pk)
        )
        today = timezone.localdate()
        facts = facts_for(handover, today=today)
        guard_transition(
            noun="handover",
            states=HandoverState,
            table=HANDOVER_TRANSITIONS,
            current=handover.state,
            to=to,
            blockers=blockers(facts, to) if to in HandoverState.values else [],
            allowed=allowed_moves(facts),
            needs_comment=needs_comment(handover.state, to),
            comment=comment,
        )
        now = timezone.now()
        fields = ["state", "updated_at"]
        if to == HandoverState.ACCEPTED:
            handover.accepted_by, handover.accepted_at = by, now
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
            went_live = handover.els_started_on or facts.go_live_on
            handover.transition_days = max(0, (timezone.localdate(now) - went_live).days)
            fields += ["els_ended_on", "closed_at", "transition_days"]
        HandoverTransition.objects.create(
            handover=handover, from_state=handover.state, to_state=to, by=by, comment=comment
        )
        handover.state = to
        handover.save(update_fields=fields)
    return handover
