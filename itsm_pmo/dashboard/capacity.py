"""The capacity family (docs/metrics.md, "Capacity"): read from the published snapshot, not
from the period: the plan looks forward from this week. Each read is computed once per
snapshot (resources.selectors caches what depends only on it)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from .metrics import Drill, Metric, Segment, ratio

WEEKS = 12  # the weeks ahead the capacity family reads
RUN = 3  # weeks running above 100 % that make a burnout risk
NO_SNAPSHOT = "No capacity plan has been published yet."
NO_CAPACITY = "The team has no capacity in the next 12 weeks."


@dataclass(frozen=True)
class TeamShare:
    """A team's booked share of its capacity over the next 12 weeks, in %."""

    team: str
    project: float | None
    operational: float | None
    why_missing: str
    drill: Drill


def team_utilisation() -> list[TeamShare]:
    from resources import selectors

    snapshot = selectors.current_snapshot()
    if snapshot is None:
        return []
    return [
        TeamShare(
            row["team"],
            ratio(row["project"], row["capacity"]),
            ratio(row["operational"], row["capacity"]),
            "" if row["capacity"] else NO_CAPACITY,
            Drill("resources:index", {"team": str(row["team_id"])}),
        )
        for row in selectors.team_utilisation(snapshot, weeks=WEEKS)
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
