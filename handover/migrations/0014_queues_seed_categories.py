"""The incident category catalogue's defaults: five categories a service desk sorts by, each
with its usual subcategories. ITSM managers edit them in the admin afterwards; running this
again (or on a catalogue already edited) adds only what is missing."""

from django.db import migrations

CATALOGUE = {
    "Hardware": ["Laptop or desktop", "Server", "Printer", "Peripheral"],
    "Software": ["Application error", "Installation", "Licence", "Performance"],
    "Network": ["Connectivity", "VPN", "Wi-Fi", "DNS", "Firewall"],
    "Access": ["Password reset", "Account locked", "Permissions", "New account"],
    "Database": ["Availability", "Performance", "Data fix", "Backup and restore"],
}


def seed(apps, schema_editor):
    Category = apps.get_model("handover", "IncidentCategory")
    for name, subs in CATALOGUE.items():
        category = Category.objects.filter(parent__isnull=True, name__iexact=name).first()
        if category is None:
            category = Category.objects.create(name=name)
        for sub in subs:
            if not Category.objects.filter(parent=category, name__iexact=sub).exists():
                Category.objects.create(name=sub, parent=category)


class Migration(migrations.Migration):
    dependencies = [("handover", "0013_major_incidents")]

    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
