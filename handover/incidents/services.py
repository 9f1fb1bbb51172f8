"""Writes of incident management: log, edit, move, record time and group under a problem
(problem records are kept by handover.problems.services).

Each write is one transaction and asks the predicates of permissions.py (403) and, for a move,
the move table of workflow.py (409) before it writes; a move locks its row first and is
recorded in IncidentTransition."""

from __future__ import annotations

import copy
from datetime import date
from decimal import Decimal, InvalidOperation
from typing import TYPE_CHECKING, Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from changes.choices import ChangeState
from itsm_pmo.permissions import Actor
from itsm_pmo.workflow import require

from ..choices import HoldReason, IncidentState
from ..models import (
    Incident,
    IncidentPriorityChange,
    IncidentReassignment,
    IncidentTransition,
    Problem,
    WorkLog,
)
from ..permissions import signed_in
from .permissions import (
    may_assign_incident,
    may_edit_incident,
    may_log_incident,
    may_log_work,
    may_move_incident,
    may_take,
)
from .priority import priority
from .sla.services import sla_refresh
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
    "category",
    "subcategory",
    "assignment_group",
    "configuration_item",
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
    incident = Incident(reporter=signed_in(reporter), **fields)
    check_classification(incident)
    if incident.assignment_group is None:
        # The assignee's team, else the service's support group (else its owning team).
        assignee = incident.assignee
        incident.assignment_group = assignee.team if assignee else default_group(incident.service)
    _check_member(incident.assignment_group, incident.assignee, "assignee")
    incident.save()
    incident.number = incident_number(incident.pk)
    incident.save(update_fields=["number"])
    _record_assignment(incident, from_group=None, from_person=None, reason="", by=reporter)
    sla_refresh(incident=incident)
    return incident


@transaction.atomic
def incident_update(*, incident: Incident, by: Actor, **fields: Any) -> Incident:
    """Edit an incident's details; the priority follows impact and urgency. The state moves
    only through incident_transition."""
    incident = Incident.objects.select_for_update().get(pk=incident.pk)
    require(may_edit_incident(by, incident), "Only engineers and ITSM managers edit incidents.")
    if "caused_by_change" in fields and fields["caused_by_change"] != incident.caused_by_change:
        _check_cause(fields["caused_by_change"])
    before = copy.copy(incident)
    for name, value in fields.items():
        if name in EDITABLE:
            setattr(incident, name, value)
    if not incident.service_id:
        raise ValidationError({"service": "Say which service is affected."})
    check_classification(incident, before)
    _edit_assignment(incident, before, by)
    levels = {"impact": incident.impact, "urgency": incident.urgency}
    incident.priority = _priority_of(levels)
    incident.impact, incident.urgency = levels["impact"], levels["urgency"]
    incident.save()
    if incident.priority != before.priority:
        # The service-level targets follow the new priority from now (sla/engine.py).
        IncidentPriorityChange.objects.create(
            incident=incident,
            from_priority=before.priority,
            to_priority=incident.priority,
            by=signed_in(by),
        )
    sla_refresh(incident=incident)
    return incident


def incident_transition(
    *,
    incident: Incident,
    to: str,
    by: Actor,
    resolution_notes: str = "",
    comment: str = "",
    hold_reason: str = "",
) -> Incident:
    """Move an incident as the move table allows (409 with the allowed moves when it does
    not). Resolving needs resolution notes (a resolved incident reopened and resolved again
    keeps its earlier ones), and only resolving takes them; reopening clears the resolution
    time. Putting it on hold says why (`hold_reason`, kept on the incident and the move,
    cleared when it leaves hold). Every move is recorded."""
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
        hold = _hold_reason(to, hold_reason)
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
            hold_reason=hold,
        )
        incident.state = to
        incident.hold_reason = hold
        incident.save()
        sla_refresh(incident=incident, now=now)
    return incident


