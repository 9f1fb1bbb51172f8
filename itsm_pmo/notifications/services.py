"""Writes of a user's own notifications: marking them read and choosing how to be told."""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from ..permissions import Actor
from ..workflow import require
from .events import DEFAULTS, Delivery, Event
from .permissions import may_mark_read, may_read_notifications

if TYPE_CHECKING:
    from ..models import Notification


def notification_mark_read(*, notification: Notification, by: Actor) -> Notification:
    """Mark one notification read (`may_mark_read`: only its recipient); marking it again
    keeps the first time it was read."""
    from ..models import Notification

    require(may_mark_read(by, notification), "Only its recipient marks a notification read.")
    if notification.read_at is None:
        now = timezone.now()
        Notification.objects.filter(pk=notification.pk, read_at__isnull=True).update(read_at=now)
        notification.read_at = now
    return notification


def notifications_mark_all_read(*, by: Actor) -> int:
    """Mark every unread notification of the user read; how many were."""
    from ..models import Notification

    require(may_read_notifications(by), "Sign in first.")
    return Notification.objects.filter(
        recipient_id=by.pk, in_app=True, read_at__isnull=True
    ).update(read_at=timezone.now())


def notification_preferences_set(*, by: Actor, choices: Mapping[str, Delivery]) -> None:
    """Save how the user wants each event in `choices` (events not named keep theirs). A
    choice equal to the event's default is stored as no row, so that the user follows the
    default should it change. An unknown event is a 400 naming it; nothing is half-saved."""
    from ..models import NotificationPreference

    require(may_read_notifications(by), "Sign in first.")
    unknown = sorted(set(choices) - set(Event.values))
    if unknown:
        raise ValidationError({"event": f"No such event: {', '.join(unknown)}."})
    user_id = int(by.pk or 0)  # signed in (may_read_notifications): never 0
    with transaction.atomic():
        same = [event for event, how in choices.items() if how == DEFAULTS[event]]
        NotificationPreference.objects.filter(user_id=user_id, event__in=same).delete()
        for event, how in choices.items():
            if how != DEFAULTS[event]:
                NotificationPreference.objects.update_or_create(
                    user_id=user_id,
                    event=event,
                    defaults={"in_app": how.in_app, "email": how.email},
                )
