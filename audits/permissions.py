"""Every permission decision about audits, in one place. Deny by default.

Object permissions, granted by the services only:
- the lead auditor: view, conduct and lead the audit;
- the team: view and conduct (checklist, findings, verification);
- the audited departments' quality officers: view the audit, answer the
  corrective actions of their department;
- the owner of a corrective action: view the audit, answer the action.
Staff and strangers have nothing; a superuser has everything.
"""

from guardian.core import ObjectPermissionChecker

from qms import roles

VIEW = "view_audit"
CONDUCT = "conduct_audit"
LEAD = "lead_audit"
ANSWER = "answer_correctiveaction"

LEAD_PERMS = (VIEW, CONDUCT, LEAD)
TEAM_PERMS = (VIEW, CONDUCT)
AUDITEE_PERMS = (VIEW,)


def _active(user) -> bool:
    return bool(user and user.is_authenticated and user.is_active)


def _has(user, perm, obj, checker=None) -> bool:
    if not _active(user):
        return False
    if checker is not None:
        return checker.has_perm(perm, obj)
    app = obj._meta.app_label
    return user.has_perm(f"{app}.{perm}", obj)


def is_auditor(user) -> bool:
    return _active(user) and (user.is_superuser or roles.has_role(user, roles.INTERNAL_AUDITOR))


def can_plan(user) -> bool:
    """Create programmes and audits."""
    return is_auditor(user)


def can_view_audit(user, audit, checker=None) -> bool:
    return _has(user, VIEW, audit, checker)


def can_conduct(user, audit, checker=None) -> bool:
    return _has(user, CONDUCT, audit, checker)


def can_lead(user, audit, checker=None) -> bool:
    return _has(user, LEAD, audit, checker)


def can_answer(user, action, checker=None) -> bool:
    return _has(user, ANSWER, action, checker)


def can_verify(user, action, checker=None) -> bool:
    """The audit team checks the effectiveness of an action."""
    return can_conduct(user, action.finding.audit, checker)


def checker_for(user, *, audits=(), actions=()) -> ObjectPermissionChecker | None:
    """A permission checker with the user's permissions on these objects loaded in
    two queries per model, instead of two per object."""
    if not _active(user):
        return None
    checker = ObjectPermissionChecker(user)
    if not user.is_superuser:
        for objects in (list(audits), list(actions)):
            if objects:
                checker.prefetch_perms(objects)
    return checker


def audit_perms(user, audit, checker=None) -> dict[str, bool]:
    """What the user may do on this audit, for templates."""
    return {
        "view": can_view_audit(user, audit, checker),
        "conduct": can_conduct(user, audit, checker),
        "lead": can_lead(user, audit, checker),
    }
