"""Resources on the home page. In the inbox, for executives: breached freezes and critical
conflicts nobody has acknowledged yet (due the week they happen). Beside it (context panels):
the person's team, the conflicts a PMO lead or ITSM manager may acknowledge (worst first), and
the weeks a person is over-booked."""

from datetime import timedelta

from django.db.models import F, Q, QuerySet, Subquery
from django.urls import NoReverseMatch, reverse

from itsm_pmo.dates import short_date
from itsm_pmo.home import Clock, QuerySource, WorkItem, WorkPanel
from itsm_pmo.permissions import oversees

from .choices import ConflictKind, Severity
from .models import Conflict, PlanState
from .permissions import may_acknowledge_conflicts
from .selectors import person_for_user

# Critical conflicts are an executive's business while they are near: the next four weeks.
CRITICAL_AHEAD = timedelta(days=28)
FREEZE_KINDS = (ConflictKind.CHANGE_IN_FREEZE, ConflictKind.GO_LIVE_IN_FREEZE)
# Where a conflict's subject opens (a skill has no page: the conflict list shows it).
SUBJECT_PAGES = {
    "person": "resources:person_detail",
    "change": "changes:change_detail",
    "project": "portfolio:project_detail",
    "handover": "handover:handover_detail",
}
# What an executive asks of those who plan, by kind of conflict.
ASK = {
    ConflictKind.OVERALLOCATION: "Ask for the week to be re-planned",
    ConflictKind.SKILL_GAP: "Ask where the skill will come from",
    ConflictKind.CHANGE_IN_FREEZE: "Ask for a new window or a freeze exception",
    ConflictKind.CHANGE_COLLISION: "Ask for the changes to be re-sequenced",
    ConflictKind.IMPLEMENTER_OVERBOOKED: "Ask for another implementer or window",
    ConflictKind.GO_LIVE_IN_FREEZE: "Ask for the go-live to move or an exception",
    ConflictKind.HANDOVER_NOT_READY: "Ask operations whether the go-live holds",
    ConflictKind.SUPPORT_OVERLOAD: "Ask for support cover",
}


def subject_url(conflict: Conflict) -> str:
    """The page of what the conflict is about; the filtered conflict list for a skill."""
    name = SUBJECT_PAGES.get(conflict.subject_type)
    if name:
        try:
            return reverse(name, args=[conflict.subject_id])
        except NoReverseMatch:  # an app without that page: the list still shows it
            pass
    return (
        reverse("resources:conflict_list")
        + f"?subject_type={conflict.subject_type}&subject_id={conflict.subject_id}"
    )


def open_conflicts_now() -> QuerySet[Conflict]:
    """Unacknowledged conflicts of the current snapshot, read with the snapshot in one query;
    `due` is the first day of the week they happen."""
    current = Subquery(PlanState.objects.filter(pk=1).values("current_id")[:1])
    return (
        Conflict.objects.filter(first_seen__lte=current, acknowledged_at__isnull=True)
        .filter(Q(resolved_in__isnull=True) | Q(resolved_in__gt=current))
        .annotate(due=F("period_start"))
        .order_by("due", "subject_label", "pk")
    )


def breached_freezes() -> QuerySet[Conflict]:
    """Changes and go-lives planned inside a freeze, not acknowledged yet."""
    return open_conflicts_now().filter(kind__in=FREEZE_KINDS)


def critical_conflicts(clock: Clock) -> QuerySet[Conflict]:
    """Critical conflicts of the coming four weeks (freezes aside: their own group)."""
    return (
        open_conflicts_now()
        .filter(severity=Severity.CRITICAL, period_start__lt=clock.today + CRITICAL_AHEAD)
        .exclude(kind__in=FREEZE_KINDS)
    )


def _attention(conflict: Conflict, clock: Clock) -> WorkItem:
    return WorkItem(
        title=conflict.subject_label,
        url=subject_url(conflict),
        action=ASK.get(conflict.kind, "Ask who re-plans it"),
        due=conflict.due,
        meta=conflict.message,
        badge=conflict.get_kind_display(),
        tone="danger" if conflict.severity == Severity.CRITICAL else "warning",
    )


freezes = QuerySource(
    kind="breached-freezes",
    title="Breached freezes",
    icon="snow",
    who=oversees,
    rows=lambda user, clock: breached_freezes(),
    entry=_attention,
    order=20,
    empty="Nothing is planned inside a freeze.",
    link=("Change calendar", "changes:calendar"),
)

critical = QuerySource(
    kind="critical-conflicts",
    title="Critical conflicts",
    icon="exclamation-triangle",
    who=oversees,
    rows=lambda user, clock: critical_conflicts(clock),
    entry=_attention,
    order=30,
    empty="No critical conflict in the coming four weeks.",
    link=("Conflicts", "resources:conflict_list"),
)


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
            title=f"Week of {short_date(c.period_start)}",
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
