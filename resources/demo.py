"""Demo teams, skills and about 60 people (times --scale), some of them the demo users."""

from decimal import Decimal

from .models import Person, PersonSkill, Skill, Team, TeamKind

SKILLS = {
    # name: category
    "ITIL incident management": "Service management",
    "Service desk": "Service management",
    "Problem management": "Service management",
    "Cisco networking": "Network",
    "Firewalls": "Network",
    "Load balancing": "Network",
    "PostgreSQL": "Data",
    "Oracle": "Data",
    "Backup & recovery": "Data",
    "Linux": "Platform",
    "Kubernetes": "Platform",
    "Terraform": "Platform",
    "AWS": "Platform",
    "Python": "Development",
    "Java": "Development",
    "React": "Development",
    "API design": "Development",
    "Test automation": "Development",
    "Identity & access": "Security",
    "Vulnerability management": "Security",
    "Security architecture": "Security",
    "Project management": "Delivery",
    "Business analysis": "Delivery",
}

# name, kind, size, description, titles, core skills
TEAMS = [
    (
        "Service Desk",
        TeamKind.OPERATIONS,
        12,
        "First line for every service: calls, chats and the major-incident bridge.",
        ["Service Desk Analyst", "Senior Service Desk Analyst"],
        ["Service desk", "ITIL incident management", "Problem management"],
    ),
    (
        "Network",
        TeamKind.OPERATIONS,
        8,
        "WAN, campus and data-centre networks, firewalls and load balancers.",
        ["Network Engineer", "Senior Network Engineer"],
        ["Cisco networking", "Firewalls", "Load balancing"],
    ),
    (
        "Database",
        TeamKind.OPERATIONS,
        7,
        "Runs the PostgreSQL and Oracle estates, backups and recovery tests.",
        ["Database Administrator", "Senior DBA"],
        ["PostgreSQL", "Oracle", "Backup & recovery"],
    ),
    (
        "Platform",
        TeamKind.MIXED,
        9,
        "The Kubernetes platform and cloud landing zone; builds and runs.",
        ["Platform Engineer", "Site Reliability Engineer"],
        ["Linux", "Kubernetes", "Terraform", "AWS"],
    ),
    (
        "Application Development",
        TeamKind.PROJECT,
        14,
        "Builds and changes the customer and staff applications.",
        ["Software Engineer", "Senior Software Engineer", "QA Engineer"],
        ["Python", "Java", "React", "API design", "Test automation"],
    ),
    (
        "Security",
        TeamKind.MIXED,
        6,
        "Identity, vulnerability management and security reviews.",
        ["Security Engineer", "Security Analyst"],
        ["Identity & access", "Vulnerability management", "Security architecture"],
    ),
    (
        "Project Management Office",
        TeamKind.PROJECT,
        5,
        "Portfolio governance, project managers and business analysts.",
        ["Project Manager", "Business Analyst"],
        ["Project management", "Business analysis"],
    ),
]

FIRST = [
    "Amara",
    "Ben",
    "Chloe",
    "Dev",
    "Ella",
    "Farid",
    "Grace",
    "Hugo",
    "Isla",
    "Jonas",
    "Kira",
    "Liam",
    "Maya",
    "Nikhil",
    "Olivia",
    "Pavel",
    "Quinn",
    "Rosa",
    "Sami",
    "Tara",
    "Umar",
    "Vera",
    "Wei",
    "Ximena",
    "Yusuf",
    "Zoe",
    "Aisha",
    "Bruno",
    "Carmen",
    "Diego",
    "Emeka",
    "Fatima",
    "Gareth",
    "Hana",
    "Ivan",
    "Jade",
    "Kofi",
    "Lena",
    "Mateo",
    "Nadia",
]
LAST = [
    "Adams",
    "Bakker",
    "Chen",
    "Dubois",
    "Evans",
    "Fischer",
    "Garcia",
    "Hughes",
    "Ivanova",
    "Jensen",
    "Khan",
    "Larsen",
    "Moreau",
    "Nowak",
    "O'Brien",
    "Patel",
    "Quist",
    "Rossi",
    "Silva",
    "Tanaka",
    "Ueda",
    "Varga",
    "Walsh",
    "Xu",
    "Young",
    "Zielinski",
    "Mensah",
    "Lindqvist",
    "Kowalski",
    "Haddad",
]

