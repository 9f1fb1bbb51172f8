"""What change control tells people, through the portal's one notification service
(itsm_pmo.notifications): approvers when a change reaches the CAB, the requester when the CAB
has decided. Each person's preferences choose the portal, e-mail, both or neither; nothing is
sent before the change's transaction commits, and a failed send is retried, never the
change's error."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.contrib.auth import get_user_model
from django.template.loader import render_to_string

from itsm_pmo.notifications import Event, notify

from .selectors import approval_needed

if TYPE_CHECKING:
    from .models import Approval, ChangeRequest


def approvers_of(change: ChangeRequest) -> list[int]:
    """The approving role's active members, except whoever raised or implements it."""
    group, _quorum = approval_needed(change)
    implementer = change.implementer.user_id if change.implementer else None
    users = (
        get_user_model()
        .objects.filter(groups__name=group, is_active=True)
        .exclude(pk__in=[change.requester_id, implementer])
    )
    return sorted(set(users.values_list("pk", flat=True)))


def tell_approvers(change: ChangeRequest, *, by: Any = None) -> None:
    """The change waits for the CAB: its approvers are told (not whoever moved it there)."""
    context = {"change": change, "cab_link": settings.PORTAL_URL + "/changes/cab/"}
    notify(
        Event.CHANGE_APPROVAL,
        approvers_of(change),
        title=f"[CAB] {change.number} waits for your approval: {change.title}",
        url=change.get_absolute_url(),
        body=render_to_string("changes/email/approval_request.txt", context).strip(),
        exclude=by,
    )


def tell_requester(change: ChangeRequest, approval: Approval) -> None:
    """The CAB decided: the change's requester is told (unless they decided it themselves,
    which the approval rules do not allow anyway)."""
    outcome = "rejected" if approval.decision == "reject" else "approved"
    context = {"change": change, "approval": approval, "outcome": outcome}
    notify(
        Event.CHANGE_DECIDED,
        [change.requester_id],
        title=f"{change.number} {outcome} by the CAB: {change.title}",
        url=change.get_absolute_url(),
        body=render_to_string("changes/email/decision.txt", context).strip(),
        exclude=approval.approver_id,
    )
