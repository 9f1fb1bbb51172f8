"""Reads for the portfolio fit and the skills matrix: the current snapshot's free hours and the
unnamed demand of committed projects and proposals, as plain records for `resources.engine.fit`.

Both pages read in a fixed number of queries whatever the number of people, skills and demands.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import TYPE_CHECKING

from django.utils import timezone

from portfolio.choices import RANKED_STAGES
from portfolio.selectors import projects_visible_to, ranking

from .engine import fit
from .engine.calendar import Horizon
from .engine.records import DemandRecord
from .models import Demand, PersonLoad, PersonSkill, Skill, Snapshot, project_model
from .providers import COMMITTED_STAGES
from .selectors import first_week_index

if TYPE_CHECKING:
    from portfolio.models import Project

# Proposals are weighed against what the committed portfolio leaves; on hold counts as neither.
PROPOSAL_STAGES = ("proposed", "assessed")


def snapshot_supply(snapshot: Snapshot) -> fit.Pools:
    """Free hours per (skill, level) and week of the snapshot's horizon, from the people in the
    snapshot and the skills they hold now (two queries)."""
    loads = PersonLoad.objects.filter(snapshot=snapshot)
    skills: dict[int, list[tuple[int, int]]] = defaultdict(list)
    for person_id, skill_id, level in PersonSkill.objects.filter(
        person_id__in=loads.values("person_id")
    ).values_list("person_id", "skill_id", "level"):
        skills[person_id].append((skill_id, level))
    return fit.supply_pools(
        (skills[person_id], fit.free_hours(capacity, project, operational))
        for person_id, capacity, project, operational in loads.values_list(
            "person_id", "capacity", "project", "operational"
        )
        if person_id in skills
    )


def live_demands(horizon: Horizon) -> tuple[list[DemandRecord], list[DemandRecord]]:
    """Unnamed demand over the horizon: (committed projects', proposals') (one query)."""
    committed, proposed = [], []
    rows = (
        Demand.objects.filter(
            project__stage__in=(*COMMITTED_STAGES, *PROPOSAL_STAGES),
            end_date__gte=horizon.start,
            start_date__lte=horizon.end,
        )
        .order_by("pk")
        .values_list(
            "project_id",
            "project__stage",
            "skill_id",
            "min_level",
            "start_date",
            "end_date",
            "hours_per_week",
        )
    )
    for project_id, stage, skill_id, level, start, end, hours in rows:
        record = DemandRecord(project_id, skill_id, level, start, end, float(hours))
        (committed if stage in COMMITTED_STAGES else proposed).append(record)
    return committed, proposed


def remaining_horizon(snapshot: Snapshot) -> tuple[Horizon, int]:
    """The snapshot's weeks from this one on, and the index of this week in the snapshot."""
    first = min(first_week_index(snapshot), snapshot.weeks)
    return Horizon(snapshot.week_start + timedelta(weeks=first), snapshot.weeks - first), first


# --- the skills matrix -------------------------------------------------------------------------


@dataclass(frozen=True)
class SkillRow:
    skill: Skill
    cells: list[fit.MonthCell]

    @property
    def months_short(self) -> int:
        """Months where committed demand is over the supply."""
        return sum(1 for cell in self.cells if cell.band >= 5)

    @property
    def months_short_with_proposals(self) -> int:
        return sum(1 for cell in self.cells if (cell.ratio_with_proposals or 0) > 1.0001)


@dataclass(frozen=True)
class SkillsMatrix:
    months: list[date]
    counted_from: date  # the first day counted (the first month may be partial)
    horizon_end: date  # the last day the snapshot plans; later months have no supply
    rows: list[SkillRow]

    @property
    def skills_short(self) -> int:
        return sum(1 for row in self.rows if row.months_short)

    @property
    def skills_short_with_proposals(self) -> int:
        return sum(1 for row in self.rows if row.months_short_with_proposals)


