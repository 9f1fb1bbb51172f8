"""The demo organisation: deterministic (seeded) and idempotent, scaled by --scale.

Each app has a `demo.py` with a `seed(ctx)` function; they run in the order of SEEDERS, each
reading what earlier ones made from the context. Rows are keyed by natural keys
(usernames, emails, names) so a second run updates instead of duplicating.
"""

import random
from dataclasses import dataclass, field
from datetime import date
from importlib import import_module

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.db import transaction
from django.utils import timezone

from .roles import Role

# Apps whose demo data is loaded, in dependency order.
SEEDERS = [
    "bench.enterprise.demo_reset",  # forgets what the last line made on an earlier run
    "resources.demo",
    "portfolio.demo",
    "changes.demo",
    "changes.demo_history",  # the four quarters before this one (issue 16)
    "handover.demo",
    "handover.demo_history",
    "handover.problems.demo_history",  # the problems group the year's past incidents
    "knowledge.demo",
    "knowledge.demo_history",
    "resources.demo_plan",
    "itsm_pmo.notifications.demo",  # what each demo user was told lately (issue 17)
    # --scale N > 1: changes, incidents and handovers in proportion, in bulk (nothing at 1).
    "bench.enterprise.demo_volume",
    # Service levels: every incident's timers from its final history, and live clocks.
    "handover.incidents.sla.demo",
]

DEMO_USERS = [
    # username, first, last, role
    ("pmo_lead", "Priya", "Shah", Role.PMO_LEAD),
    ("itsm_manager", "Marcus", "Webb", Role.ITSM_MANAGER),
    ("engineer", "Elena", "Novak", Role.ENGINEER),
    ("executive", "Daniel", "Okafor", Role.EXECUTIVE),
]


@dataclass
class DemoContext:
    scale: int
    password: str
    rng: random.Random
    users: dict = field(default_factory=dict)
    made: dict = field(default_factory=dict)  # what each seeder created, for later ones
    counts: dict = field(default_factory=dict)


def quarter_start(back: int) -> date:
    """The first day of the calendar quarter `back` quarters before today's (0: today's): the
    history seeders (`demo_history`) place the year before the current quarter with it."""
    today = timezone.localdate()
    months = today.year * 12 + 3 * ((today.month - 1) // 3) - 3 * back
    return date(months // 12, months % 12 + 1, 1)


def seed_users(ctx: DemoContext) -> None:
    User = get_user_model()
    for username, first, last, role in DEMO_USERS:
        user, _ = User.objects.update_or_create(
            username=username,
            defaults={
                "first_name": first,
                "last_name": last,
                "email": f"{username}@example.org",
                "is_staff": False,
            },
        )
        user.set_password(ctx.password)
        user.save(update_fields=["password"])
        user.groups.set([Group.objects.get(name=role.value)])
        ctx.users[username] = user
    admin, _ = User.objects.update_or_create(
        username="admin",
        defaults={
            "first_name": "Portal",
            "last_name": "Administrator",
            "email": "admin@example.org",
            "is_staff": True,
            "is_superuser": True,
        },
    )
    admin.set_password(ctx.password)
    admin.save(update_fields=["password"])
    ctx.users["admin"] = admin
    ctx.counts["users"] = len(ctx.users)


@transaction.atomic
def seed_demo(*, scale: int = 1, password: str = "demo", seed: int = 20261121) -> DemoContext:
    """Build (or bring up to date) the demo organisation in one transaction."""
    ctx = DemoContext(scale=scale, password=password, rng=random.Random(seed))
    seed_users(ctx)
    for module_name in SEEDERS:
        import_module(module_name).seed(ctx)
    return ctx
