"""The four roles as groups, with their model-wide permissions.

Object permissions (which procedures) are granted by the services, not here.
"""

from django.contrib.auth.management import create_permissions
from django.db import migrations

ROLE_PERMS = {
    "quality_officer": ["view_effective_procedure"],
    "approver": ["view_effective_procedure"],
    "internal_auditor": ["view_effective_procedure"],
    "staff": ["view_effective_procedure"],
}


def create_roles(apps, schema_editor):
    # Permissions are normally created after all migrations; make them now.
    app_config = apps.get_app_config("procedures")
    app_config.models_module = True  # the migration state's app stub lacks it
    create_permissions(app_config, apps=apps, verbosity=0)
    app_config.models_module = None
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    for role, codenames in ROLE_PERMS.items():
        group, _ = Group.objects.get_or_create(name=role)
        group.permissions.add(
            *Permission.objects.filter(content_type__app_label="procedures", codename__in=codenames)
        )


class Migration(migrations.Migration):
    dependencies = [
        ("procedures", "0002_initial"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [migrations.RunPython(create_roles, migrations.RunPython.noop)]
