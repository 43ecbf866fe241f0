"""Every state change of audit programmes, audits, checklists, findings,
corrective actions and audit reports.

Each function is one transaction, checks the actor's permission and the current
state (the audit or action re-read under a row lock), and records who did it and
why in the history (django-simple-history).
"""

import datetime

from django.contrib.auth import get_user_model
from django.db import IntegrityError, transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from guardian.shortcuts import assign_perm
from simple_history.utils import bulk_create_with_history

from procedures.models import ProcedureVersion
from procedures.models import State as VersionState
from qms import files, roles
from qms.history import save_with_history
from qms.models import Clause, Edition, OrgUnit
from qms.text import nfc

from . import permissions
from .exceptions import AuditError
from .models import (
    ACTION_TRANSITIONS,
    AUDIT_TRANSITIONS,
    ActionState,
    Audit,
    AuditProgramme,
    AuditReport,
    AuditState,
    ChecklistItem,
    CorrectiveAction,
    Finding,
    FindingAttachment,
)

EDITION_YEAR = 2015
# What evidence may be attached, recognised by content (qms/files.py).
EVIDENCE_KINDS = ("pdf", "docx", "odt", "txt", "md", "jpeg", "png")

# ---------------------------------------------------------------- helpers


def _deny():
    raise AuditError(_("Bạn không có quyền thực hiện thao tác này."), code="permission")


_save = save_with_history


def _text(value) -> str:
    return nfc(value or "").strip()


def _day(value: datetime.date) -> str:
    return date_format(value, "d/m/Y")


def _name(user) -> str:
    return user.get_full_name() or user.get_username()


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


# ---------------------------------------------------------------- programmes


@transaction.atomic
def programme_create(*, actor, year: int, title: str = "", objectives: str = "") -> AuditProgramme:
    """Open the audit programme of a year (one per year)."""
    if not permissions.can_plan(actor):
        _deny()
    if not isinstance(year, int) or not 2000 <= year <= 2100:
        raise AuditError(_("Năm %(year)s không hợp lệ."), code="year", params={"year": year})
    if AuditProgramme.objects.filter(year=year).exists():
        raise AuditError(
            _("Chương trình đánh giá năm %(year)s đã có."), code="duplicate", params={"year": year}
        )
    programme = AuditProgramme(
        year=year,
        title=_text(title) or _("Chương trình đánh giá nội bộ năm %(year)s") % {"year": year},
        objectives=_text(objectives),
        created_by=actor,
    )
    try:
        with transaction.atomic():
            _save(programme, actor=actor, reason=_("Lập chương trình đánh giá"))
    except IntegrityError:
        raise AuditError(
            _("Chương trình đánh giá năm %(year)s đã có."), code="duplicate", params={"year": year}
        ) from None
    return programme


# ---------------------------------------------------------------- audits


@transaction.atomic
def audit_create(
    *,
    actor,
    programme: AuditProgramme,
    title: str,
    departments,
    planned_start: datetime.date | None,
    planned_end: datetime.date | None,
    lead_auditor,
    team=(),
    clause_numbers=(),
    procedures=(),
    objectives: str = "",
) -> Audit:
    """Plan an audit: scope (departments, 2015 clauses, procedures), dates, lead and team.

    Refuses an auditor of an audited department. Grants the lead and the team their
    object permissions, and the audited departments' quality officers the right to
    see the audit.
    """
    if not permissions.can_plan(actor):
        _deny()
    programme = AuditProgramme.objects.select_for_update().get(pk=programme.pk)
    title = _text(title)
    if not title:
        raise AuditError(_("Hãy nhập tên cuộc đánh giá."), code="title")
    departments = list(departments or [])
    if not departments:
        raise AuditError(_("Hãy chọn ít nhất một đơn vị được đánh giá."), code="departments")
    if planned_start is None or planned_end is None:
        raise AuditError(_("Hãy nhập ngày bắt đầu và ngày kết thúc dự kiến."), code="dates")
    if planned_end < planned_start:
        raise AuditError(
            _("Ngày kết thúc (%(end)s) không được trước ngày bắt đầu (%(start)s)."),
            code="dates",
            params={"end": _day(planned_end), "start": _day(planned_start)},
        )
    if planned_start.year != programme.year:
        raise AuditError(
            _("Ngày bắt đầu phải thuộc năm %(year)s của chương trình đánh giá."),
            code="dates",
            params={"year": programme.year},
        )
    clauses = resolve_clauses(clause_numbers)
    procedures = list(procedures or [])
    if not clauses and not procedures:
        raise AuditError(
            _("Phạm vi đánh giá cần ít nhất một điều khoản hoặc một quy trình."), code="scope"
        )
    effective_ids = set(
        ProcedureVersion.objects.filter(
            procedure__in=procedures, state=VersionState.EFFECTIVE
        ).values_list("procedure_id", flat=True)
    )
    for procedure in procedures:
        if procedure.pk not in effective_ids:
            raise AuditError(
                _("Quy trình %(code)s chưa có phiên bản đang hiệu lực."),
                code="procedure",
                params={"code": procedure.code},
            )
    if lead_auditor is None:
        raise AuditError(_("Hãy chọn trưởng đoàn đánh giá."), code="lead")
    team = [u for u in dict.fromkeys(team or []) if u.pk != lead_auditor.pk]
    for person in (lead_auditor, *team):
        _check_auditor(person)
    _check_independence((lead_auditor, *team), departments)

    number = (programme.audits.aggregate(m=Max("number"))["m"] or 0) + 1
    audit = Audit(
        programme=programme,
        number=number,
        title=title,
        objectives=_text(objectives),
        planned_start=planned_start,
        planned_end=planned_end,
        lead_auditor=lead_auditor,
        created_by=actor,
    )
    _save(audit, actor=actor, reason=_("Lập kế hoạch đánh giá"))
    # m2m changes write their own history rows, with the same user and reason.
    audit.departments.set(departments)
    audit.clauses.set(clauses)
    audit.procedures.set(procedures)
    audit.team.set(team)

    for perm in permissions.LEAD_PERMS:
        assign_perm(perm, lead_auditor, audit)
    for perm in permissions.TEAM_PERMS:
        assign_perm(perm, team, audit)
    viewers = [actor, *_officers_of([d.pk for d in departments])]
    assign_perm(permissions.VIEW, viewers, audit)
    return audit


