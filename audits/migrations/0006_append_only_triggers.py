"""Database triggers that make signatures, the access log, issued reports, history
rows and approved versions append-only (qms.append_only, issue 11)."""

from django.db import migrations


def forwards(apps, schema_editor):
    from qms.append_only import install

    install(schema_editor.connection)


class Migration(migrations.Migration):
    dependencies = [
        ("audits", "0005_drop_single_answer_of_actions"),
        ("procedures", "0014_copy_version_titles_rekey_signatures"),
        ("qms", "0006_background_jobs"),
    ]

    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
