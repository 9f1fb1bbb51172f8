"""The organisation: teams of every function, people with a portal account each (an enterprise's
staff sign in with SSO), their roles, skills and time away."""

import unicodedata
from datetime import date, timedelta
from decimal import Decimal

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group

from itsm_pmo.roles import Role
from resources.models import Absence, AbsenceKind, Person, PersonSkill, Skill, Team

from . import words
from .base import Weighted, World, insert, link

CONTRACTS = (
    (Decimal("37.5"), 70),
    (Decimal("40"), 10),
    (Decimal("30"), 8),
    (Decimal("22.5"), 7),
    (Decimal("20"), 5),
)
EMAIL_DOMAIN = "@staff.example.org"


def load(world: World) -> None:
    """What the demo made: its teams, people, skills and users."""
    User = get_user_model()
    world.teams = list(Team.objects.order_by("pk"))
    world.people = list(Person.objects.filter(active=True).order_by("pk"))
    world.skills = list(Skill.objects.order_by("pk"))
    world.by_role = {role.value: [] for role in Role}
    for user in (
        User.objects.filter(groups__isnull=False)
        .distinct()
        .prefetch_related("groups")
        .order_by("pk")
    ):
        for group in user.groups.all():
            world.by_role.setdefault(group.name, []).append(user)
    for person in Person.objects.filter(user__isnull=False).select_related("user"):
        world.user_of[person.pk] = person.user
        world.person_of[person.user_id] = person
    world.engineer = world.person_of.get(world.users["engineer"].pk)
    world.index()


def _ascii(text: str) -> str:
    flat = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return "".join(c for c in flat.lower() if c.isalnum())


