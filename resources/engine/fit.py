"""Portfolio fit and the skills matrix, as pure functions over plain records (no ORM).

Supply is free hours per (skill, level, week): every person's free hours in a week
(capacity − project − operational, never below zero) added to the pool of each skill they hold,
at their level. A person with two skills offers the same free hours to both pools, as the
skill-gap rule does.

Levels nest: demand at level L may use people at level L or above. A set of demands for a skill
in a week fits when, for every level L, the demand at L and above fits in the supply at L and
above (Hall's condition for upward-closed sets). The hours that cannot be served are the worst
of those differences, and the level where it is worst is the one reported.

The fit walks the portfolio in order: committed demand (approved, in flight, handover) first,
as one batch: what it cannot get is the committed shortfall, what it can get it consumes
(`committed_fit`: the portfolio fit page and the skills page's verdict both read it). Then
each proposal, best-ranked first, as a batch of its own (`proposals_fit`): if every one of its
(skill, week) batches fits in what is left it consumes its hours; if not, its shortfalls are
reported and it consumes nothing, so it does not push the proposals behind it out.

The skills matrix (`skills_by_month`) sums the same free hours and demand by calendar month
and over every level: a view of the totals, not a verdict, since a month can hide a short week
and a level's shortage.
"""

from collections import defaultdict
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from datetime import date, timedelta

from .calendar import WORKDAYS, Horizon
from .records import DemandRecord

EPSILON = 0.05  # hours; below this, rounding, not a shortfall
LEVELS = (1, 2, 3, 4, 5)

Pools = dict[tuple[int, int], list[float]]  # (skill id, level) -> free hours per week


# --- supply and demand per week ------------------------------------------------------------


def free_hours(
    capacity: Sequence[float], project: Sequence[float], operational: Sequence[float]
) -> list[float]:
    """A person's free hours per week: capacity less all booked work, never below zero."""
    return [max(0.0, c - p - o) for c, p, o in zip(capacity, project, operational, strict=True)]


def supply_pools(people: Iterable[tuple[Iterable[tuple[int, int]], Sequence[float]]]) -> Pools:
    """Free hours per (skill, level, week) from each person's (skills with levels, free hours
    per week)."""
    pools: Pools = {}
    for skills, free in people:
        for skill_id, level in skills:
            pool = pools.setdefault((skill_id, level), [0.0] * len(free))
            for week, hours in enumerate(free):
                pool[week] += hours
    return pools


def weekly_hours(horizon: Horizon, demand: DemandRecord) -> Iterator[tuple[int, float]]:
    """(week index, hours) of a demand over the horizon; a partial first or last week counts
    the share of its five working days that the demand covers."""
    span = horizon.span(demand.start, demand.end)
    for week in span:
        share = (
            1.0
            if week not in (span.start, span.stop - 1)
            else horizon.workday_share(week, demand.start, demand.end)
        )
        if share > 0:
            yield week, demand.hours_per_week * share


def _weekly_need(
    horizon: Horizon, demands: Iterable[DemandRecord]
) -> dict[tuple[int, int], dict[int, float]]:
    """(skill, week) -> level -> hours."""
    need: dict[tuple[int, int], dict[int, float]] = defaultdict(lambda: defaultdict(float))
    for demand in demands:
        for week, hours in weekly_hours(horizon, demand):
            need[(demand.skill_id, week)][demand.min_level] += hours
    return need


# --- fitting one batch into the pools ------------------------------------------------------


def _shortfall(
    by_level: Mapping[int, float], left: Pools, skill_id: int, week: int
) -> tuple[float, int]:
    """Hours of a (skill, week) batch that cannot be served, and the level where it is worst."""
    worst, worst_level = 0.0, min(by_level)
    for level in sorted(by_level):
        needed = sum(h for lvl, h in by_level.items() if lvl >= level)
        free = sum(
            left[(skill_id, lvl)][week]
            for lvl in LEVELS
            if lvl >= level and (skill_id, lvl) in left
        )
        if needed - free > worst:
            worst, worst_level = needed - free, level
    return worst, worst_level


def _consume(by_level: Mapping[int, float], left: Pools, skill_id: int, week: int) -> None:
    """Take a batch's hours from the pools, as much as there is. The most demanding level goes
    first and every level takes from the lowest level that qualifies, which keeps the most
    skilled hours for whoever needs them next (it leaves every "level L and above" total as
    large as any other assignment would)."""
    for level in sorted(by_level, reverse=True):
        wanted = by_level[level]
        for lvl in LEVELS:
            if lvl < level or (skill_id, lvl) not in left or wanted <= 0:
                continue
            pool = left[(skill_id, lvl)]
            taken = min(wanted, pool[week])
            pool[week] -= taken
            wanted -= taken


