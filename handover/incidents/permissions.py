"""Who may do what to an incident, its time and its problem: one predicate per rule.

Operations share one queue: whoever works incidents (engineers, ITSM managers) works any of
them. The incident services call these and raise PermissionDenied; pages and the API ask them
only whether to show a button.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from itsm_pmo.permissions import Actor

from ..models import Incident, Problem

if TYPE_CHECKING:
    from resources.models import Person

LOG = "handover.add_incident"
EDIT = "handover.change_incident"
MOVE = "handover.transition_incident"
LOG_WORK = "handover.add_worklog"
# Those who keep the queue's time records (ITSM managers) record anyone's time.
KEEP_TIME = "handover.delete_worklog"
OPEN_PROBLEM = "handover.add_problem"
EDIT_PROBLEM = "handover.change_problem"
DELETE_PROBLEM = "handover.delete_problem"


def may_read_incidents(user: Actor) -> bool:
    """Every role reads incidents; other apps ask before showing a project's incidents."""
    return bool(user.has_perm("handover.view_incident"))


def may_log_incident(user: Actor) -> bool:
    """Engineers and ITSM managers log incidents."""
    return bool(user.has_perm(LOG))


def may_edit_incident(user: Actor, incident: Incident) -> bool:
    """Engineers and ITSM managers edit any incident's details, its problem link included."""
    return bool(user.has_perm(EDIT))


def may_move_incident(user: Actor, incident: Incident) -> bool:
    """Engineers and ITSM managers move any incident (the move table says where)."""
    return bool(user.has_perm(MOVE))


def works_the_queue(user: Actor) -> bool:
    """Whoever moves incidents (engineers, ITSM managers) works the queue: the open incidents
    assigned to them, and the unassigned ones of their team's services, wait in their inbox."""
    return bool(user.has_perm(MOVE))


def may_log_work(user: Actor, incident: Incident, person: Person | None) -> bool:
    """People log the time they worked themselves; ITSM managers record anyone's."""
    if not user.has_perm(LOG_WORK):
        return False
    if person is None or user.has_perm(KEEP_TIME):
        return True
    return person.user_id is not None and person.user_id == user.pk


def may_open_problem(user: Actor) -> bool:
    """ITSM managers open problem records."""
    return bool(user.has_perm(OPEN_PROBLEM))


def may_edit_problem(user: Actor, problem: Problem) -> bool:
    """ITSM managers edit a problem's root cause, workaround and state."""
    return bool(user.has_perm(EDIT_PROBLEM))


def may_delete_problem(user: Actor, problem: Problem) -> bool:
    """ITSM managers delete a problem record (its incidents stay, unlinked)."""
    return bool(user.has_perm(DELETE_PROBLEM))


# --- Queues and assignment (issue 17; docs/decisions.md, "Queues and assignment") ---------
# Those who keep the category catalogue and the queues (ITSM managers) take from any queue.
KEEP_QUEUES = "handover.change_incidentcategory"


def may_assign_incident(user: Actor, incident: Incident | None) -> bool:
    """Engineers and ITSM managers set an incident's group and assignee, and reassign it (a
    move away from someone says why)."""
    return bool(user.has_perm(MOVE))


def may_take(user: Actor, incident: Incident, person: Person | None) -> bool:
    """ "Assign to me": an engineer (with an active person record) takes from their own
    team's queue, or an incident in no queue yet; ITSM managers take from any queue."""
    if not user.has_perm(MOVE) or person is None or not person.active:
        return False
    if person.user_id is None or person.user_id != user.pk:
        return False
    group = incident.assignment_group_id
    return group is None or group == person.team_id or bool(user.has_perm(KEEP_QUEUES))
