"""Reads of change control shared by pages, API and the rules."""

from django.db.models import Q, QuerySet

from .choices import ACTIVE_STATES
from .impact import ItemNode, impacted_items, impacted_services
from .models import ChangeRequest, ConfigurationItem, FreezeWindow


def change_list() -> QuerySet[ChangeRequest]:
    return (ChangeRequest.objects.select_related("requester", "implementer", "team", "project",
                                                 "template")
            .prefetch_related("items"))


def freezes_overlapping(change: ChangeRequest) -> list[FreezeWindow]:
    """Freezes whose period overlaps the change's window and that cover its services."""
    if not (change.planned_start and change.planned_end):
        return []
    services = set(change.items.exclude(service__isnull=True)
                   .values_list("service_id", flat=True))
    windows = (FreezeWindow.objects.filter(start__lt=change.planned_end,
                                           end__gt=change.planned_start)
               .prefetch_related("services"))
    return [w for w in windows
            if w.all_services or services & {s.pk for s in w.services.all()}]


def colliding_changes(change: ChangeRequest) -> list[ChangeRequest]:
    """Other active changes whose window overlaps this one on the same item or service."""
    if not (change.planned_start and change.planned_end):
        return []
    items = list(change.items.values_list("pk", "service_id"))
    item_ids = {i for i, _ in items}
    service_ids = {s for _, s in items if s}
    return list(ChangeRequest.objects.filter(
        state__in=ACTIVE_STATES, planned_start__lt=change.planned_end,
        planned_end__gt=change.planned_start)
        .filter(Q(items__in=item_ids) | Q(items__service__in=service_ids))
        .exclude(pk=change.pk).distinct().order_by("planned_start"))


def impact_of(change: ChangeRequest) -> tuple[list[ConfigurationItem], list]:
    """The items a change reaches through the dependencies, and the services they carry
    (most critical first). Two queries for the whole graph."""
    nodes = {pk: ItemNode(pk, name, crit, service)
             for pk, name, crit, service in ConfigurationItem.objects.values_list(
                 "pk", "name", "criticality", "service_id")}
    dependents: dict[int, list[int]] = {}
    through = ConfigurationItem.depends_on.through
    for dependent, dependency in through.objects.values_list("from_configurationitem_id",
                                                             "to_configurationitem_id"):
        dependents.setdefault(dependency, []).append(dependent)
    reached = impacted_items(change.items.values_list("pk", flat=True), dependents)
    from portfolio.models import Service

    services = list(Service.objects.filter(pk__in=impacted_services(reached, nodes))
                    .order_by("tier", "name"))
    items = list(ConfigurationItem.objects.filter(pk__in=reached).select_related("service")
                 .order_by("criticality", "name"))
    return items, services


def implementer_peak_load(change: ChangeRequest) -> float | None:
    """The implementer's highest utilisation in the weeks of the window (current snapshot)."""
    from resources.models import PersonLoad
    from resources.selectors import current_snapshot

    snapshot = current_snapshot()
    if not (snapshot and change.implementer_id and change.planned_start and change.planned_end):
        return None
    row = PersonLoad.objects.filter(snapshot=snapshot, person_id=change.implementer_id).first()
    if row is None:
        return None
    first = (change.planned_start.date() - snapshot.week_start).days // 7
    last = (change.planned_end.date() - snapshot.week_start).days // 7
    weeks = [w for w in range(max(first, 0), min(last, snapshot.weeks - 1) + 1)]
    ratios = [(row.project[w] + row.operational[w]) / row.capacity[w]
              for w in weeks if row.capacity[w]]
    return max(ratios, default=None)


def risk_of(change: ChangeRequest, *, services=None, collisions=None, freezes=None):
    """The risk assessment of a change from its factors."""
    from .risk import assess

    if services is None:
        _items, services = impact_of(change)
    return assess(
        change_type=change.change_type,
        most_critical_tier=min((s.tier for s in services), default=None),
        collisions=len(colliding_changes(change) if collisions is None else collisions),
        in_freeze=bool(freezes_overlapping(change) if freezes is None else freezes),
        has_backout_plan=bool(change.backout_plan.strip()),
        implementer_peak_load=implementer_peak_load(change))
