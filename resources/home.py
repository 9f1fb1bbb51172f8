"""The resources panel of the home page: the signed-in person's team."""

from django.urls import reverse

from itsm_pmo.home import WorkItem, WorkPanel

from .permissions import may_acknowledge_conflicts
from .selectors import person_for_user


def my_team_panel(user) -> WorkPanel | None:
    person = person_for_user(user)
    if person is None:
        return None
    colleagues = person.team.members.filter(active=True).exclude(pk=person.pk).order_by("name")
    items = [WorkItem(title=c.name, url=c.get_absolute_url(), meta=c.title) for c in colleagues[:6]]
    return WorkPanel(
        title=f"My team · {person.team.name}",
        icon="people",
        items=items,
        empty="You are the only member of this team so far.",
        more_url=reverse("resources:team_detail", args=[person.team_id]),
        order=900,
    )


SEVERITY_TONE = {"low": "info", "medium": "warning", "high": "warning", "critical": "danger"}


SHOWN = 6
# Ids of the worst unacknowledged conflicts kept per snapshot: acknowledging only removes
# conflicts from the list, so while CANDIDATES cover SHOWN the list needs no recompute.
CANDIDATES = 60


def _snapshot_key(snapshot) -> str:
    """The snapshot's id and publication time: ids repeat across databases, times do not."""
    published = snapshot.computed_at.timestamp() if snapshot.computed_at else 0
    return f"{snapshot.pk}:{published}"


def _unacknowledged(snapshot):
    from .selectors import conflicts_in

    return conflicts_in(snapshot).filter(acknowledged_at__isnull=True)


def worst_open_conflicts(snapshot, shown: int = SHOWN) -> list:
    """The `shown` worst unacknowledged conflicts of `snapshot` (then the earliest week). The
    order over every open conflict is worked out once per snapshot (cached, keyed by its id
    and publication time); a request reads the few candidates still unacknowledged."""
    from django.core.cache import cache
    from django.db.models import Case, IntegerField, Value, When

    from .models import Conflict

    if snapshot is None:
        return []
    key = f"resources:home-worst-conflicts:{_snapshot_key(snapshot)}"
    ids = cache.get(key)
    if ids is None:
        worst_first = Case(
            *(
                When(severity=s, then=Value(i))
                for i, s in enumerate(["critical", "high", "medium", "low"])
            ),
            output_field=IntegerField(),
        )
        ids = list(
            _unacknowledged(snapshot)
            .order_by(worst_first, "period_start", "pk")
            .values_list("pk", flat=True)[:CANDIDATES]
        )
        cache.set(key, ids, 24 * 3600)
    still_open = Conflict.objects.filter(pk__in=ids, acknowledged_at__isnull=True).in_bulk()
    rows = [still_open[pk] for pk in ids if pk in still_open]
    if len(rows) < shown and len(ids) == CANDIDATES:
        cache.delete(key)  # most candidates acknowledged since: work the order out again
        return worst_open_conflicts(snapshot, shown)
    return rows[:shown]


def conflicts_panel(user) -> WorkPanel | None:
    """For PMO leads and ITSM managers: open conflicts nobody has acknowledged, worst first."""
    from .selectors import current_snapshot

    if not may_acknowledge_conflicts(user):
        return None
    rows = worst_open_conflicts(current_snapshot())
    items = [
        WorkItem(
            title=c.subject_label,
            url=reverse("resources:conflict_list")
            + f"?subject_type={c.subject_type}&subject_id={c.subject_id}",
            meta=c.message,
            badge=c.get_severity_display(),
            tone=SEVERITY_TONE[c.severity],
        )
        for c in rows
    ]
    return WorkPanel(
        title="Conflicts to look at",
        icon="exclamation-triangle",
        items=items,
        empty="No open conflict waits for you.",
        more_url=reverse("resources:conflict_list"),
        order=30,
    )


def my_load_panel(user) -> WorkPanel | None:
    """For someone who is over-booked: the weeks it happens, so they can say so early."""
    from django.core.cache import cache

    from .selectors import conflicts_in, current_snapshot

    person = person_for_user(user)
    if person is None:
        return None
    snapshot = current_snapshot()
    if snapshot is None:
        return None
    # Only a new snapshot changes a person's over-booked weeks: read once per snapshot.
    key = f"resources:home-my-load:{_snapshot_key(snapshot)}:{person.pk}"
    weeks = cache.get(key)
    if weeks is None:
        weeks = list(
            conflicts_in(snapshot)
            .filter(subject_type="person", subject_id=person.pk)
            .order_by("period_start")[:SHOWN]
        )
        cache.set(key, weeks, 24 * 3600)
    if not weeks:
        return None
    items = [
        WorkItem(
            title=f"Week of {c.period_start:%d %b %Y}",
            url=person.get_absolute_url(),
            meta=c.message,
            badge=c.get_severity_display(),
            tone=SEVERITY_TONE[c.severity],
        )
        for c in weeks
    ]
    return WorkPanel(
        title="I am over-booked",
        icon="battery-full",
        items=items,
        more_url=person.get_absolute_url(),
        order=15,
    )