def _hold_reason(to: str, reason: str) -> str:
    """The reason a move onto hold needs (one of HoldReason); other moves take none."""
    reason = (reason or "").strip()
    if to != IncidentState.ON_HOLD:
        if reason:
            raise ValidationError({"hold_reason": "Only putting it on hold takes a reason."})
        return ""
    if reason not in HoldReason.values:
        raise ValidationError(
            {"hold_reason": "Say why it waits: " + ", ".join(HoldReason.labels).lower() + "."}
        )
    return reason


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


# --- Classification, queues and assignment (issue 17; docs/decisions.md) --------------------


def check_classification(incident: Incident, before: Incident | None = None) -> None:
    """The category is a top-level one, the subcategory one of its own (the category follows
    a subcategory given alone), a newly chosen entry is active, and a configuration item
    belongs to the incident's service when it is on one. Raises ValidationError naming the
    field."""
    category, sub = incident.category, incident.subcategory
    if category is not None and category.parent_id is not None:
        raise ValidationError({"category": "Choose a category; this is a subcategory."})
    if sub is not None:
        if sub.parent_id is None:
            raise ValidationError({"subcategory": "Choose a subcategory; this is a category."})
        if category is None:
            incident.category = category = sub.parent
        elif sub.parent_id != category.pk:
            raise ValidationError(
                {"subcategory": f"“{sub.name}” is not a subcategory of “{category.name}”."}
            )
    for name in ("category", "subcategory"):
        chosen = getattr(incident, name)
        unchanged = before is not None and getattr(before, f"{name}_id") == getattr(
            incident, f"{name}_id"
        )
        if chosen is not None and not chosen.active and not unchanged:
            raise ValidationError({name: f"“{chosen.name}” is retired from the catalogue."})
    item = incident.configuration_item
    if item is not None and item.service_id and item.service_id != incident.service_id:
        raise ValidationError(
            {
                "configuration_item": f"“{item.name}” belongs to another service; choose one "
                "of the affected service's items."
            }
        )


def default_group(service: Any) -> Any:
    """The group an incident on `service` lands in: its support group, else its owning team."""
    if service is None:
        return None
    return service.support_group or service.owning_team


def _check_member(group: Any, person: Any, field: str = "person") -> None:
    if person is None:
        return
    if group is None:
        raise ValidationError(
            {"assignment_group": "Choose the assignment group the assignee works in."}
        )
    if not person.active or person.team_id != group.pk:
        raise ValidationError(
            {field: f"{person.name} is not an active member of {group.name}; choose one who is."}
        )


def _tell(incident: Incident, *, group: Any, person: Any, group_moved: bool, by: Actor) -> None:
    """After commit: the new assignee (assigned to me) and, when it lands in a group's queue,
    the group's members with a sign-in (assigned to my group); never the one who acted."""
    from itsm_pmo.notifications import Event, notify
    from resources.selectors import people

    url = incident.get_absolute_url()
    label = f"{incident.number} {incident.title}"
    if person is not None and person.user_id:
        notify(
            Event.ASSIGNED_TO_ME,
            [person.user_id],
            title=f"{label} is assigned to you"[:200],
            url=url,
            exclude=by,
        )
    if group is not None and group_moved:
        members = people().filter(team=group, active=True, user__isnull=False)
        if person is not None:
            members = members.exclude(pk=person.pk)
        notify(
            Event.ASSIGNED_TO_GROUP,
            members.values_list("user_id", flat=True),
            title=f"{label} is in {group.name}'s queue"[:200],
            url=url,
            exclude=by,
        )


def _record_assignment(
    incident: Incident, *, from_group: Any, from_person: Any, reason: str, by: Actor
) -> None:
    """One IncidentReassignment row for a change of group or assignee, and its notices."""
    group, person = incident.assignment_group, incident.assignee
    if (from_group, from_person) == (group, person):
        return
    IncidentReassignment.objects.create(
        incident=incident,
        from_group=from_group,
        to_group=group,
        from_person=from_person,
        to_person=person,
        reason=reason,
        by=by if by.is_authenticated else None,
    )
    _tell(incident, group=group, person=person, group_moved=group != from_group, by=by)


