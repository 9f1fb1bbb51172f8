"""What every builder of the enterprise set shares: the sizes, the world it grows (the rows
made so far, by kind), bulk inserts that keep the times the set gives them, and time helpers."""

import random
import time
from bisect import bisect_left
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field, fields
from datetime import date, datetime, timedelta
from datetime import time as clock
from typing import Any, TypeVar

from django.db import connection, models
from django.utils import timezone

BATCH = 2000
SPOTLIGHT = ("pmo_lead", "itsm_manager", "engineer", "executive")
T = TypeVar("T")


@dataclass(frozen=True)
class Size:
    """The rows of the whole set at scale 1 (the demo's own rows count towards them)."""

    teams: int = 150
    people: int = 2000
    executives: int = 10
    skills: int = 120
    services: int = 80
    config_items: int = 400
    projects: int = 700
    allocations: int = 30_000
    demands: int = 3000
    changes: int = 8000
    handovers: int = 300
    incidents: int = 20_000
    problems: int = 400
    lessons: int = 2000
    articles: int = 400
    weeks: int = 104  # the horizon: not scaled

    def scaled(self, factor: float) -> "Size":
        """A set of the same shape, `factor` times as big (the horizon stays 104 weeks)."""
        return Size(
            **{
                f.name: getattr(self, f.name)
                if f.name == "weeks"
                else max(1, round(getattr(self, f.name) * factor))
                for f in fields(self)
            }
        )


ENTERPRISE = Size()


@dataclass
class World:
    """The organisation as it grows: each builder adds its rows for the ones after it."""

    rng: random.Random
    today: date
    now: datetime
    size: Size
    users: dict[str, Any]  # the demo's users by username
    # resources
    teams: list = field(default_factory=list)
    people: list = field(default_factory=list)  # active people
    members: dict[int, list] = field(default_factory=dict)  # team id -> active people
    user_of: dict[int, Any] = field(default_factory=dict)  # person id -> user
    person_of: dict[int, Any] = field(default_factory=dict)  # user id -> person
    by_role: dict[str, list] = field(default_factory=dict)  # role -> users
    skills: list = field(default_factory=list)
    # portfolio
    services: list = field(default_factory=list)
    objectives: list = field(default_factory=list)
    criteria: list = field(default_factory=list)
    projects: list = field(default_factory=list)
    project_services: dict[int, list[int]] = field(default_factory=dict)
    go_live: dict[int, date] = field(default_factory=dict)  # project id -> main go-live
    staffing: dict[int, list] = field(default_factory=dict)  # project id -> teams
    # changes
    items: list = field(default_factory=list)
    items_of_service: dict[int, list] = field(default_factory=dict)
    templates: list = field(default_factory=list)
    freezes: list = field(default_factory=list)
    changes: list = field(default_factory=list)
    caused: list = field(default_factory=list)  # changes whose review counts incidents
    # handover and incidents
    handovers: list = field(default_factory=list)
    incidents: list = field(default_factory=list)
    problems: list = field(default_factory=list)
    # whom the set makes busy: the demo engineer's person (None: nobody in particular)
    engineer: Any = None
    # team id -> the teams whose people do its work (seed_demo's copies of a demo team)
    stand_ins: dict[int, list[int]] = field(default_factory=dict)
    timings: dict[str, float] = field(default_factory=dict)

    @property
    def monday(self) -> date:
        return self.today - timedelta(days=self.today.weekday())

    def team(self, pk: int):
        return self._teams_by_pk[pk]

    def index(self) -> None:
        """Refresh the look-ups after a builder added rows. `members` leaves out the people of
        the demo's users: they get their share of the work on purpose, not by chance (a team
        of ten owning busy services would bury them)."""
        self._teams_by_pk = {t.pk: t for t in self.teams}
        spotlight = {self.person_of[u.pk].pk for u in self.spotlight if u.pk in self.person_of}
        self.members = {t.pk: [] for t in self.teams}
        for person in self.people:
            if person.pk not in spotlight:
                self.members[person.team_id].append(person)

    @property
    def spotlight(self) -> list:
        """The demo users a benchmark signs in as."""
        return [self.users[n] for n in SPOTLIGHT if n in self.users]

    def crowd(self, role: str) -> list:
        """The users of a role, less the demo's own (see index)."""
        mine = {u.pk for u in self.spotlight}
        return [u for u in self.by_role.get(role, []) if u.pk not in mine]

    def staff(self, team_id: int | None) -> list:
        """The people who do a team's work: its members, or those of one of its stand-ins."""
        teams = self.stand_ins.get(team_id, [team_id]) if team_id is not None else []
        team = teams[0] if len(teams) == 1 else self.rng.choice(teams) if teams else None
        return self.members.get(team, []) if team is not None else []

    def user_for(self, person) -> Any:
        return self.user_of.get(person.pk) if person is not None else None


# --- random helpers ----------------------------------------------------------------------


def pick[V](rng: random.Random, weighted: Sequence[tuple[V, float]]) -> V:
    return rng.choices([v for v, _ in weighted], [w for _, w in weighted])[0]


