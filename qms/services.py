"""State changes of the ground: people and their notification preferences."""

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from .history import save_with_history


@transaction.atomic
def user_deactivate(*, user, actor):
    """Deactivate a user: they can no longer sign in; their history keeps their name.

    Only an active superuser may. Idempotent: an inactive user is returned unchanged.
    Writes one history row of the user, naming the actor.
    """
    if not (actor.is_active and actor.is_superuser):
        raise PermissionDenied(_("Bạn không có quyền thực hiện thao tác này."))
    if not user.is_active:
        return user
    user.is_active = False
    user._history_user, user._change_reason = actor, _("Ngừng kích hoạt")
    user.save(update_fields=["is_active"])
    return user


@transaction.atomic
def notification_preference_set(*, user, actor, delivery: str, language: str):
    """Record how `user` wants their e-mail (immediate or a daily digest, and the
    language). Only the person themself, or a superuser, may. Idempotent: an
    unchanged choice writes nothing. Writes the preference and its history row."""
    from .models import NotificationPreference

    if not (actor.is_active and (actor.pk == user.pk or actor.is_superuser)):
        raise PermissionDenied(_("Bạn không có quyền thực hiện thao tác này."))
    if delivery not in NotificationPreference.Delivery.values:
        raise ValidationError(_("Cách nhận thư không hợp lệ."), code="delivery")
    if language not in NotificationPreference.Language.values:
        raise ValidationError(_("Ngôn ngữ không hợp lệ."), code="language")
    preference = (
        NotificationPreference.objects.select_for_update().filter(user=user).first()
        or NotificationPreference(user=user)
    )
    if preference.pk and (preference.delivery, preference.language) == (delivery, language):
        return preference
    preference.delivery, preference.language = delivery, language
    save_with_history(preference, actor=actor, reason=_("Đổi cách nhận thông báo"))
    return preference
