from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand

from itsm_pmo.workflow_docs import render


class Command(BaseCommand):
    help = "Write docs/workflows.md from the move tables."

    def handle(self, *args, **options):
        target = Path(settings.BASE_DIR) / "docs" / "workflows.md"
        target.write_text(render())
        self.stdout.write(f"Wrote {target}")
