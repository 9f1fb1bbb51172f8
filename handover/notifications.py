"""What the handover tells people, through the portal's one notification service
(itsm_pmo.notifications): a check's new owner, and those who may accept a handover once it
waits in readiness review. Told after the commit, as each person prefers."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.contrib.auth import get_user_model

from itsm_pmo.notifications import Event, notify

from .permissions import ACCEPT, MOVE

if TYPE_CHECKING:
    from .models import Handover, ReadinessCheck

_BACKEND = "django.contrib.auth.backends.ModelBackend"


def acceptors_of(handover: Handover) -> list[int]:
    """Who may accept the handover (`may_accept`: ITSM managers, by their role's
    permissions; the superuser is not asked). The receiving team's manager alone when they
    are one of them: it is their team that takes the service on; else all of them."""
    users = get_user_model().objects
    may = set(
        users.with_perm(ACCEPT, include_superusers=False, backend=_BACKEND).values_list(
            "pk", flat=True
        )
    ) & set(
        users.with_perm(MOVE, include_superusers=False, backend=_BACKEND).values_list(
            "pk", flat=True
        )
    )
    team = handover.receiving_team
    manager = team.manager.user_id if team is not None and team.manager is not None else None
    return [manager] if manager in may else sorted(may)


def tell_acceptors(handover: Handover, *, by: Any) -> None:
    """The handover waits in readiness review: those who may accept it are told (not whoever
    moved it there)."""
    project = handover.project
    notify(
        Event.HANDOVER_ACCEPTANCE,
        acceptors_of(handover),
        title=f"Handover of {project.code} waits for your acceptance: {project.name}",
        url=handover.get_absolute_url(),
        body="Review the readiness checks and accept it into operations, or send it back.",
        exclude=by,
    )


def tell_check_owner(check: ReadinessCheck, *, by: Any) -> None:
    """A readiness check has a new owner: they are told, unless they gave it to themselves
    or have no sign-in."""
    owner = check.owner
    if owner is None or owner.user_id is None:
        return
    handover = check.handover
    notify(
        Event.READINESS_CHECK,
        [owner.user_id],
        title=f"Readiness check for {handover.project.code}: {check.criterion.name}",
        url=handover.get_absolute_url(),
        body="You own this check of the handover's readiness: tick it with its evidence.",
        exclude=by,
    )
