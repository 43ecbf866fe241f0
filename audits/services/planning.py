"""Audit programmes, audits and their checklists: planning, starting, answering."""

import datetime

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _
from guardian.shortcuts import assign_perm
from simple_history.utils import bulk_create_with_history

from procedures.models import ProcedureVersion
from procedures.models import State as VersionState

from .. import notices, permissions
from ..exceptions import AuditError
from ..models import Audit, AuditProgramme, AuditState, ChecklistItem
from ..selectors import started_early
from ._common import (
    _check_audit_transition,
    _check_auditor,
    _check_independence,
    _day,
    _deny,
    _lock_audit,
    _officers_of,
    _save,
    _text,
    resolve_clauses,
)


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
    departments = list(departments or [])
    procedures = list(procedures or [])
    team = [u for u in dict.fromkeys(team or []) if lead_auditor is None or u.pk != lead_auditor.pk]
    # Every problem of the plan at once, not one per attempt.
    problems: list[ValidationError] = []
    clauses = _plan_problems(
        problems, programme=programme, title=title, departments=departments,
        planned_start=planned_start, planned_end=planned_end, clause_numbers=clause_numbers,
        procedures=procedures, lead_auditor=lead_auditor, team=team,
    )
    if problems:
        # One problem keeps its code for callers that look at it.
        raise problems[0] if len(problems) == 1 else AuditError(problems)

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
    notices.audit_planned(audit, team=[lead_auditor, *team], actor=actor)
    return audit


@transaction.atomic
def audit_start(*, audit: Audit, actor) -> Audit:
    """Start the audit and build its checklist: one item per clause in scope, then
    one per procedure in scope, against the version effective at this moment.

    Starting before the planned start date is allowed; the history records it
    ("Bắt đầu đánh giá trước ngày dự kiến …") and the audit page warns of it
    (`started_early`)."""
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
    if started_early(audit):
        reason = _("Bắt đầu đánh giá trước ngày dự kiến (%(date)s)") % {"date": _day(audit.planned_start)}
    else:
        reason = _("Bắt đầu đánh giá")
    _save(audit, actor=actor, reason=reason)
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


def _plan_problems(problems: list, *, programme, title, departments, planned_start, planned_end,
                   clause_numbers, procedures, lead_auditor, team) -> list:
    """Append to `problems` every reason to refuse an audit plan; return its clauses."""

    def check(test):
        try:
            return test()
        except AuditError as error:
            problems.extend(error.error_list)
            return None

    if not title:
        problems.append(AuditError(_("Hãy nhập tên cuộc đánh giá."), code="title"))
    if not departments:
        problems.append(AuditError(_("Hãy chọn ít nhất một đơn vị được đánh giá."), code="departments"))
    if planned_start is None or planned_end is None:
        problems.append(AuditError(_("Hãy nhập ngày bắt đầu và ngày kết thúc dự kiến."), code="dates"))
    else:
        if planned_end < planned_start:
            problems.append(AuditError(
                _("Ngày kết thúc (%(end)s) không được trước ngày bắt đầu (%(start)s)."),
                code="dates", params={"end": _day(planned_end), "start": _day(planned_start)},
            ))
        if planned_start.year != programme.year:
            problems.append(AuditError(
                _("Ngày bắt đầu phải thuộc năm %(year)s của chương trình đánh giá."),
                code="dates", params={"year": programme.year},
            ))
    clauses = check(lambda: resolve_clauses(clause_numbers)) or []
    if not clause_numbers and not procedures:
        problems.append(AuditError(
            _("Phạm vi đánh giá cần ít nhất một điều khoản hoặc một quy trình."), code="scope"
        ))
    effective_ids = set(
        ProcedureVersion.objects.filter(
            procedure__in=procedures, state=VersionState.EFFECTIVE
        ).values_list("procedure_id", flat=True)
    )
    for procedure in procedures:
        if procedure.pk not in effective_ids:
            problems.append(AuditError(
                _("Quy trình %(code)s chưa có phiên bản đang hiệu lực."),
                code="procedure", params={"code": procedure.code},
            ))
    if lead_auditor is None:
        problems.append(AuditError(_("Hãy chọn trưởng đoàn đánh giá."), code="lead"))
    people = [p for p in (lead_auditor, *team) if p is not None]
    for person in people:
        check(lambda person=person: _check_auditor(person))
    for person in people:
        check(lambda person=person: _check_independence([person], departments))
    return clauses
