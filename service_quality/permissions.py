"""Every permission decision about service quality, in one place. Deny by default.

Who sees and does what:
- the central office: the quality officers of unit "vp" (Văn phòng HĐND và
  UBND) enter and publish figures of every department, set targets, fields and
  objectives of any scope, prepare management reviews; the approvers
  (leadership) of the committee root read everything and chair reviews;
- internal auditors read every figure (audit evidence) and raise a
  nonconformity from an objective whose figures break it;
- a department's figures, published or not, are read and entered by those
  holding the object permissions `view_figures` / `enter_figures` on its
  ReportingUnit: its quality officers, granted by the services when the unit is
  enrolled, and anyone the central office grants them to;
- everyone with a role (staff included) reads the published summary: the
  report over the months that the central office has published (see
  PublishedPeriod), the objectives and the satisfaction results;
- a person without a role, or inactive, sees nothing; a superuser sees all.
"""

from guardian.shortcuts import get_objects_for_user

from qms import roles

CENTRAL_UNIT = "vp"
ENTER = "enter_figures"
VIEW = "view_figures"
UNIT_PERMS = (ENTER, VIEW)
VIEW_REVIEW = "view_managementreview"


def _active(user) -> bool:
    return bool(user and user.is_authenticated and user.is_active)


def _unit(user):
    return user.department if user.department_id else None


def is_central_officer(user) -> bool:
    if not _active(user):
        return False
    if user.is_superuser:
        return True
    unit = _unit(user)
    return bool(unit and unit.code == CENTRAL_UNIT and roles.has_role(user, roles.QUALITY_OFFICER))


def is_leadership(user) -> bool:
    """An approver of the committee itself (the root unit)."""
    if not _active(user):
        return False
    unit = _unit(user)
    return bool(unit and unit.parent_id is None and roles.has_role(user, roles.APPROVER))


def is_auditor(user) -> bool:
    return _active(user) and roles.has_role(user, roles.INTERNAL_AUDITOR)


def sees_all(user) -> bool:
    """Every figure of every department, published or not."""
    return is_central_officer(user) or is_leadership(user) or is_auditor(user)


def can_use(user) -> bool:
    """The pages of the app (the published summary at least): anyone with a role."""
    if not _active(user):
        return False
    return user.is_superuser or any(roles.has_role(user, role) for role in roles.ROLES)


def _granted_unit_ids(user, perms) -> set[int]:
    from .models import ReportingUnit

    units = get_objects_for_user(
        user, [f"service_quality.{p}" for p in perms], klass=ReportingUnit,
        any_perm=True, accept_global_perms=False,
    )
    return set(units.values_list("unit_id", flat=True))


def full_view_unit_ids(user) -> set[int] | None:
    """The departments whose unpublished figures the user reads; None means all."""
    if not _active(user):
        return set()
    if sees_all(user):
        return None
    cache = getattr(user, "_sq_view_units", None)
    if cache is None:
        cache = _granted_unit_ids(user, UNIT_PERMS)
        user._sq_view_units = cache
    return cache


def enter_unit_ids(user) -> set[int] | None:
    """The departments whose figures the user enters; None means all."""
    if not _active(user):
        return set()
    if is_central_officer(user):
        return None
    cache = getattr(user, "_sq_enter_units", None)
    if cache is None:
        cache = _granted_unit_ids(user, (ENTER,))
        user._sq_enter_units = cache
    return cache


def can_enter(user, department) -> bool:
    ids = enter_unit_ids(user)
    return ids is None or (department is not None and department.pk in ids)


def can_enter_any(user) -> bool:
    ids = enter_unit_ids(user)
    return ids is None or bool(ids)


def can_publish(user) -> bool:
    """Publish months, set online targets and fields, prepare reviews: the central office."""
    return is_central_officer(user)


can_manage_fields = can_publish
can_set_targets = can_publish
can_prepare_review = can_publish


def can_create_objective(user, *, scope: str, department) -> bool:
    """Committee-wide objectives: the central office; a department's or one of its
    fields': those who enter that department's figures."""
    if is_central_officer(user):
        return True
    if scope == "committee" or department is None:
        return False
    return can_enter(user, department)


def objective_department(objective):
    if objective.field_id:
        return objective.field.department
    return objective.department


def can_change_objective(user, objective) -> bool:
    if not _active(user):
        return False
    if objective.owner_id == user.pk:
        return True
    return can_create_objective(
        user, scope=objective.scope, department=objective_department(objective)
    )


def can_raise_nonconformity(user, objective) -> bool:
    """An internal auditor opens the finding and its corrective action (audits app)."""
    return is_auditor(user) or bool(_active(user) and user.is_superuser)


def can_view_reviews(user) -> bool:
    return is_central_officer(user) or is_leadership(user) or is_auditor(user)


def can_view_review(user, review) -> bool:
    if can_view_reviews(user):
        return True
    return _active(user) and user.has_perm(f"service_quality.{VIEW_REVIEW}", review)


def can_complete_output(user, output) -> bool:
    if not _active(user):
        return False
    return output.owner_id == user.pk or is_central_officer(user)
