"""Who works on what: standing operational work by kind of team and project bookings by a
planner who books within people's contracts (mostly), and unnamed demand for skills. The same
shape as the capacity bench's set (bench/dataset.py), around this week rather than a fixed one.

The demo's people keep their plan and may be booked on the set's projects where they have room;
the demo users' plan is the demo's story and stays as it is."""

from datetime import date, timedelta
from decimal import Decimal

from portfolio.choices import Stage
from resources.engine.calendar import monday_of
from resources.models import Allocation, Demand, TeamKind, WorkKind

from .base import Weighted, World, insert

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
OVERBOOK_SHARE = 0.05
PLANNED_FILL = 0.9


class _Planner:
    def __init__(self, world: World, people: list, others: list):
        """Plans `people` from scratch and books project work for `others` too (the demo's
        people, whose own plan stays), within what they have room for."""
        self.world, self.rng = world, world.rng
        start = world.monday
        self.origin = start - timedelta(weeks=13)
        self.end = start + timedelta(weeks=world.size.weeks + 26)
        self.span = (self.end - self.origin).days // 7
        self.people = people
        self.booked = {p.pk: [0.0] * self.span for p in [*people, *others]}
        for row in Allocation.objects.filter(person__in=others):
            for w in range(self.week(row.start_date), self.week(row.end_date) + 1):
                self.booked[row.person_id][w] += float(row.hours_per_week)
        self.members: dict[int, list] = {}
        for person in [*people, *others]:
            self.members.setdefault(person.team_id, []).append(person)

    def week(self, day: date) -> int:
        return min(self.span - 1, max(0, (day - self.origin).days // 7))

    def work(self, person, kind, project, first, last, hours, tentative) -> Allocation:
        row = self.booked[person.pk]
        for w in range(self.week(first), self.week(last) + 1):
            row[w] += hours
        return Allocation(
            person=person,
            kind=kind,
            project=project,
            start_date=first,
            end_date=last,
            hours_per_week=Decimal(str(hours)),
            tentative=tentative,
        )

    def standing(self) -> list[Allocation]:
        rng, rows = self.rng, []
        year = self.world.monday + timedelta(weeks=39)
        for person in self.people:
            scale = float(person.contracted_hours) / 37.5
            kind_of_team = self.world.team(person.team_id).kind
            for kind, low, high, chance in OPERATIONS[kind_of_team]:
                if rng.random() >= chance:
                    continue
                hours = round(rng.uniform(low, high) * scale * 2) / 2 or 0.5
                for first, last in (
                    (self.origin, year - timedelta(days=3)),
                    (year, self.end - timedelta(days=3)),
                ):
                    rows.append(self.work(person, kind, None, first, last, hours, False))
        return rows

    def booking(self, project) -> Allocation | None:
        rng = self.rng
        begin, finish = max(project.start_date, self.origin), min(project.end_date, self.end)
        if finish < begin:
            return None
        length = rng.randint(2, 20)
        first = begin + timedelta(weeks=rng.randint(0, max(0, (finish - begin).days // 7 - length)))
        if rng.random() < 0.2:
            first += timedelta(days=rng.randint(1, 4))
        last = max(first, min(finish, monday_of(first) + timedelta(weeks=length, days=-3)))
        hours = float(rng.choice(PROJECT_HOURS))
        overbook = rng.random() < OVERBOOK_SHARE
        weeks = range(self.week(first), self.week(last) + 1)
        teams = [t for t in self.world.staffing.get(project.pk, []) if self.members.get(t.pk)]
        if not teams:
            return None
        for _ in range(6):
            person = rng.choice(self.members[rng.choice(teams).pk])
            room = float(person.contracted_hours) * PLANNED_FILL - max(
                self.booked[person.pk][w] for w in weeks
            )
            if overbook or room >= 4:
                tentative = project.stage in (Stage.PROPOSED, Stage.ASSESSED) or rng.random() < 0.05
                return self.work(
                    person,
                    "project",
                    project,
                    first,
                    last,
                    hours if overbook else min(hours, float(int(room))),
                    tentative,
                )
        return None


def build(world: World, people: list, existing_allocations: int, existing_demands: int) -> dict:
    """Standing work for `people` (the newcomers), project bookings for every member of a team
    (world.members: the demo's people too, but the demo users, whose plan is the demo's)."""
    rng = world.rng
    mine = {p.pk for p in people}
    others = [p for team in world.members.values() for p in team if p.pk not in mine]
    planner = _Planner(world, people, others)
    wanted = max(0, world.size.allocations - existing_allocations)
    rows = planner.standing()[:wanted]
    bookable = [
        p
        for p in world.projects
        if p.start_date
        and p.end_date
        and p.stage != Stage.REJECTED
        and p.end_date >= planner.origin
        and p.start_date <= planner.end
    ]
    # Live projects are booked more than those about to close or not yet approved.
    weight = {Stage.IN_FLIGHT: 4, Stage.APPROVED: 3, Stage.HANDOVER: 1, Stage.CLOSED: 0.5}
    choose = Weighted(bookable, [weight.get(p.stage, 1) for p in bookable]) if bookable else None
    tries = 0
    while choose and len(rows) < wanted and tries < 50 * wanted:
        tries += 1
        row = planner.booking(choose(rng))
        if row is not None:
            rows.append(row)
    insert(Allocation, rows)

    demands = []
    future = [p for p in bookable if p.end_date >= world.today and p.stage != Stage.CLOSED]
    popularity = [1 / (rank + 1) ** 0.45 for rank in range(len(world.skills))]
    skill = Weighted(world.skills, popularity)
    for _ in range(max(0, world.size.demands - existing_demands) if future else 0):
        project = rng.choice(future)
        first = project.start_date + timedelta(
            weeks=rng.randint(0, max(0, (project.end_date - project.start_date).days // 7 - 4))
        )
        last = min(project.end_date, first + timedelta(weeks=rng.randint(4, 20), days=-3))
        demands.append(
            Demand(
                project=project,
                skill=skill(rng),
                min_level=rng.choices((2, 3, 4), (30, 45, 25))[0],
                hours_per_week=Decimal(rng.choice((8, 10, 16, 20, 24, 30, 40))),
                start_date=first,
                end_date=max(first, last),
            )
        )
    insert(Demand, demands)
    return {"allocations": len(rows), "demands": len(demands)}
