"""Who may do what to a handover and its readiness checks: one predicate per rule.

The handover services call these and raise PermissionDenied; pages and the API ask them only
whether to show a button. The move table (workflow.py) names the same permissions per move.
"""

from django.contrib.auth.models import User
from django.core.exceptions import PermissionDenied

from itsm_pmo.permissions import Actor

from .models import Handover, ReadinessCheck

OPEN = "handover.add_handover"
PLAN = "handover.change_handover"
MOVE = "handover.transition_handover"
ACCEPT = "handover.accept_handover"
UPDATE_CHECK = "handover.change_readinesscheck"


def may_read_handovers(user: Actor) -> bool:
    """Every role reads handovers; other apps ask before showing a project's handover."""
    return bool(user.has_perm("handover.view_handover"))


def may_open(user: Actor) -> bool:
    """PMO leads and ITSM managers open a project's handover by hand (approval opens it too)."""
    return bool(user.has_perm(OPEN))


def may_plan(user: Actor, handover: Handover) -> bool:
    """PMO leads and ITSM managers plan a handover: its service, team and support terms."""
    return bool(user.has_perm(PLAN))


def may_move(user: Actor, handover: Handover) -> bool:
    """PMO leads and ITSM managers move a handover; the move table says which moves need more."""
    return bool(user.has_perm(MOVE))


def may_accept(user: Actor, handover: Handover | None = None) -> bool:
    """Only ITSM managers accept a handover into operations."""
    return bool(user.has_perm(MOVE) and user.has_perm(ACCEPT))


def may_update_check(user: Actor, check: ReadinessCheck) -> bool:
    """PMO leads and ITSM managers update any readiness check; engineers the ones they own."""
    if not user.has_perm(UPDATE_CHECK):
        return False
    if user.has_perm(PLAN):
        return True
    owner = check.owner
    return owner is not None and owner.user_id is not None and owner.user_id == user.pk


def may_tick_checks(user: Actor) -> bool:
    """Whoever may update readiness checks (engineers, PMO leads, ITSM managers) finds the
    open ones they own in their inbox."""
    return bool(user.has_perm(UPDATE_CHECK))


def may_assign_check(user: Actor, check: ReadinessCheck) -> bool:
    """Only those who plan the handover (PMO leads, ITSM managers) choose a check's owner."""
    return bool(user.has_perm(UPDATE_CHECK) and user.has_perm(PLAN))


def signed_in(user: Actor) -> User:
    """The acting user as a row records it; an anonymous visitor acts on nothing (403)."""
    if not isinstance(user, User):
        raise PermissionDenied("Sign in first.")
    return user
