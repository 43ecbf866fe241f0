from django.apps import AppConfig
from django.db.models.signals import m2m_changed
from django.utils.translation import gettext_lazy as _


class ProceduresConfig(AppConfig):
    name = "procedures"
    verbose_name = _("Tài liệu được kiểm soát")

    def ready(self):
        from .models import ProcedureVersion
        from .signals import refuse_clause_change_on_frozen_version

        m2m_changed.connect(
            refuse_clause_change_on_frozen_version,
            sender=ProcedureVersion.clauses.through,
            dispatch_uid="procedures.frozen_clauses",
        )
