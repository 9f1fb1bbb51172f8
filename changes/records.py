"""Plain records of change control for the capacity engine (no Django)."""

from dataclasses import dataclass
from datetime import datetime


@dataclass(frozen=True)
class ChangeRecord:
    id: int
    number: str
    title: str
    change_type: str
    start: datetime
    end: datetime
    implementer_id: int | None
    item_ids: frozenset[int]
    service_ids: frozenset[int]
    freeze_exception: bool = False
    project_id: int | None = None


@dataclass(frozen=True)
class FreezeRecord:
    id: int
    name: str
    start: datetime
    end: datetime
    all_services: bool
    service_ids: frozenset[int]

    def covers(self, change: ChangeRecord) -> bool:
        overlaps = self.start < change.end and self.end > change.start
        return overlaps and (self.all_services or bool(self.service_ids & change.service_ids))
