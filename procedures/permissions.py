"""Every permission decision about procedures, in one place. Deny by default."""

from qms import roles

VIEW_EFFECTIVE = "procedures.view_effective_procedure"
AUTHOR = "author_procedure"
REVIEW = "review_procedure"
APPROVE = "approve_procedure"
PUBLISH = "publish_procedure"

# What each role is granted on a procedure when the services create or assign it.
OFFICER_PERMS = (AUTHOR, REVIEW, PUBLISH)
APPROVER_PERMS = (REVIEW, APPROVE)
DRAFT_READER_PERMS = (AUTHOR, REVIEW, APPROVE, PUBLISH)


def _has(user, perm, procedure) -> bool:
    return bool(user and user.is_active and user.has_perm(f"procedures.{perm}", procedure))


def can_view_effective(user) -> bool:
    return bool(user and user.is_active and user.has_perm(VIEW_EFFECTIVE))


def can_create_procedure(user, department) -> bool:
    if not (user and user.is_active):
        return False
    if user.is_superuser:
        return True
    return roles.has_role(user, roles.QUALITY_OFFICER) and user.department_id == department.pk


def can_author(user, procedure) -> bool:
    return _has(user, AUTHOR, procedure)


def can_view_drafts(user, procedure) -> bool:
    return any(_has(user, perm, procedure) for perm in DRAFT_READER_PERMS)


def can_review(user, version) -> bool:
    # Separation of duties: nobody reviews their own text.
    return version.author_id != user.pk and _has(user, REVIEW, version.procedure)


def can_approve(user, version) -> bool:
    return version.author_id != user.pk and _has(user, APPROVE, version.procedure)


def can_publish(user, procedure) -> bool:
    return _has(user, PUBLISH, procedure)


# ---------------------------------------------------------------- web application


def can_view_version(user, version) -> bool:
    """Effective text for every reader; any other state only for the draft readers."""
    if version.state == "effective":
        return can_view_effective(user)
    return can_view_drafts(user, version.procedure)


def can_manage(user, procedure) -> bool:
    """Authors and publishers read a procedure's access log and acknowledgements."""
    return _has(user, AUTHOR, procedure) or _has(user, PUBLISH, procedure)


def can_use_register(user) -> bool:
    """The register and the dashboards' work lists are for officers and approvers."""
    if not (user and user.is_active):
        return False
    return (
        user.is_superuser
        or roles.has_role(user, roles.QUALITY_OFFICER)
        or roles.has_role(user, roles.APPROVER)
    )


def must_acknowledge(user) -> bool:
    """Staff members acknowledge the versions distributed to their department."""
    return bool(user and user.is_active and user.department_id) and roles.has_role(
        user, roles.STAFF
    )


def can_run_scheduled_jobs(user) -> bool:
    """Running the daily job by hand (from the register) is for administrators."""
    return bool(user and user.is_active and user.is_superuser)
