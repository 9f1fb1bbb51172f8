"""Problem records keep an audit trail like every other workflow. A problem already past
"open" gets one row saying so (by nobody, at its creation), so that its trail ends where it
stands."""

import django.db.models.deletion
import django.utils.timezone
from django.conf import settings
from django.db import migrations, models


def record_where_problems_stand(apps, schema_editor):
    Problem = apps.get_model("handover", "Problem")
    ProblemTransition = apps.get_model("handover", "ProblemTransition")
    ProblemTransition.objects.bulk_create(
        ProblemTransition(
            problem=problem,
            from_state="open",
            to_state=problem.state,
            at=problem.created_at,
            comment="State when problem records began keeping a trail.",
        )
        for problem in Problem.objects.exclude(state="open").only("pk", "state", "created_at")
    )


class Migration(migrations.Migration):
    dependencies = [
        ("handover", "0006_protect_referenced_rows"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.CreateModel(
            name="ProblemTransition",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("at", models.DateTimeField(default=django.utils.timezone.now)),
                ("comment", models.TextField(blank=True)),
                (
                    "from_state",
                    models.CharField(
                        choices=[
                            ("open", "Open"),
                            ("known_error", "Known error"),
                            ("resolved", "Resolved"),
                        ],
                        max_length=30,
                    ),
                ),
                (
                    "to_state",
                    models.CharField(
                        choices=[
                            ("open", "Open"),
                            ("known_error", "Known error"),
                            ("resolved", "Resolved"),
                        ],
                        max_length=30,
                    ),
                ),
                (
                    "by",
                    models.ForeignKey(
                        null=True,
                        on_delete=django.db.models.deletion.SET_NULL,
                        related_name="+",
                        to=settings.AUTH_USER_MODEL,
                    ),
                ),
                (
                    "problem",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="transitions",
                        to="handover.problem",
                    ),
                ),
            ],
            options={
                "ordering": ["-at", "-pk"],
                "abstract": False,
            },
        ),
        migrations.RunPython(record_where_problems_stand, migrations.RunPython.noop),
    ]
