"""Findings and their evidence; a nonconformity opens its corrective action."""

import datetime

from django.db import transaction
from django.db.models import Max
from django.utils.translation import gettext as _
from guardian.shortcuts import assign_perm

from procedures.models import ProcedureVersion
from procedures.models import State as VersionState
from qms import files
from qms.models import Clause, OrgUnit

from .. import notices, permissions
from ..exceptions import AuditError
from ..models import (
    Audit,
    AuditState,
    ChecklistItem,
    CorrectiveAction,
    Finding,
    FindingAttachment,
)
from ._common import EDITION_YEAR, _day, _deny, _fit_reason, _lock_audit, _officers_of, _save, _text

# What evidence may be attached, recognised by content (qms/files.py).
EVIDENCE_KINDS = ("pdf", "docx", "odt", "txt", "md", "jpeg", "png")


def _checked_files(attachments) -> list[tuple[str, bytes, str]]:
    """Check every file before anything is saved: a refused file saves nothing."""
    checked = []
    for name, content in attachments or ():
        try:
            kind = files.check_upload(name, content, allowed=EVIDENCE_KINDS)
        except files.UploadError as error:
            raise AuditError(error.messages[0], code="file") from None
        checked.append((name, content, kind))
    return checked


def _attach(finding: Finding, *, actor, name: str, content: bytes, kind: str) -> FindingAttachment:
    attachment = FindingAttachment(
        finding=finding,
        uploaded_by=actor,
        **files.stored_file_fields(name=name, content=content, kind=kind, folder="audit_evidence"),
    )
    _save(attachment, actor=actor, reason=_fit_reason(_("Đính kèm bằng chứng %(name)s") % {
        "name": attachment.original_name}))
    return attachment


def _grant_answer(action: CorrectiveAction, people) -> None:
    people = [p for p in people if p is not None]
    assign_perm(permissions.ANSWER, people, action)
    assign_perm(permissions.VIEW, people, action.finding.audit)


@transaction.atomic
def finding_record(
    *,
    audit: Audit,
    actor,
    grade: str,
    statement: str,
    clause: Clause | None,
    department: OrgUnit | None,
    evidence: str = "",
    procedure_version: ProcedureVersion | None = None,
    action_owner=None,
    action_due: datetime.date | None = None,
    attachments=(),
    checklist_item: ChecklistItem | None = None,
) -> Finding:
    """Record a finding of an audit in progress.

    A nonconformity (major or minor) opens its corrective action at once, owned by a
    person of the audited department with a due date; that person and the
    department's quality officers may answer it. `attachments` are (name, bytes)
    pairs, all checked before anything is saved. `checklist_item`, when given, is
    the item of this audit's checklist the finding was raised from.
    """
    audit = _lock_audit(audit)
    if not permissions.can_conduct(actor, audit):
        _deny()
    if audit.state != AuditState.IN_PROGRESS:
        raise AuditError(
            _("Chỉ ghi nhận phát hiện khi cuộc đánh giá đang diễn ra."), code="state"
        )
    if checklist_item is not None and checklist_item.audit_id != audit.pk:
        raise AuditError(
            _("Mục kiểm tra không thuộc cuộc đánh giá này."), code="checklist_item"
        )
    statement = _check_content(audit, grade=grade, statement=statement, clause=clause,
                               department=department, procedure_version=procedure_version)
    nonconformity = grade in Finding.NONCONFORMITIES
    if nonconformity:
        _check_action_plan(audit, department, action_owner, action_due)
    checked = _checked_files(attachments)

    number = (audit.findings.aggregate(m=Max("number"))["m"] or 0) + 1
    finding = Finding(
        audit=audit,
        number=number,
        grade=grade,
        statement=statement,
        evidence=_text(evidence),
        clause=clause,
        procedure_version=procedure_version,
        department=department,
        checklist_item=checklist_item,
        recorded_by=actor,
    )
    _save(finding, actor=actor, reason=_("Ghi nhận phát hiện: %(grade)s") % {
        "grade": Finding.Grade(grade).label})
    for name, content, kind in checked:
        _attach(finding, actor=actor, name=name, content=content, kind=kind)
    if nonconformity:
        _open_action(finding, actor=actor, owner=action_owner, due=action_due)
    return finding