# The demo users as people: username -> (team, title, name)
DEMO_PEOPLE = {
    "pmo_lead": ("Project Management Office", "Head of PMO", "Priya Shah"),
    "itsm_manager": ("Service Desk", "IT Service Manager", "Marcus Webb"),
    "engineer": ("Platform", "Senior Platform Engineer", "Elena Novak"),
}


def _team_name(name: str, copy: int) -> str:
    return name if copy == 0 else f"{name} {copy + 1}"


def seed(ctx) -> None:
    rng = ctx.rng
    skills = {}
    for name, category in SKILLS.items():
        skills[name], _ = Skill.objects.update_or_create(name=name, defaults={"category": category})

    teams, people, used_names = {}, [], {"Priya Shah", "Marcus Webb", "Elena Novak"}
    for copy in range(ctx.scale):
        for name, kind, size, description, titles, core in TEAMS:
            team_name = _team_name(name, copy)
            team, _ = Team.objects.update_or_create(
                name=team_name, defaults={"kind": kind, "description": description}
            )
            teams[team_name] = team
            members = []
            for i in range(size):
                slug = f"{team_name.lower().replace(' ', '-')}-{i + 1}"
                person, _ = Person.objects.update_or_create(
                    email=f"{slug}@example.org",
                    defaults={
                        "name": _unique_name(rng, used_names),
                        "team": team,
                        "title": titles[0] if i % 3 else titles[-1],
                        # Most full time; some part time, as in any real organisation.
                        "contracted_hours": Decimal("37.5") if i % 7 else Decimal("22.5"),
                        "active": True,
                    },
                )
                _give_skills(person, [skills[s] for s in core], skills, rng)
                members.append(person)
            team.manager = members[-1]
            team.save(update_fields=["manager"])
            people.extend(members)

    for username, (team_name, title, name) in DEMO_PEOPLE.items():
        user = ctx.users[username]
        person, _ = Person.objects.update_or_create(
            email=f"{username}@example.org",
            defaults={
                "name": name,
                "team": teams[team_name],
                "title": title,
                "user": user,
                "contracted_hours": Decimal("37.5"),
                "active": True,
            },
        )
        _give_skills(person, [skills[s] for s in TEAMS_BY_NAME[team_name][5]], skills, rng)
        people.append(person)

    ctx.made.update(teams=teams, skills=skills, people=people)
    ctx.counts.update(teams=len(teams), people=len(people), skills=len(skills))


def _unique_name(rng, used: set[str]) -> str:
    """A first and last name nobody else in the demo has (1,200 combinations)."""
    while True:
        name = f"{rng.choice(FIRST)} {rng.choice(LAST)}"
        if name not in used or len(used) >= len(FIRST) * len(LAST):
            used.add(name)
            return name


def _give_skills(person, core, all_skills, rng) -> None:
    """Two or three core skills of the team at 2-5 and, often, one skill from elsewhere."""
    chosen = {skill: rng.randint(2, 5) for skill in rng.sample(core, k=min(len(core), 3))}
    if rng.random() < 0.5:
        chosen.setdefault(rng.choice(list(all_skills.values())), rng.randint(1, 3))
    for skill, level in chosen.items():
        PersonSkill.objects.update_or_create(person=person, skill=skill, defaults={"level": level})
    PersonSkill.objects.filter(person=person).exclude(skill__in=chosen).delete()


TEAMS_BY_NAME = {row[0]: row for row in TEAMS}
