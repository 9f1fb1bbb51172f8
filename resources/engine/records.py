"""Plain records: what providers produce, what the engine computes and what rules return."""

from dataclasses import dataclass, field
from datetime import date
from functools import cached_property

PROJECT = "project"
OPERATIONAL = "operational"


@dataclass(frozen=True)
class PersonRecord:
    id: int
    name: str
    team_id: int
    hours: float  # contracted hours per week
    skills: tuple[tuple[int, int], ...] = ()  # (skill id, level 1-5)


@dataclass(frozen=True)
class AbsenceRecord:
    person_id: int | None  # None: everyone (a public holiday)
    start: date
    end: date


@dataclass(frozen=True)
class WorkRecord:
    """Hours a week of one person's time between two dates, from any source."""

    person_id: int
    start: date
    end: date
    hours_per_week: float
    source: str  # PROJECT or OPERATIONAL
    kind: str  # bau, on_call, change, incident … or "project"
    project_id: int | None = None
    tentative: bool = False
    ref: str = ""  # where it came from, e.g. "allocation:12", "change:7"
    # Business-as-usual shrinks with absence (nobody does BAU on leave); commitments such as
    # project hours or an on-call rota do not.
    scales_with_availability: bool = False


@dataclass(frozen=True)
class DemandRecord:
    """Unnamed demand: a project needs hours a week of a skill at a minimum level."""

    project_id: int
    skill_id: int
    min_level: int
    start: date
    end: date
    hours_per_week: float


@dataclass(frozen=True)
class ConflictRecord:
    """A conflict found by a rule. Its identity is kind + subject + period."""

    kind: str
    subject_type: str  # person, team, skill, change, project …
    subject_id: int
    subject_label: str
    period_start: date
    period_end: date
    severity: str  # low, medium, high, critical
    message: str
    details: dict = field(default_factory=dict, compare=False, hash=False)
    project_ids: tuple[int, ...] = ()
    person_id: int | None = None
    team_id: int | None = None

    @cached_property  # read by the run, then by publishing, for thousands of conflicts
    def key(self) -> str:
        return f"{self.kind}:{self.subject_type}:{self.subject_id}:{self.period_start.isoformat()}"
