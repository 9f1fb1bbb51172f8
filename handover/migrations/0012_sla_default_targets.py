"""Seed the service-level targets per priority (working minutes of the service's cover);
editable afterwards in the admin. Business days are the 10 hours of business-hours cover."""

from django.db import migrations

DEFAULTS = {
    # priority: (first response, resolution)
    1: (15, 4 * 60),
    2: (30, 8 * 60),
    3: (4 * 60, 3 * 600),
    4: (8 * 60, 5 * 600),
    5: (2 * 600, 10 * 600),
}


def seed(apps, schema_editor):
    SlaTarget = apps.get_model("handover", "SlaTarget")
    for priority, (response, resolution) in DEFAULTS.items():
        SlaTarget.objects.get_or_create(
            priority=priority,
            defaults={"response_minutes": response, "resolution_minutes": resolution},
        )


class Migration(migrations.Migration):
    dependencies = [("handover", "0011_sla_timers")]

    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
