"""The readiness catalogue (handover/catalogue.py)."""

from django.db import migrations


def add_catalogue(apps, schema_editor):
    from handover.catalogue import ensure_catalogue

    ensure_catalogue(apps.get_model("handover", "ReadinessCriterion"))


class Migration(migrations.Migration):
    dependencies = [("handover", "0001_handover_and_incidents")]
    operations = [migrations.RunPython(add_catalogue, migrations.RunPython.noop)]
