"""Capacity (contracted hours less absences) and load per person-week and team-week.

Computed on numpy arrays (a row per person, a column per week), then handed out as the
dict-of-lists of Python floats every reader uses. Each cell's additions happen one by one in
the order of the input, as a loop over the records would make them (np.bincount and
np.add.at add in index order, never pairwise), so every float is the same to the last bit
as the plain-Python computation gives.
"""

from dataclasses import dataclass, field

import numpy as np

from .calendar import WORKDAYS, Horizon
from .records import OPERATIONAL, PROJECT, AbsenceRecord, PersonRecord, WorkRecord


@dataclass
class Loads:
    """Hours per person-week (lists indexed by week) and their sums per team."""

    horizon: Horizon
    capacity: dict[int, list[float]] = field(default_factory=dict)
    project: dict[int, list[float]] = field(default_factory=dict)
    operational: dict[int, list[float]] = field(default_factory=dict)
    tentative: dict[int, list[float]] = field(default_factory=dict)
    team_capacity: dict[int, list[float]] = field(default_factory=dict)
    team_project: dict[int, list[float]] = field(default_factory=dict)
    team_operational: dict[int, list[float]] = field(default_factory=dict)
    # Project hours by (project id, team id): what a team's people give a project each week,
    # firm (booked) and tentative apart, so that a reader can count some projects' hours
    # (the executive view narrowed to a strategic objective) or only the firm ones.
    project_booked: dict[tuple[int, int], list[float]] = field(default_factory=dict)
    project_tentative: dict[tuple[int, int], list[float]] = field(default_factory=dict)
    # The person-week figures as arrays (people x weeks) for rules that work on whole rows,
    # and the row of each person id: see matrix(). Read them, do not change them.
    rows: dict[int, int] = field(default_factory=dict, repr=False, compare=False)
    arrays: dict[str, np.ndarray] = field(default_factory=dict, repr=False, compare=False)

    def load(self, person_id: int, week: int) -> float:
        return self.project[person_id][week] + self.operational[person_id][week]

    def free(self, person_id: int, week: int) -> float:
        return max(0.0, self.capacity[person_id][week] - self.load(person_id, week))

    def matrix(self, name: str) -> tuple[dict[int, int], np.ndarray]:
        """(person id -> row, array) of a person-week field: the arrays compute_loads() kept,
        or built from the lists when the Loads was made some other way."""
        if name not in self.arrays:
            rows = getattr(self, name)
            if self.rows.keys() != rows.keys():
                self.rows, self.arrays = {pid: i for i, pid in enumerate(rows)}, {}
            self.arrays[name] = np.array(list(rows.values()), dtype=float).reshape(
                len(rows), self.horizon.weeks
            )
        return self.rows, self.arrays[name]


def absent_days(
    horizon: Horizon, absences: list[AbsenceRecord], rows: dict[int, int]
) -> np.ndarray:
    """Working days away per week for the people in `rows` (person id -> row), public
    holidays (person None) included: an array of people x weeks. Overlapping absences count a
    day once; absences of people not in `rows` are left out."""
    first, last = horizon.start.toordinal(), horizon.end.toordinal()
    ndays, everyone = 7 * horizon.weeks, len(rows)
    marks = [
        (
            everyone if a.person_id is None else rows[a.person_id],
            max(a.start.toordinal(), first) - first,
            min(a.end.toordinal(), last) - first,
        )
        for a in absences
        if a.person_id is None or a.person_id in rows
    ]
    # +1 on an absence's first day and -1 after its last, per row: a running sum > 0 is away.
    starts = np.zeros((everyone + 1, ndays + 1), dtype=np.int32)
    marks = [m for m in marks if m[1] <= m[2]]
    if marks:
        who, a, b = (np.array(x, dtype=np.int64) for x in zip(*marks, strict=True))
        np.add.at(starts, (who, a), 1)
        np.add.at(starts, (who, b + 1), -1)
    away = np.cumsum(starts[:, :ndays], axis=1) > 0
    away = away[:everyone] | away[everyone]  # own days or a public holiday, once
    away &= (np.arange(ndays) % 7) < WORKDAYS  # the horizon starts on a Monday
    return away.reshape(everyone, horizon.weeks, 7).sum(axis=2)


