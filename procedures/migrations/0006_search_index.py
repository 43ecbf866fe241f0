"""The search index of effective versions (see procedures/search.py).

SQLite: an FTS5 trigram table kept by triggers, and an index (state, procedure_id).
PostgreSQL: a pg_trgm GIN index on search_text. Neither is part of Django's model
state; procedures.search.ensure_search_index also repairs them after each migrate.
"""

from django.db import migrations


def create_index(apps, schema_editor):
    from procedures.search import ensure_search_index

    ensure_search_index(schema_editor.connection.alias, rebuild=True)


def drop_index(apps, schema_editor):
    from procedures.search import drop_search_index

    drop_search_index(schema_editor.connection.alias)


class Migration(migrations.Migration):
    dependencies = [
        ("procedures", "0005_migration_edition_migration"),
    ]

    operations = [migrations.RunPython(create_index, drop_index)]
