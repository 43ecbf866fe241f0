"""Seal the history rows written before the chain existed (issue 11, point 10)."""

from django.db import migrations

from qms.history_check import fill_chains


class Migration(migrations.Migration):

    dependencies = [
        ("service_quality", "0002_history_chain"),
    ]

    operations = [
        migrations.RunPython(fill_chains("service_quality"), migrations.RunPython.noop),
    ]