def compute_loads(
    horizon: Horizon,
    people: list[PersonRecord],
    absences: list[AbsenceRecord],
    work: list[WorkRecord],
) -> Loads:
    weeks = horizon.weeks
    # One row per person id, in the order they first come (a repeated id: the last record).
    rows: dict[int, int] = {}
    latest: dict[int, PersonRecord] = {}
    for person in people:
        rows.setdefault(person.id, len(rows))
        latest[person.id] = person
    hours = np.array([float(latest[pid].hours) for pid in rows], dtype=float)
    away = absent_days(horizon, absences, rows)
    capacity = hours[:, None] * (WORKDAYS - away) / WORKDAYS

    teams_of_rows = [latest[pid].team_id for pid in rows]
    work_loads = _work_loads(horizon, rows, teams_of_rows, hours, capacity, work)
    project, operational, tentative = (
        work_loads.project,
        work_loads.operational,
        work_loads.tentative,
    )

    # Team sums: each person's row added to their team's, in the order of the people.
    teams: dict[int, int] = {}
    team_of = np.array([teams.setdefault(p.team_id, len(teams)) for p in people], dtype=np.int64)
    row_of = np.array([rows[p.id] for p in people], dtype=np.int64)
    team_sums = []
    for mine in (capacity, project, operational):
        sums = np.zeros((len(teams), weeks))
        np.add.at(sums, team_of, mine[row_of])
        team_sums.append(sums)

    ids, team_ids = list(rows), list(teams)
    loads = Loads(
        horizon,
        rows=rows,
        arrays={
            "capacity": capacity,
            "project": project,
            "operational": operational,
            "tentative": tentative,
        },
    )
    for name, array in loads.arrays.items():
        setattr(loads, name, dict(zip(ids, array.tolist(), strict=True)))
    for name, array in zip(
        ("team_capacity", "team_project", "team_operational"), team_sums, strict=True
    ):
        setattr(loads, name, dict(zip(team_ids, array.tolist(), strict=True)))
    loads.project_booked = dict(zip(work_loads.groups, work_loads.booked.tolist(), strict=True))
    loads.project_tentative = dict(
        zip(work_loads.groups, work_loads.project_tentative.tolist(), strict=True)
    )
    return loads


@dataclass
class _WorkLoads:
    """Hours per person-week (people x weeks) and per (project, team)-week (groups x weeks)."""

    project: np.ndarray
    operational: np.ndarray
    tentative: np.ndarray
    groups: list[tuple[int, int]]  # (project id, team id) of each row of the next two
    booked: np.ndarray
    project_tentative: np.ndarray