def _open_action(finding: Finding, *, actor, owner, due) -> CorrectiveAction:
    action = CorrectiveAction(finding=finding, owner=owner, due_date=due)
    _save(action, actor=actor, reason=_("Yêu cầu hành động khắc phục"))
    _grant_answer(action, [owner, *_officers_of([finding.department_id])])
    notices.action_assigned(action)
    return action


def _check_content(audit, *, grade, statement, clause, department, procedure_version,
                   unchanged_version=None) -> str:
    """The rules of a finding's content, for a new finding and for a change;
    `unchanged_version` is the version a change keeps (it may have been superseded
    since). Returns the statement as stored."""
    if grade not in Finding.Grade.values:
        raise AuditError(_("Mức độ của phát hiện không hợp lệ."), code="grade")
    statement = _text(statement)
    if not statement:
        raise AuditError(_("Hãy nhập nội dung phát hiện."), code="statement")
    if clause is None:
        raise AuditError(
            _("Phát hiện phải viện dẫn một điều khoản của ISO 9001:2015."), code="clause"
        )
    if clause.edition.year != EDITION_YEAR:
        raise AuditError(
            _("Điều khoản %(number)s thuộc %(edition)s; phát hiện phải viện dẫn điều khoản "
              "của ISO 9001:2015."),
            code="clause",
            params={"number": clause.number, "edition": clause.edition.name},
        )
    if department is None or not audit.departments.filter(pk=department.pk).exists():
        raise AuditError(
            _("Đơn vị “%(name)s” không thuộc phạm vi cuộc đánh giá."),
            code="department",
            params={"name": department.name if department else "—"},
        )
    if (
        procedure_version is not None
        and procedure_version != unchanged_version
        and procedure_version.state != VersionState.EFFECTIVE
    ):
        raise AuditError(
            _("%(version)s không phải phiên bản đang hiệu lực của quy trình."),
            code="version",
            params={"version": str(procedure_version)},
        )
    return statement


def _check_action_plan(audit, department, owner, due) -> None:
    if owner is None:
        raise AuditError(
            _("Hãy chọn người chịu trách nhiệm khắc phục điểm không phù hợp."), code="owner"
        )
    if not owner.is_active or owner.department_id != department.pk:
        raise AuditError(
            _("Người chịu trách nhiệm khắc phục phải là người của đơn vị được đánh giá (%(department)s)."),
            code="owner",
            params={"department": department.name},
        )
    if due is None:
        raise AuditError(_("Hãy nhập hạn hoàn thành hành động khắc phục."), code="due")
    if due < audit.planned_start:
        raise AuditError(
            _("Hạn hoàn thành (%(due)s) không được trước ngày bắt đầu đánh giá (%(start)s)."),
            code="due",
            params={"due": _day(due), "start": _day(audit.planned_start)},
        )


@transaction.atomic
def finding_attachment_add(*, finding: Finding, actor, name: str, content: bytes) -> FindingAttachment:
    """Attach evidence to a finding while the audit is open (in progress or reported)."""
    audit = _lock_audit(finding.audit)
    if not permissions.can_conduct(actor, audit):
        _deny()
    if audit.state not in (AuditState.IN_PROGRESS, AuditState.REPORTED):
        raise AuditError(
            _("Cuộc đánh giá đã kết thúc: không đính kèm thêm bằng chứng."), code="state"
        )
    [(name, content, kind)] = _checked_files([(name, content)])
    return _attach(finding, actor=actor, name=name, content=content, kind=kind)
