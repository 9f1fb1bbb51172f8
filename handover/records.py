"""Plain records of handover for the capacity engine (no Django)."""

from dataclasses import dataclass
from datetime import date


@dataclass(frozen=True)
class GoLiveRecord:
    """A committed project's go-live milestone, still to come."""

    project_id: int
    label: str  # "PRJ-0101 Customer portal"
    day: date
    service_ids: frozenset[int]


@dataclass(frozen=True)
class HandoverRecord:
    id: int
    project_id: int
    label: str
    state: str
    go_live: date | None
    as_of: date  # the day the picture is computed (rules stay pure)
    ready_days: int  # mandatory checks open closer than this to go-live: not ready
    open_mandatory: tuple[str, ...]
    team_id: int | None
    team_name: str
    els_start: date | None  # the early-life support window, planned or running
    els_end: date | None
    els_hours: float  # a week, for the whole receiving team
