"""The enterprise set: teams, people, skills, projects, leave, work and demand, built with
bulk_create from a seeded random generator, so every build of the same size and seed is the
same rows with the same ids (the tables are truncated with their sequences first).

The set lives in a database of its own: `check_dedicated()` refuses one that holds people,
teams or projects the bench did not make. A description in the first team records how the
set was built (seed, size, first Monday of the horizon), so a later run can reuse it and time
exactly the same horizon.
"""

import json
import random
from dataclasses import asdict, dataclass
from datetime import date, timedelta
from decimal import Decimal

from django.db import connection, transaction

from portfolio.models import Project
from resources.engine.calendar import monday_of
from resources.models import (
    Absence,
    AbsenceKind,
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
    Team,
    TeamKind,
    TeamLoad,
    WorkKind,
)

EMAIL_DOMAIN = "@bench.invalid"
CODE_PREFIX = "BENCH-"
TEAM_PREFIX = "Bench "
BATCH = 2000
# The horizon's first week: fixed, so that a set is the same whenever and wherever it is built
# (the bench passes this horizon to the recompute rather than the one of today).
FIRST_MONDAY = date(2027, 1, 4)

# What the set is made of; the default is the enterprise size of the issue.
FIRST_NAMES = (
    "Ana",
    "Ben",
    "Chloé",
    "Dev",
    "Elena",
    "Farid",
    "Grace",
    "Hugo",
    "Ines",
    "Jonas",
    "Kira",
    "Liam",
    "Maya",
    "Nils",
    "Olga",
    "Pavel",
    "Quinn",
    "Rosa",
    "Sami",
    "Tara",
    "Umar",
    "Vera",
    "Wen",
    "Xavi",
    "Yara",
    "Zoltan",
)
LAST_NAMES = (
    "Adams",
    "Berg",
    "Costa",
    "Dubois",
    "Evans",
    "Fischer",
    "García",
    "Horvat",
    "Ivanova",
    "Jensen",
    "Kowalski",
    "Lopez",
    "Müller",
    "Novak",
    "O'Brien",
    "Patel",
    "Rossi",
    "Silva",
    "Tanaka",
    "Usman",
    "Varga",
    "Weber",
    "Young",
    "Zhang",
)
SKILL_AREAS = (
    "Kubernetes",
    "PostgreSQL",
    "Oracle",
    "Java",
    "Python",
    "React",
    "Networking",
    "Identity",
    "SAP",
    "Windows",
    "Linux",
    "Azure",
    "AWS",
    "Terraform",
    "Security",
    "Testing",
    "Data",
    "ServiceNow",
    "Storage",
    "Mainframe",
)
SKILL_FLAVOURS = (
    "fundamentals",
    "operations",
    "architecture",
    "performance",
    "migration",
    "automation",
)
CONTRACTS = (
    (Decimal("37.5"), 70),
    (Decimal("40"), 10),
    (Decimal("30"), 8),
    (Decimal("22.5"), 7),
    (Decimal("20"), 5),
)
STAGES = (
    ("proposed", 10),
    ("assessed", 7),
    ("approved", 13),
    ("in_flight", 45),
    ("handover", 5),
    ("closed", 12),
    ("on_hold", 4),
    ("rejected", 4),
)
TEAM_KINDS = ((TeamKind.OPERATIONS, 40), (TeamKind.PROJECT, 70), (TeamKind.MIXED, 40))
# Standing operational work by kind of team: (kind, hours a week low-high, how likely)
OPERATIONS = {
    TeamKind.OPERATIONS: (
        (WorkKind.BAU, 12, 18, 1.0),
        (WorkKind.ON_CALL, 4, 6, 0.8),
        (WorkKind.INCIDENT, 2, 4, 0.6),
    ),
    TeamKind.MIXED: ((WorkKind.BAU, 6, 12, 1.0), (WorkKind.ON_CALL, 3, 5, 0.4)),
    TeamKind.PROJECT: ((WorkKind.SUPPORT, 2, 4, 0.5),),
}
PROJECT_HOURS = (4, 6, 8, 8, 10, 12, 12, 16, 20)
# Planners mostly book within a person's contract; this share of bookings ignores it (the
# overlaps that make the conflicts), besides the weeks that leave takes away.
OVERBOOK_SHARE = 0.05
PLANNED_FILL = 0.9  # a careful planner leaves a tenth of the contract free
PUBLIC_HOLIDAYS = ((1, 1), (4, 18), (4, 21), (5, 5), (5, 26), (8, 25), (12, 25), (12, 26))