def assign(
    *, incident: Incident, group: Any, person: Any = None, reason: str = "", by: Actor
) -> Incident:
    """Put an incident in `group`'s queue, with `person` (an active member) as assignee or
    none. Moving it away from a person or a group says why (`reason`, recorded); the first
    assignment and "assign to me" from unassigned do not. Taking it oneself follows
    `may_take`. Recorded in IncidentReassignment; the assignee and the group are told after
    commit. The same group and person again changes nothing."""
    require(may_assign_incident(by, incident), "Only engineers and ITSM managers assign incidents.")
    reason = (reason or "").strip()
    with transaction.atomic():
        # The row alone, then its group and assignee: a join locked with it would show the
        # assignee of the snapshot before the lock, not the one a concurrent take just wrote.
        incident = Incident.objects.select_for_update().get(pk=incident.pk)
        if group is None:
            raise ValidationError({"group": "Choose the assignment group."})
        _check_member(group, person)
        from_group, from_person = incident.assignment_group, incident.assignee
        if (from_group, from_person) == (group, person):
            return incident
        taking = person is not None and person.user_id is not None and person.user_id == by.pk
        if taking and from_person is None:
            require(
                may_take(by, incident, person),
                f"Only members of {from_group} take from its queue; reassign it with a reason.",
            )
        moving = (from_person is not None and from_person != person) or (
            from_group is not None and from_group != group
        )
        if moving and not reason and not (taking and from_person is None):
            if taking:  # someone took it first (the row was locked, then read again)
                raise ValidationError(
                    {"reason": f"{from_person} holds it already; say why it moves to you."}
                )
            before = from_person or from_group
            raise ValidationError(
                {"reason": f"Say why it moves from {before} (the reassignment is recorded)."}
            )
        incident.assignment_group, incident.assignee = group, person
        incident.save(update_fields=["assignment_group", "assignee"])
        _record_assignment(
            incident, from_group=from_group, from_person=from_person, reason=reason, by=by
        )
        # A first assignment to a person is the first response (sla/engine.py).
        sla_refresh(incident=incident)
    return incident


def _edit_assignment(incident: Incident, before: Incident, by: Actor) -> None:
    """An edit may make the first assignment (recorded and told, as `assign` does); moving an
    incident away from a group or a person says why, so it goes through `assign`."""
    group, person = incident.assignment_group, incident.assignee
    if (before.assignment_group_id, before.assignee_id) == (
        incident.assignment_group_id,
        incident.assignee_id,
    ):
        return
    if person is not None and group is None:
        incident.assignment_group = group = person.team
    _check_member(group, person, "assignee")
    if before.assignee_id is not None or (
        before.assignment_group_id is not None
        and (group is None or before.assignment_group_id != group.pk)
    ):
        field = "assignee" if before.assignee_id != incident.assignee_id else "assignment_group"
        raise ValidationError(
            {field: "Reassigning says why: use assign (POST …/assign/) with a reason."}
        )
    _record_assignment(
        incident, from_group=before.assignment_group, from_person=None, reason="", by=by
    )


def take(*, incident: Incident, by: Actor) -> Incident:
    """ "Assign to me": the acting user's person becomes the assignee, in the incident's group
    when they are a member of it, else in their own team (`may_take` says when)."""
    from resources.selectors import person_for_user

    require(may_assign_incident(by, incident), "Only engineers and ITSM managers assign incidents.")
    person = person_for_user(by)
    if person is None:
        raise ValidationError(
            {"person": "You take incidents with a person record; ask an administrator to link it."}
        )
    group = incident.assignment_group if incident.assignment_group_id == person.team_id else None
    return assign(incident=incident, group=group or person.team, person=person, by=by)
