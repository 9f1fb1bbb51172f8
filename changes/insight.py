"""What a reviewer needs to know about changes, read for many at once in a fixed number of
queries: impact over the dependency graph, collisions, freezes, the implementer's load (from
the capacity snapshot), the engine's conflicts and the risk assessment built from them.

The CAB queue, the change page and the workflow's freeze check all read it, so a change looks
the same wherever it is judged.
"""

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta

from django.db.models import Q
from django.utils import timezone

from .choices import ACTIVE_STATES
from .impact import ItemNode, impacted_items, impacted_services
from .models import ChangeRequest, ConfigurationItem, FreezeWindow
from .risk import RiskAssessment, assess


@dataclass
class ImplementerLoad:
    ratio: float  # booked hours / capacity in the busiest week of the window
    week: date
    booked: float
    capacity: float


@dataclass
class ChangeInsight:
    change: ChangeRequest
    impacted_items: list = field(default_factory=list)
    impacted_services: list = field(default_factory=list)
    collisions: list = field(default_factory=list)
    freezes: list = field(default_factory=list)
    implementer_load: ImplementerLoad | None = None
    conflicts: list = field(default_factory=list)  # open engine conflicts on this change
    assessment: RiskAssessment | None = None

    @property
    def overbooked(self) -> bool:
        return bool(self.implementer_load and self.implementer_load.ratio > 1.0)


def freeze_covers(
    freeze: FreezeWindow, start: datetime, end: datetime, service_ids: set[int]
) -> bool:
    """The freeze overlaps the window and covers one of the services (freeze.services must
    be prefetched)."""
    overlaps = freeze.start < end and freeze.end > start
    return overlaps and (
        freeze.all_services or bool(service_ids & {s.pk for s in freeze.services.all()})
    )


def freezes_between(start: datetime, end: datetime) -> list[FreezeWindow]:
    return list(
        FreezeWindow.objects.filter(start__lt=end, end__gt=start).prefetch_related("services")
    )


def active_changes_between(
    start: datetime, end: datetime, *, touching: Iterable[ChangeRequest] | None = None
) -> list[ChangeRequest]:
    """Active changes with a window overlapping [start, end); with `touching` (items
    prefetched), only those sharing a configuration item or a service with one of them, the
    only ones that can collide (the database picks them rather than Python)."""
    queryset = ChangeRequest.objects.filter(
        state__in=ACTIVE_STATES, planned_start__lt=end, planned_end__gt=start
    )
    if touching is not None:
        items = {i.pk for c in touching for i in c.items.all()}
        services = {s for c in touching for s in service_ids_of(c)}
        shared = ChangeRequest.items.through.objects.filter(
            Q(configurationitem_id__in=items) | Q(configurationitem__service_id__in=services)
        ).values("changerequest_id")
        queryset = queryset.filter(pk__in=shared)
    return list(queryset.prefetch_related("items").order_by("planned_start"))


def service_ids_of(change: ChangeRequest) -> set[int]:
    return {i.service_id for i in change.items.all() if i.service_id}


def _has_window(change: ChangeRequest) -> bool:
    return bool(change.planned_start and change.planned_end)


def occupies(
    other: ChangeRequest, start: datetime, end: datetime, item_ids: set[int], service_ids: set[int]
) -> bool:
    """Whether `other` (items prefetched) holds a shared item or service in the window."""
    if not (_has_window(other) and other.planned_start < end and other.planned_end > start):
        return False
    return bool(item_ids & {i.pk for i in other.items.all()}) or bool(
        service_ids & service_ids_of(other)
    )


def collides(change: ChangeRequest, other: ChangeRequest) -> bool:
    """Overlapping windows on a shared configuration item or service (items prefetched)."""
    if other.pk == change.pk or not _has_window(change):
        return False
    return occupies(
        other,
        change.planned_start,
        change.planned_end,
        {i.pk for i in change.items.all()},
        service_ids_of(change),
    )


def _graph() -> tuple[dict[int, ConfigurationItem], dict[int, list[int]]]:
    items = {i.pk: i for i in ConfigurationItem.objects.select_related("service")}
    dependents: dict[int, list[int]] = {}
    through = ConfigurationItem.depends_on.through
    for dependent, dependency in through.objects.values_list(
        "from_configurationitem_id", "to_configurationitem_id"
    ):
        dependents.setdefault(dependency, []).append(dependent)
    return items, dependents


def _nodes(items: dict[int, ConfigurationItem]) -> dict[int, ItemNode]:
    return {pk: ItemNode(pk, i.name, i.criticality, i.service_id) for pk, i in items.items()}


def _impact(change, items, dependents, nodes) -> tuple[list, list]:
    reached = impacted_items((i.pk for i in change.items.all()), dependents)
    service_ids = impacted_services(reached, nodes)
    services = {i.service.pk: i.service for i in items.values() if i.service_id in service_ids}
    return (
        sorted(
            (items[pk] for pk in reached if pk in items),
            key=lambda i: (i.criticality, i.name.lower()),
        ),
        sorted(services.values(), key=lambda s: (s.tier, s.name.lower())),
    )


