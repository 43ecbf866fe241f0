"""Give the moved tables this app's names, and carry their content types (and with
them the model permissions and admin log entries) over from the procedures app."""

from django.db import migrations

MODELS = ["editionmigration", "historicaleditionmigration", "termflag", "historicaltermflag"]


def move_content_types(from_label, to_label):
    def move(apps, schema_editor):
        ContentType = apps.get_model("contenttypes", "ContentType")
        db = schema_editor.connection.alias
        for model in MODELS:
            old = ContentType.objects.using(db).filter(app_label=from_label, model=model).first()
            if old is None:
                continue  # a fresh database: post_migrate creates the new ones
            if ContentType.objects.using(db).filter(app_label=to_label, model=model).exists():
                continue
            old.app_label = to_label
            old.save(update_fields=["app_label"])

    return move


class Migration(migrations.Migration):

    dependencies = [
        ("contenttypes", "0002_remove_content_type_name"),
        ("edition_migration", "0001_initial"),
        ("procedures", "0007_move_edition_migration"),
    ]

    operations = [
        migrations.AlterModelTable(name="editionmigration", table=None),
        migrations.AlterModelTable(name="historicaleditionmigration", table=None),
        migrations.AlterModelTable(name="termflag", table=None),
        migrations.AlterModelTable(name="historicaltermflag", table=None),
        migrations.RenameIndex(
            model_name="termflag",
            new_name="edition_mig_migrati_81b53d_idx",
            old_name="procedures__migrati_6833f7_idx",
        ),
        migrations.RunPython(
            move_content_types("procedures", "edition_migration"),
            move_content_types("edition_migration", "procedures"),
        ),
    ]
