"""Impact of a change, as pure functions over a dependency graph: what depends on the items
it touches, and which services those carry."""

from collections import deque
from collections.abc import Iterable, Mapping
from dataclasses import dataclass


@dataclass(frozen=True)
class ItemNode:
    id: int
    name: str
    criticality: int  # 1 (mission critical) … 4
    service_id: int | None


def impacted_items(changed: Iterable[int], dependents: Mapping[int, Iterable[int]]) -> set[int]:
    """The changed items and everything that depends on them, directly or not."""
    seen, queue = set(), deque(changed)
    while queue:
        item = queue.popleft()
        if item in seen:
            continue
        seen.add(item)
        queue.extend(d for d in dependents.get(item, ()) if d not in seen)
    return seen


def impacted_services(items: Iterable[int], nodes: Mapping[int, ItemNode]) -> set[int]:
    return {nodes[i].service_id for i in items if i in nodes and nodes[i].service_id}
