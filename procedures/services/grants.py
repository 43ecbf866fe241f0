"""Object permissions that follow from a procedure's department and a person's role."""

from django.conf import settings
from django.contrib.auth import get_user_model
from guardian.shortcuts import assign_perm

from qms import roles
from qms.models import OrgUnit

from .. import permissions
from ..models import Procedure


def procedure_grant_defaults(*, procedure: Procedure) -> None:
    """Grant the object permissions that follow from the procedure's department.

    Quality officers of the owning department author, review and publish; approvers
    of that department or of a unit above it (the committee's leadership) review
    and approve; quality officers of the central quality office
    (`roles.is_central_officer`) review the procedures of every department.
    """
    User = get_user_model()
    department = procedure.department
    active = User.objects.filter(is_active=True)
    officers = active.filter(groups__name=roles.QUALITY_OFFICER, department=department)
    approver_units = [department.pk, *(u.pk for u in department.ancestors())]
    approvers = active.filter(groups__name=roles.APPROVER, department__in=approver_units)
    for perm in permissions.OFFICER_PERMS:
        assign_perm(perm, list(officers), procedure)
    for perm in permissions.APPROVER_PERMS:
        assign_perm(perm, list(approvers), procedure)
    central = active.filter(
        groups__name=roles.QUALITY_OFFICER, department__code__iexact=settings.QMS_CENTRAL_OFFICE
    )
    assign_perm(permissions.REVIEW, list(central), procedure)


def user_sync_permissions(*, user) -> None:
    """Grant a user what their role and department give them on existing procedures."""
    department = user.department
    if department is None or not user.is_active:
        return
    if roles.has_role(user, roles.QUALITY_OFFICER):
        for perm in permissions.OFFICER_PERMS:
            assign_perm(perm, user, list(Procedure.objects.filter(department=department)))
    if roles.is_central_officer(user):
        assign_perm(permissions.REVIEW, user, list(Procedure.objects.all()))
    if roles.has_role(user, roles.APPROVER):
        below = _units_below(department)
        for perm in permissions.APPROVER_PERMS:
            assign_perm(perm, user, list(Procedure.objects.filter(department__in=below)))


def _units_below(unit: OrgUnit) -> list[int]:
    ids, frontier = [unit.pk], [unit.pk]
    while frontier:
        frontier = list(OrgUnit.objects.filter(parent__in=frontier).values_list("pk", flat=True))
        ids.extend(frontier)
    return ids


def central_officers() -> list:
    """The active quality officers of the central office (`qms.roles.is_central_officer`)."""
    User = get_user_model()
    return [
        user for user in User.objects.filter(is_active=True, groups__name=roles.QUALITY_OFFICER)
        .select_related("department")
        if roles.is_central_officer(user)
    ]


def procedure_grant_central_office(*, procedure: Procedure, officers=None) -> None:
    """Let the quality officers of the central office author and review this
    procedure's drafts, whatever its department: they review the 2008 → 2015
    migration of every department. `officers` (from `central_officers()`) saves the
    look-up over a batch. Granting twice changes nothing."""
    central = central_officers() if officers is None else officers
    if not central:
        return
    for perm in (permissions.AUTHOR, permissions.REVIEW):
        assign_perm(perm, central, procedure)