# --- results -------------------------------------------------------------------------------


@dataclass(frozen=True)
class Shortfall:
    """Hours short of a skill at a level and above in one week of the horizon."""

    skill_id: int
    level: int
    week: int  # index in the horizon
    hours: float
    project_ids: tuple[int, ...] = ()


@dataclass(frozen=True)
class ShortfallRange:
    """Consecutive weeks short of the same skill at the same level, for display."""

    skill_id: int
    level: int
    first_week: date  # Monday of the first week
    last_week: date  # Monday of the last week
    weeks: int
    min_hours: float  # short in the least bad week
    max_hours: float  # short in the worst week
    total_hours: float
    project_ids: tuple[int, ...] = ()

    @property
    def end(self) -> date:
        """The Sunday that ends the range."""
        return self.last_week + timedelta(days=6)

    @property
    def steady(self) -> bool:
        """The same shortfall every week of the range (to the nearest half hour)."""
        return self.max_hours - self.min_hours < 0.5


@dataclass(frozen=True)
class ProposalInput:
    """A proposal and its unnamed demand, as the fit takes them (in rank order)."""

    project_id: int
    demands: tuple[DemandRecord, ...]


@dataclass(frozen=True)
class ProposalFit:
    project_id: int
    fits: bool
    fits_alone: bool  # would fit after the committed work if no better-ranked proposal came first
    demand_hours: float  # over the horizon
    shortfalls: tuple[Shortfall, ...]
    ranges: tuple[ShortfallRange, ...]

    @property
    def has_demand(self) -> bool:
        return self.demand_hours > EPSILON

    @property
    def hours_short(self) -> float:
        return sum(s.hours for s in self.shortfalls)

    @property
    def skills_short(self) -> tuple[int, ...]:
        return tuple(sorted({s.skill_id for s in self.shortfalls}))


@dataclass(frozen=True)
class SkillShort:
    """What the committed work lacks of one skill over the horizon."""

    skill_id: int
    hours: float
    weeks: int
    levels: tuple[int, ...]  # the levels (and above) it is short at


@dataclass(frozen=True)
class CommittedFit:
    """The committed work served first from the free hours: what it lacks, and what it leaves
    for the proposals. The portfolio fit starts here, and the skills page's verdict is this,
    so both say the same about committed work."""

    horizon: Horizon
    hours: float  # committed skill demand over the horizon
    shortfalls: tuple[Shortfall, ...]
    ranges: tuple[ShortfallRange, ...]
    left: Pools  # free hours once it is served (read, never changed: proposals_fit copies)

    @property
    def fits(self) -> bool:
        return not self.shortfalls

    @property
    def hours_short(self) -> float:
        return sum(s.hours for s in self.shortfalls)

    @property
    def weeks_short(self) -> int:
        """Weeks in which some skill is short."""
        return len({s.week for s in self.shortfalls})

    def by_skill(self) -> dict[int, SkillShort]:
        """Skill id -> what it lacks, for the skills short."""
        hours: dict[int, float] = defaultdict(float)
        weeks: dict[int, set[int]] = defaultdict(set)
        levels: dict[int, set[int]] = defaultdict(set)
        for shortfall in self.shortfalls:
            hours[shortfall.skill_id] += shortfall.hours
            weeks[shortfall.skill_id].add(shortfall.week)
            levels[shortfall.skill_id].add(shortfall.level)
        return {
            skill_id: SkillShort(
                skill_id, hours[skill_id], len(weeks[skill_id]), tuple(sorted(levels[skill_id]))
            )
            for skill_id in sorted(hours)
        }


@dataclass(frozen=True)
class PortfolioFit:
    horizon: Horizon
    committed_hours: float
    committed_shortfalls: tuple[Shortfall, ...]
    committed_ranges: tuple[ShortfallRange, ...]
    proposals: tuple[ProposalFit, ...]

    @property
    def committed_fits(self) -> bool:
        return not self.committed_shortfalls

    @property
    def committed_hours_short(self) -> float:
        return sum(s.hours for s in self.committed_shortfalls)

    @property
    def fitting(self) -> tuple[ProposalFit, ...]:
        return tuple(p for p in self.proposals if p.fits and p.has_demand)

    @property
    def not_fitting(self) -> tuple[ProposalFit, ...]:
        return tuple(p for p in self.proposals if not p.fits)

    @property
    def without_demand(self) -> tuple[ProposalFit, ...]:
        return tuple(p for p in self.proposals if not p.has_demand)


