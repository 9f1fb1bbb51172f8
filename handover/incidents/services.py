"""Writes of incident management: log, move, edit, record time, group under a problem.

Each write is one transaction; a move locks the incident row first."""

from datetime import date
from decimal import Decimal, InvalidOperation

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from itsm_pmo.domain import guard_transition

from ..choices import INCIDENT_TRANSITIONS, IncidentState
from ..models import Incident, Problem, WorkLog
from .priority import priority

# The timestamp each state stamps when an incident enters it.
STAMPS = {
    IncidentState.IN_PROGRESS: "in_progress_at",
    IncidentState.ON_HOLD: "on_hold_at",
    IncidentState.RESOLVED: "resolved_at",
    IncidentState.CLOSED: "closed_at",
}


def incident_number(pk: int) -> str:
    return f"INC{pk:07d}"


def problem_number(pk: int) -> str:
    return f"PRB{pk:07d}"


def _level(name: str, value) -> int:
    try:
        level = int(value)
    except (TypeError, ValueError):
        level = 0
    if level not in (1, 2, 3) or isinstance(value, bool):
        raise ValidationError({name: "Choose 1 (high), 2 (medium) or 3 (low)."})
    return level


def _priority_of(fields: dict) -> int:
    impact = _level("impact", fields["impact"])
    urgency = _level("urgency", fields["urgency"])
    fields["impact"], fields["urgency"] = impact, urgency
    return priority(impact, urgency)


@transaction.atomic
def incident_log(*, reporter, **fields) -> Incident:
    """Log an incident; it gets its INC number from its id and its priority from the matrix.
    A change that caused it lends its project; a project needs the service that broke."""
    fields.setdefault("impact", 2)
    fields.setdefault("urgency", 2)
    fields["priority"] = _priority_of(fields)
    change = fields.get("caused_by_change")
    if change is not None and fields.get("project") is None and change.project_id:
        fields["project_id"] = change.project_id
        fields.pop("project", None)
    has_project = fields.get("project") is not None or fields.get("project_id")
    if fields.get("service") is None and not fields.get("service_id"):
        message = (
            "Say which of the project's services is affected."
            if has_project
            else "Say which service is affected."
        )
        raise ValidationError({"service": message})
    if not (fields.get("title") or "").strip():
        raise ValidationError({"title": "Give the incident a short title."})
    fields.setdefault("opened_at", None)
    fields["opened_at"] = fields["opened_at"] or timezone.now()
    incident = Incident.objects.create(reporter=reporter, **fields)
    incident.number = incident_number(incident.pk)
    incident.save(update_fields=["number"])
    return incident


@transaction.atomic
def incident_update(*, incident: Incident, by=None, **fields) -> Incident:
    """Edit an incident's details; the priority follows impact and urgency. The state moves
    only through incident_transition."""
    incident = Incident.objects.select_for_update().get(pk=incident.pk)
    for name in ("state", "number", "priority", *STAMPS.values()):
        fields.pop(name, None)
    for name, value in fields.items():
        setattr(incident, name, value)
    if not incident.service_id:
        raise ValidationError({"service": "Say which service is affected."})
    levels = {"impact": incident.impact, "urgency": incident.urgency}
    incident.priority = _priority_of(levels)
    incident.impact, incident.urgency = levels["impact"], levels["urgency"]
    incident.save()
    return incident


def allowed_moves(incident: Incident) -> list[str]:
    return list(INCIDENT_TRANSITIONS[incident.state])


def incident_transition(*, incident: Incident, to: str, by, resolution_notes: str = "") -> Incident:
    """Move an incident along new → in progress → on hold → resolved → closed (409 with the
    allowed moves when the table refuses). Resolving needs resolution notes; reopening a
    resolved incident clears its resolution time."""
    notes = (resolution_notes or "").strip()
    with transaction.atomic():
        incident = Incident.objects.select_for_update().get(pk=incident.pk)
        guard_transition(
            noun="incident",
            states=IncidentState,
            table=INCIDENT_TRANSITIONS,
            current=incident.state,
            to=to,
            blockers=[],
            allowed=allowed_moves(incident),
            needs_comment=False,
            comment="",
        )
        if to == IncidentState.RESOLVED:
            notes = notes or incident.resolution_notes.strip()
            if not notes:
                raise ValidationError({"resolution_notes": "Say how the incident was resolved."})
            incident.resolution_notes = notes
        if incident.state == IncidentState.RESOLVED and to == IncidentState.IN_PROGRESS:
            incident.resolved_at = None
        setattr(incident, STAMPS[to], timezone.now())
        incident.state = to
        incident.save()
    return incident


@transaction.atomic
def work_log(
    *, incident: Incident, person, day: date | None = None, hours, note: str = ""
) -> WorkLog:
    """Record time worked on an incident (a quarter of an hour to 24 hours a day)."""
    try:
        hours = Decimal(str(hours))
    except (InvalidOperation, ValueError) as exc:
        raise ValidationError({"hours": "Give the hours as a number."}) from exc
    if not Decimal("0.25") <= hours <= Decimal("24"):
        raise ValidationError({"hours": "Between a quarter of an hour and 24 hours."})
    if person is None:
        raise ValidationError({"person": "Say who worked on it."})
    return WorkLog.objects.create(
        incident=incident,
        person=person,
        day=day or timezone.localdate(),
        hours=hours,
        note=(note or "").strip(),
    )


@transaction.atomic
def problem_create(*, incidents=(), **fields) -> Problem:
    """Open a problem record (PRB number from its id), optionally grouping incidents."""
    if not (fields.get("title") or "").strip():
        raise ValidationError({"title": "Give the problem a short title."})
    problem = Problem.objects.create(**fields)
    problem.number = problem_number(problem.pk)
    problem.save(update_fields=["number"])
    for incident in incidents:
        problem_link(incident=incident, problem=problem)
    return problem


@transaction.atomic
def problem_link(*, incident: Incident, problem: Problem | None) -> Incident:
    """Group an incident under a problem (None unlinks it)."""
    incident = Incident.objects.select_for_update().get(pk=incident.pk)
    incident.problem = problem
    incident.save(update_fields=["problem"])
    return incident
