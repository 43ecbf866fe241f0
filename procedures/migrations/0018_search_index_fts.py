"""The full-text search index (procedures/search/index.py): drop the old trigram
index, fill the search documents from the effective versions, build FTS5 (SQLite)
or the weighted tsvector and its GIN index (PostgreSQL)."""

from django.db import migrations


def build(apps, schema_editor):
    from procedures.search.index import drop_legacy_index, rebuild_search_index

    alias = schema_editor.connection.alias
    drop_legacy_index(alias)
    rebuild_search_index(alias)


def unbuild(apps, schema_editor):
    from procedures.search.index import drop_search_index

    drop_search_index(schema_editor.connection.alias)


class Migration(migrations.Migration):
    dependencies = [
        ("procedures", "0017_search_document"),
    ]

    operations = [migrations.RunPython(build, unbuild)]
