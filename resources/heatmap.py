"""The heatmap's reads: team cells computed and formatted once per published snapshot, grouped
by team kind with a summary row per group.

A snapshot never changes once published, so its cells are cached under its id and its
publication time (ids repeat across test databases); publishing a new one changes the key.
Team names, kinds and the filter are read live (one small query), the numbers from the cache.
"""

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any

from django.core.cache import cache
from django.db.models import QuerySet
from django.urls import reverse
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

from itsm_pmo.dates import short_date

from .models import PersonLoad, Snapshot, Team, TeamKind, TeamLoad
from .selectors import (
    SNAPSHOT_CACHE_SECONDS,
    Cell,
    first_week_index,
    snapshot_cache_key,
    weeks_shown,
)

# A group shows its teams by itself when it holds no more than this; larger groups show their
# summary row and open on demand.
OPEN_UP_TO = 12
# An open group shows this many teams at a time, then "show more" (a page stays small).
ROWS_SHOWN = 25


def hours(value: float) -> str:
    """Whole hours, halves up (as `floatformat:0` shows them)."""
    return str(int(value + 0.5)) if value >= 0 else str(-int(-value + 0.5))


def cell_html(cell: Cell, *, who: str = "", tentative: bool = False, digits: int = 0) -> str:
    """One heatmap cell as HTML: the utilisation, its colour and the split in the tooltip."""
    fmt = hours if digits == 0 else (lambda v: f"{v:.{digits}f}")
    title = (
        (f"{who}, week of" if who else "Week of")
        + f" {short_date(cell.week)}: project {fmt(cell.project)} h"
        f" · operational {fmt(cell.operational)} h"
        + (f" (tentative {fmt(cell.tentative)} h)" if tentative and cell.tentative else "")
        + f" · capacity {fmt(cell.capacity)} h"
    )
    return (
        f'<td class="heat heat-{cell.band}" title="{escape(title)}">'
        f'<span class="heat-value">{cell.label}</span>'
        f'<span class="heat-split split-{5 * round(cell.project_share / 5)}"></span></td>'
    )


def cells_html(cells: Iterable[Cell], **kwargs: Any) -> SafeString:
    return mark_safe("".join(cell_html(cell, **kwargs) for cell in cells))  # noqa: S308 (escaped)


@dataclass(frozen=True)
class TeamLoads:
    """A team's row of the snapshot over the weeks shown, its cells already as HTML."""

    people: int
    capacity: list[float]
    project: list[float]
    operational: list[float]
    html: str


@dataclass(frozen=True)
class SnapshotCells:
    weeks: list[date]
    teams: dict[int, TeamLoads]


def _cache_key(snapshot: Snapshot, weeks: int) -> str:
    return snapshot_cache_key(snapshot, "heatmap", first_week_index(snapshot), weeks)


def snapshot_cells(snapshot: Snapshot, *, weeks: int) -> SnapshotCells:
    """Every team's loads and formatted cells of the snapshot: one query once per snapshot (and
    week shown), then none."""
    key = _cache_key(snapshot, weeks)
    found = cache.get(key)
    if found is not None:
        return found
    first, dates = weeks_shown(snapshot, weeks)
    span = slice(first, first + len(dates))
    teams = {}
    for team_id, people, capacity, project, operational in TeamLoad.objects.filter(
        snapshot=snapshot
    ).values_list("team_id", "people", "capacity", "project", "operational"):
        capacity, project, operational = capacity[span], project[span], operational[span]
        weekly = zip(dates, capacity, project, operational, strict=True)
        cells = [Cell(*values) for values in weekly]
        teams[team_id] = TeamLoads(people, capacity, project, operational, cells_html(cells))
    result = SnapshotCells(dates, teams)
    cache.set(key, result, SNAPSHOT_CACHE_SECONDS)
    return result


@dataclass(frozen=True)
class TeamRow:
    pk: int
    name: str
    people: int
    cells: SafeString

    def get_absolute_url(self) -> str:
        return reverse("resources:team_detail", args=[self.pk])


@dataclass(frozen=True)
class Group:
    kind: str
    label: str
    teams: int
    people: int
    summary: SafeString
    is_open: bool
    rows: list[TeamRow]  # a page of its teams from `offset` while open
    offset: int = 0

    @property
    def shown_until(self) -> int:
        return self.offset + len(self.rows)

    @property
    def more(self) -> int:
        """Teams of an open group after the rows shown."""
        return self.teams - self.shown_until if self.is_open else 0


