"""State changes of the ground: people."""

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils.translation import gettext as _


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
