"""The audit trail every workflow shares, and the outbox of side effects: the project package
holds no other tables (it exists as an app so that Django sends it post_migrate, on which the
role groups are brought up to date, see apps.py)."""

from django.conf import settings
from django.db import models
from django.utils import timezone

from .text import BoundedTextField


class AuditTrailIsAppendOnly(Exception):
    """Raised by any attempt to alter or remove a recorded move."""


class AppendOnlyQuerySet(models.QuerySet):
    """Rows are added, never updated or deleted through the application."""

    def update(self, **kwargs):
        raise AuditTrailIsAppendOnly("A recorded move is never changed.")

    def delete(self):
        raise AuditTrailIsAppendOnly("A recorded move is never deleted.")


class NotAMove(ValueError):
    """Raised when a move from a state to that same state would be recorded."""


# The `from_state` of the record that says who opened the object, and when (a handover).
OPENED = ""


class TransitionRecord(models.Model):
    """One move of a workflow's object between states: who, when, from, to and why.

    Each workflow subclasses it with a foreign key to its object (`subject_field` names it).
    Append-only: a saved row cannot be saved again or deleted, and the admin shows it read-only.
    Only deleting the object itself (a database cascade) removes its trail.

    A move goes from one state to another: a record from a state to itself is refused (the log
    would show "Planning → Planning"). Opening an object is recorded with `from_state` OPENED.
    """

    subject_field = ""

    from_state = models.CharField(max_length=30)
    to_state = models.CharField(max_length=30)
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    # A default rather than auto_now_add, so that an import or the demo can record history.
    at = models.DateTimeField(default=timezone.now)
    comment = BoundedTextField(blank=True)

    objects = AppendOnlyQuerySet.as_manager()

    class Meta:
        abstract = True
        ordering = ["-at", "-pk"]

    def __str__(self) -> str:
        return f"{getattr(self, self.subject_field)}: {self.from_state} → {self.to_state}"

    def save(self, *args, **kwargs):
        if not self._state.adding:
            raise AuditTrailIsAppendOnly("A recorded move is never changed.")
        if self.from_state == self.to_state:
            raise NotAMove(f"A move from {self.from_state!r} to itself is not recorded.")
        super().save(*args, **kwargs)

    @property
    def opened(self) -> bool:
        """The record that opened the object, not a move between two states."""
        return self.from_state == OPENED

    def delete(self, *args, **kwargs):
        raise AuditTrailIsAppendOnly("A recorded move is never deleted.")


class PendingTask(models.Model):
    """A side effect a write asked for (an e-mail), kept until it reaches the broker: the
    outbox. Written in the write's own transaction, so it exists exactly when the write
    committed; deleted once the task is queued. What a broker outage longer than the retries
    after the commit left here, beat queues (itsm_pmo.tasks.send_pending_tasks)."""

    task = models.CharField(max_length=200)
    args = models.JSONField(default=list)
    created_at = models.DateTimeField(default=timezone.now, db_index=True)
    attempts = models.PositiveIntegerField(default=0)

    def __str__(self) -> str:
        return f"{self.task}{tuple(self.args)!r}"


class Notification(models.Model):
    """One event told to one user: shown in the portal (unless they turned that off) and
    e-mailed (if they asked for it). Written by itsm_pmo.notifications, after the commit of
    the write that caused it."""

    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notifications"
    )
    event = models.CharField(max_length=40)
    title = models.CharField(max_length=200)
    body = BoundedTextField(blank=True)
    url = models.CharField(max_length=300, blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    in_app = models.BooleanField(default=True)
    read_at = models.DateTimeField(null=True, blank=True)
    email_wanted = models.BooleanField(default=False)
    emailed_at = models.DateTimeField(null=True, blank=True)
    # One per notify() call: a delivery run twice (the outbox is at least once, a worker lost
    # mid-task runs it again) writes each recipient's row once.
    dedup_key = models.CharField(max_length=32, blank=True, default="")

    class Meta:
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["recipient", "dedup_key"],
                condition=~models.Q(dedup_key=""),
                name="notification_once_per_delivery",
            )
        ]
        indexes = [
            # The header's unread count and the page: a user's notifications, newest first.
            models.Index(fields=["recipient", "-created_at"], name="notification_inbox"),
            models.Index(
                fields=["recipient"],
                condition=models.Q(in_app=True, read_at__isnull=True),
                name="notification_unread",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.event} for {self.recipient}: {self.title}"


class NotificationPreference(models.Model):
    """How one user wants one kind of event: in the portal, by e-mail, both or neither.
    No row means the event's default (itsm_pmo.notifications.events)."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notification_preferences"
    )
    event = models.CharField(max_length=40)
    in_app = models.BooleanField(default=True)
    email = models.BooleanField(default=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["user", "event"], name="one_preference_per_event")
        ]

    def __str__(self) -> str:
        return f"{self.user} · {self.event}"
