"""The four roles of the system. Each is a Django group, created by a data migration."""

from django.utils.translation import gettext_lazy as _

QUALITY_OFFICER = "quality_officer"
APPROVER = "approver"
INTERNAL_AUDITOR = "internal_auditor"
STAFF = "staff"

ROLES = {
    QUALITY_OFFICER: _("Cán bộ quản lý chất lượng"),
    APPROVER: _("Lãnh đạo phê duyệt"),
    INTERNAL_AUDITOR: _("Chuyên gia đánh giá nội bộ"),
    STAFF: _("Cán bộ, công chức"),
}


def has_role(user, role: str) -> bool:
    """True when the active user belongs to the role's group (cached per request)."""
    if not (user and user.is_active):
        return False
    cache = getattr(user, "_qms_roles", None)
    if cache is None:
        cache = set(user.groups.values_list("name", flat=True))
        user._qms_roles = cache
    return role in cache
