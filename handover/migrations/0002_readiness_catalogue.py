"""The readiness catalogue every handover starts from (editable afterwards in the admin/API)."""

from django.db import migrations

CATALOGUE = [
    # name, mandatory, description
    ("Runbook published", True, "Operating procedures for the service, where support finds them."),
    ("Monitoring and alerting in place", True, "Health checks and alerts routed to the support team."),
    ("Support team trained", True, "The receiving team has been walked through the service."),
    ("Service levels agreed", True, "Availability, support hours and response targets signed off."),
    ("Knowledge articles published", False, "How-tos and FAQs for the service desk and support."),
    ("Backup and recovery tested", True, "A restore has been performed and timed."),
    ("Security review passed", True, "Security has reviewed the design and the deployment."),
    ("Service desk briefed", False, "The first line knows what changes for users and how to route."),
    ("Access handed over", True, "Admin accounts, secrets and vendor contacts moved to operations."),
    ("Known errors documented", False, "Open defects with workarounds, as known errors."),
]


def add_catalogue(apps, schema_editor):
    Criterion = apps.get_model("handover", "ReadinessCriterion")
    for order, (name, mandatory, description) in enumerate(CATALOGUE, start=1):
        Criterion.objects.update_or_create(
            name=name, defaults={"mandatory": mandatory, "description": description,
                                 "order": order * 10})


class Migration(migrations.Migration):
    dependencies = [("handover", "0001_handover_and_incidents")]
    operations = [migrations.RunPython(add_catalogue, migrations.RunPython.noop)]