@transaction.atomic
def audit_start(*, audit: Audit, actor) -> Audit:
    """Start the audit and build its checklist: one item per clause in scope, then
    one per procedure in scope, against the version effective at this moment."""
    audit = _lock_audit(audit)
    if not permissions.can_lead(actor, audit):
        _deny()
    _check_audit_transition(audit, AuditState.IN_PROGRESS)
    items = []
    for clause in audit.clauses.order_by("sort_key"):
        items.append(ChecklistItem(
            audit=audit,
            clause=clause,
            question=_("Điều khoản %(number)s — %(title)s: đơn vị đáp ứng yêu cầu này như thế nào?")
            % {"number": clause.number, "title": clause.title_vi},
        ))
    versions = (
        ProcedureVersion.objects.filter(procedure__in=audit.procedures.all(), state=VersionState.EFFECTIVE)
        .select_related("procedure")
        .order_by("procedure__code")
    )
    for version in versions:
        items.append(ChecklistItem(
            audit=audit,
            procedure_version=version,
            question=_("%(code)s, lần ban hành %(revision)s — %(title)s: công việc có được thực hiện "
                       "đúng quy trình đang hiệu lực không?")
            % {"code": version.procedure.code, "revision": version.revision,
               "title": version.procedure.title},
        ))
    for position, item in enumerate(items, start=1):
        item.position = position
    bulk_create_with_history(
        items, ChecklistItem, default_user=actor, default_change_reason=_("Lập danh mục kiểm tra")
    )
    audit.state = AuditState.IN_PROGRESS
    audit.started_at = timezone.now()
    _save(audit, actor=actor, reason=_("Bắt đầu đánh giá"))
    return audit


@transaction.atomic
def checklist_item_answer(*, item: ChecklistItem, actor, result: str, notes: str = "") -> ChecklistItem:
    """Answer one checklist item: conforming, nonconforming (with a note) or not applicable."""
    item = ChecklistItem.objects.select_for_update(of=("self",)).select_related("audit").get(pk=item.pk)
    audit = item.audit
    if not permissions.can_conduct(actor, audit):
        _deny()
    if audit.state != AuditState.IN_PROGRESS:
        raise AuditError(
            _("Chỉ đánh giá danh mục kiểm tra khi cuộc đánh giá đang diễn ra."), code="state"
        )
    answers = {c for c in ChecklistItem.Result if c != ChecklistItem.Result.PENDING}
    if result not in answers:
        raise AuditError(_("Kết quả kiểm tra không hợp lệ."), code="result")
    notes = _text(notes)
    if result == ChecklistItem.Result.NONCONFORMING and not notes:
        raise AuditError(
            _("Hãy ghi chú bằng chứng cho mục không phù hợp."), code="notes"
        )
    if item.result == result and item.notes == notes:
        return item
    item.result, item.notes = result, notes
    item.answered_by, item.answered_at = actor, timezone.now()
    _save(item, actor=actor, reason=_("Đánh giá: %(result)s") % {
        "result": ChecklistItem.Result(result).label})
    return item


