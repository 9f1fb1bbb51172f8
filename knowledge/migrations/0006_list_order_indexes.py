"""The lists' orders as indexes, so a page of a list is read off an index rather than by sorting
every row: articles last edited first; lessons newest published first with the drafts (no
publication date) after them. SQLite cannot index NULLS LAST, so the lessons' index is made on
PostgreSQL only (as the search vectors of 0002)."""

from django.db import migrations, models

LESSON_INDEX = "lesson_newest_first"


def forwards(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute(
        f"CREATE INDEX IF NOT EXISTS {LESSON_INDEX} ON knowledge_lesson "
        "(published_at DESC NULLS LAST, created_at DESC, id DESC)"
    )


def backwards(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute(f"DROP INDEX IF EXISTS {LESSON_INDEX}")


class Migration(migrations.Migration):
    dependencies = [("knowledge", "0005_transitions_from_history")]

    operations = [
        migrations.AddIndex(
            model_name="article",
            index=models.Index(fields=["-updated_at", "-id"], name="article_last_edited_first"),
        ),
        migrations.RunPython(forwards, backwards),
    ]
