from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class EditionMigrationConfig(AppConfig):
    name = "edition_migration"
    verbose_name = _("Chuyển đổi sang ISO 9001:2015")
