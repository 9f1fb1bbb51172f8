"""The stage log becomes a TransitionRecord: from_stage/to_stage are renamed from_state/to_state
(the rows are kept), the states get the shared length, and `at` takes a default instead of
auto_now_add so that the demo can record history at the time it happened."""

import django.utils.timezone
from django.db import migrations, models

STAGES = [
    ("proposed", "Proposed"),
    ("assessed", "Assessed"),
    ("approved", "Approved"),
    ("in_flight", "In flight"),
    ("handover", "Handover"),
    ("closed", "Closed"),
    ("on_hold", "On hold"),
    ("rejected", "Rejected"),
]


class Migration(migrations.Migration):
    dependencies = [
        ("portfolio", "0002_criterion_weight_at_most_100"),
    ]

    operations = [
        migrations.RenameField(
            model_name="projecttransition", old_name="from_stage", new_name="from_state"
        ),
        migrations.RenameField(
            model_name="projecttransition", old_name="to_stage", new_name="to_state"
        ),
        migrations.AlterField(
            model_name="projecttransition",
            name="from_state",
            field=models.CharField(choices=STAGES, max_length=30),
        ),
        migrations.AlterField(
            model_name="projecttransition",
            name="to_state",
            field=models.CharField(choices=STAGES, max_length=30),
        ),
        migrations.AlterField(
            model_name="projecttransition",
            name="at",
            field=models.DateTimeField(default=django.utils.timezone.now),
        ),
    ]
