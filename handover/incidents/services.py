"""Writes of incident management: log, edit, move, record time and group under a problem
(problem records are kept by handover.problems.services).

Each write is one transaction and asks the predicates of permissions.py (403) and, for a move,
the move table of workflow.py (409) before it writes; a move locks its row first and is
recorded in IncidentTransition."""

from __future__ import annotations

from datetime import date
from decimal import Decimal, InvalidOperation
from typing import TYPE_CHECKING, Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from changes.choices import ChangeState
from itsm_pmo.permissions import Actor
from itsm_pmo.workflow import require

from ..choices import IncidentState
from ..models import Incident, IncidentTransition, Problem, WorkLog
from ..permissions import signed_in
from .permissions import (
    may_edit_incident,
    may_log_incident,
    may_log_work,
    may_move_incident,
)
from .priority import priority
from .workflow import MOVES, STAMPS, IncidentFacts

if TYPE_CHECKING:
    from resources.models import Person

# What an edit may change; the number, priority, state and its times follow from the rest.
EDITABLE = (
    "title",
    "description",
    "service",
    "project",
    "caused_by_change",
    "problem",
    "impact",
    "urgency",
    "major",
    "assignee",
    "resolution_notes",
    "opened_at",
)
# Changes that can have caused an incident: ones that ran, or are running.
CAN_CAUSE = (ChangeState.IMPLEMENT, ChangeState.REVIEW, ChangeState.CLOSED)


def incident_number(pk: int) -> str:
    return f"INC{pk:07d}"


def _level(name: str, value: Any) -> int:
    try:
        level = int(value)
    except (TypeError, ValueError):
        level = 0
    if level not in (1, 2, 3) or isinstance(value, bool):
        raise ValidationError({name: "Choose 1 (high), 2 (medium) or 3 (low)."})
    return level


def _check_cause(change: Any) -> None:
    if change is not None and change.state not in CAN_CAUSE:
        raise ValidationError(
            {"caused_by_change": "Only a change that has been implemented can cause an incident."}
        )


def _priority_of(fields: dict[str, Any]) -> int:
    impact = _level("impact", fields["impact"])
    urgency = _level("urgency", fields["urgency"])
    fields["impact"], fields["urgency"] = impact, urgency
    return priority(impact, urgency)


def missing_service_message(*, has_project: bool) -> str:
    """Why an incident without a service is refused (the API's serializer says it too)."""
    if has_project:
        return "Say which of the project's services is affected."
    return "Say which service is affected."


@transaction.atomic
def incident_log(*, reporter: Actor, **fields: Any) -> Incident:
    """Log an incident as `reporter`; it gets its INC number from its id and its priority from
    the matrix. A change that caused it lends its project; a project needs the service that
    broke."""
    require(may_log_incident(reporter), "Only engineers and ITSM managers log incidents.")
    fields.setdefault("impact", 2)
    fields.setdefault("urgency", 2)
    fields["priority"] = _priority_of(fields)
    change = fields.get("caused_by_change")
    _check_cause(change)
    if change is not None and fields.get("project") is None and change.project_id:
        fields["project_id"] = change.project_id
        fields.pop("project", None)
    has_project = fields.get("project") is not None or fields.get("project_id")
    if fields.get("service") is None and not fields.get("service_id"):
        raise ValidationError({"service": missing_service_message(has_project=bool(has_project))})
    if not (fields.get("title") or "").strip():
        raise ValidationError({"title": "Give the incident a short title."})
    fields.setdefault("opened_at", None)
    fields["opened_at"] = fields["opened_at"] or timezone.now()
    incident = Incident.objects.create(reporter=signed_in(reporter), **fields)
    incident.number = incident_number(incident.pk)
    incident.save(update_fields=["number"])
    return incident


