"""Who may do what to a major incident: one predicate per rule.

ITSM managers declare major incidents and run them: they engage and release people, write the
review and its actions and move the major incident. The people engaged on it (while engaged)
post updates and communications beside them; an action's owner ticks it done. Everyone who
reads incidents reads major incidents. The services call these and raise PermissionDenied;
pages and the API ask them only whether to show a button or a form."""

from __future__ import annotations

from typing import TYPE_CHECKING

from itsm_pmo.permissions import Actor

if TYPE_CHECKING:
    from ...models import Incident
    from .models import MajorIncident, ReviewAction

DECLARE = "handover.add_majorincident"
RUN = "handover.change_majorincident"


def may_read_major_incidents(user: Actor) -> bool:
    """Every role reads major incidents (they read incidents)."""
    return bool(user.has_perm("handover.view_majorincident"))


def may_declare_major(user: Actor, incident: Incident | None = None) -> bool:
    """ITSM managers declare an incident major."""
    return bool(user.has_perm(DECLARE))


def may_run_major(user: Actor, major: MajorIncident) -> bool:
    """ITSM managers run a major incident: engage and release people, write the review and its
    actions, move it to review and close it."""
    return bool(user.has_perm(RUN))


def _person_id(user: Actor) -> int | None:
    person = getattr(user, "person", None) if user.is_authenticated else None
    return getattr(person, "pk", None)


def is_engaged(user: Actor, major: MajorIncident) -> bool:
    """The user's person record holds an open engagement on the major incident."""
    person_id = _person_id(user)
    if person_id is None:
        return False
    return major.engagements.filter(person_id=person_id, released_at__isnull=True).exists()


def may_post_update(user: Actor, major: MajorIncident) -> bool:
    """ITSM managers, and the people engaged on it while they are, post updates and
    communications to its timeline."""
    if may_run_major(user, major):
        return True
    return bool(user.has_perm("handover.view_majorincident")) and is_engaged(user, major)


def may_complete_action(user: Actor, action: ReviewAction) -> bool:
    """ITSM managers and the action's owner tick a review action done (or not done)."""
    if user.has_perm(RUN):
        return True
    person_id = _person_id(user)
    return person_id is not None and person_id == action.owner_id
