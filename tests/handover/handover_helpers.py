"""What the handover tests share besides the factories: setting state directly, for setup."""

from datetime import date, timedelta

from django.utils import timezone

from handover.choices import CheckStatus, HandoverState
from handover.models import Handover


def settle_checks(handover: Handover, status=CheckStatus.DONE) -> None:
    handover.checks.update(status=status)


def force_state(handover: Handover, state: str, **fields) -> Handover:
    """Put a handover in `state` without the workflow (test setup only)."""
    Handover.objects.filter(pk=handover.pk).update(state=state, **fields)
    handover.refresh_from_db()
    return handover


def days(n: int) -> date:
    return timezone.localdate() + timedelta(days=n)


__all__ = ["CheckStatus", "HandoverState", "days", "force_state", "open_handover", "settle_checks"]


def open_handover(*, go_live: date | None = None, team: bool = True, **project_fields) -> Handover:
    """Kept for other apps' tests; new tests use HandoverFactory(go_live=…, project__…=…)."""
    from .factories import HandoverFactory

    project = {f"project__{name}": value for name, value in project_fields.items()}
    if not team:
        project["project__support_team"] = None
    return HandoverFactory(go_live=go_live, **project)
