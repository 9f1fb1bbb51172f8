"""Reads of notifications shared by the pages, the API and the header: always one user's own."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.db.models import QuerySet

from .. import table_versions
from .events import DEFAULTS, Delivery, Event

# The header shows "99+" past this: the count reads at most this many index entries.
UNREAD_SHOWN = 99


def notifications_of(user: Any, *, unread: bool | None = None) -> QuerySet:
    """The user's notifications shown in the portal, newest first (`unread` True: only the
    unread; False: only the read). Rows e-mailed only (the user turned the portal off for
    that event) are not shown."""
    from ..models import Notification

    rows = Notification.objects.filter(recipient_id=user.pk, in_app=True)
    if unread is True:
        rows = rows.filter(read_at__isnull=True)
    elif unread is False:
        rows = rows.filter(read_at__isnull=False)
    return rows.order_by("-created_at", "-pk")


def unread_count(user: Any) -> int:
    """How many of the user's notifications are unread, counted up to UNREAD_SHOWN + 1: one
    query on the partial index of unread rows, bounded however many there are."""
    return notifications_of(user, unread=True)[: UNREAD_SHOWN + 1].count()


def header_unread_count(user: Any) -> int:
    """The header's count on every page: kept per user while the notification table keeps
    its version (a new notification or one marked read makes it, and the pages that show it,
    stale), so a page answered again costs no query for it; with NOTIFICATION_COUNT_SECONDS
    at 0, counted on every page."""
    seconds = settings.NOTIFICATION_COUNT_SECONDS
    if seconds <= 0:
        return unread_count(user)
    key = f"notification-unread:{user.pk}"
    return table_versions.kept(key, lambda: unread_count(user), timeout=seconds)


@dataclass(frozen=True)
class PreferenceRow:
    """One event as the user receives it, beside the default it departs from (or not)."""

    event: str
    label: str
    in_app: bool
    email: bool
    default: Delivery

    @property
    def is_default(self) -> bool:
        return self.default == Delivery(self.in_app, self.email)


def preferences_of(user: Any) -> list[PreferenceRow]:
    """Every event, in the order of Event, with how the user receives it: their own choice
    where they made one, else the default. One query."""
    from ..models import NotificationPreference

    chosen = {
        p.event: Delivery(p.in_app, p.email)
        for p in NotificationPreference.objects.filter(user_id=user.pk)
    }
    rows = []
    for event in Event:
        how = chosen.get(event.value, DEFAULTS[event.value])
        rows.append(
            PreferenceRow(event.value, str(event.label), how.in_app, how.email, DEFAULTS[event])
        )
    return rows
