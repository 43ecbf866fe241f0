"""Database triggers that make signatures, the access log, issued reports, history
rows and approved versions append-only (qms.append_only, issue 11)."""

from django.db import migrations


def forwards(apps, schema_editor):
    from qms.append_only import install

    install(schema_editor.connection)


def backwards(apps, schema_editor):
    from qms.append_only import uninstall

    uninstall(schema_editor.connection)


class Migration(migrations.Migration):
    dependencies = [
        ("audits", "0006_text_length_limits"),
        ("procedures", "0020_copy_version_titles_rekey_signatures"),
        ("qms", "0008_lockout_events"),
    ]

    operations = [migrations.RunPython(forwards, backwards)]
