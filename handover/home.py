"""The handover's panels on the home page: the readiness checks a user owns, and for ITSM
managers the handovers waiting for their acceptance."""

from django.urls import reverse

from itsm_pmo.home import WorkItem, WorkPanel
from itsm_pmo.permissions import Actor

from . import selectors
from .permissions import may_accept

SHOWN = 6


def _go_live(day) -> str:
    return f"go-live {day:%d %b %Y}" if day else "go-live not planned"


def my_checks_panel(user: Actor) -> WorkPanel | None:
    """Open readiness checks assigned to the user, nearest go-live first (none: no panel)."""
    checks = list(selectors.open_checks_owned_by(user)[:SHOWN])
    if not checks:
        return None  # most people own no check; no empty panel for them
    items = [
        WorkItem(
            title=f"{check.criterion.name} · {check.handover.project.code}",
            url=f"{check.handover.get_absolute_url()}#check-{check.pk}",
            meta=f"{check.handover.project.name} · {_go_live(check.go_live_on)}",
            badge="Mandatory" if check.criterion.mandatory else check.get_status_display(),
            tone="warning" if check.criterion.mandatory else "secondary",
        )
        for check in checks
    ]
    return WorkPanel(
        title="Readiness checks you own",
        icon="list-check",
        items=items,
        more_url=reverse("handover:index"),
        order=45,
    )


def acceptance_panel(user: Actor) -> WorkPanel | None:
    """For those who accept handovers (ITSM managers): the ones in readiness review."""
    if not may_accept(user):
        return None
    waiting = list(selectors.awaiting_acceptance()[:SHOWN])
    items = [
        WorkItem(
            title=f"{h.project.code} {h.project.name}",
            url=h.get_absolute_url(),
            meta=f"{_go_live(h.go_live_on)} · {h.receiving_team or 'no receiving team'}",
            badge=f"{h.mandatory_open} mandatory open" if h.mandatory_open else "Ready",
            tone="warning" if h.mandatory_open else "success",
        )
        for h in waiting
    ]
    return WorkPanel(
        title="Handovers waiting for your acceptance",
        icon="box-arrow-in-right",
        items=items,
        empty="No handover waits for your acceptance.",
        more_url=f"{reverse('handover:index')}?state=readiness_review",
        order=25,
    )
