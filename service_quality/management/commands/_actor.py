"""The acting user of a command: named with --actor, or the only active superuser."""

from django.contrib.auth import get_user_model
from django.core.management.base import CommandError
from django.utils.translation import gettext as _


def resolve_actor(username: str | None):
    User = get_user_model()
    if username:
        user = User.objects.filter(username=username, is_active=True).first()
        if user is None:
            raise CommandError(_("Không có người dùng đang hoạt động “%(name)s”.") % {"name": username})
        return user
    admins = list(User.objects.filter(is_superuser=True, is_active=True)[:2])
    if len(admins) != 1:
        raise CommandError(_("Hãy chỉ rõ người thực hiện: --actor TÊN_ĐĂNG_NHẬP."))
    return admins[0]
