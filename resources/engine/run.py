"""One engine run: records in, loads and conflicts out."""

from collections import defaultdict
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field

from .calendar import Horizon
from .capacity import Loads, compute_loads
from .records import AbsenceRecord, ConflictRecord, DemandRecord, PersonRecord, WorkRecord


@dataclass
class Plan:
    """Everything a rule may read: the input records, the computed loads and settings."""

    horizon: Horizon
    people: list[PersonRecord]
    absences: list[AbsenceRecord]
    work: list[WorkRecord]
    demands: list[DemandRecord]
    extra: dict[str, list] = field(default_factory=dict)  # other apps' records by type name
    settings: Mapping[str, float] = field(default_factory=dict)
    loads: Loads | None = None

    @classmethod
    def from_records(
        cls,
        horizon: Horizon,
        records: Iterable[object],
        settings: Mapping[str, float] | None = None,
    ) -> "Plan":
        plan = cls(horizon, [], [], [], [], settings=settings or {})
        known: dict[type, list] = {
            PersonRecord: plan.people,
            AbsenceRecord: plan.absences,
            WorkRecord: plan.work,
            DemandRecord: plan.demands,
        }
        extra: defaultdict[str, list[object]] = defaultdict(list)
        for record in records:
            target = known.get(type(record))
            (target if target is not None else extra[type(record).__name__]).append(record)
        plan.extra = dict(extra)
        return plan

    def person(self, person_id: int) -> PersonRecord:
        if not hasattr(self, "_people_by_id"):
            self._people_by_id = {p.id: p for p in self.people}
        return self._people_by_id[person_id]


def run(
    plan: Plan, rules: Mapping[str, Callable[[Plan], Iterable[ConflictRecord]]]
) -> tuple[Loads, list[ConflictRecord]]:
    """Compute the loads, then every rule over them. Conflicts come back sorted by key."""
    plan.loads = compute_loads(plan.horizon, plan.people, plan.absences, plan.work)
    conflicts: dict[str, ConflictRecord] = {}
    for rule in rules.values():
        for conflict in rule(plan):
            conflicts[conflict.key] = conflict
    return plan.loads, [conflicts[key] for key in sorted(conflicts)]
