from django.db import migrations

# Wagtail's PostgreSQL backend (admin search, choosers) filters on
# ``title || body @@ query``: an expression only an index on that very
# expression serves. Without it every admin search read the whole index
# table.
INDEX = "wagtailsearch_indexentry_words"


def create_index(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(f"CREATE INDEX IF NOT EXISTS {INDEX} ON wagtailsearch_indexentry USING gin ((title || body))")


def drop_index(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(f"DROP INDEX IF EXISTS {INDEX}")


class Migration(migrations.Migration):
    dependencies = [
        ("newsroom", "0006_story_search"),
        ("wagtailsearch", "0010_add_text_fields"),
    ]

    operations = [migrations.RunPython(create_index, drop_index)]
