"""Milestones of projects already approved take their current due date as baseline: the best
record there is of what was agreed (re-plans before this migration are not known)."""

from django.db import migrations
from django.db.models import F, Q

# Frozen here: the stages past approval when this migration was written.
PAST_APPROVAL = ("approved", "in_flight", "handover", "closed")


def set_baselines(apps, schema_editor):
    Milestone = apps.get_model("portfolio", "Milestone")
    ProjectTransition = apps.get_model("portfolio", "ProjectTransition")
    # A project on hold counts if it was approved before it stopped.
    approved_once = ProjectTransition.objects.filter(to_state="approved").values("project_id")
    Milestone.objects.filter(baseline_date__isnull=True).filter(
        Q(project__stage__in=PAST_APPROVAL) | Q(project_id__in=approved_once)
    ).update(baseline_date=F("due_date"))


class Migration(migrations.Migration):
    dependencies = [("portfolio", "0006_costs_baselines_benefit_values")]

    operations = [migrations.RunPython(set_baselines, migrations.RunPython.noop)]
