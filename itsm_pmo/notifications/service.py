"""notify(): what every app calls to tell people of an event."""

from __future__ import annotations

import uuid
from collections.abc import Iterable
from typing import Any

from ..tasks import enqueue_after_commit
from .events import Event


def _user_id(user: Any) -> int | None:
    return user if isinstance(user, int) else getattr(user, "pk", None)


def notify(
    event: Event | str,
    recipients: Iterable[Any],
    *,
    title: str,
    url: str = "",
    body: str = "",
    exclude: Any = None,
) -> None:
    """Tell `recipients` (users or their ids) of `event`, once the current transaction
    commits; `exclude` (the user who acted) is not told of their own act. Each recipient's
    preferences decide between the portal and e-mail (itsm_pmo.notifications.tasks)."""
    Event(event)  # an unknown event is a programming error, raised here and not in a worker
    skip = _user_id(exclude)
    ids = sorted({i for i in map(_user_id, recipients) if i is not None and i != skip})
    if not ids:
        return
    from .tasks import deliver_notification

    # The key makes the delivery idempotent: run twice, it writes each recipient's row once.
    key = uuid.uuid4().hex
    enqueue_after_commit(deliver_notification, str(event), ids, title[:200], url[:300], body, key)
