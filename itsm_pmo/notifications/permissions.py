"""Who may read and mark a notification: one predicate per rule."""

from __future__ import annotations

from typing import TYPE_CHECKING

from ..permissions import Actor

if TYPE_CHECKING:
    from ..models import Notification


def may_read_notifications(user: Actor) -> bool:
    """Every signed-in, active user has notifications of their own (whatever their role)."""
    return bool(user.is_authenticated and user.is_active)


def may_mark_read(user: Actor, notification: Notification) -> bool:
    """A notification is its recipient's alone: only they read it or mark it read."""
    return may_read_notifications(user) and notification.recipient_id == user.pk
