from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class QmsConfig(AppConfig):
    name = "qms"
    verbose_name = _("Hệ thống quản lý chất lượng")

    def ready(self):
        from axes.models import AccessAttempt
        from axes.signals import user_locked_out
        from django.contrib.auth.signals import user_logged_in
        from django.db.models.signals import post_delete, post_migrate
        from simple_history.signals import pre_create_historical_record

        from . import append_only, history_chain, lockout, middleware

        user_locked_out.connect(lockout.on_locked_out, dispatch_uid="qms_lockout_locked")
        post_delete.connect(
            lockout.on_attempt_deleted, sender=AccessAttempt, dispatch_uid="qms_lockout_ended"
        )
        user_logged_in.connect(middleware.session_started, dispatch_uid="qms_session_started")
        pre_create_historical_record.connect(
            history_chain.collect_m2m_rows, dispatch_uid="qms_history_chain_m2m")
        post_migrate.connect(append_only.on_post_migrate, sender=self, dispatch_uid="qms_append_only")
