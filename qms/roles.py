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


def is_central_officer(user) -> bool:
    """A quality officer of the central quality office (the unit whose code is
    settings.QMS_CENTRAL_OFFICE, "vp" — Văn phòng HĐND và UBND — by default), who
    sees and reviews the quality work of every department."""
    from django.conf import settings

    department = getattr(user, "department", None)
    return (
        has_role(user, QUALITY_OFFICER)
        and department is not None
        and department.code.lower() == settings.QMS_CENTRAL_OFFICE.lower()
    )


def has_role(user, role: str) -> bool:
    """True when the active user belongs to the role's group (cached per request)."""
    if not (user and user.is_active):
        return False
    cache = getattr(user, "_qms_roles", None)
    if cache is None:
        cache = set(user.groups.values_list("name", flat=True))
        user._qms_roles = cache
    return role in cache