@transaction.atomic
def incident_update(*, incident: Incident, by: Actor, **fields: Any) -> Incident:
    """Edit an incident's details; the priority follows impact and urgency. The state moves
    only through incident_transition."""
    incident = Incident.objects.select_for_update().get(pk=incident.pk)
    require(may_edit_incident(by, incident), "Only engineers and ITSM managers edit incidents.")
    if "caused_by_change" in fields and fields["caused_by_change"] != incident.caused_by_change:
        _check_cause(fields["caused_by_change"])
    for name, value in fields.items():
        if name in EDITABLE:
            setattr(incident, name, value)
    if not incident.service_id:
        raise ValidationError({"service": "Say which service is affected."})
    levels = {"impact": incident.impact, "urgency": incident.urgency}
    incident.priority = _priority_of(levels)
    incident.impact, incident.urgency = levels["impact"], levels["urgency"]
    incident.save()
    return incident


def incident_transition(
    *, incident: Incident, to: str, by: Actor, resolution_notes: str = "", comment: str = ""
) -> Incident:
    """Move an incident as the move table allows (409 with the allowed moves when it does
    not). Resolving needs resolution notes (a resolved incident reopened and resolved again
    keeps its earlier ones), and only resolving takes them; reopening clears the resolution
    time. Every move is recorded."""
    require(may_move_incident(by, incident), "Only engineers and ITSM managers move incidents.")
    notes = (resolution_notes or "").strip()
    with transaction.atomic():
        incident = Incident.objects.select_for_update().get(pk=incident.pk)
        resolving = to == IncidentState.RESOLVED
        if resolving:
            notes = notes or (comment or "").strip() or incident.resolution_notes.strip()
        try:
            MOVES.guard(
                current=incident.state,
                to=to,
                facts=IncidentFacts(state=incident.state),
                user=by,
                comment=notes if resolving else comment,
            )
        except ValidationError as exc:
            if resolving and "comment" in getattr(exc, "error_dict", {}):
                # The move's comment is the incident's resolution notes.
                raise ValidationError(
                    {"resolution_notes": "Say how the incident was resolved."}
                ) from exc
            raise
        if notes and not resolving:
            raise ValidationError(
                {"resolution_notes": "Resolution notes are written when the incident is resolved."}
            )
        if resolving:
            incident.resolution_notes = notes
        if incident.state == IncidentState.RESOLVED and to == IncidentState.IN_PROGRESS:
            incident.resolved_at = None
        now = timezone.now()
        setattr(incident, STAMPS[to], now)
        IncidentTransition.objects.create(
            incident=incident,
            from_state=incident.state,
            to_state=to,
            by=signed_in(by),
            at=now,
            comment=notes if resolving else (comment or "").strip(),
        )
        incident.state = to
        incident.save()
    return incident


@transaction.atomic
def work_log(
    *,
    incident: Incident,
    by: Actor,
    person: Person | None = None,
    day: date | None = None,
    hours: Any,
    note: str = "",
) -> WorkLog:
    """Record time worked on an incident (a quarter of an hour to 24 hours a day) on a day that
    has come (today by default): by default the acting user's own; only ITSM managers record
    someone else's."""
    if person is None:
        person = getattr(by, "person", None)
    require(
        may_log_work(by, incident, person),
        "You log the time you worked yourself; only ITSM managers record someone else's.",
    )
    try:
        hours = Decimal(str(hours))
    except (InvalidOperation, ValueError) as exc:
        raise ValidationError({"hours": "Give the hours as a number."}) from exc
    if not Decimal("0.25") <= hours <= Decimal("24"):
        raise ValidationError({"hours": "Between a quarter of an hour and 24 hours."})
    if person is None:
        raise ValidationError(
            {"person": "Say who worked on it: time is logged by someone with a person record."}
        )
    log = WorkLog(
        incident=incident,
        person=person,
        day=day or timezone.localdate(),
        hours=hours,
        note=(note or "").strip(),
    )
    # The field's own rules: a day between 2000 and today (not ahead), a note of 200 at most.
    log.full_clean()
    log.save()
    return log


def _link(incident: Incident, problem: Problem | None) -> Incident:
    incident = Incident.objects.select_for_update().get(pk=incident.pk)
    incident.problem = problem
    incident.save(update_fields=["problem"])
    return incident


@transaction.atomic
def problem_link(*, incident: Incident, problem: Problem | None, by: Actor) -> Incident:
    """Group an incident under a problem (None unlinks it): for those who edit incidents."""
    require(may_edit_incident(by, incident), "Only engineers and ITSM managers edit incidents.")
    return _link(incident, problem)
