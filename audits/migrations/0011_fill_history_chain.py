"""Seal the history rows written before the chain existed (issue 11, point 10)."""

from django.db import migrations

from qms.history_check import fill_chains


class Migration(migrations.Migration):

    dependencies = [
        ("audits", "0010_history_chain"),
    ]

    operations = [
        migrations.RunPython(fill_chains("audits"), migrations.RunPython.noop),
    ]
