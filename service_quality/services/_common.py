"""Helpers shared by the services of this app."""

from django.contrib.auth import get_user_model
from django.utils.translation import gettext as _

from qms import roles
from qms.history import save_with_history
from qms.text import nfc

from ..exceptions import ServiceQualityError

save = save_with_history


def deny():
    raise ServiceQualityError(_("Bạn không có quyền thực hiện thao tác này."), code="permission")


def text(value) -> str:
    return nfc(value or "").strip()


def name_of(user) -> str:
    return user.get_full_name() or user.get_username()


def officers_of(department_ids):
    """The active quality officers of these departments."""
    return list(
        get_user_model().objects.filter(
            is_active=True, groups__name=roles.QUALITY_OFFICER, department__in=department_ids
        ).distinct()
    )