def _work_loads(
    horizon: Horizon,
    rows: dict[int, int],
    teams: list[int],
    hours: np.ndarray,
    capacity: np.ndarray,
    work: list[WorkRecord],
) -> _WorkLoads:
    """Project, operational and tentative hours per person-week from the work records, and
    the project hours per (project, team of the person)-week, firm and tentative apart.

    A work item adds, to every week it touches, hours x the share of the week's working days
    inside it (1 for the whole weeks between its first and last); work that scales with
    availability, times capacity / contract as well (nothing without a contract). Someone not
    in `rows` (who has left) is loaded with nothing. `teams` is the team of each row."""
    weeks, n = horizon.weeks, len(rows)
    first = horizon.start.toordinal()
    items = [
        (
            at,
            w.start.toordinal(),
            w.end.toordinal(),
            w.hours_per_week,
            w.source == PROJECT,
            w.tentative,
            w.scales_with_availability,
            w.project_id or 0,  # ids start at 1
        )
        for w in work
        if (at := rows.get(w.person_id)) is not None
    ]
    if not items:
        none = np.zeros((n, weeks))
        return _WorkLoads(
            none, none.copy(), none.copy(), [], np.zeros((0, weeks)), np.zeros((0, weeks))
        )
    columns = list(zip(*items, strict=True))
    row, start, end = (np.array(c, dtype=np.int64) for c in columns[:3])
    per_week = np.array([float(h) for h in columns[3]], dtype=float)
    is_project, is_tentative, scales = (np.array(c, dtype=bool) for c in columns[4:7])
    groups, group_of = _project_groups(np.array(columns[7], dtype=np.int64), is_project, row, teams)

    # The weeks each item touches, clipped to the horizon (as Horizon.cover()).
    first_week = np.maximum(0, (start - first) // 7)
    last_week = np.minimum(weeks - 1, (end - first) // 7)
    keep = first_week <= last_week

    # The share of the week's working days inside [start, end] (workday_share()).
    def share(week: np.ndarray) -> np.ndarray:
        monday = first + 7 * week
        inside = np.minimum(end, monday + WORKDAYS - 1) - np.maximum(start, monday) + 1
        return np.where(inside > 0, inside, 0) / WORKDAYS

    first_share, last_share = share(first_week), share(last_week)

    # One entry per (item, week), in the order of the items.
    lengths = np.where(keep, last_week - first_week + 1, 0)
    item = np.repeat(np.arange(len(items)), lengths)
    week = (
        first_week[item] + np.arange(len(item)) - np.repeat(np.cumsum(lengths) - lengths, lengths)
    )
    # The last week takes the last share, also when it is the first too; between: whole.
    part = np.where(
        week == last_week[item],
        last_share[item],
        np.where(week == first_week[item], first_share[item], 1.0),
    )
    who, h = row[item], per_week[item]
    contract = hours[who]
    factor = np.zeros(len(item))
    np.divide(capacity[who, week], contract, out=factor, where=contract != 0)
    value = np.where(scales[item], h * (part * factor), h * part)

    # bincount adds in the order of the entries (and, given none, ints).
    def total(row_of: np.ndarray, rows: int, mask: np.ndarray) -> np.ndarray:
        return (
            np.bincount(
                row_of[mask] * weeks + week[mask], weights=value[mask], minlength=rows * weeks
            )
            .astype(float, copy=False)
            .reshape(rows, weeks)
        )

    in_project, tentative = is_project[item], is_tentative[item]
    group = group_of[item]
    of_a_project = group >= 0
    return _WorkLoads(
        total(who, n, in_project),
        total(who, n, ~in_project),
        total(who, n, tentative),
        list(groups),
        total(group, len(groups), of_a_project & ~tentative),
        total(group, len(groups), of_a_project & tentative),
    )


def _project_groups(
    project_id: np.ndarray, is_project: np.ndarray, row: np.ndarray, teams: list[int]
) -> tuple[list[tuple[int, int]], np.ndarray]:
    """The (project id, team id) pairs the project work names, in the order the items first
    name them, and each item's index in them (-1: not project work, or on no project). The
    team is the person's (`teams`, by row)."""
    team_ids, team_of_row = np.unique(np.array(teams, dtype=np.int64), return_inverse=True)
    named = is_project & (project_id > 0)
    key = project_id * len(team_ids) + team_of_row[row]
    pairs, first, index = np.unique(key[named], return_index=True, return_inverse=True)
    order = np.argsort(first, kind="stable")
    rank = np.empty(len(order), dtype=np.int64)
    rank[order] = np.arange(len(order))
    group_of = np.full(len(key), -1, dtype=np.int64)
    group_of[named] = rank[index.reshape(-1)]
    pairs = pairs[order]
    projects = (pairs // len(team_ids)).tolist()
    return list(zip(projects, team_ids[pairs % len(team_ids)].tolist(), strict=True)), group_of


__all__ = ["Loads", "compute_loads", "OPERATIONAL", "PROJECT"]
