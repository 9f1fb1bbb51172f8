"""The capacity family (docs/metrics.md, "Capacity"): read from the published snapshot, not
from the period: the plan looks forward from this week. Each read is computed once per
snapshot (resources.selectors caches what depends only on it)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from .metrics import Drill, Metric, Segment, ratio
from .period import Scope

WEEKS = 12  # the weeks ahead the capacity family reads
RUN = 3  # weeks running above 100 % that make a burnout risk
NO_SNAPSHOT = "No capacity plan has been published yet."
NO_CAPACITY = "The team has no capacity in the next 12 weeks."
NO_BOOKED = "No project hours are booked in the next 12 weeks."
EVERYTHING = Scope()


@dataclass(frozen=True)
class TeamShare:
    """A team's booked share of its capacity over the next 12 weeks, in %."""

    team: str
    project: float | None
    operational: float | None
    why_missing: str
    drill: Drill


def _aligned(scope: Scope) -> set[int] | None:
    """The projects the scope keeps (those aligned with its objective), None for all: the
    service does not narrow the plan (docs/metrics.md, "Scope")."""
    from portfolio import selectors

    return None if scope.objective is None else selectors.aligned_with(scope.objective)


def team_utilisation(scope: Scope = EVERYTHING) -> list[TeamShare]:
    """Each team's project and operational share of its capacity over the next 12 weeks; in
    an objective's scope, the project share counts the projects aligned with it only."""
    from resources import selectors

    snapshot = selectors.current_snapshot()
    if snapshot is None:
        return []
    rows = selectors.team_utilisation(snapshot, weeks=WEEKS, projects=_aligned(scope))
    return [
        TeamShare(
            row["team"],
            ratio(row["project"], row["capacity"]),
            ratio(row["operational"], row["capacity"]),
            "" if row["capacity"] else NO_CAPACITY,
            # The team's whole plan: the heatmap shows hours, not a share of an objective's.
            Drill("resources:index", {"team": str(row["team_id"])}),
        )
        for row in rows
    ]


def burnout_metric() -> Metric:
    """People booked above 100 % for three or more weeks running in the next 12 weeks."""
    from resources import selectors

    snapshot = selectors.current_snapshot()
    value = (
        None
        if snapshot is None
        else len(selectors.people_above_capacity(snapshot, weeks=WEEKS, run=RUN))
    )
    return Metric(
        key="burnout_risk",
        label="People above 100 % for 3+ weeks running",
        value=value,
        previous=None,  # the plan has no previous period, only earlier snapshots
        unit="people",
        why_missing=NO_SNAPSHOT if value is None else "",
        drill=Drill("resources:index", {"above": "100", "weeks_running": str(RUN)}),
    )


def open_conflicts() -> list[Segment]:
    """The published snapshot's conflicts by kind and severity."""
    from resources import selectors
    from resources.choices import ConflictKind, Severity

    rows = selectors.open_conflicts_by_kind_and_severity(selectors.current_snapshot())
    return [
        Segment(
            f"{ConflictKind(row['kind']).label} – {Severity(row['severity']).label}",
            row["n"],
            # `state=all`: every conflict of the snapshot, as counted; the list's default,
            # `open`, leaves out the acknowledged ones.
            Drill(
                "resources:conflict_list",
                {"kind": row["kind"], "severity": row["severity"], "state": "all"},
            ),
        )
        for row in rows
    ]


def conflict_trend() -> list[tuple[datetime | None, int]]:
    """(published at, conflicts) for the last 12 published snapshots, oldest first."""
    from resources import selectors

    return [(at, n) for _, at, n in selectors.conflict_trend(12)]


# --- Where the booked project hours go (ProjectLoad; docs/metrics.md, "Capacity") ---------


def _booked_hours(scope: Scope) -> dict[int, float] | None:
    """{project id: firm project hours over the next 12 weeks} in the scope; None without a
    published plan."""
    from resources import selectors

    snapshot = selectors.current_snapshot()
    if snapshot is None:
        return None
    hours = selectors.project_hours(snapshot, weeks=WEEKS)
    aligned = _aligned(scope)
    return {
        project: h.booked
        for project, h in hours.items()
        if h.booked and (aligned is None or project in aligned)
    }


def top_quarter_hours_share(scope: Scope = EVERYTHING) -> Metric:
    """Share of the booked project hours of the next 12 weeks that go to the top-ranked
    quarter of the live portfolio (of its projects aligned with the scope's objective)."""
    from portfolio import selectors

    booked = _booked_hours(scope)
    value, why = None, NO_SNAPSHOT
    if booked is not None:
        top = selectors.live_top_quarter(objective=scope.objective)
        value = ratio(sum(h for p, h in booked.items() if p in top), sum(booked.values()))
        why = NO_BOOKED
    return Metric(
        key="top_quarter_hours_share",
        label="Booked project hours on the top-ranked quarter",
        value=value,
        previous=None,  # the plan has no previous period, only earlier snapshots
        unit="%",
        why_missing=why if value is None else "",
        drill=Drill("portfolio:ranking", {"top": "quarter", **scope.params()}),
    )


@dataclass(frozen=True)
class ObjectiveHours:
    """The booked project hours of the next 12 weeks that serve one strategic objective."""

    objective_id: int
    objective: str
    weight: int
    hours: float  # Σ a project's booked hours × its contribution to the objective ÷ 100
    share: float | None  # % of the hours serving any objective; None when none is booked
    why_missing: str


def hours_by_objective() -> list[ObjectiveHours]:
    """Per active strategic objective (by weight, then name): the booked project hours of the
    next 12 weeks weighed by each project's contribution to it, and their share of the hours
    serving any objective. Empty without a published plan."""
    from portfolio import selectors

    booked = _booked_hours(EVERYTHING)
    if booked is None:
        return []
    objectives, links = selectors.objective_contributions()
    hours = dict.fromkeys((o.pk for o in objectives), 0.0)
    for objective, project, contribution in links:
        hours[objective] += booked.get(project, 0.0) * contribution / 100
    # Shares across the objectives, as their weights' and their budgets' are: the three
    # compare bar by bar (hours serving no objective are in no share).
    total = sum(hours.values())
    return [
        ObjectiveHours(
            o.pk,
            o.name,
            o.weight,
            round(hours[o.pk], 1),
            ratio(hours[o.pk], total),
            "" if total else NO_BOOKED,
        )
        for o in objectives
    ]
