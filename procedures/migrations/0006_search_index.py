"""Formerly a trigram search index; the search index is now built by
0014_search_index_fts (see procedures/search/index.py), which also drops what
this migration used to create."""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [
        ("procedures", "0005_migration_edition_migration"),
    ]

    operations = [migrations.RunPython(migrations.RunPython.noop, migrations.RunPython.noop)]
