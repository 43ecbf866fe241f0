"""Who may run the migration, decide its terms and read its reports. Deny by default."""

from procedures import permissions as procedure_permissions
from qms import roles


def can_migrate(user, procedure) -> bool:
    """Quality officers with author permission on the procedure, the central office's
    quality officers (every department), and superusers."""
    if not (user and user.is_active):
        return False
    if user.is_superuser or roles.is_central_officer(user):
        return True
    return roles.has_role(user, roles.QUALITY_OFFICER) and procedure_permissions.can_author(
        user, procedure
    )


def sees_every_department(user) -> bool:
    """The administrator and the central office's quality officers see and review the
    migration of every department; a department's officer sees their own."""
    return bool(user and user.is_active and (user.is_superuser or roles.is_central_officer(user)))


def can_use_migration(user) -> bool:
    """May open the migration screens at all (the lists are filtered per procedure)."""
    return bool(
        user and user.is_active and (user.is_superuser or roles.has_role(user, roles.QUALITY_OFFICER))
    )


def can_view_reports(user) -> bool:
    """The gap report and the migration report: officers, approvers, auditors."""
    if not (user and user.is_active):
        return False
    return user.is_superuser or any(
        roles.has_role(user, role)
        for role in (roles.QUALITY_OFFICER, roles.APPROVER, roles.INTERNAL_AUDITOR)
    )