def shortfall_ranges(
    horizon: Horizon, shortfalls: Iterable[Shortfall]
) -> tuple[ShortfallRange, ...]:
    """Shortfalls grouped per skill and level into runs of consecutive weeks, in the order of
    skill, level and first week."""
    by_key: dict[tuple[int, int], list[Shortfall]] = defaultdict(list)
    for shortfall in shortfalls:
        by_key[(shortfall.skill_id, shortfall.level)].append(shortfall)
    ranges = []
    for (skill_id, level), items in sorted(by_key.items()):
        items.sort(key=lambda s: s.week)
        run: list[Shortfall] = []
        closing: list[Shortfall | None] = [*items, None]  # None closes the last run
        for item in closing:
            if run and (item is None or item.week != run[-1].week + 1):
                hours = [s.hours for s in run]
                ranges.append(
                    ShortfallRange(
                        skill_id=skill_id,
                        level=level,
                        first_week=horizon.week(run[0].week),
                        last_week=horizon.week(run[-1].week),
                        weeks=len(run),
                        min_hours=min(hours),
                        max_hours=max(hours),
                        total_hours=sum(hours),
                        project_ids=tuple(sorted({p for s in run for p in s.project_ids})),
                    )
                )
                run = []
            if item is not None:
                run.append(item)
    return tuple(ranges)


def _check(
    need: Mapping[tuple[int, int], Mapping[int, float]],
    left: Pools,
    project_ids: Mapping[tuple[int, int], set[int]] | None = None,
) -> list[Shortfall]:
    shortfalls = []
    for (skill_id, week), by_level in sorted(need.items()):
        short, level = _shortfall(by_level, left, skill_id, week)
        if short > EPSILON:
            ids = tuple(sorted(project_ids[(skill_id, week)])) if project_ids else ()
            shortfalls.append(Shortfall(skill_id, level, week, short, ids))
    return shortfalls


def committed_fit(
    *,
    horizon: Horizon,
    supply: Mapping[tuple[int, int], Sequence[float]],
    committed: Iterable[DemandRecord],
) -> CommittedFit:
    """Does the committed work fit the free hours, week by week and level by level? Served
    as one batch: what it cannot get is its shortfall, what it can get it consumes. `supply`
    is free hours per (skill, level) and week of `horizon`."""
    left: Pools = {key: list(hours) for key, hours in supply.items()}
    for key, hours in left.items():
        if len(hours) != horizon.weeks:
            raise ValueError(f"supply of {key} has {len(hours)} weeks, the horizon {horizon.weeks}")

    committed = list(committed)
    need = _weekly_need(horizon, committed)
    projects: dict[tuple[int, int], set[int]] = defaultdict(set)
    for demand in committed:
        for week, _hours in weekly_hours(horizon, demand):
            projects[(demand.skill_id, week)].add(demand.project_id)
    short = _check(need, left, projects)
    for (skill_id, week), by_level in need.items():
        _consume(by_level, left, skill_id, week)
    return CommittedFit(
        horizon=horizon,
        hours=sum(sum(by_level.values()) for by_level in need.values()),
        shortfalls=tuple(short),
        ranges=shortfall_ranges(horizon, short),
        left=left,
    )


def proposals_fit(served: CommittedFit, proposals: Sequence[ProposalInput]) -> PortfolioFit:
    """Which proposals fit, in rank order, in what the committed work leaves?"""
    horizon = served.horizon
    left: Pools = {key: list(hours) for key, hours in served.left.items()}
    results = []
    for proposal in proposals:
        need = _weekly_need(horizon, proposal.demands)
        shortfalls = _check(need, left)
        if not shortfalls:
            for (skill_id, week), by_level in need.items():
                _consume(by_level, left, skill_id, week)
            fits_alone = True
        else:
            fits_alone = not _check(need, served.left)
        ids = (proposal.project_id,)
        shortfalls = [Shortfall(s.skill_id, s.level, s.week, s.hours, ids) for s in shortfalls]
        results.append(
            ProposalFit(
                project_id=proposal.project_id,
                fits=not shortfalls,
                fits_alone=fits_alone,
                demand_hours=sum(sum(by_level.values()) for by_level in need.values()),
                shortfalls=tuple(shortfalls),
                ranges=shortfall_ranges(horizon, shortfalls),
            )
        )

    return PortfolioFit(
        horizon=horizon,
        committed_hours=served.hours,
        committed_shortfalls=served.shortfalls,
        committed_ranges=served.ranges,
        proposals=tuple(results),
    )


def portfolio_fit(
    *,
    horizon: Horizon,
    supply: Mapping[tuple[int, int], Sequence[float]],
    committed: Iterable[DemandRecord],
    proposals: Sequence[ProposalInput],
) -> PortfolioFit:
    """Does the committed portfolio fit the free hours, and which proposals fit after it, in
    rank order? `supply` is free hours per (skill, level) and week of `horizon`."""
    served = committed_fit(horizon=horizon, supply=supply, committed=committed)
    return proposals_fit(served, proposals)


