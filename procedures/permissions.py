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


def can_write_bodies(user) -> bool:
    """Who writes procedure texts (the editor and its preview): quality officers and
    administrators."""
    return bool(user and user.is_active) and (
        user.is_superuser or roles.has_role(user, roles.QUALITY_OFFICER))


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


# ---------------------------------------------------------------- routing and review
# The decisions below read `version.assignments.all()`: one query, or none when the
# caller prefetched them (the version page does).

APPROVAL_ONLY = "approval_only"
OPEN_FOR_COMMENTS = ("draft", "in_review")


def review_required(procedure) -> bool:
    """Whether a draft of this kind must be reviewed before approval
    (settings.QMS_REVIEW_POLICY; a kind not listed must)."""
    from django.conf import settings

    return settings.QMS_REVIEW_POLICY.get(procedure.kind) != APPROVAL_ONLY


def may_be_named_reviewer(user, version) -> bool:
    """Among the people allowed: active, review permission on the procedure, not the author."""
    return can_review(user, version)


def may_be_named_approver(user, version) -> bool:
    return can_approve(user, version)


def round_assignments(version) -> list:
    """The assignments of the version's current submission round."""
    return [a for a in version.assignments.all() if a.round == version.submission_round]


def _pending(user, version, role=None):
    for a in round_assignments(version):
        if a.person_id == user.pk and a.status == "pending" and (role is None or a.role == role):
            return a
    return None


def approval_is_open(version) -> bool:
    """Every reviewer named in the current round has signed (or none was named)."""
    return version.state == "in_review" and not any(
        a.role == "reviewer" and a.status != "signed" for a in round_assignments(version)
    )


def someone_signed(version) -> bool:
    """Someone signed (or returned) in the current round: the author can no longer recall."""
    return any(a.status in ("signed", "returned") for a in round_assignments(version))


def can_sign_review(user, version) -> bool:
    return (
        version.state == "in_review"
        and can_review(user, version)
        and _pending(user, version, "reviewer") is not None
    )


def can_sign_approval(user, version) -> bool:
    return (
        version.state == "in_review"
        and can_approve(user, version)
        and _pending(user, version, "approver") is not None
        and approval_is_open(version)
    )


def can_return(user, version) -> bool:
    """A named reviewer who has not signed yet, or the named approver, may return the draft."""
    return (
        version.state == "in_review"
        and (can_review(user, version) or can_approve(user, version))
        and _pending(user, version) is not None
    )


def can_recall(user, version) -> bool:
    """The author (or an officer with author permission) until someone signs."""
    return (
        version.state == "in_review" and can_author(user, version.procedure)
        and not someone_signed(version)
    )


def is_named(user, version) -> bool:
    """Named reviewer or approver of the version, in any round."""
    return any(a.person_id == user.pk for a in version.assignments.all())


def can_comment(user, version) -> bool:
    """Named reviewers and approvers comment; so do the authors (on their own text)."""
    if version.state not in OPEN_FOR_COMMENTS or not (user and user.is_active):
        return False
    return can_author(user, version.procedure) or (
        is_named(user, version) and can_view_drafts(user, version.procedure)
    )


def can_answer_comments(user, version) -> bool:
    """The author (or an officer with author permission) answers and resolves comments."""
    return version.state in OPEN_FOR_COMMENTS and can_author(user, version.procedure)
def can_run_scheduled_jobs(user) -> bool:
    """Running the daily job by hand (from the register) is for administrators."""
    return bool(user and user.is_active and user.is_superuser)
