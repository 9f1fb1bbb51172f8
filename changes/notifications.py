"""The emails of change control: approvers when a change reaches the CAB, the requester when
the CAB has decided. Built here, sent by the tasks in changes.tasks."""

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.mail import send_mail
from django.template.loader import render_to_string

from .models import Approval, ChangeRequest
from .selectors import approval_needed


def _link(change: ChangeRequest) -> str:
    return settings.PORTAL_URL + change.get_absolute_url()


def approvers_of(change: ChangeRequest) -> list[str]:
    """Emails of the approving role's members, except whoever raised or implements it."""
    group, _quorum = approval_needed(change)
    implementer = change.implementer.user_id if change.implementer else None
    users = (
        get_user_model()
        .objects.filter(groups__name=group, is_active=True)
        .exclude(email="")
        .exclude(pk__in=[change.requester_id, implementer])
    )
    return sorted(set(users.values_list("email", flat=True)))


def send_approval_request(change: ChangeRequest) -> int:
    recipients = approvers_of(change)
    if not recipients:
        return 0
    context = {
        "change": change,
        "link": _link(change),
        "cab_link": settings.PORTAL_URL + "/changes/cab/",
    }
    return send_mail(
        f"[CAB] {change.number} waits for your approval: {change.title}",
        render_to_string("changes/email/approval_request.txt", context),
        settings.DEFAULT_FROM_EMAIL,
        recipients,
    )


def send_decision(change: ChangeRequest, approval: Approval) -> int:
    if not change.requester.email:
        return 0
    outcome = "rejected" if approval.decision == "reject" else "approved"
    context = {"change": change, "approval": approval, "outcome": outcome, "link": _link(change)}
    return send_mail(
        f"{change.number} {outcome} by the CAB: {change.title}",
        render_to_string("changes/email/decision.txt", context),
        settings.DEFAULT_FROM_EMAIL,
        [change.requester.email],
    )
