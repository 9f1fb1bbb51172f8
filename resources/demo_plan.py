"""Demo plan: who works on what (operational and project work), leave, public holidays and
unnamed demand, so the heatmap, conflicts, skills matrix and portfolio fit tell a story:
the platform and database teams are stretched by three projects landing at once."""

from datetime import date, timedelta
from decimal import Decimal

from django.utils import timezone

from .engine.calendar import monday_of
from .models import Absence, AbsenceKind, Allocation, Demand, Skill, TeamKind, WorkKind
from .planning import mark_dirty

# Operational load by kind of team: (kind of work, hours a week)
# (for a full-time 37.5 h week; part-timers get their share)
OPERATIONS = {
    TeamKind.OPERATIONS: [(WorkKind.BAU, 17), (WorkKind.ON_CALL, 6), (WorkKind.INCIDENT, 3)],
    TeamKind.MIXED: [(WorkKind.BAU, 10), (WorkKind.ON_CALL, 5)],
    TeamKind.PROJECT: [(WorkKind.BAU, 3)],
}
FULL_TIME = Decimal("37.5")

# project code -> [(team, how many people, hours a week each)]
STAFFING = {
    "PRJ-0101": [("Application Development", 4, 20), ("Security", 1, 6)],
    "PRJ-0102": [("Platform", 2, 12), ("Network", 1, 8)],
    "PRJ-0103": [("Security", 2, 10), ("Application Development", 1, 8)],
    "PRJ-0104": [("Database", 3, 16), ("Platform", 1, 6)],
    "PRJ-0111": [("Application Development", 3, 16)],
    "PRJ-0113": [("Platform", 2, 10)],
    "PRJ-0118": [("Security", 2, 8), ("Database", 1, 6)],
    "PRJ-0116": [("Platform", 1, 6)],
}

# project code -> [(skill, min level, hours a week, start in weeks from now, length in weeks)]
DEMANDS = {
    "PRJ-0103": [("Identity & access", 4, 30, 2, 16)],
    "PRJ-0118": [("Security architecture", 4, 16, 4, 14), ("PostgreSQL", 3, 10, 6, 8)],
    "PRJ-0111": [("Java", 3, 40, 3, 20), ("Test automation", 3, 15, 10, 12)],
    "PRJ-0104": [("Oracle", 4, 20, 0, 10)],
    # Proposals: weighed by the portfolio fit, not yet conflicts.
    "PRJ-0107": [("PostgreSQL", 3, 30, 8, 20)],
    "PRJ-0108": [("Python", 3, 25, 12, 16)],
    "PRJ-0114": [("Vulnerability management", 3, 20, 6, 12)],
    "PRJ-0115": [("React", 3, 60, 10, 24), ("API design", 4, 20, 10, 12)],
    "PRJ-0119": [("API design", 4, 30, 4, 20), ("Security architecture", 4, 10, 4, 20)],
    "PRJ-0122": [("Python", 3, 10, 16, 8)],
}

# The demo engineer (Elena, Platform) carries the payments migration, the Kubernetes upgrade
# and on-call at once: the over-allocation the PMO lead finds on the heatmap.
ELENA_EXTRA = [("PRJ-0102", 16), ("PRJ-0113", 12)]


# The core banking upgrade's cut-over rehearsals: every full-time member of the database team
# gives it 12 h a week more in weeks 2-7 from now, on top of their operations: the team is
# above 100 % for six weeks running (the executive view's burnout risk and the heatmap).
# (project code, team, hours a week each, first week, last week)
CUT_OVER = ("PRJ-0104", "Database", 12, 2, 7)


def public_holidays(year: int) -> list[date]:
    return [date(year, 1, 1), date(year, 5, 3), date(year, 12, 25), date(year, 12, 28)]