# ---------------------------------------------------------------- findings


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
    _save(attachment, actor=actor, reason=_("Đính kèm bằng chứng %(name)s") % {
        "name": attachment.original_name})
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
) -> Finding:
    """Record a finding of an audit in progress.

    A nonconformity (major or minor) opens its corrective action at once, owned by a
    person of the audited department with a due date; that person and the
    department's quality officers may answer it. `attachments` are (name, bytes)
    pairs, all checked before anything is saved.
    """
    audit = _lock_audit(audit)
    if not permissions.can_conduct(actor, audit):
        _deny()
    if audit.state != AuditState.IN_PROGRESS:
        raise AuditError(
            _("Chỉ ghi nhận phát hiện khi cuộc đánh giá đang diễn ra."), code="state"
        )
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
    if procedure_version is not None and procedure_version.state != VersionState.EFFECTIVE:
        raise AuditError(
            _("%(version)s không phải phiên bản đang hiệu lực của quy trình."),
            code="version",
            params={"version": str(procedure_version)},
        )
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
        recorded_by=actor,
    )
    _save(finding, actor=actor, reason=_("Ghi nhận phát hiện: %(grade)s") % {
        "grade": Finding.Grade(grade).label})
    for name, content, kind in checked:
        _attach(finding, actor=actor, name=name, content=content, kind=kind)
    if nonconformity:
        action = CorrectiveAction(finding=finding, owner=action_owner, due_date=action_due)
        _save(action, actor=actor, reason=_("Yêu cầu hành động khắc phục"))
        _grant_answer(action, [action_owner, *_officers_of([department.pk])])
    return finding


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


# ---------------------------------------------------------------- corrective actions


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
    action.correction = _text(correction)
    action.root_cause, action.action_plan = root_cause, action_plan
    action.state = ActionState.ANSWERED
    action.answered_by, action.answered_at = actor, timezone.now()
    _save(action, actor=actor, reason=_("Đơn vị trả lời hành động khắc phục"))
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
    return action


# ---------------------------------------------------------------- closing and reporting


@transaction.atomic
def audit_close(*, audit: Audit, actor) -> Audit:
    """Close a reported audit once every nonconformity's action is verified and closed."""
    audit = _lock_audit(audit)
    if not permissions.can_lead(actor, audit):
        _deny()
    _check_audit_transition(audit, AuditState.CLOSED)
    still_open = list(
        CorrectiveAction.objects.filter(finding__audit=audit)
        .exclude(state=ActionState.CLOSED)
        .order_by("finding__number")
        .values_list("finding__number", flat=True)
    )
    if still_open:
        raise AuditError(
            _("Chưa thể kết thúc cuộc đánh giá: còn %(count)s điểm không phù hợp chưa được "
              "khắc phục và kiểm tra hiệu lực (phát hiện số %(numbers)s)."),
            code="open_nonconformities",
            params={"count": len(still_open), "numbers": ", ".join(map(str, still_open))},
        )
    audit.state = AuditState.CLOSED
    audit.closed_at, audit.closed_by = timezone.now(), actor
    _save(audit, actor=actor, reason=_("Kết thúc cuộc đánh giá"))
    return audit


def report_number(audit: Audit, revision: int) -> str:
    """"BC-ĐG-2026-01 / lần 2". Stored and printed as the record's identity, so
    it is the same in every language (not translated)."""
    return f"BC-{audit.code} / lần {revision}"


@transaction.atomic
def audit_report_issue(*, audit: Audit, actor, note: str = "") -> AuditReport:
    """Issue the PDF audit record: a new revision, stored with its SHA-256 and frozen.

    The first issue moves an audit in progress to reported (every checklist item
    must be answered); later issues (after actions are verified, after closing) are
    new revisions, and the earlier ones are kept unchanged.
    """
    from . import pdf, selectors  # the layout and its data; no cycle at import time

    audit = _lock_audit(audit)
    if not permissions.can_lead(actor, audit):
        _deny()
    if audit.state == AuditState.PLANNED:
        raise AuditError(
            _("Cuộc đánh giá chưa bắt đầu nên chưa thể phát hành báo cáo."), code="state"
        )
    if audit.state == AuditState.IN_PROGRESS:
        pending = audit.checklist.filter(result=ChecklistItem.Result.PENDING).count()
        if pending:
            raise AuditError(
                _("Còn %(count)s mục kiểm tra chưa được đánh giá."),
                code="checklist",
                params={"count": pending},
            )
    revision = (audit.reports.aggregate(m=Max("revision"))["m"] or 0) + 1
    number = report_number(audit, revision)
    issued_at = timezone.now()
    if audit.state == AuditState.IN_PROGRESS:
        # Before the data is read: the record shows the state it creates.
        audit.state = AuditState.REPORTED
        audit.reported_at = issued_at
        _save(audit, actor=actor, reason=_("Phát hành báo cáo %(number)s") % {"number": number})
    data = selectors.audit_report_data(audit=audit)
    content = pdf.build_audit_report(
        data, number=number, issued_at=issued_at, issued_by=_name(actor)
    )
    report = AuditReport(
        audit=audit,
        revision=revision,
        number=number,
        # Written before commit, named by its hash (see _attach).
        file=files.store(content, "pdf", folder="audit_reports"),
        sha256=files.sha256_of(content),
        size=len(content),
        note=_text(note),
        issued_by=actor,
        issued_at=issued_at,
    )
    _save(report, actor=actor, reason=_("Phát hành báo cáo %(number)s") % {"number": number})
    return report
