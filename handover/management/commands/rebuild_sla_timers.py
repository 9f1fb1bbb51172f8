"""Recompute every incident's service-level timers from its history (docs/sla.md)."""

from django.core.management.base import BaseCommand

from handover.incidents.sla.services import BATCH, sla_rebuild


class Command(BaseCommand):
    help = (
        "Recompute every incident's response and resolution timers from its history, in "
        "batches; warnings and escalations already recorded stay."
    )

    def add_arguments(self, parser):
        parser.add_argument("--batch", type=int, default=BATCH, help="Incidents per transaction.")

    def handle(self, *args, batch: int, **options):
        done = sla_rebuild(batch=max(1, batch))
        self.stdout.write(f"Recomputed the service-level timers of {done} incidents.")