def seed(ctx) -> None:
    rng = ctx.rng
    people, projects = ctx.made["people"], ctx.made["projects"]
    by_code = {p.code: p for p in projects}
    today = timezone.localdate()
    monday = monday_of(today)
    horizon_end = monday + timedelta(weeks=104)

    Allocation.objects.filter(person__in=people).delete()
    Absence.objects.filter(person__in=people).delete()
    Absence.objects.filter(person__isnull=True, kind=AbsenceKind.PUBLIC_HOLIDAY).delete()
    Demand.objects.filter(project__in=projects).delete()

    allocations = []
    for index, person in enumerate(people):
        for kind, hours in OPERATIONS[person.team.kind]:
            if kind == WorkKind.ON_CALL and index % 3:
                continue  # a rota: a third of each team carries the pager
            share = (Decimal(hours) * person.contracted_hours / FULL_TIME).quantize(Decimal("0.5"))
            allocations.append(
                Allocation(
                    person=person,
                    kind=kind,
                    hours_per_week=share,
                    start_date=monday,
                    end_date=horizon_end,
                )
            )

    members = {}
    for person in people:
        members.setdefault(person.team.name, []).append(person)
    for copy_suffix in _copies(ctx.scale):
        for code, rows in STAFFING.items():
            project = by_code.get(code + copy_suffix)
            if project is None or project.start_date is None:
                continue
            for team_name, count, hours in rows:
                # Full-timers staff projects; part-timers keep the lights on.
                pool = [
                    p
                    for p in members.get(team_name + _team_suffix(copy_suffix), [])
                    if p.contracted_hours >= FULL_TIME and p.user_id is None
                ]
                for person in rng.sample(pool, k=min(count, len(pool))):
                    allocations.append(
                        Allocation(
                            person=person,
                            kind=WorkKind.PROJECT,
                            project=project,
                            hours_per_week=Decimal(hours),
                            start_date=max(project.start_date, monday),
                            end_date=project.end_date or monday + timedelta(weeks=26),
                            tentative=project.stage == "approved",
                        )
                    )

    code, team_name, hours, first, last = CUT_OVER
    for copy_suffix in _copies(ctx.scale):
        project = by_code.get(code + copy_suffix)
        for person in members.get(team_name + _team_suffix(copy_suffix), []) if project else []:
            if person.contracted_hours >= FULL_TIME and person.user_id is None:
                allocations.append(
                    Allocation(
                        person=person,
                        kind=WorkKind.PROJECT,
                        project=project,
                        hours_per_week=Decimal(hours),
                        start_date=monday + timedelta(weeks=first),
                        end_date=monday + timedelta(weeks=last, days=4),
                        note="Cut-over rehearsals",
                    )
                )

    # Project managers spend a day a week on each project they own.
    for project in projects:
        if (
            project.owner_id
            and project.start_date
            and project.stage in ("approved", "in_flight", "handover")
        ):
            allocations.append(
                Allocation(
                    person_id=project.owner_id,
                    kind=WorkKind.PROJECT,
                    project=project,
                    hours_per_week=Decimal(7),
                    start_date=max(project.start_date, monday),
                    end_date=project.end_date or monday + timedelta(weeks=26),
                )
            )

    elena = next((p for p in people if p.user_id == ctx.users["engineer"].pk), None)
    for code, hours in ELENA_EXTRA:
        project = by_code.get(code)
        if elena and project:
            allocations.append(
                Allocation(
                    person=elena,
                    kind=WorkKind.PROJECT,
                    project=project,
                    hours_per_week=Decimal(hours),
                    start_date=monday,
                    end_date=monday + timedelta(weeks=10),
                    note="Key engineer for cut-over",
                )
            )
    Allocation.objects.bulk_create(allocations, batch_size=2000)

    absences = [
        Absence(
            kind=AbsenceKind.PUBLIC_HOLIDAY, start_date=day, end_date=day, note="Public holiday"
        )
        for year in (today.year, today.year + 1, today.year + 2)
        for day in public_holidays(year)
        if monday <= day <= horizon_end
    ]
    for person in people:
        for _ in range(2):
            start = monday + timedelta(weeks=rng.randint(1, 40))
            absences.append(
                Absence(
                    person=person,
                    kind=AbsenceKind.LEAVE,
                    start_date=start,
                    end_date=start + timedelta(days=rng.choice([1, 4, 11])),
                )
            )
        if rng.random() < 0.2:
            start = monday + timedelta(weeks=rng.randint(2, 30), days=1)
            absences.append(
                Absence(
                    person=person,
                    kind=AbsenceKind.TRAINING,
                    start_date=start,
                    end_date=start + timedelta(days=2),
                    note="Certification",
                )
            )
    Absence.objects.bulk_create(absences, batch_size=2000)

    skills = {s.name: s for s in Skill.objects.all()}
    demands = []
    for copy_suffix in _copies(ctx.scale):
        for code, rows in DEMANDS.items():
            project = by_code.get(code + copy_suffix)
            if project is None:
                continue
            for skill, level, hours, offset, length in rows:
                start = monday + timedelta(weeks=offset)
                demands.append(
                    Demand(
                        project=project,
                        skill=skills[skill],
                        min_level=level,
                        hours_per_week=Decimal(hours),
                        start_date=start,
                        end_date=start + timedelta(weeks=length, days=-3),
                    )
                )
    Demand.objects.bulk_create(demands, batch_size=2000)
    ctx.counts.update(allocations=len(allocations), absences=len(absences), demands=len(demands))
    # Bulk writes send no signals: ask for the capacity picture explicitly.
    mark_dirty()


def _copies(scale: int) -> list[str]:
    return [""] + [f"-{n + 1}" for n in range(1, scale)]


def _team_suffix(copy_suffix: str) -> str:
    return f" {copy_suffix[1:]}" if copy_suffix else ""