@dataclass(frozen=True)
class Size:
    people: int = 2000
    teams: int = 150
    projects: int = 600
    allocations: int = 30_000
    demands: int = 3000
    skills: int = 120
    weeks: int = 104

    def scaled(self, factor: float) -> "Size":
        """A smaller (or larger) set of the same shape, for a quick run of the bench."""
        if factor == 1:
            return self
        return Size(
            *(
                max(1, round(v * factor))
                for v in (
                    self.people,
                    self.teams,
                    self.projects,
                    self.allocations,
                    self.demands,
                    self.skills,
                )
            ),
            weeks=self.weeks,
        )


ENTERPRISE = Size()


@dataclass(frozen=True)
class Built:
    """How the set in the database was built: what a later run needs to reuse it."""

    seed: int
    size: Size
    start: date  # the Monday of the first week of the horizon

    def describe(self) -> str:
        return json.dumps(
            {
                "bench": {
                    "seed": self.seed,
                    "size": asdict(self.size),
                    "start": self.start.isoformat(),
                }
            }
        )

    @classmethod
    def parse(cls, text: str) -> "Built | None":
        try:
            data = json.loads(text)["bench"]
            return cls(data["seed"], Size(**data["size"]), date.fromisoformat(data["start"]))
        except (ValueError, KeyError, TypeError):
            return None


class NotDedicated(Exception):
    """The database holds data the bench did not make."""


def check_dedicated() -> None:
    """Refuse a database with people, teams or projects of its own: the bench truncates."""
    foreign = {
        "people": Person.objects.exclude(email__endswith=EMAIL_DOMAIN).count(),
        "teams": Team.objects.exclude(name__startswith=TEAM_PREFIX).count(),
        "projects": Project.objects.exclude(code__startswith=CODE_PREFIX).count(),
    }
    found = ", ".join(f"{n} {what}" for what, n in foreign.items() if n)
    if found:
        raise NotDedicated(
            f"The database {connection.settings_dict['NAME']!r} holds data the bench did not "
            f"make ({found}). The bench truncates the planning tables: give it a database of "
            f"its own, e.g. createdb itsm_pmo_bench and "
            f"DATABASE_URL=postgres://…/itsm_pmo_bench."
        )


def existing() -> Built | None:
    """The set already in the database, if there is a whole one."""
    first = Team.objects.filter(name__startswith=TEAM_PREFIX).order_by("pk").first()
    built = Built.parse(first.description) if first else None
    if built is None:
        return None
    counts = (
        Person.objects.filter(email__endswith=EMAIL_DOMAIN).count(),
        Allocation.objects.count(),
        Project.objects.count(),
    )
    whole = counts == (built.size.people, built.size.allocations, built.size.projects)
    return built if whole else None


def clear() -> None:
    """Empty the planning tables (inputs and snapshots) and restart their ids."""
    models = (
        Conflict.projects.through,
        Conflict,
        TeamLoad,
        PersonLoad,
        ProjectLoad,
        PlanState,
        Snapshot,
        Demand,
        Allocation,
        Absence,
        PersonSkill,
        Person,
        Skill,
        Team,
        Project,
    )
    tables = ", ".join(connection.ops.quote_name(m._meta.db_table) for m in models)
    with connection.cursor() as cursor:
        # CASCADE reaches the portfolio tables that point at projects; check_dedicated() has
        # made sure there is nothing of anyone else's in them.
        cursor.execute(f"TRUNCATE {tables} RESTART IDENTITY CASCADE")


