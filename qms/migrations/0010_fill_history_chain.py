"""Seal the history rows written before the chain existed (issue 11, point 10), and
create the function that writers call on PostgreSQL to lock an object's chain and read
its newest row (qms/history_chain.py)."""

from django.db import migrations

from qms.history_chain import DROP_HEADS_FUNCTION, HEADS_FUNCTION
from qms.history_check import fill_chains


def create_function(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        with schema_editor.connection.cursor() as cursor:  # no parameters: "%" is literal
            cursor.execute(HEADS_FUNCTION)


def drop_function(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        with schema_editor.connection.cursor() as cursor:
            cursor.execute(DROP_HEADS_FUNCTION)


class Migration(migrations.Migration):

    dependencies = [
        ("qms", "0009_history_chain"),
    ]

    operations = [
        migrations.RunPython(create_function, drop_function),
        migrations.RunPython(fill_chains("qms"), migrations.RunPython.noop),
    ]
