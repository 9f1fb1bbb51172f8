"""Change control's kinds of work in the inbox: the changes waiting for a CAB member's
decision, and the changes a person implements in the coming week."""

from datetime import datetime, time, timedelta

from django.utils import timezone

from itsm_pmo.home import Clock, QuerySource, Tally, WorkItem, WorkSource, on

from . import selectors
from .choices import ChangeState
from .permissions import implements_changes, may_sit_on_cab

RISK_TONE = {"high": "danger", "moderate": "warning"}


def _card(change, clock: Clock) -> WorkItem:
    start = change.planned_start
    return WorkItem(
        title=f"{change.number} {change.title}",
        url=change.get_absolute_url(),
        action=f"Approve or reject before {on(start, clock)}" if start else "Approve or reject",
        due=start,
        meta=f"{change.get_change_type_display()} · {change.approved_so_far} of "
        f"{change.quorum} approvals ({change.approving_role_label})",
        badge=f"Risk {change.effective_risk}",
        tone=RISK_TONE.get(change.effective_risk, "success"),
    )


class CabQueue(WorkSource):
    """The CAB queue of the user (`selectors.cab_queue_windows`): due when the window opens."""

    kind = "changes-to-decide"
    title = "Changes to decide"
    icon = "check2-square"
    order = 10
    empty = "No change waits for your decision."
    link = ("CAB queue", "changes:cab")

    def asks(self, user) -> bool:
        return may_sit_on_cab(user)

    def tally(self, user, clock: Clock) -> Tally:
        return Tally.of((start for _, start in selectors.cab_queue_windows(user)), clock)

    def entries(self, user, clock: Clock, start: int, stop: int) -> list[WorkItem]:
        ids = [pk for pk, _ in selectors.cab_queue_windows(user)[start:stop]]
        return [_card(change, clock) for change in selectors.cab_cards(ids)]

    def first(self, user, clock: Clock, shown: int) -> tuple[Tally, list[WorkItem]]:
        windows = selectors.cab_queue_windows(user)  # read once for the tally and the cards
        cards = selectors.cab_cards([pk for pk, _ in windows[:shown]])
        return Tally.of((s for _, s in windows), clock), [_card(c, clock) for c in cards]


cab_queue = CabQueue()

# What "this week" means for a change to implement: windows starting in the next seven days.
AHEAD = timedelta(days=7)


def _week_ahead(clock: Clock) -> datetime:
    return timezone.make_aware(datetime.combine(clock.today + AHEAD, time.min))


def _to_implement(change, clock: Clock) -> WorkItem:
    end = f"–{timezone.localtime(change.planned_end):%H:%M}" if change.planned_end else ""
    if change.state == ChangeState.IMPLEMENT:
        action = f"Finish and record the outcome by {on(change.due, clock)}"
    else:
        action = f"Implement {on(change.planned_start, clock)}{end}"
    about = change.project.code if change.project_id else change.get_change_type_display()
    return WorkItem(
        title=f"{change.number} {change.title}",
        url=change.get_absolute_url(),
        action=action,
        due=change.due,
        meta=about,
        badge=change.get_state_display(),
        tone="primary" if change.state == ChangeState.IMPLEMENT else "info",
    )


to_implement = QuerySource(
    kind="changes-to-implement",
    title="Changes to implement",
    icon="tools",
    who=implements_changes,
    rows=lambda user, clock: selectors.to_implement(user, before=_week_ahead(clock)),
    entry=_to_implement,
    order=15,
    empty="No change of yours is due in the coming week.",
    link=("Change calendar", "changes:calendar"),
)
