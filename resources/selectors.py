"""Reads of resources shared by pages, the API and the other apps (the portfolio fit reads
the snapshot's free hours and the unnamed demand here)."""

import hashlib
from collections import defaultdict
from collections.abc import Collection, Iterable
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any, NamedTuple

from django.core.cache import cache
from django.db.models import Count, Prefetch, Q, QuerySet, Sum
from django.utils import timezone

from itsm_pmo.permissions import Actor

from .engine import fit
from .engine.calendar import Horizon, monday_of
from .engine.records import DemandRecord
from .models import (
    Allocation,
    Conflict,
    Demand,
    Person,
    PersonLoad,
    PersonSkill,
    PlanState,
    ProjectLoad,
    Skill,
    Snapshot,
    SnapshotStatus,
    Team,
    TeamLoad,
)
from .permissions import plans_everyone
from .providers import COMMITTED_STAGES

# Proposals are weighed against what the committed portfolio leaves; on hold counts as neither.
PROPOSAL_STAGES = ("proposed", "assessed")
# Work that depends only on a published snapshot is cached this long under its key.
SNAPSHOT_CACHE_SECONDS = 60 * 60 * 24


def people() -> QuerySet[Person]:
    """Every person, active or not, unscoped: the choices of another app's filter or form."""
    return Person.objects.all()


def teams() -> QuerySet[Team]:
    """Every team, unscoped: the choices of another app's filter or form."""
    return Team.objects.all()


def team_list() -> QuerySet[Team]:
    """Teams with their head count and weekly contracted hours, in one query."""
    return (
        Team.objects.select_related("manager")
        .annotate(
            headcount=Count("members", distinct=True),
            weekly_hours=Sum("members__contracted_hours"),
        )
        .order_by("name")
    )


def person_list() -> QuerySet[Person]:
    """People with team and skills, for lists (two queries whatever the size)."""
    return Person.objects.select_related("team", "user").prefetch_related(
        Prefetch("skill_levels", queryset=PersonSkill.objects.select_related("skill"))
    )


def person_for_user(user: Actor) -> Person | None:
    """The person record of a signed-in user, with their team; None for anyone else."""
    if not user.is_authenticated:
        return None
    return Person.objects.select_related("team").filter(user=user).first()


def people_plannable_by(user: Actor) -> QuerySet[Person]:
    """Active people whose time the user plans (the choices of the allocation form): everyone
    for a PMO lead, the members of the teams a manager manages, nobody for anyone else."""
    people = Person.objects.filter(active=True).select_related("team")
    if plans_everyone(user):
        return people
    if not user.is_authenticated:
        return people.none()
    return people.filter(team__manager__user=user)


def busiest_on_project(*, project: Any, around: date) -> Person | None:
    """The person (with their team) booked the most hours a week on `project` by firm
    allocations running on the date `around`, else at any time; None when nobody is booked."""
    allocations = Allocation.objects.filter(project=project, tentative=False)
    for scope in (allocations.filter(start_date__lte=around, end_date__gte=around), allocations):
        top = (
            scope.values("person")
            .annotate(hours=Sum("hours_per_week"))
            .order_by("-hours", "person")
            .first()
        )
        if top:
            return Person.objects.select_related("team").get(pk=top["person"])
    return None


def allocations_ahead(person: Person) -> QuerySet[Allocation]:
    """A person's allocations that have not ended yet, with their projects (and person, which
    each row names), soonest first."""
    return (
        Allocation.objects.filter(person=person, end_date__gte=timezone.localdate())
        .select_related("project", "person")
        .order_by("start_date")
    )


def current_snapshot() -> Snapshot | None:
    """The published snapshot every page and API reads (one query)."""
    state = PlanState.objects.select_related("current").filter(pk=1).first()
    return state.current if state else None


def latest_snapshot_time() -> datetime | None:
    """When the current capacity snapshot was published; None while none exists."""
    snapshot = current_snapshot()
    return snapshot.computed_at if snapshot else None


@dataclass(frozen=True)
class PlanStatus:
    snapshot: Snapshot | None
    dirty: bool
    queued: bool
    running: bool
    # The first edit the snapshot does not show: the picture is out of date since then
    # (a run is on its way, or, with the broker down, waits for the sweep).
    dirty_since: datetime | None = None

    @property
    def refreshing(self) -> bool:
        """A newer snapshot is on its way."""
        return self.dirty or self.queued or self.running


