"""Corrective actions: the department's answers and the auditors' effectiveness
checks, each answer a new attempt (audits.models.ActionAttempt), every one kept."""

import datetime

from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _

from .. import notices, permissions
from ..exceptions import AuditError
from ..models import ActionAttempt, ActionState, AuditState, CorrectiveAction
from ._common import _check_action_transition, _day, _deny, _lock_action, _save, _text
from .findings import _check_action_plan, _grant_answer


@transaction.atomic
def corrective_action_answer(
    *,
    action: CorrectiveAction,
    actor,
    correction: str,
    root_cause: str,
    action_plan: str,
    evidence: str = "",
    owner=None,
) -> CorrectiveAction:
    """The audited department answers a nonconformity: correction, root cause,
    action, evidence of what was done, and optionally another owner of the
    department. Each answer is a new attempt (the first, or the next one after a
    failed effectiveness check); the action then waits for the auditors' check.

    Writes: the attempt (history "Trả lời lần N") and the action's state
    (history "Đơn vị trả lời hành động khắc phục").
    """
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
    number = (action.attempts.aggregate(m=Max("number"))["m"] or 0) + 1
    attempt = ActionAttempt(
        action=action,
        number=number,
        correction=_text(correction),
        root_cause=root_cause,
        action_plan=action_plan,
        evidence=_text(evidence),
        answered_by=actor,
        answered_at=timezone.now(),
    )
    _save(attempt, actor=actor, reason=_("Trả lời lần %(number)s") % {"number": number})
    action.state = ActionState.ANSWERED
    _save(action, actor=actor, reason=_("Đơn vị trả lời hành động khắc phục"))
    notices.action_to_verify(action, answered_by=actor)
    return action


@transaction.atomic
def corrective_action_verify(
    *,
    action: CorrectiveAction,
    actor,
    effective: bool,
    note: str,
    new_due_date: datetime.date | None = None,
) -> CorrectiveAction:
    """The audit team checks the attempt waiting for its check: effective closes
    the action (and with it the nonconformity); not effective ends the attempt and
    sends the action back to the department for a new attempt, optionally with a
    new due date. Whoever answered the attempt may not check it.

    Writes: the attempt's result (history "Kiểm tra hiệu lực lần N: …") and the
    action's state (history "Kiểm tra: …").
    """
    action = _lock_action(action)
    if not permissions.can_verify(actor, action):
        _deny()
    _check_action_transition(action, ActionState.CLOSED if effective else ActionState.OPEN)
    attempt = (
        ActionAttempt.objects.select_for_update()
        .filter(action=action, result=ActionAttempt.Result.PENDING)
        .get()
    )
    if attempt.answered_by_id == actor.pk:
        raise AuditError(
            _("Người trả lời không được tự kiểm tra hiệu lực hành động của mình."), code="duties"
        )
    note = _text(note)
    if not note:
        raise AuditError(_("Hãy ghi kết quả kiểm tra hiệu lực."), code="note")
    now = timezone.now()
    if new_due_date is not None:
        if effective:
            raise AuditError(
                _("Chỉ đặt hạn mới khi hành động chưa có hiệu lực."), code="due"
            )
        if new_due_date < timezone.localdate(now):
            raise AuditError(
                _("Hạn hoàn thành mới (%(due)s) không được trước hôm nay."),
                code="due",
                params={"due": _day(new_due_date)},
            )
    result = ActionAttempt.Result.EFFECTIVE if effective else ActionAttempt.Result.NOT_EFFECTIVE
    attempt.result = result
    attempt.verification_note = note
    attempt.verified_by, attempt.verified_at = actor, now
    _save(attempt, actor=actor, reason=_("Kiểm tra hiệu lực lần %(number)s: %(result)s") % {
        "number": attempt.number, "result": result.label})
    if effective:
        action.state, action.closed_at = ActionState.CLOSED, now
        reason = _("Kiểm tra: có hiệu lực, đóng hành động khắc phục")
    else:
        action.state = ActionState.OPEN
        if new_due_date is not None:
            action.due_date = new_due_date
        reason = _("Kiểm tra: chưa có hiệu lực, yêu cầu khắc phục lại")
    _save(action, actor=actor, reason=reason)
    if not effective:
        notices.action_reopened(action, note=note)
    return action
