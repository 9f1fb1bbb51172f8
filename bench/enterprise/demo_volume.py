"""seed_demo --scale N (N > 1): the copies of the demo organisation get accounts, changes,
incidents, problems and handovers in proportion, built in bulk by the enterprise set's
builders; at --scale 32 (about the enterprise's 700 projects) that is about its 8,000 changes,
20,000 incidents and 300 handovers. The lessons scale already (knowledge.demo copies them).

Run as the last of itsm_pmo.demo's SEEDERS; at scale 1 it does nothing, so the demo is what it
always was. Idempotent: the first of the SEEDERS (demo_reset) deletes what an earlier run made
for the copies (every row it makes is assigned to a person or project of a copy), and this one
makes it again, the same from the same seed."""

import random
from dataclasses import replace

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.db.models import Count, Q
from django.utils import timezone

from changes.models import ChangeRequest
from handover.models import Handover, Incident, Problem
from itsm_pmo.roles import Role
from portfolio.models import Project
from resources.demo import TEAMS
from resources.models import Person, Team

from . import changes, handover, incidents, org, portfolio
from .base import ENTERPRISE, World, insert, link, midnight

COPIES_AT_ENTERPRISE_SIZE = 32  # --scale 32 has about the enterprise set's 700 projects
PER_COPY = {
    "changes": ENTERPRISE.changes // COPIES_AT_ENTERPRISE_SIZE,  # 250
    "incidents": ENTERPRISE.incidents // COPIES_AT_ENTERPRISE_SIZE,  # 625
    "problems": round(ENTERPRISE.problems / COPIES_AT_ENTERPRISE_SIZE),  # 12
}
SEED = 20261121


def seed(ctx) -> None:
    if ctx.scale <= 1:
        return
    originals = {row[0] for row in TEAMS}
    teams = ctx.made["teams"]  # name -> team, every copy's ("Network 2", …)
    copy_teams = [t for name, t in teams.items() if name not in originals]
    ids = {t.pk for t in copy_teams}
    copy_people = [p for p in ctx.made["people"] if p.team_id in ids]
    _accounts(ctx, copy_teams, copy_people)

    world = World(
        rng=random.Random(SEED + ctx.scale),
        today=timezone.localdate(),
        now=midnight(),
        size=ENTERPRISE,
        users=dict(ctx.users),
    )
    org.load(world)
    portfolio.load(world)
    changes.load(world)
    # Only the copies are worked on: each demo team's work goes to its copies' people.
    world.teams = copy_teams
    world.people = list(Person.objects.filter(team__in=ids, active=True).order_by("pk"))
    world.projects = [p for p in world.projects if p.code.count("-") == 2]  # PRJ-0101-2
    world.engineer = None
    for name in originals:
        copies = [teams[f"{name} {n}"].pk for n in range(2, ctx.scale + 1)]
        world.stand_ins[teams[name].pk] = copies
    world.index()
    copies = ctx.scale - 1
    world.size = replace(
        ENTERPRISE,
        incidents=Incident.objects.count() + PER_COPY["incidents"] * copies,
        problems=Problem.objects.count() + PER_COPY["problems"] * copies,
        handovers=Handover.objects.count() + _eligible(world),
    )
    ctx.made["volume"] = {
        **changes._changes(world, PER_COPY["changes"] * copies),
        **handover.build(world),
        **incidents.build(world),
    }
    ctx.counts.update(
        users=get_user_model().objects.count(),
        changes=ChangeRequest.objects.count(),
        handovers=Handover.objects.count(),
        incidents=Incident.objects.count(),
        problems=Problem.objects.count(),
    )


def _eligible(world: World) -> int:
    taken = set(Handover.objects.values_list("project_id", flat=True))
    return sum(
        1
        for p in world.projects
        if p.pk not in taken
        and p.pk in world.go_live
        and p.stage in ("approved", "in_flight", "handover", "closed")
    )


def forget(ctx) -> None:
    """Before the demo's seeders run, at any scale: what an earlier --scale N run made for the
    copies (their changes, incidents, the problems left without one, handovers), so that the
    demo's own changes are walked (and their risk assessed) as on a first run."""
    originals = {row[0] for row in TEAMS}
    copies = [
        pk
        for pk, name in Team.objects.values_list("pk", "name")
        if name.rpartition(" ")[0] in originals and name.rpartition(" ")[2].isdigit()
    ]
    if not copies:
        return
    people = Person.objects.filter(team__in=copies)
    projects = Project.objects.filter(code__regex=r"^PRJ-\d+-\d+$")
    changes = ChangeRequest.objects.filter(implementer__in=people)
    # Incidents first: an incident holds the change that caused it (PROTECT).
    incidents = Incident.objects.filter(Q(assignee__in=people) | Q(caused_by_change__in=changes))
    problems = set(incidents.filter(problem__isnull=False).values_list("problem_id", flat=True))
    incidents.delete()
    changes.delete()
    Problem.objects.filter(pk__in=problems).annotate(n=Count("incidents")).filter(n=0).delete()
    Handover.objects.filter(project__in=projects).delete()


def _accounts(ctx, teams: list, people: list) -> None:
    """An account for each person of the copies (the demo password), engineers but for the
    PMO's (PMO leads) and each service desk's manager (an ITSM manager, on the CAB)."""
    User = get_user_model()
    password = ctx.users["pmo_lead"].password
    usernames = {p.pk: p.email.split("@")[0] for p in people}
    have = set(
        User.objects.filter(username__in=usernames.values()).values_list("username", flat=True)
    )
    managers = {t.manager_id for t in teams if t.name.startswith("Service Desk")}
    pmo = {t.pk for t in teams if t.name.startswith("Project Management Office")}
    users, roles = [], []
    for person in people:
        if usernames[person.pk] in have:
            continue
        first, _, last = person.name.partition(" ")
        users.append(
            User(
                username=usernames[person.pk],
                first_name=first,
                last_name=last,
                email=person.email,
                password=password,
            )
        )
        roles.append(
            Role.ITSM_MANAGER
            if person.pk in managers
            else Role.PMO_LEAD
            if person.team_id in pmo
            else Role.ENGINEER
        )
    insert(User, users)
    groups = dict(Group.objects.values_list("name", "pk"))
    link(
        User.groups.through,
        [(u.pk, groups[r.value]) for u, r in zip(users, roles, strict=True)],
        "user_id",
        "group_id",
    )
    accounts = dict(
        User.objects.filter(username__in=usernames.values()).values_list("username", "pk")
    )
    unlinked = [p for p in people if p.user_id is None]
    for person in unlinked:
        person.user_id = accounts[usernames[person.pk]]
    Person.objects.bulk_update(unlinked, ["user"], batch_size=500)
