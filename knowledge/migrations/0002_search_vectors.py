"""PostgreSQL keeps each row's search vector itself: a trigger recomputes it on every insert and
on every update of the searched columns, so bulk writes, the admin and raw SQL cannot leave a
stale vector; a GIN index makes `@@` an index lookup. Weights: title A, recommendation B, body C.

On any other database (the embedded SQLite default) this migration does nothing: search there
falls back to plain matching (knowledge/search.py)."""

from django.db import migrations

# (table, {weight: column}); 'english' stems, so "failed" finds "fails" and "failing".
VECTORS = [
    ("knowledge_lesson", {"A": "title", "B": "recommendation", "C": "what_happened"}),
    ("knowledge_article", {"A": "title", "C": "body"}),
]


def _sql(table: str, columns: dict[str, str]) -> tuple[str, str]:
    parts = " || ".join(
        f"setweight(to_tsvector('english', coalesce(NEW.{column}, '')), '{w}')"
        for w, column in columns.items()
    )
    watched = ", ".join(columns.values())
    forward = f"""
        CREATE FUNCTION {table}_search_vector() RETURNS trigger AS $$
        BEGIN
            NEW.search_vector := {parts};
            RETURN NEW;
        END $$ LANGUAGE plpgsql;
        CREATE TRIGGER {table}_search_vector
            BEFORE INSERT OR UPDATE OF {watched} ON {table}
            FOR EACH ROW EXECUTE FUNCTION {table}_search_vector();
        UPDATE {table} SET title = title;
        CREATE INDEX {table}_search_gin ON {table} USING gin (search_vector);
    """
    backward = f"""
        DROP INDEX IF EXISTS {table}_search_gin;
        DROP TRIGGER IF EXISTS {table}_search_vector ON {table};
        DROP FUNCTION IF EXISTS {table}_search_vector();
    """
    return forward, backward


def forwards(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for table, columns in VECTORS:
        schema_editor.execute(_sql(table, columns)[0])


def backwards(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for table, columns in VECTORS:
        schema_editor.execute(_sql(table, columns)[1])


class Migration(migrations.Migration):
    dependencies = [("knowledge", "0001_lessons_and_articles")]

    operations = [migrations.RunPython(forwards, backwards)]
