"""Corrective actions: the department's answer and the auditor's effectiveness check."""


from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from .. import notices, permissions
from ..exceptions import AuditError
from ..models import ActionState, AuditState, CorrectiveAction
from ._common import _check_action_transition, _deny, _lock_action, _save, _text
from .findings import _check_action_plan, _grant_answer


@transaction.atomic
def corrective_action_answer(
    *,
    action: CorrectiveAction,
    actor,
    correction: str,
    root_cause: str,
    action_plan: str,
    owner=None,
) -> CorrectiveAction:
    """The audited department answers a nonconformity: correction, root cause,
    action, and optionally another owner of the department. The action then
    waits for the auditors' verification."""
    action = _lock_action(action)
    if not permissions.can_answer(actor, action):
        _deny()
    audit = action.finding.audit
    if audit.state == AuditState.CLOSED:
        raise AuditError(_("Cuộc đánh giá đã kết thúc."), code="state")
    _check_action_transition(action, ActionState.ANSWERED)
    root_cause, action_plan = _text(root_cause), _text(action_plan)
    if not root_cause:
        raise AuditError(_("Hãy nêu nguyên nhân gốc rễ."), code="root_cause")
    if not action_plan:
        raise AuditError(_("Hãy nêu hành động khắc phục."), code="action_plan")
    if owner is not None and owner.pk != action.owner_id:
        _check_action_plan(audit, action.finding.department, owner, action.due_date)
        action.owner = owner
        _grant_answer(action, [owner])
        notices.action_assigned(action)
    action.correction = _text(correction)
    action.root_cause, action.action_plan = root_cause, action_plan
    action.state = ActionState.ANSWERED
    action.answered_by, action.answered_at = actor, timezone.now()
    _save(action, actor=actor, reason=_("Đơn vị trả lời hành động khắc phục"))
    notices.action_to_verify(action, answered_by=actor)
    return action


@transaction.atomic
def corrective_action_verify(
    *, action: CorrectiveAction, actor, effective: bool, note: str
) -> CorrectiveAction:
    """The audit team checks an answered action: effective closes it (and with it
    the nonconformity); not effective sends it back to the department."""
    action = _lock_action(action)
    if not permissions.can_verify(actor, action):
        _deny()
    _check_action_transition(action, ActionState.CLOSED if effective else ActionState.OPEN)
    if action.answered_by_id == actor.pk:
        raise AuditError(
            _("Người trả lời không được tự kiểm tra hiệu lực hành động của mình."), code="duties"
        )
    note = _text(note)
    if not note:
        raise AuditError(_("Hãy ghi kết quả kiểm tra hiệu lực."), code="note")
    now = timezone.now()
    action.verification_note = note
    action.verified_by, action.verified_at = actor, now
    if effective:
        action.state, action.closed_at = ActionState.CLOSED, now
        reason = _("Kiểm tra: có hiệu lực, đóng hành động khắc phục")
    else:
        action.state = ActionState.OPEN
        reason = _("Kiểm tra: chưa có hiệu lực, yêu cầu khắc phục lại")
    _save(action, actor=actor, reason=reason)
    if not effective:
        notices.action_reopened(action)
    return action