def _summary(dates: Sequence[date], loads: list[TeamLoads]) -> SafeString:
    n = len(dates)
    sums = [
        Cell(
            dates[i],
            sum(t.capacity[i] for t in loads),
            sum(t.project[i] for t in loads),
            sum(t.operational[i] for t in loads),
        )
        for i in range(n)
    ]
    return cells_html(sums)


def heatmap_groups(
    snapshot: Snapshot,
    *,
    weeks: int,
    teams: QuerySet[Team],
    open_kinds: Iterable[str] = (),
    closed_kinds: Iterable[str] = (),
    only_kind: str | None = None,
    offset: int = 0,
    rows: int = ROWS_SHOWN,
) -> tuple[list[Group], list[date]]:
    """The teams of `teams` in the snapshot grouped by kind, each group with its summary row;
    a page of a group's team rows (`rows` from `offset`) when it is small or asked open (two
    queries on a cache miss, one after)."""
    data = snapshot_cells(snapshot, weeks=weeks)
    wanted, unwanted = set(open_kinds), set(closed_kinds)
    labels = dict(TeamKind.choices)
    members: dict[str, list[tuple[int, str]]] = {kind: [] for kind in labels}
    for pk, name, kind in teams.order_by("name").values_list("pk", "name", "kind"):
        if pk in data.teams:
            members.setdefault(kind, []).append((pk, name))
    groups = []
    for kind, names in members.items():
        if not names or (only_kind is not None and kind != only_kind):
            continue
        loads = [data.teams[pk] for pk, _ in names]
        is_open = kind not in unwanted and (len(names) <= OPEN_UP_TO or kind in wanted)
        page = names[offset : offset + rows] if is_open else []
        team_rows = [
            TeamRow(pk, name, data.teams[pk].people, mark_safe(data.teams[pk].html))  # noqa: S308
            for pk, name in page
        ]
        groups.append(
            Group(
                kind=kind,
                label=labels.get(kind, kind),
                teams=len(names),
                people=sum(t.people for t in loads),
                summary=_summary(data.weeks, loads),
                is_open=is_open,
                rows=team_rows,
                offset=offset,
            )
        )
    return groups, data.weeks


@dataclass(frozen=True)
class PersonRow:
    pk: int
    name: str
    cells: SafeString

    def get_absolute_url(self) -> str:
        return reverse("resources:person_detail", args=[self.pk])


def _person_rows(loads: QuerySet[PersonLoad], snapshot: Snapshot, weeks: int) -> list[PersonRow]:
    """Rows of people × weeks from their load rows in the snapshot, in the rows' order."""
    first, dates = weeks_shown(snapshot, weeks)
    span = slice(first, first + len(dates))
    rows = []
    for pk, name, capacity, project, operational, tentative in loads.values_list(
        "person_id", "person__name", "capacity", "project", "operational", "tentative"
    ):
        tentative = tentative[span] if tentative else [0.0] * len(dates)
        weekly = zip(
            dates, capacity[span], project[span], operational[span], tentative, strict=True
        )
        cells = [Cell(*values) for values in weekly]
        rows.append(PersonRow(pk, name, cells_html(cells, who=name, tentative=True, digits=1)))
    return rows


def team_people_rows(
    snapshot: Snapshot, team: Team, *, weeks: int
) -> tuple[list[PersonRow], list[date]]:
    """A team's people × weeks from the snapshot, their cells formatted once per snapshot and
    cached (one query on a miss, none after). People are inputs of the plan: a rename marks it
    dirty and the next snapshot carries the new name."""
    key = snapshot_cache_key(snapshot, "team-people", team.pk, first_week_index(snapshot), weeks)
    found = cache.get(key)
    if found is not None:
        return found
    loads = PersonLoad.objects.filter(snapshot=snapshot, team=team).order_by("person__name")
    result = (_person_rows(loads, snapshot, weeks), weeks_shown(snapshot, weeks)[1])
    cache.set(key, result, SNAPSHOT_CACHE_SECONDS)
    return result


def people_rows(
    snapshot: Snapshot, people: Iterable[int], *, weeks: int, teams: QuerySet[Team] | None = None
) -> tuple[list[PersonRow], list[date]]:
    """The given people (of `teams`, when given) × weeks from the snapshot, by name: the
    dashboard's drill into the people above capacity. One query."""
    loads = PersonLoad.objects.filter(snapshot=snapshot, person_id__in=list(people))
    if teams is not None:
        loads = loads.filter(team__in=teams)
    loads = loads.order_by("person__name", "person_id")
    return _person_rows(loads, snapshot, weeks), weeks_shown(snapshot, weeks)[1]
