from django.apps import AppConfig
from django.db.models.signals import m2m_changed, post_migrate
from django.utils.translation import gettext_lazy as _


class ProceduresConfig(AppConfig):
    name = "procedures"
    verbose_name = _("Tài liệu được kiểm soát")

    def ready(self):
        from . import search
        from .models import ProcedureVersion
        from .signals import refuse_clause_change_on_frozen_version

        m2m_changed.connect(
            refuse_clause_change_on_frozen_version,
            sender=ProcedureVersion.clauses.through,
            dispatch_uid="procedures.frozen_clauses",
        )
        m2m_changed.connect(
            refuse_clause_change_on_frozen_version,
            sender=ProcedureVersion.distribution.through,
            dispatch_uid="procedures.frozen_distribution",
        )
        # A later migration that rebuilds the versions table on SQLite drops the
        # search index's triggers: put them back after every migrate.
        post_migrate.connect(search.on_post_migrate, sender=self, dispatch_uid="procedures.search_index")