def clear_conflicts() -> None:
    """Forget every conflict, so the next run publishes them all as new (a cold start)."""
    tables = ", ".join(
        connection.ops.quote_name(m._meta.db_table) for m in (Conflict.projects.through, Conflict)
    )
    with connection.cursor() as cursor:
        cursor.execute(f"TRUNCATE {tables} RESTART IDENTITY")


def build(*, size: Size = ENTERPRISE, seed: int = 1, start: date = FIRST_MONDAY) -> Built:
    """Truncate and build the set in one transaction; returns how it was built."""
    built = Built(seed, size, monday_of(start))
    with transaction.atomic():
        clear()
        _Builder(built).run()
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")  # fresh statistics, as autovacuum would give a real database
    return built


class _Builder:
    def __init__(self, built: Built):
        self.size, self.start = built.size, built.start
        self.built = built
        self.rng = random.Random(built.seed)
        # Work and leave reach a quarter before the horizon and half a year past its end.
        self.origin = self.start - timedelta(weeks=13)
        self.end = self.start + timedelta(weeks=self.size.weeks + 26)
        self.span_weeks = (self.end - self.origin).days // 7

    def run(self) -> None:
        self.teams()
        self.skills()
        self.people()
        self.projects()
        self.absences()
        self.allocations()
        self.demands()

    # --- the organisation ---------------------------------------------------------------

    def teams(self) -> None:
        rng = self.rng
        kinds = rng.choices(
            [k for k, _ in TEAM_KINDS], [w for _, w in TEAM_KINDS], k=self.size.teams
        )
        teams = [
            Team(
                name=f"{TEAM_PREFIX}{n + 1:03d}",
                kind=kind,
                description=self.built.describe() if n == 0 else "",
            )
            for n, kind in enumerate(kinds)
        ]
        self.team_rows = Team.objects.bulk_create(teams, batch_size=BATCH)

    def skills(self) -> None:
        names = [f"{area} {flavour}" for flavour in SKILL_FLAVOURS for area in SKILL_AREAS]
        names += [f"Skill {n}" for n in range(len(names), self.size.skills)]
        self.skill_rows = Skill.objects.bulk_create(
            [Skill(name=name, category=name.split()[0]) for name in names[: self.size.skills]],
            batch_size=BATCH,
        )
        # A few skills are common, most are rare: popularity falls with rank.
        self.popularity = [1 / (rank + 1) ** 0.9 for rank in range(len(self.skill_rows))]

    def people(self) -> None:
        rng, size = self.rng, self.size
        # Every team has a core, the rest of the people go where the weights say.
        core = min(6, size.people // size.teams)
        weights = [rng.uniform(0.5, 3) for _ in self.team_rows]
        homes = [t for t in self.team_rows for _ in range(core)]
        homes += rng.choices(self.team_rows, weights, k=size.people - len(homes))
        rng.shuffle(homes)
        hours = rng.choices([h for h, _ in CONTRACTS], [w for _, w in CONTRACTS], k=size.people)
        people = [
            Person(
                name=f"{rng.choice(FIRST_NAMES)} {rng.choice(LAST_NAMES)}",
                email=f"person{n + 1:05d}{EMAIL_DOMAIN}",
                team=team,
                contracted_hours=hours[n],
                active=rng.random() > 0.02,
            )
            for n, team in enumerate(homes)
        ]
        self.person_rows = Person.objects.bulk_create(people, batch_size=BATCH)
        self.members = {team.pk: [] for team in self.team_rows}
        for person in self.person_rows:
            self.members[person.team_id].append(person)

        levels = []
        for person in self.person_rows:
            picked = set()
            for _ in range(rng.randint(2, 6)):
                picked.add(rng.choices(self.skill_rows, self.popularity)[0])
            levels += [
                PersonSkill(
                    person=person,
                    skill=skill,
                    level=rng.choices((1, 2, 3, 4, 5), (10, 25, 35, 20, 10))[0],
                )
                for skill in sorted(picked, key=lambda s: s.pk)
            ]
        PersonSkill.objects.bulk_create(levels, batch_size=BATCH)

    def projects(self) -> None:
        rng = self.rng
        stages = rng.choices([s for s, _ in STAGES], [w for _, w in STAGES], k=self.size.projects)
        projects, self.staffing = [], {}
        horizon_end = self.start + timedelta(weeks=self.size.weeks)
        for n, stage in enumerate(stages):
            if stage in ("closed", "rejected"):
                begin = self.origin + timedelta(weeks=rng.randint(-26, 13))
            elif stage in ("proposed", "assessed"):
                begin = self.start + timedelta(weeks=rng.randint(4, self.size.weeks - 8))
            else:
                begin = self.origin + timedelta(weeks=rng.randint(0, self.size.weeks))
            finish = min(
                begin + timedelta(weeks=rng.randint(8, 60), days=-3),
                horizon_end + timedelta(weeks=20),
            )
            projects.append(
                Project(
                    code=f"{CODE_PREFIX}{n + 1:04d}",
                    name=f"Project {n + 1:04d}",
                    stage=stage,
                    start_date=begin,
                    end_date=finish,
                )
            )
        self.project_rows = Project.objects.bulk_create(projects, batch_size=BATCH)
        # Who works on each project: one to four teams, project and mixed teams above all.
        weights = [
            {TeamKind.PROJECT: 5, TeamKind.MIXED: 3, TeamKind.OPERATIONS: 1}[t.kind]
            for t in self.team_rows
        ]
        for project in self.project_rows:
            self.staffing[project.pk] = list(
                {
                    t.pk: t for t in rng.choices(self.team_rows, weights, k=rng.randint(1, 4))
                }.values()
            )

    # --- time away ------------------------------------------------------------------------

    def absences(self) -> None:
        rng, rows = self.rng, []
        for year in range(self.origin.year, self.end.year + 1):
            rows += [
                Absence(
                    kind=AbsenceKind.PUBLIC_HOLIDAY,
                    start_date=date(year, m, d),
                    end_date=date(year, m, d),
                    note="Public holiday",
                )
                for m, d in PUBLIC_HOLIDAYS
            ]
        # Leave is entered about a quarter ahead; a long summer break sometimes earlier.
        ahead = self.start + timedelta(weeks=13)
        horizon_end = self.start + timedelta(weeks=self.size.weeks)
        for person in self.person_rows:
            for _ in range(rng.randint(0, 2)):  # taken recently
                rows.append(
                    self._away(
                        person, AbsenceKind.LEAVE, self.origin, self.start, rng.randint(1, 5)
                    )
                )
            for _ in range(rng.randint(1, 2)):
                rows.append(
                    self._away(person, AbsenceKind.LEAVE, self.start, ahead, rng.randint(1, 4))
                )
            if rng.random() < 0.3:
                rows.append(self._away(person, AbsenceKind.LEAVE, self.start, ahead, 5))
            if rng.random() < 0.25:
                rows.append(self._away(person, AbsenceKind.LEAVE, ahead, horizon_end, 10))
            for _ in range(rng.choices((0, 1, 2), (60, 30, 10))[0]):
                rows.append(
                    self._away(
                        person,
                        AbsenceKind.SICKNESS,
                        self.start - timedelta(weeks=4),
                        self.start + timedelta(weeks=1),
                        rng.randint(1, 3),
                    )
                )
            if rng.random() < 0.3:
                rows.append(
                    self._away(
                        person, AbsenceKind.TRAINING, self.start, horizon_end, rng.randint(1, 2)
                    )
                )
        Absence.objects.bulk_create(rows, batch_size=BATCH)

    def _away(self, person, kind, first: date, last: date, workdays: int) -> Absence:
        day = first + timedelta(days=self.rng.randrange(max(1, (last - first).days)))
        while day.weekday() >= 5:
            day += timedelta(days=1)
        # `workdays` working days from there, the weekends in between included
        end, left = day, workdays - 1
        while left:
            end += timedelta(days=1)
            left -= end.weekday() < 5
        return Absence(person=person, kind=kind, start_date=day, end_date=end)

    # --- work -----------------------------------------------------------------------------

    def allocations(self) -> None:
        rng, rows = self.rng, []
        booked = {p.pk: [0.0] * self.span_weeks for p in self.person_rows}
        team_kind = {t.pk: t.kind for t in self.team_rows}
        year = self.start + timedelta(weeks=39)
        for person in self.person_rows:
            scale = float(person.contracted_hours) / 37.5
            for kind, low, high, chance in OPERATIONS[team_kind[person.team_id]]:
                if rng.random() >= chance:
                    continue
                hours = round(rng.uniform(low, high) * scale * 2) / 2 or 0.5
                # Standing work is planned a year at a time.
                for first, last in (
                    (self.origin, year - timedelta(days=3)),
                    (year, self.end - timedelta(days=3)),
                ):
                    rows.append(self._work(person, kind, None, first, last, hours, False, booked))
        for _ in range(50 * self.size.allocations):
            if len(rows) >= self.size.allocations:
                break
            row = self._project_work(booked)
            if row is not None:
                rows.append(row)
        else:
            raise RuntimeError("The people of this set have no room for its allocations.")
        Allocation.objects.bulk_create(rows[: self.size.allocations], batch_size=BATCH)

    def _project_work(self, booked) -> Allocation | None:
        """A booking on a project for someone of its teams with room for it; None when the
        planner finds nobody (the project waits). A share of bookings ignores the room."""
        rng = self.rng
        project = rng.choice(self.project_rows)
        begin, finish = max(project.start_date, self.origin), min(project.end_date, self.end)
        length = rng.randint(2, 20)
        first = begin + timedelta(weeks=rng.randint(0, max(0, (finish - begin).days // 7 - length)))
        if rng.random() < 0.2:  # some start mid-week
            first += timedelta(days=rng.randint(1, 4))
        last = max(first, min(finish, monday_of(first) + timedelta(weeks=length, days=-3)))
        hours = float(rng.choice(PROJECT_HOURS))
        overbook = rng.random() < OVERBOOK_SHARE
        weeks = range(self._week(first), self._week(last) + 1)
        for _ in range(6):
            team = rng.choice(self.staffing[project.pk])
            if not self.members[team.pk]:
                continue
            person = rng.choice(self.members[team.pk])
            room = float(person.contracted_hours) * PLANNED_FILL - max(
                booked[person.pk][w] for w in weeks
            )
            if overbook or room >= 4:
                tentative = project.stage in ("proposed", "assessed") or rng.random() < 0.05
                return self._work(
                    person,
                    WorkKind.PROJECT,
                    project,
                    first,
                    last,
                    hours if overbook else min(hours, float(int(room))),
                    tentative,
                    booked,
                )
        return None

    def _work(self, person, kind, project, first, last, hours, tentative, booked) -> Allocation:
        row = booked[person.pk]
        for week in range(self._week(first), self._week(last) + 1):
            row[week] += hours
        return Allocation(
            person=person,
            kind=kind,
            project=project,
            start_date=first,
            end_date=last,
            hours_per_week=Decimal(str(hours)),
            tentative=tentative,
        )

    def _week(self, day: date) -> int:
        return min(self.span_weeks - 1, max(0, (day - self.origin).days // 7))

    def demands(self) -> None:
        rng, rows = self.rng, []
        # Rare skills are asked for more than their share of people: that is where gaps open.
        wanted = [p**0.5 for p in self.popularity]
        for _ in range(self.size.demands):
            project = rng.choice(self.project_rows)
            first = project.start_date + timedelta(
                weeks=rng.randint(0, max(0, (project.end_date - project.start_date).days // 7 - 4))
            )
            last = min(project.end_date, first + timedelta(weeks=rng.randint(4, 20), days=-3))
            rows.append(
                Demand(
                    project=project,
                    skill=rng.choices(self.skill_rows, wanted)[0],
                    min_level=rng.choices((2, 3, 4), (30, 45, 25))[0],
                    hours_per_week=Decimal(rng.choice((8, 10, 16, 20, 24, 30, 40))),
                    start_date=first,
                    end_date=max(first, last),
                )
            )
        Demand.objects.bulk_create(rows, batch_size=BATCH)
