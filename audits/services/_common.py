"""What the audit services share: refusals, row locks, state checks, the 2015 clause look-up, auditors' qualification and independence."""

import datetime

from django.contrib.auth import get_user_model
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from qms import roles
from qms.history import save_with_history
from qms.lockout import check_signing_password
from qms.models import Clause, Edition
from qms.text import nfc

from ..exceptions import AuditError
from ..models import (
    ACTION_TRANSITIONS,
    AUDIT_TRANSITIONS,
    ActionState,
    Audit,
    AuditState,
    CorrectiveAction,
)

EDITION_YEAR = 2015


def _deny():
    raise AuditError(_("Bạn không có quyền thực hiện thao tác này."), code="permission")


_save = save_with_history

# simple-history's history_change_reason holds 100 characters.
REASON_LIMIT = 100


def _fit_reason(text: str) -> str:
    """A change reason cut to what the history column holds (PostgreSQL refuses more)."""
    return text if len(text) <= REASON_LIMIT else text[: REASON_LIMIT - 1] + "…"


def _text(value) -> str:
    return nfc(value or "").strip()


def _day(value: datetime.date) -> str:
    return date_format(value, "d/m/Y")


def _name(user) -> str:
    return user.get_full_name() or user.get_username()


def _check_password(actor, password: str) -> None:
    """An electronic signature asks for the signer's password again; a wrong one
    counts towards the sign-in lockout, and a locked-out signer cannot sign."""
    check_signing_password(actor, password, error=AuditError)


def _lock_audit(audit: Audit) -> Audit:
    return (
        Audit.objects.select_for_update(of=("self",))
        .select_related("programme")
        .get(pk=audit.pk)
    )


def _lock_action(action: CorrectiveAction) -> CorrectiveAction:
    return (
        CorrectiveAction.objects.select_for_update(of=("self",))
        .select_related("finding__audit__programme", "finding__department", "owner")
        .get(pk=action.pk)
    )


def _check_audit_transition(audit: Audit, target: AuditState) -> None:
    if target not in AUDIT_TRANSITIONS[AuditState(audit.state)]:
        raise AuditError(
            _("Không thể chuyển cuộc đánh giá từ trạng thái “%(current)s” sang “%(target)s”."),
            code="state",
            params={"current": AuditState(audit.state).label, "target": target.label},
        )


def _check_action_transition(action: CorrectiveAction, target: ActionState) -> None:
    if target not in ACTION_TRANSITIONS[ActionState(action.state)]:
        raise AuditError(
            _("Không thể chuyển hành động khắc phục từ trạng thái “%(current)s” sang “%(target)s”."),
            code="state",
            params={"current": ActionState(action.state).label, "target": target.label},
        )


def _edition() -> Edition:
    return Edition.objects.get(year=EDITION_YEAR)


def resolve_clauses(numbers) -> list[Clause]:
    """The 2015 clauses with these numbers; an unknown number is refused."""
    wanted = {n.strip() for n in numbers if n and n.strip()}
    edition = _edition()
    found = {c.number: c for c in Clause.objects.filter(edition=edition, number__in=wanted)}
    missing = sorted(wanted - found.keys())
    if missing:
        raise AuditError(
            _("Điều khoản %(numbers)s không có trong %(edition)s."),
            code="clause",
            params={"numbers": ", ".join(missing), "edition": edition.name},
        )
    return sorted(found.values(), key=lambda c: c.sort_key)


def _check_auditor(user) -> None:
    if not (user and user.is_active and roles.has_role(user, roles.INTERNAL_AUDITOR)):
        raise AuditError(
            _("%(name)s không phải chuyên gia đánh giá nội bộ."),
            code="auditor",
            params={"name": _name(user) if user else "?"},
        )


def _check_independence(people, departments) -> None:
    """ISO 19011 impartiality: nobody audits their own department."""
    by_id = {d.pk: d for d in departments}
    for person in people:
        if person.department_id in by_id:
            raise AuditError(
                _("%(name)s không được đánh giá đơn vị của chính mình (%(department)s): "
                  "chuyên gia đánh giá phải độc lập với công việc được đánh giá."),
                code="independence",
                params={"name": _name(person), "department": by_id[person.department_id].name},
            )


def _officers_of(department_ids):
    User = get_user_model()
    return list(
        User.objects.filter(
            is_active=True, groups__name=roles.QUALITY_OFFICER, department__in=department_ids
        ).distinct()
    )
