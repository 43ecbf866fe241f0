"""Catalogue corrections (issue 9): clauses 1 (Scope) and 1.2 (Application) of 2008,
both mapped to 4.3 (partial); each correspondence marked equivalent where the 2015 clause
carries the 2008 requirement whole, partial elsewhere.

Runs the loader of 0002 again on the corrected files: it updates rows in place
(update_or_create), so databases migrated earlier get the corrections.
"""

import importlib

from django.db import migrations


def load(apps, schema_editor):
    importlib.import_module("qms.migrations.0002_clause_catalogues").load(apps, schema_editor)


class Migration(migrations.Migration):
    dependencies = [("qms", "0004_notifications_and_heads")]

    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
