"""The demo's notifications: what each demo user was told lately, read and unread, about the
demo's own incidents, changes and handovers (seed_demo; deterministic and idempotent).

Rows are written directly, each under a fixed key per user, so a second run finds them
instead of adding more; what the demo's own writes told people through notify() (a check's
owner, a handover waiting for acceptance) comes on top, once."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from django.apps import apps
from django.utils import timezone

from ..models import Notification
from .events import Event


def _first(model: str, **filters: Any) -> Any:
    return apps.get_model(model).objects.filter(**filters).order_by("pk").first()


def _stories(users: dict) -> list[tuple[str, str, Event, str, str, str, float, bool]]:
    """(username, key, event, title, url, body, hours ago, read)."""
    engineer = users["engineer"]
    mine = _first(
        "handover.Incident", assignee__user=engineer, state__in=["new", "in_progress", "on_hold"]
    )
    major = _first("handover.Incident", priority=1) or _first("handover.Incident")
    waiting = _first("changes.ChangeRequest", state="authorize")
    decided = _first("changes.ChangeRequest", requester=engineer, state="scheduled")
    review = _first("handover.Handover", state="readiness_review")
    check = _first("handover.ReadinessCheck", owner__user=engineer)
    rows = []
    if mine is not None:
        url = mine.get_absolute_url()
        rows += [
            (
                "engineer",
                "assigned",
                Event.ASSIGNED_TO_ME,
                f"{mine.number} is assigned to you: {mine.title}",
                url,
                "The service desk routed it to you; the clock of its service level runs.",
                2.0,
                False,
            ),
            (
                "engineer",
                "sla-warning",
                Event.SLA_WARNING,
                f"{mine.number} is at 75 % of its resolution time",
                url,
                "Resolve it, or put it on hold with a reason, before it breaches.",
                0.5,
                False,
            ),
        ]
    if check is not None:
        rows.append(
            (
                "engineer",
                "check",
                Event.READINESS_CHECK,
                f"Readiness check for {check.handover.project.code}: {check.criterion.name}",
                check.handover.get_absolute_url(),
                "You own this check of the handover's readiness: tick it with its evidence.",
                50.0,
                True,
            )
        )
    if decided is not None:
        rows.append(
            (
                "engineer",
                "decided",
                Event.CHANGE_DECIDED,
                f"{decided.number} approved by the CAB: {decided.title}",
                decided.get_absolute_url(),
                "The change is now scheduled.",
                26.0,
                True,
            )
        )
    if waiting is not None:
        rows.append(
            (
                "itsm_manager",
                "approval",
                Event.CHANGE_APPROVAL,
                f"[CAB] {waiting.number} waits for your approval: {waiting.title}",
                waiting.get_absolute_url(),
                "Your CAB queue has it, with its risk and window.",
                3.0,
                False,
            )
        )
    if review is not None:
        rows.append(
            (
                "itsm_manager",
                "acceptance",
                Event.HANDOVER_ACCEPTANCE,
                f"Handover of {review.project.code} waits for your acceptance: {review.project.name}",
                review.get_absolute_url(),
                "Review the readiness checks and accept it into operations, or send it back.",
                20.0,
                False,
            )
        )
    if major is not None:
        url = major.get_absolute_url()
        title = f"Major incident {major.number}: {major.title}"
        rows += [
            ("itsm_manager", "major", Event.MAJOR_INCIDENT, title, url, "", 30.0, True),
            ("executive", "major", Event.MAJOR_INCIDENT, title, url, "", 30.0, False),
            ("pmo_lead", "major", Event.MAJOR_INCIDENT, title, url, "", 30.0, True),
        ]
    return rows


def seed(ctx: Any) -> None:
    now = timezone.now()
    made = 0
    for username, key, event, title, url, body, hours, read in _stories(ctx.users):
        at = now - timedelta(hours=hours)
        _row, created = Notification.objects.get_or_create(
            recipient=ctx.users[username],
            dedup_key=f"demo-{key}",
            defaults={
                "event": event.value,
                "title": title[:200],
                "url": url,
                "body": body,
                "created_at": at,
                "read_at": at + timedelta(minutes=20) if read else None,
            },
        )
        made += created
    ctx.counts["notifications"] = made