def plan_status() -> PlanStatus:
    state = PlanState.objects.select_related("current").filter(pk=1).first()
    if state is None:
        return PlanStatus(None, False, False, False)
    return PlanStatus(
        state.current,
        state.dirty,
        state.queued_at is not None,
        state.running_since is not None,
        state.dirty_since if state.dirty else None,
    )


def first_week_index(snapshot: Snapshot) -> int:
    """Index of this week in the snapshot (it may have been computed in an earlier week)."""
    return max(0, (monday_of(timezone.localdate()) - snapshot.week_start).days // 7)


def weeks_shown(snapshot: Snapshot, count: int) -> tuple[int, list[date]]:
    first = first_week_index(snapshot)
    last = min(snapshot.weeks, first + count)
    return first, [snapshot.week_start + timedelta(weeks=i) for i in range(first, last)]


@dataclass(frozen=True)
class Cell:
    week: date
    capacity: float
    project: float
    operational: float
    tentative: float = 0.0

    @property
    def load(self) -> float:
        return self.project + self.operational

    @property
    def utilisation(self) -> float | None:
        if self.capacity:
            return self.load / self.capacity
        return None if not self.load else float("inf")

    @property
    def label(self) -> str:
        """What the cell shows: the utilisation in %, '–' for nobody, '!' for work while away."""
        u = self.utilisation
        if u is None:
            return "–"
        return "!" if u == float("inf") else str(round(u * 100))

    @property
    def project_share(self) -> int:
        return round(100 * self.project / self.load) if self.load else 0

    @property
    def band(self) -> int:
        """0 (idle) … 6 (far over): the heatmap colour."""
        u = self.utilisation
        if u is None:
            return 0
        for band, limit in enumerate((0.5, 0.8, 0.95, 1.0001, 1.1, 1.25)):
            if u < limit:
                return band
        return 6


def _cells(
    row: PersonLoad | TeamLoad,
    first: int,
    weeks: list[date],
    tentative: list[float] | None = None,
) -> list[Cell]:
    return [
        Cell(
            week,
            row.capacity[i],
            row.project[i],
            row.operational[i],
            tentative[i] if tentative else 0.0,
        )
        for week, i in zip(weeks, range(first, first + len(weeks)), strict=True)
    ]


def team_heatmap(
    snapshot: Snapshot, *, weeks: int = 26, teams: QuerySet[Team] | None = None
) -> tuple[list[tuple[Team, int, list[Cell]]], list[date]]:
    """Teams × weeks from the snapshot: [(team, people, [Cell])] and the week dates."""
    first, dates = weeks_shown(snapshot, weeks)
    rows = TeamLoad.objects.filter(snapshot=snapshot).select_related("team").order_by("team__name")
    if teams is not None:
        rows = rows.filter(team__in=teams)
    return [(row.team, row.people, _cells(row, first, dates)) for row in rows], dates


def people_heatmap(
    snapshot: Snapshot, team: Team, *, weeks: int = 26
) -> tuple[list[tuple[Person, list[Cell]]], list[date]]:
    """People of a team × weeks: [(person, [Cell])]."""
    first, dates = weeks_shown(snapshot, weeks)
    rows = (
        PersonLoad.objects.filter(snapshot=snapshot, team=team)
        .select_related("person")
        .order_by("person__name")
    )
    return [(row.person, _cells(row, first, dates, row.tentative)) for row in rows], dates


def person_cells(snapshot: Snapshot, person: Person, *, weeks: int = 26) -> list[Cell]:
    """A person's cells week by week from the snapshot (empty when they are not in it)."""
    row = PersonLoad.objects.filter(snapshot=snapshot, person=person).first()
    if row is None:
        return []
    first, dates = weeks_shown(snapshot, weeks)
    return _cells(row, first, dates, row.tentative)


def person_loads(snapshot: Snapshot, person_ids: Iterable[int]) -> QuerySet[PersonLoad]:
    """The load rows of these people in a snapshot (one query when read)."""
    return PersonLoad.objects.filter(snapshot=snapshot, person_id__in=person_ids)


def conflicts_in(snapshot: Snapshot | None) -> QuerySet[Conflict]:
    """The conflicts of a snapshot: first found at or before it and not resolved by it,
    whatever has been published since."""
    if snapshot is None:
        return Conflict.objects.none()
    return Conflict.objects.filter(first_seen__lte=snapshot.pk).filter(
        Q(resolved_in__isnull=True) | Q(resolved_in__gt=snapshot.pk)
    )


def conflict_summary(snapshot: Snapshot | None) -> tuple[int, int]:
    """(conflicts of the snapshot, people over-allocated in it): fixed once it is published,
    so counted once per snapshot (two queries on a cache miss, none after)."""
    if snapshot is None:
        return 0, 0
    key = snapshot_cache_key(snapshot, "conflict-summary")
    found = cache.get(key)
    if found is None:
        conflicts = conflicts_in(snapshot)
        found = (
            conflicts.count(),
            conflicts.filter(kind="overallocation").values("subject_id").distinct().count(),
        )
        cache.set(key, found, SNAPSHOT_CACHE_SECONDS)
    return found


def conflict_list(snapshot: Snapshot | None) -> QuerySet[Conflict]:
    """The conflicts of a snapshot with what their rows show, in the list's order."""
    return (
        conflicts_in(snapshot)
        .select_related("person", "team", "acknowledged_by")
        .prefetch_related("projects")
        .order_by("period_start", "kind", "subject_label")
    )


def open_conflict_counts(project_ids: Iterable[int]) -> dict[int, int]:
    """Conflicts of the current snapshot per project (one query after the pointer)."""
    snapshot = current_snapshot()
    if snapshot is None:
        return {}
    through = Conflict.projects.through
    rows = (
        through.objects.filter(
            project_id__in=list(project_ids), conflict__in=conflicts_in(snapshot)
        )
        .values("project_id")
        .annotate(n=Count("conflict_id"))
    )
    return {row["project_id"]: row["n"] for row in rows}


# --- supply and unnamed demand by skill: the skills matrix and the portfolio fit ----------------
# Both pages read in a fixed number of queries whatever the number of people, skills and demands.


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
    committed: list[DemandRecord] = []
    proposed: list[DemandRecord] = []
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


def remaining_supply(snapshot: Snapshot, first: int) -> fit.Pools:
    """The snapshot's free hours per (skill, level) from week `first` on: decoded and summed
    once per snapshot (and week), then read from the cache."""
    key = snapshot_cache_key(snapshot, "remaining-supply", first)
    supply = cache.get(key)
    if supply is None:
        supply = {k: hours[first:] for k, hours in cached_supply(snapshot).items()}
        cache.set(key, supply, SNAPSHOT_CACHE_SECONDS)
    return supply


def cached_supply(snapshot: Snapshot) -> fit.Pools:
    """`snapshot_supply`, computed once per snapshot (two queries, then none): the skills
    matrix and the fit of committed work read the same free hours."""
    key = snapshot_cache_key(snapshot, "supply")
    supply = cache.get(key)
    if supply is None:
        supply = snapshot_supply(snapshot)
        cache.set(key, supply, SNAPSHOT_CACHE_SECONDS)
    return supply


def fingerprint(*parts: object) -> str:
    """A short digest of plain values (records, ids): equal inputs, equal digest."""
    return hashlib.blake2b(repr(parts).encode(), digest_size=16).hexdigest()


def committed_fit(
    snapshot: Snapshot, *, committed: list[DemandRecord] | None = None
) -> fit.CommittedFit:
    """Does the committed work (approved, in flight, handover) fit the free hours of the
    snapshot, week by week and level by level, from this week to the end of its horizon?

    The one answer the portfolio fit starts from and the skills page gives as its verdict.
    Demand is read as it is now (`committed`, when the caller has read it already), like the
    fit; the result is cached per snapshot and demand (one query, none with `committed`, two
    more when the supply is not cached)."""
    horizon, first = remaining_horizon(snapshot)
    if committed is None:
        committed = live_demands(horizon)[0]
    key = snapshot_cache_key(snapshot, "committed-fit", first, fingerprint(committed))
    found = cache.get(key)
    if found is None:
        found = fit.committed_fit(
            horizon=horizon, supply=remaining_supply(snapshot, first), committed=committed
        )
        cache.set(key, found, SNAPSHOT_CACHE_SECONDS)
    return found


def skill_names() -> dict[int, str]:
    """Every skill's name by id (one query)."""
    return dict(Skill.objects.values_list("pk", "name"))


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


def snapshot_cache_key(snapshot: Snapshot, *parts: object) -> str:
    """A cache key for work that depends only on this snapshot (and `parts`): its id and its
    publication time (ids repeat across test databases), so publishing a new one changes it."""
    published = snapshot.computed_at.timestamp() if snapshot.computed_at else 0
    return ":".join(str(part) for part in ("resources", snapshot.pk, published, *parts))


def _skills_by_month(
    snapshot: Snapshot, horizon: Horizon, first_day: date, starts: list[date]
) -> dict[int, list[fit.MonthCell]]:
    """Every skill's month cells, computed once per snapshot and month range (three queries
    then none): supply and demand are both inputs of the snapshot, so an edit of either marks
    the plan dirty and the next snapshot has a new key."""
    key = snapshot_cache_key(snapshot, "skills", first_day, *starts)
    found = cache.get(key)
    if found is not None:
        return found
    supply = cached_supply(snapshot)
    committed, proposed = live_demands(horizon)
    by_skill = fit.skills_by_month(
        horizon=horizon,
        first_day=first_day,
        months=starts,
        supply=supply,
        committed=committed,
        proposed=proposed,
        skill_ids=list(Skill.objects.values_list("pk", flat=True)),
    )
    cache.set(key, by_skill, SNAPSHOT_CACHE_SECONDS)
    return by_skill


def skills_matrix(snapshot: Snapshot, *, months: int = 6) -> SkillsMatrix:
    """Supply (free hours of the people who hold a skill) against unnamed demand of committed
    projects and of proposals, per skill and calendar month from this month on (four queries)."""
    horizon = Horizon(snapshot.week_start, snapshot.weeks)
    starts = fit.month_starts(timezone.localdate(), months)
    first_day = horizon.week(first_week_index(snapshot))
    skills = list(Skill.objects.order_by("name"))
    by_skill = _skills_by_month(snapshot, horizon, first_day, starts)
    return SkillsMatrix(
        months=starts,
        counted_from=max(first_day, starts[0]),
        horizon_end=horizon.end,
        rows=[SkillRow(skill, by_skill[skill.pk]) for skill in skills if skill.pk in by_skill],
    )


# --- The executive view's aggregates (issue 16; docs/metrics.md, "Capacity") --------------
# They depend only on the published snapshot (and this week): computed once per snapshot.


def _window(snapshot: Snapshot, weeks: int) -> slice:
    first = first_week_index(snapshot)
    return slice(first, first + weeks)


def team_utilisation(
    snapshot: Snapshot, *, weeks: int = 12, projects: Collection[int] | None = None
) -> list[dict[str, Any]]:
    """[{"team_id", "team", "capacity", "project", "operational"}]: each team's hours over the
    next `weeks` weeks of the snapshot, by name; one query, once per snapshot and week.

    With `projects` (ids), "project" counts the hours (firm and tentative, as the team's
    project hours do) of those projects only; operational hours are not narrowed. One more
    query, once per snapshot and week."""
    window = _window(snapshot, weeks)
    key = snapshot_cache_key(snapshot, "team-utilisation", window.start, weeks)
    found = cache.get(key)
    if found is None:
        loads = TeamLoad.objects.filter(snapshot=snapshot).select_related("team")
        found = [
            {
                "team_id": load.team_id,
                "team": load.team.name,
                "capacity": sum(load.capacity[window]),
                "project": sum(load.project[window]),
                "operational": sum(load.operational[window]),
            }
            for load in sorted(loads, key=lambda load: load.team.name)
        ]
        cache.set(key, found, SNAPSHOT_CACHE_SECONDS)
    if projects is None:
        return found
    narrowed = _team_hours_on(project_team_hours(snapshot, weeks=weeks), projects)
    return [{**row, "project": narrowed.get(row["team_id"], 0.0)} for row in found]


class ProjectHours(NamedTuple):
    """Hours over a window: firm (booked) and tentative."""

    booked: float
    tentative: float


def project_team_hours(
    snapshot: Snapshot, *, weeks: int = 12
) -> dict[int, dict[int, ProjectHours]]:
    """{project id: {team id: hours}}: the project hours each team gives each project over the
    next `weeks` weeks of the snapshot (`ProjectLoad`); one query, once per snapshot and week."""
    window = _window(snapshot, weeks)
    key = snapshot_cache_key(snapshot, "project-team-hours", window.start, weeks)
    found = cache.get(key)
    if found is None:
        found = defaultdict(dict)
        rows = ProjectLoad.objects.filter(snapshot=snapshot).values_list(
            "project_id", "team_id", "booked", "tentative"
        )
        for project, team, booked, tentative in rows.order_by("project_id", "team_id"):
            found[project][team] = ProjectHours(sum(booked[window]), sum(tentative[window]))
        found = dict(found)
        cache.set(key, found, SNAPSHOT_CACHE_SECONDS)
    return found


def project_hours(snapshot: Snapshot, *, weeks: int = 12) -> dict[int, ProjectHours]:
    """{project id: hours} over the next `weeks` weeks of the snapshot, all teams together:
    what `project_team_hours` reads (one query, none once it is cached)."""
    return {
        project: ProjectHours(
            sum(h.booked for h in teams.values()), sum(h.tentative for h in teams.values())
        )
        for project, teams in project_team_hours(snapshot, weeks=weeks).items()
    }


def _team_hours_on(
    by_project: dict[int, dict[int, ProjectHours]], projects: Collection[int]
) -> dict[int, float]:
    """{team id: firm and tentative hours} on the given projects."""
    totals: dict[int, float] = defaultdict(float)
    for project in projects:
        for team, hours in by_project.get(project, {}).items():
            totals[team] += hours.booked + hours.tentative
    return totals


def longest_run_above(capacity: list[float], booked: list[float]) -> int:
    """The most weeks running in which booked hours exceed capacity (above 100 %; any hours
    in a week without capacity are above it)."""
    longest = run = 0
    for hours, available in zip(booked, capacity, strict=False):
        run = run + 1 if hours > available else 0
        longest = max(longest, run)
    return longest


def people_above_capacity(
    snapshot: Snapshot, *, weeks: int = 12, run: int = 3
) -> list[tuple[int, int]]:
    """[(person id, longest run)] of the people booked (project + operational; tentative
    work is not booked) above their capacity for `run` or more weeks running in the next
    `weeks` weeks, longest first; one query, once per snapshot and week.

    The engine's project and operational hours include the tentative ones (its `tentative`
    is the part of them pencilled in), so the booked hours are their sum less it, kept to
    0.01 h as the snapshot stores each of them (no float residue above an exact 100 %)."""
    window = _window(snapshot, weeks)
    key = snapshot_cache_key(snapshot, "above-capacity", window.start, weeks, run)
    found = cache.get(key)
    if found is None:
        found = []
        rows = PersonLoad.objects.filter(snapshot=snapshot).values_list(
            "person_id", "capacity", "project", "operational", "tentative"
        )
        for person, capacity, project, operational, tentative in rows:
            booked = [
                round(p + o - t, 2)
                for p, o, t in zip(
                    project[window], operational[window], tentative[window], strict=False
                )
            ]
            longest = longest_run_above(capacity[window], booked)
            if longest >= run:
                found.append((person, longest))
        found.sort(key=lambda row: (-row[1], row[0]))
        cache.set(key, found, SNAPSHOT_CACHE_SECONDS)
    return found


def open_conflicts_by_kind_and_severity(snapshot: Snapshot | None) -> list[dict[str, Any]]:
    """[{"kind", "severity", "n"}] of the snapshot's conflicts: one grouped query."""
    return [
        dict(row)
        for row in conflicts_in(snapshot)
        .values("kind", "severity")
        .annotate(n=Count("pk"))
        .order_by("kind", "severity")
    ]


def conflict_trend(count: int = 12) -> list[tuple[int, datetime | None, int]]:
    """[(snapshot id, published at, conflicts in it)] for the last `count` published
    snapshots, oldest first: two queries (the snapshots, then one count per snapshot in one
    aggregate)."""
    snapshots = list(
        Snapshot.objects.filter(status=SnapshotStatus.PUBLISHED)
        .order_by("-pk")
        .values_list("pk", "computed_at")[:count]
    )
    if not snapshots:
        return []
    # Named by position, not by id: the same statement for the same number of snapshots.
    counts = Conflict.objects.aggregate(
        **{
            f"n{n}": Count(
                "pk",
                filter=Q(first_seen__lte=pk)
                & (Q(resolved_in__isnull=True) | Q(resolved_in__gt=pk)),
            )
            for n, (pk, _) in enumerate(snapshots)
        }
    )
    return [(pk, at, counts[f"n{n}"]) for n, (pk, at) in reversed(list(enumerate(snapshots)))]


def public_holidays(start: date, end: date) -> set[date]:
    """The days from `start` to `end` that are public holidays for everyone (an absence of
    kind public holiday without a person), in one query: the service-level calendar's."""
    from .models import Absence, AbsenceKind

    rows = Absence.objects.filter(
        person__isnull=True,
        kind=AbsenceKind.PUBLIC_HOLIDAY,
        start_date__lte=end,
        end_date__gte=start,
    ).values_list("start_date", "end_date")
    days: set[date] = set()
    for first, last in rows:
        day = max(first, start)
        while day <= min(last, end):
            days.add(day)
            day += timedelta(days=1)
    return days