def implementer_loads(changes) -> tuple[object, dict]:
    from resources.selectors import current_snapshot, person_loads

    snapshot = current_snapshot()
    people = {c.implementer_id for c in changes if c.implementer_id}
    if snapshot is None or not people:
        return snapshot, {}
    return snapshot, {row.person_id: row for row in person_loads(snapshot, people)}


def implementer_load_in(row, snapshot, start: datetime, end: datetime) -> ImplementerLoad | None:
    """The busiest week of the window for the person whose load row this is."""
    first = (timezone.localdate(start) - snapshot.week_start).days // 7
    last = (timezone.localdate(end) - snapshot.week_start).days // 7
    worst = None
    for week in range(max(first, 0), min(last, snapshot.weeks - 1) + 1):
        capacity = row.capacity[week]
        booked = row.project[week] + row.operational[week]
        if not capacity:
            continue
        if worst is None or booked / capacity > worst.ratio:
            worst = ImplementerLoad(
                booked / capacity, snapshot.week_start + timedelta(weeks=week), booked, capacity
            )
    return worst


def _open_conflicts(snapshot, change_ids) -> dict[int, list]:
    from resources.selectors import conflicts_in

    found: dict[int, list] = {}
    for conflict in conflicts_in(snapshot).filter(subject_type="change", subject_id__in=change_ids):
        found.setdefault(conflict.subject_id, []).append(conflict)
    return found


def _holders(neighbours: list[ChangeRequest]) -> dict[tuple[str, int], list[int]]:
    """Which neighbours (by position) hold each item and service: a change then meets only the
    neighbours sharing one with it, not every active change of the period."""
    holders: dict[tuple[str, int], list[int]] = {}
    for n, other in enumerate(neighbours):
        for item in other.items.all():
            holders.setdefault(("item", item.pk), []).append(n)
            if item.service_id:
                holders.setdefault(("service", item.service_id), []).append(n)
    return holders


def _collisions(
    change: ChangeRequest,
    services: set[int],
    neighbours: list[ChangeRequest],
    holders: dict[tuple[str, int], list[int]],
) -> list[ChangeRequest]:
    """`collides(change, other)` for every neighbour, in the neighbours' order, looking only
    at those sharing an item or a service."""
    keys = [("item", i.pk) for i in change.items.all()] + [("service", s) for s in services]
    candidates = sorted({n for key in keys for n in holders.get(key, ())})
    return [
        other
        for other in (neighbours[n] for n in candidates)
        if other.pk != change.pk
        and other.planned_start < change.planned_end
        and other.planned_end > change.planned_start
    ]


def insights(changes: Iterable[ChangeRequest]) -> dict[int, ChangeInsight]:
    """Insight for each change (items prefetched), in a constant number of queries."""
    changes = list(changes)
    if not changes:
        return {}
    items, dependents = _graph()
    nodes = _nodes(items)  # once for every change, not once each
    windows = [c for c in changes if _has_window(c)]
    if windows:
        start = min(c.planned_start for c in windows)
        end = max(c.planned_end for c in windows)
        freezes = freezes_between(start, end)
        neighbours = active_changes_between(start, end, touching=windows)
    else:
        freezes, neighbours = [], []
    snapshot, loads = implementer_loads(windows)
    conflicts = _open_conflicts(snapshot, [c.pk for c in changes])
    holders = _holders(neighbours)
    result = {}
    for change in changes:
        insight = ChangeInsight(change, conflicts=conflicts.get(change.pk, []))
        insight.impacted_items, insight.impacted_services = _impact(
            change, items, dependents, nodes
        )
        if _has_window(change):
            services = service_ids_of(change)
            insight.collisions = _collisions(change, services, neighbours, holders)
            insight.freezes = [
                f
                for f in freezes
                if freeze_covers(f, change.planned_start, change.planned_end, services)
            ]
            row = loads.get(change.implementer_id)
            if row is not None:
                insight.implementer_load = implementer_load_in(
                    row, snapshot, change.planned_start, change.planned_end
                )
        insight.assessment = assess(
            change_type=change.change_type,
            most_critical_tier=min((s.tier for s in insight.impacted_services), default=None),
            collisions=len(insight.collisions),
            in_freeze=bool(insight.freezes),
            has_backout_plan=bool(change.backout_plan.strip()),
            implementer_peak_load=(
                insight.implementer_load.ratio if insight.implementer_load else None
            ),
        )
        result[change.pk] = insight
    return result


def insight_for(change: ChangeRequest) -> ChangeInsight:
    return insights([change])[change.pk]


def in_freeze(change: ChangeRequest) -> bool:
    """Whether the window falls in a freeze covering the change's services (two queries)."""
    if not _has_window(change):
        return False
    services = set(change.items.exclude(service__isnull=True).values_list("service_id", flat=True))
    return any(
        freeze_covers(f, change.planned_start, change.planned_end, services)
        for f in freezes_between(change.planned_start, change.planned_end)
    )