class Weighted:
    """Repeated weighted draws from one population, in O(log n) each."""

    def __init__(self, population: Sequence[T], weights: Iterable[float]):
        self.population = list(population)
        total, self.cumulative = 0.0, []
        for w in weights:
            total += w
            self.cumulative.append(total)
        self.total = total

    def __call__(self, rng: random.Random):
        return self.population[bisect_left(self.cumulative, rng.random() * self.total)]


# --- time --------------------------------------------------------------------------------


def midnight(day: date | None = None) -> datetime:
    """The start of the build day: the set's "now", so that a build on the same day with the
    same seed gives the same rows, whatever the hour."""
    return at(day or timezone.localdate(), 0)


def at(day: date, hour: int, minute: int = 0) -> datetime:
    return timezone.make_aware(datetime.combine(day, clock(hour % 24, minute)))


def office_moment(rng: random.Random, day: date) -> datetime:
    """A moment in office hours on `day` (the next weekday if it falls on a weekend)."""
    while day.weekday() >= 5:
        day += timedelta(days=1)
    return at(day, rng.randint(8, 17), rng.randrange(0, 60))


def between(rng: random.Random, first: datetime, last: datetime, count: int) -> list[datetime]:
    """`count` increasing moments strictly between first and last (evenly, with jitter)."""
    if count <= 0:
        return []
    span = max((last - first).total_seconds(), float(count + 1))
    step = span / (count + 1)
    return [
        first + timedelta(seconds=step * (i + 1) + rng.uniform(-0.3, 0.3) * step)
        for i in range(count)
    ]


# --- writing -----------------------------------------------------------------------------


@contextmanager
def keeping_times(*models_: type[models.Model]) -> Iterator[None]:
    """Let bulk inserts keep the created/updated times the set gives them: auto_now and
    auto_now_add would otherwise stamp every row with the moment of the build."""
    saved = []
    for model in models_:
        for f in model._meta.concrete_fields:
            if getattr(f, "auto_now", False) or getattr(f, "auto_now_add", False):
                saved.append((f, f.auto_now, f.auto_now_add))
                f.auto_now = f.auto_now_add = False
    try:
        yield
    finally:
        for f, now, add in saved:
            f.auto_now, f.auto_now_add = now, add


def insert(model: type[models.Model], rows: list, *, with_history: bool = False) -> list:
    """bulk_create in batches (ids come back on PostgreSQL and SQLite alike); with_history also
    writes each row's "created" record in django-simple-history, as an edit in the portal would."""
    if not rows:
        return rows
    with keeping_times(model):
        made = model.objects.bulk_create(rows, batch_size=BATCH)  # type: ignore[attr-defined]
    if with_history:
        _history(model, made)
    return made


def _history(model, rows: list) -> None:
    history = model.history.model
    names = [f.attname for f in history._meta.concrete_fields if not f.name.startswith("history")]
    # When the row came to be: its own created/at time, or now.
    made_at = next(
        (n for n in ("created_at", "scored_at") if n in {f.attname for f in model._meta.fields}),
        None,
    )
    records = []
    for row in rows:
        values = {n: getattr(row, n) for n in names if hasattr(row, n)}
        when = getattr(row, made_at) if made_at else timezone.now()
        author = getattr(row, "_history_user", None)
        records.append(
            history(
                **values,
                history_date=when or timezone.now(),
                history_type="+",
                history_user=author,
                history_change_reason=None,
            )
        )
    with keeping_times(history):
        history.objects.bulk_create(records, batch_size=BATCH)


def link(through: type[models.Model], pairs: Iterable[tuple[int, int]], a: str, b: str) -> int:
    """Rows of a many-to-many table from (a id, b id) pairs."""
    rows = [through(**{a: x, b: y}) for x, y in pairs]
    through.objects.bulk_create(rows, batch_size=BATCH)  # type: ignore[attr-defined]
    return len(rows)


def number_rows(model: type[models.Model], prefix: str, rows: list) -> None:
    """Give rows the number their services give them (CHG0000042 from id 42), in one UPDATE."""
    if not rows:
        return
    table = connection.ops.quote_name(model._meta.db_table)
    low, high = min(r.pk for r in rows), max(r.pk for r in rows)
    if connection.vendor == "postgresql":
        expression = f"'{prefix}' || lpad(id::text, 7, '0')"
    else:
        expression = f"printf('{prefix}%%07d', id)"  # %% with params
    with connection.cursor() as cursor:
        cursor.execute(
            f"UPDATE {table} SET number = {expression} "
            "WHERE number IS NULL AND id BETWEEN %s AND %s",
            [low, high],
        )
    for row in rows:
        row.number = f"{prefix}{row.pk:07d}"


@contextmanager
def timed(world: World, label: str) -> Iterator[None]:
    started = time.perf_counter()
    try:
        yield
    finally:
        world.timings[label] = world.timings.get(label, 0.0) + time.perf_counter() - started
