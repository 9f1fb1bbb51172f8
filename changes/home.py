"""Change control's panels on the home page: the CAB queue for approvers, and the changes
an engineer raised or implements that are still in flight."""

from django.db.models import Q
from django.urls import reverse

from itsm_pmo.home import WorkItem, WorkPanel

from . import selectors
from .choices import ACTIVE_STATES, ChangeState
from .models import ChangeRequest
from .permissions import may_sit_on_cab


def _window(change) -> str:
    return f"{change.planned_start:%a %d %b %H:%M}" if change.planned_start else "no window yet"


SHOWN = 6
# The nearest changes in authorize read first: the queue's first SHOWN are almost always
# among them, so the home page does not weigh every change waiting for the CAB.
WINDOW = 4 * SHOWN


def first_of_cab_queue(user, shown: int = SHOWN) -> list:
    """`cab_queue(user)[:shown]`, read from the WINDOW nearest changes in authorize; the whole
    queue only when fewer than `shown` of those wait for this user."""
    nearest = list(
        ChangeRequest.objects.filter(state=ChangeState.AUTHORIZE)
        .order_by("planned_start", "pk")
        .values_list("pk", flat=True)[: WINDOW + 1]
    )
    queue = selectors.cab_queue(user, ChangeRequest.objects.filter(pk__in=nearest[:WINDOW]))
    if len(queue) < shown and len(nearest) > WINDOW:
        queue = selectors.cab_queue(user)
    return queue[:shown]


def cab_panel(user) -> WorkPanel | None:
    if not may_sit_on_cab(user):
        return None
    queue = first_of_cab_queue(user)
    items = [
        WorkItem(
            title=f"{c.number} {c.title}",
            url=c.get_absolute_url(),
            meta=f"{_window(c)} · {c.approved_so_far} of {c.quorum} approvals",
            badge=f"Risk {c.effective_risk}",
            tone={"high": "danger", "moderate": "warning"}.get(c.effective_risk, "success"),
        )
        for c in queue
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
