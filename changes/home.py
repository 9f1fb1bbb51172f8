"""Change control's panels on the home page: the CAB queue for approvers, and the changes
an engineer raised or implements that are still in flight."""

from django.db.models import Q
from django.urls import reverse

from itsm_pmo.home import WorkItem, WorkPanel

from . import selectors
from .choices import ACTIVE_STATES


def _window(change) -> str:
    return f"{change.planned_start:%a %d %b %H:%M}" if change.planned_start else "no window yet"


def cab_panel(user) -> WorkPanel | None:
    if not user.has_perm("changes.approve_changerequest"):
        return None
    queue = selectors.cab_queue(user)
    items = [
        WorkItem(
            title=f"{c.number} {c.title}",
            url=c.get_absolute_url(),
            meta=f"{_window(c)} · {c.approved_so_far} of {c.quorum} approvals",
            badge=f"Risk {c.effective_risk}",
            tone={"high": "danger", "moderate": "warning"}.get(c.effective_risk, "success"),
        )
        for c in queue[:6]
    ]
    return WorkPanel(
        title="Waiting for your CAB decision",
        icon="check2-square",
        items=items,
        empty="No change waits for your decision.",
        more_url=reverse("changes:cab"),
        order=20,
    )


def my_changes_panel(user) -> WorkPanel | None:
    if not user.has_perm("changes.add_changerequest") or user.has_perm(
        "changes.approve_changerequest"
    ):
        return None
    mine = (
        selectors.change_list()
        .filter(Q(requester=user) | Q(implementer__user=user), state__in=ACTIVE_STATES)
        .order_by("planned_start", "pk")[:6]
    )
    items = [
        WorkItem(
            title=f"{c.number} {c.title}",
            url=c.get_absolute_url(),
            meta=_window(c),
            badge=c.get_state_display(),
        )
        for c in mine
    ]
    return WorkPanel(
        title="My changes in flight",
        icon="arrow-repeat",
        items=items,
        empty="No change of yours is in flight.",
        more_url=reverse("changes:index"),
        order=40,
    )