# --- the skills matrix: weeks summed into calendar months ----------------------------------


def month_starts(first: date, count: int) -> list[date]:
    """The first day of `count` calendar months, from the month of `first`."""
    months, year, month = [], first.year, first.month
    for _ in range(count):
        months.append(date(year, month, 1))
        year, month = (year + 1, 1) if month == 12 else (year, month + 1)
    return months


def _workdays(monday: date) -> list[date]:
    return [monday + timedelta(days=d) for d in range(WORKDAYS)]


@dataclass(frozen=True)
class MonthCell:
    """Hours of a skill in a calendar month: free hours of the people who hold it (and by
    level), unnamed demand of committed projects and of proposals."""

    month: date
    supply: float
    supply_by_level: tuple[tuple[int, float], ...]  # (level, hours), best level first
    committed: float
    proposed: float

    @property
    def ratio(self) -> float | None:
        """Committed demand / supply; None when there is neither."""
        if self.supply > EPSILON:
            return self.committed / self.supply
        return None if self.committed <= EPSILON else float("inf")

    @property
    def ratio_with_proposals(self) -> float | None:
        total = self.committed + self.proposed
        if self.supply > EPSILON:
            return total / self.supply
        return None if total <= EPSILON else float("inf")

    @property
    def band(self) -> int:
        """0 (no committed demand), 1 (under half the supply) … 7 (over 125 %): its colour."""
        ratio = self.ratio
        if not ratio:
            return 0
        for band, limit in enumerate((0.5, 0.8, 0.95, 1.0001, 1.1, 1.25), start=1):
            if ratio < limit:
                return band
        return 7

    @property
    def short_with_proposals(self) -> bool:
        """Committed work fits, but not with every proposal on top."""
        with_proposals = self.ratio_with_proposals
        return (
            (self.ratio or 0) <= 1.0001 and with_proposals is not None and with_proposals > 1.0001
        )


def skills_by_month(
    *,
    horizon: Horizon,
    first_day: date,
    months: Sequence[date],
    supply: Mapping[tuple[int, int], Sequence[float]],
    committed: Iterable[DemandRecord],
    proposed: Iterable[DemandRecord],
    skill_ids: Iterable[int] = (),
) -> dict[int, list[MonthCell]]:
    """skill id -> a MonthCell per month. Weeks are summed into the month of each of their
    working days (a fifth of the week each), from `first_day` to the end of the last month
    and within the horizon; demand counts only the working days it covers. Every skill of
    `skill_ids`, of the supply and of the demand has a row."""
    index = {month: i for i, month in enumerate(months)}
    last_day = month_starts(months[-1], 2)[1] - timedelta(days=1) if months else first_day

    def month_of(day: date) -> int | None:
        if day < first_day or day > last_day:
            return None
        return index.get(day.replace(day=1))

    window = horizon.span(first_day, min(last_day, horizon.end))
    # Which month each working day of each week of the window falls in.
    week_days = {week: [month_of(day) for day in _workdays(horizon.week(week))] for week in window}

    skills = set(skill_ids) | {skill_id for skill_id, _level in supply}
    supply_hours: dict[tuple[int, int], list[float]] = defaultdict(lambda: [0.0] * len(months))
    for (skill_id, level), hours in supply.items():
        row = supply_hours[(skill_id, level)]
        for week, days in week_days.items():
            for month in days:
                if month is not None:
                    row[month] += hours[week] / WORKDAYS

    def demand_hours(demands: Iterable[DemandRecord]) -> dict[int, list[float]]:
        rows: dict[int, list[float]] = defaultdict(lambda: [0.0] * len(months))
        for demand in demands:
            skills.add(demand.skill_id)
            row = rows[demand.skill_id]
            per_day = demand.hours_per_week / WORKDAYS
            for week in horizon.span(max(demand.start, first_day), demand.end):
                if week not in week_days:
                    continue
                for day, month in zip(_workdays(horizon.week(week)), week_days[week], strict=True):
                    if month is not None and demand.start <= day <= demand.end:
                        row[month] += per_day
        return rows

    committed_hours, proposed_hours = demand_hours(committed), demand_hours(proposed)
    zeros = [0.0] * len(months)
    matrix = {}
    for skill_id in skills:
        levels = [
            (level, supply_hours[(skill_id, level)])
            for level in reversed(LEVELS)
            if (skill_id, level) in supply
        ]
        matrix[skill_id] = [
            MonthCell(
                month=month,
                supply=sum(row[i] for _level, row in levels),
                supply_by_level=tuple((level, row[i]) for level, row in levels),
                committed=committed_hours.get(skill_id, zeros)[i],
                proposed=proposed_hours.get(skill_id, zeros)[i],
            )
            for i, month in enumerate(months)
        ]
    return matrix
