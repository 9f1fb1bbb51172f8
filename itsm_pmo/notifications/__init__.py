"""One notification service for every app: an event told to the people it concerns, in the
portal (the header's unread count, /notifications/) and by e-mail, as each user prefers.

Apps call `notify(...)` inside their write; nothing is written or sent until that write
commits, and a failed send is retried, never an error for the user (itsm_pmo.tasks)."""

from .events import Event
from .service import notify

__all__ = ["Event", "notify"]
