"""The moves made before the transition records existed, read from the edit history: every
historical record whose state differs from the one before it becomes a transition (who, when,
from, to and the change reason as its comment). Nothing is lost going back: the history stays."""

from django.db import migrations


def _backfill(history, record, subject: str) -> None:
    rows, previous = [], None
    for entry in history.objects.order_by("id", "history_date", "history_id").iterator():
        if previous is not None and previous.id == entry.id and previous.state != entry.state:
            rows.append(
                record(
                    **{f"{subject}_id": entry.id},
                    from_state=previous.state,
                    to_state=entry.state,
                    by_id=entry.history_user_id,
                    at=entry.history_date,
                    comment=entry.history_change_reason or "",
                )
            )
        previous = entry
    # A historical record may outlive its text (deleted since): keep only moves of live rows.
    live = set(record._meta.get_field(subject).related_model.objects.values_list("pk", flat=True))
    record.objects.bulk_create([row for row in rows if getattr(row, f"{subject}_id") in live])


def forwards(apps, schema_editor):
    _backfill(
        apps.get_model("knowledge", "HistoricalLesson"),
        apps.get_model("knowledge", "LessonTransition"),
        "lesson",
    )
    _backfill(
        apps.get_model("knowledge", "HistoricalArticle"),
        apps.get_model("knowledge", "ArticleTransition"),
        "article",
    )


class Migration(migrations.Migration):
    dependencies = [("knowledge", "0004_transitions")]

    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