def build(world: World) -> dict[str, int]:
    rng, size = world.rng, world.size
    counts = {}
    # --- teams: every function, in units; the demo's seven teams stay as they are.
    new_teams = max(0, size.teams - len(world.teams))
    taken = {t.name.lower() for t in world.teams}
    draw = Weighted(words.FUNCTIONS, [f[2] for f in words.FUNCTIONS])
    teams, function_of = [], {}
    # Every function at least once (as far as the size allows), then by weight.
    order = list(words.FUNCTIONS)[:new_teams] + [draw(rng) for _ in range(new_teams)]
    for function in order[:new_teams]:
        name = function[0]
        for unit in [*words.UNITS, *(f"Squad {n}" for n in range(2, 100))]:
            candidate = f"{name} {unit}"
            if candidate.lower() not in taken:
                break
        taken.add(candidate.lower())
        team = Team(name=candidate, kind=function[1], description=f"{name}: {unit}.")
        teams.append(team)
    insert(Team, teams)
    for team, function in zip(teams, order, strict=False):
        function_of[team.pk] = function
    counts["teams"] = len(teams)

    # --- skills: the areas of the functions in every flavour.
    have = {s.name for s in world.skills}
    names = [f"{area} {flavour}" for flavour in words.SKILL_FLAVOURS for area in words.SKILL_AREAS]
    wanted = max(0, size.skills - len(world.skills))
    skills = [Skill(name=n, category=n.split()[0]) for n in names if n not in have][:wanted]
    insert(Skill, skills)
    world.skills += skills
    counts["skills"] = len(skills)

    # --- people and their accounts.
    new_people = max(0, size.people - len(world.people))
    core = min(6, new_people // max(1, len(teams))) if teams else 0
    homes = [t for t in teams for _ in range(core)]
    if teams:
        weights = [rng.uniform(0.5, 3) for _ in teams]
        homes += rng.choices(teams, weights, k=new_people - len(homes))
    else:  # a very small set: the newcomers join the demo's teams
        homes = rng.choices(world.teams, k=new_people)
    rng.shuffle(homes)
    hours = rng.choices([h for h, _ in CONTRACTS], [w for _, w in CONTRACTS], k=len(homes))
    User = get_user_model()
    password = world.users["pmo_lead"].password  # the demo password, hashed once by seed_demo
    people, users, roles, leads = [], [], [], set()
    for n, team in enumerate(homes):
        first, last = rng.choice(words.FIRST_NAMES), rng.choice(words.LAST_NAMES)
        username = f"{_ascii(first)}.{_ascii(last)}{n + 1}"
        function = function_of.get(team.pk)
        titles = function[3] if function else ("Engineer", "Team Lead")
        lead = team.pk not in leads
        leads.add(team.pk)
        users.append(
            User(
                username=username,
                first_name=first,
                last_name=last,
                email=f"{username}{EMAIL_DOMAIN}",
                password=password,
                date_joined=world.now - timedelta(days=rng.randint(30, 3000)),
            )
        )
        role = function[5] if function else "engineer"
        if lead and function and function[1] != "project" and rng.random() < 0.25:
            role = "itsm_manager"  # some operations leads sit on the CAB
        roles.append(role)
        people.append(
            Person(
                name=f"{first} {last}",
                email=f"{username}{EMAIL_DOMAIN}",
                title=titles[-1] if lead else titles[0],
                team=team,
                contracted_hours=hours[n],
                active=rng.random() > 0.02,
            )
        )
    # Executives read dashboards: accounts without a plan of their own.
    for n in range(max(0, size.executives - len(world.by_role.get("executive", [])))):
        first, last = rng.choice(words.FIRST_NAMES), rng.choice(words.LAST_NAMES)
        username = f"{_ascii(first)}.{_ascii(last)}.exec{n + 1}"
        users.append(
            User(
                username=username,
                first_name=first,
                last_name=last,
                email=f"{username}{EMAIL_DOMAIN}",
                password=password,
            )
        )
        roles.append("executive")
    insert(User, users)
    groups = {g.name: g.pk for g in Group.objects.all()}
    link(
        User.groups.through,
        ((u.pk, groups[r]) for u, r in zip(users, roles, strict=True)),
        "user_id",
        "group_id",
    )
    for user, role in zip(users, roles, strict=True):
        world.by_role.setdefault(role, []).append(user)
    for person, user in zip(people, users, strict=False):
        person.user = user
    insert(Person, people)
    for person, user in zip(people, users, strict=False):
        world.user_of[person.pk] = user
        world.person_of[user.pk] = person
    counts.update(users=len(users), people=len(people))

    # Each new team's first member leads it.
    new = {t.pk: t for t in teams}
    for person in people:
        team = new.get(person.team_id)
        if team is not None and team.manager_id is None:
            team.manager = person
    Team.objects.bulk_update(teams, ["manager"], batch_size=500)

    # --- skills held: two to six, mostly of the team's function.
    by_area: dict[str, list] = {}
    for skill in world.skills:
        by_area.setdefault(skill.name.split()[0], []).append(skill)
    popularity = [1 / (rank + 1) ** 0.9 for rank in range(len(world.skills))]
    anything = Weighted(world.skills, popularity)
    held = []
    for person in people:
        function = function_of.get(person.team_id)
        picked = {}
        for _ in range(rng.randint(2, 6)):
            areas = function[4] if function else ()
            pool = by_area.get(rng.choice(areas), []) if areas and rng.random() < 0.7 else []
            skill = rng.choice(pool) if pool else anything(rng)
            picked[skill.pk] = skill
        held += [
            PersonSkill(
                person=person,
                skill=skill,
                level=rng.choices((1, 2, 3, 4, 5), (10, 25, 35, 20, 10))[0],
            )
            for _, skill in sorted(picked.items())
        ]
    insert(PersonSkill, held)
    counts["person_skills"] = len(held)

    world.teams += teams
    world.people += [p for p in people if p.active]
    world.index()
    counts["absences"] = _absences(world, people)
    return counts


def _absences(world: World, people: list) -> int:
    """Leave taken recently and booked about a quarter ahead, a long summer break for some,
    sickness and training (the demo keeps its own public holidays)."""
    rng, rows = world.rng, []
    start = world.monday
    origin, ahead = start - timedelta(weeks=13), start + timedelta(weeks=13)
    horizon_end = start + timedelta(weeks=world.size.weeks)

    def away(person, kind, first: date, last: date, workdays: int) -> Absence:
        day = first + timedelta(days=rng.randrange(max(1, (last - first).days)))
        while day.weekday() >= 5:
            day += timedelta(days=1)
        end, left = day, workdays - 1
        while left:
            end += timedelta(days=1)
            left -= end.weekday() < 5
        return Absence(person=person, kind=kind, start_date=day, end_date=end)

    for person in people:
        for _ in range(rng.randint(0, 2)):
            rows.append(away(person, AbsenceKind.LEAVE, origin, start, rng.randint(1, 5)))
        for _ in range(rng.randint(1, 2)):
            rows.append(away(person, AbsenceKind.LEAVE, start, ahead, rng.randint(1, 4)))
        if rng.random() < 0.3:
            rows.append(away(person, AbsenceKind.LEAVE, start, ahead, 5))
        if rng.random() < 0.25:
            rows.append(away(person, AbsenceKind.LEAVE, ahead, horizon_end, 10))
        for _ in range(rng.choices((0, 1, 2), (60, 30, 10))[0]):
            rows.append(
                away(
                    person,
                    AbsenceKind.SICKNESS,
                    start - timedelta(weeks=4),
                    start + timedelta(weeks=1),
                    rng.randint(1, 3),
                )
            )
        if rng.random() < 0.3:
            rows.append(away(person, AbsenceKind.TRAINING, start, horizon_end, rng.randint(1, 2)))
    insert(Absence, rows)
    return len(rows)
