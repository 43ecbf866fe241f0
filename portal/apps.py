from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PortalConfig(AppConfig):
    """The top layer: pages that gather work from every app, the whole-site demo
    loader and the root URLconf. It may import every app; no app imports it."""

    name = "portal"
    verbose_name = _("Trang làm việc")
