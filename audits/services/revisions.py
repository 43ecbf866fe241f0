"""Changing a finding: edited in place until the report is first issued, a new
revision of the record after that (the earlier one frozen and kept readable)."""

import datetime

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from guardian.shortcuts import remove_perm

from procedures.models import ProcedureVersion
from qms.models import Clause, OrgUnit

from .. import permissions
from ..exceptions import AuditError
from ..models import ActionState, AuditState, CorrectiveAction, Finding, FindingRevision
from ._common import _deny, _fit_reason, _lock_audit, _officers_of, _save, _text
from .findings import _check_action_plan, _check_content, _grant_answer, _open_action

# The content of a finding: what a revision freezes (attribute names).
CONTENT = ("grade", "statement", "evidence", "clause_id", "department_id", "procedure_version_id")


def _action_of(finding: Finding) -> CorrectiveAction | None:
    return CorrectiveAction.objects.select_for_update(of=("self",)).filter(finding=finding).first()


@transaction.atomic
def finding_update(
    *,
    finding: Finding,
    actor,
    grade: str,
    statement: str,
    clause: Clause | None,
    department: OrgUnit | None,
    evidence: str = "",
    procedure_version: ProcedureVersion | None = None,
    reason: str = "",
    action_owner=None,
    action_due: datetime.date | None = None,
) -> Finding:
    """Change what a finding says, by the audit team, while the audit is not closed.

    Until the audit report is first issued, the finding is edited in place (its
    history keeps every change). Once issued, a change is a new revision: the
    content as it stood is frozen in a FindingRevision, the finding carries the new
    content with its revision number, who changed it, when and why (the reason is
    then required). Nothing changed: nothing is written.

    A finding may become a nonconformity (its corrective action opens: owner and due
    date required); once it has an action it stays a nonconformity. Moving a
    nonconformity to another department needs an owner of that department
    (`action_owner`, while the action has no answer yet), whose quality officers
    then answer it instead of the former department's.
    """
    audit = _lock_audit(finding.audit)
    finding = (
        Finding.objects.select_for_update(of=("self",))
        .select_related("procedure_version", "department")
        .get(pk=finding.pk)
    )
    if not permissions.can_conduct(actor, audit):
        _deny()
    if audit.state not in (AuditState.IN_PROGRESS, AuditState.REPORTED):
        raise AuditError(
            _("Cuộc đánh giá đã kết thúc: phát hiện không được sửa đổi."), code="state"
        )
    statement = _check_content(
        audit, grade=grade, statement=statement, clause=clause, department=department,
        procedure_version=procedure_version, unchanged_version=finding.procedure_version,
    )
    new = {
        "grade": grade,
        "statement": statement,
        "evidence": _text(evidence),
        "clause_id": clause.pk,
        "department_id": department.pk,
        "procedure_version_id": procedure_version.pk if procedure_version else None,
    }
    changed = [name for name in CONTENT if getattr(finding, name) != new[name]]
    action = _action_of(finding)
    owner_change = action is not None and action_owner is not None and action_owner.pk != action.owner_id
    if not changed and not owner_change:
        return finding

    if action is not None and grade not in Finding.NONCONFORMITIES:
        raise AuditError(
            _("Phát hiện số %(number)s đã có hành động khắc phục nên vẫn là điểm không phù hợp "
              "(nặng hoặc nhẹ)."),
            code="grade",
            params={"number": finding.number},
        )
    opens_action = action is None and grade in Finding.NONCONFORMITIES
    if opens_action:
        _check_action_plan(audit, department, action_owner, action_due)
    moved = "department_id" in changed
    if action is not None and (moved or owner_change):
        if owner_change and (action.state != ActionState.OPEN or action.attempts.exists()):
            raise AuditError(
                _("Hành động khắc phục đã được trả lời: không đổi người chịu trách nhiệm."),
                code="owner",
            )
        _check_action_plan(audit, department, action_owner or action.owner, action.due_date)

    reason = _text(reason)
    issued = audit.reports.exists()
    if changed:
        if issued:
            if not reason:
                raise AuditError(
                    _("Báo cáo đã phát hành: hãy nêu lý do sửa đổi phát hiện."), code="reason"
                )
            _freeze(finding, actor=actor)
            finding.revision += 1
            finding.revised_by, finding.revised_at, finding.revision_reason = actor, timezone.now(), reason
            why = _("Sửa đổi phát hiện, lần sửa %(revision)s: %(reason)s") % {
                "revision": finding.revision, "reason": reason}
        else:
            why = (_("Sửa phát hiện: %(reason)s") % {"reason": reason}) if reason else _("Sửa phát hiện")
        why = _fit_reason(why)  # the whole reason stays on the finding
        old_department_id = finding.department_id
        for name in CONTENT:
            setattr(finding, name, new[name])
        _save(finding, actor=actor, reason=why)
        if action is not None and moved:
            _move_answer_rights(action, old_department_id, keep=action_owner or action.owner)
    if opens_action:
        _open_action(finding, actor=actor, owner=action_owner, due=action_due)
    elif owner_change:
        action.owner = action_owner
        _save(action, actor=actor, reason=_("Đổi người chịu trách nhiệm khắc phục"))
        _grant_answer(action, [action_owner])
    return finding


def _freeze(finding: Finding, *, actor) -> FindingRevision:
    """Keep the finding's content as it stands as its numbered revision."""
    frozen = FindingRevision(
        finding=finding,
        revision=finding.revision,
        grade=finding.grade,
        statement=finding.statement,
        evidence=finding.evidence,
        clause_id=finding.clause_id,
        department_id=finding.department_id,
        procedure_version_id=finding.procedure_version_id,
        made_by_id=finding.revised_by_id or finding.recorded_by_id,
        made_at=finding.revised_at or finding.recorded_at,
        reason=finding.revision_reason,
    )
    _save(frozen, actor=actor, reason=_("Lưu lần sửa %(revision)s của phát hiện") % {
        "revision": finding.revision})
    return frozen


def _move_answer_rights(action: CorrectiveAction, old_department_id: int, *, keep) -> None:
    """The new department's quality officers answer the action, the former ones no longer."""
    former = [p for p in _officers_of([old_department_id]) if p.pk != keep.pk]
    if former:
        remove_perm(permissions.ANSWER, former, action)
    _grant_answer(action, _officers_of([action.finding.department_id]))
