"""Seal the history rows written before the chain existed (issue 11, point 10)."""

from django.db import migrations

from qms.history_check import fill_chains


class Migration(migrations.Migration):

    dependencies = [
        ("procedures", "0021_history_chain"),
    ]

    operations = [
        migrations.RunPython(fill_chains("procedures"), migrations.RunPython.noop),
    ]
