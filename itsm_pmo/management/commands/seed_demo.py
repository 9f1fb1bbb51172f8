import os

from django.core.management.base import BaseCommand, CommandError

from itsm_pmo.demo import seed_demo
from itsm_pmo.roles import role_label


class Command(BaseCommand):
    help = "Build the demo organisation (deterministic and idempotent); --scale N for benchmarks."

    def add_arguments(self, parser):
        parser.add_argument("--scale", type=int, default=1, help="Multiply the sizes by N.")

    def handle(self, *args, scale: int, **options):
        if scale < 1:
            raise CommandError("--scale must be 1 or more.")
        password = os.environ.get("DEMO_PASSWORD", "demo")
        ctx = seed_demo(scale=scale, password=password)
        for name, count in ctx.counts.items():
            self.stdout.write(f"  {name:<12} {count}")
        self.stdout.write(self.style.SUCCESS("Demo data ready. Sign in with:"))
        for username, user in ctx.users.items():  # the demo users and any an app added
            if user.is_superuser:
                continue
            roles = ", ".join(role_label(g.name) for g in user.groups.all())
            self.stdout.write(f"  {username:<13} / {password}   ({roles}, {user.get_full_name()})")
        self.stdout.write(f"  {'admin':<13} / {password}   (superuser)")