def skills_matrix(snapshot: Snapshot, *, months: int = 6) -> SkillsMatrix:
    """Supply (free hours of the people who hold a skill) against unnamed demand of committed
    projects and of proposals, per skill and calendar month from this month on (four queries)."""
    horizon = Horizon(snapshot.week_start, snapshot.weeks)
    starts = fit.month_starts(timezone.localdate(), months)
    first_day = horizon.week(first_week_index(snapshot))
    supply = snapshot_supply(snapshot)
    committed, proposed = live_demands(horizon)
    skills = list(Skill.objects.order_by("name"))
    by_skill = fit.skills_by_month(
        horizon=horizon,
        first_day=first_day,
        months=starts,
        supply=supply,
        committed=committed,
        proposed=proposed,
        skill_ids=[s.pk for s in skills],
    )
    return SkillsMatrix(
        months=starts,
        counted_from=max(first_day, starts[0]),
        horizon_end=horizon.end,
        rows=[SkillRow(skill, by_skill[skill.pk]) for skill in skills],
    )


# --- the portfolio fit -------------------------------------------------------------------------


@dataclass(frozen=True)
class ShortfallLine:
    """A run of weeks short of a skill, with what the page shows about it."""

    skill: str
    range: fit.ShortfallRange
    projects: list[Project] = field(default_factory=list)


@dataclass(frozen=True)
class ProposalRow:
    project: Project
    rank: int
    fit: fit.ProposalFit
    lines: list[ShortfallLine]
    openable: bool  # the reader may open the project's page


@dataclass(frozen=True)
class FitReport:
    horizon: Horizon
    result: fit.PortfolioFit
    committed_projects: int  # committed projects with demand in the horizon
    committed_lines: list[ShortfallLine]
    proposals: list[ProposalRow]


def portfolio_fit(snapshot: Snapshot, *, user) -> FitReport:
    """Do the committed projects and the proposals, in rank order, fit the free hours of the
    current snapshot, skill by skill, from this week to the end of its horizon?

    Everyone reads the whole answer (a proposal's fit depends on every better-ranked one);
    a reader opens only the projects they may see. Eleven queries whatever the size.
    """
    horizon, first = remaining_horizon(snapshot)
    supply = {key: hours[first:] for key, hours in snapshot_supply(snapshot).items()}
    committed, proposed = live_demands(horizon)
    ranked = ranking(
        project_model().objects.filter(stage__in=RANKED_STAGES).select_related("owner")
    )
    by_project: dict[int, list[DemandRecord]] = defaultdict(list)
    for demand in proposed:
        by_project[demand.project_id].append(demand)
    proposals = [row for row in ranked if row.project.stage in PROPOSAL_STAGES]
    result = fit.portfolio_fit(
        horizon=horizon,
        supply=supply,
        committed=committed,
        proposals=[
            fit.ProposalInput(row.project.pk, tuple(by_project[row.project.pk]))
            for row in proposals
        ],
    )

    names = dict(Skill.objects.values_list("pk", "name"))
    projects = {row.project.pk: row.project for row in ranked}
    openable = set(
        projects_visible_to(user).filter(pk__in=list(projects)).values_list("pk", flat=True)
    )

    def lines(ranges, *, with_projects: bool) -> list[ShortfallLine]:
        return [
            ShortfallLine(
                skill=names.get(r.skill_id, f"Skill {r.skill_id}"),
                range=r,
                projects=[projects[p] for p in r.project_ids if p in projects]
                if with_projects
                else [],
            )
            for r in ranges
        ]

    fits = {item.project_id: item for item in result.proposals}
    return FitReport(
        horizon=horizon,
        result=result,
        committed_projects=len({d.project_id for d in committed}),
        committed_lines=lines(result.committed_ranges, with_projects=True),
        proposals=[
            ProposalRow(
                project=row.project,
                rank=row.rank,
                fit=fits[row.project.pk],
                lines=lines(fits[row.project.pk].ranges, with_projects=False),
                openable=row.project.pk in openable,
            )
            for row in proposals
        ],
    )
