from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ServiceQualityConfig(AppConfig):
    name = "service_quality"
    verbose_name = _("Chất lượng giải quyết hồ sơ")
