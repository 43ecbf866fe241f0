"""Excel downloads of findings and corrective actions: of one audit (whoever sees
the audit page), and of a year (the audits of that year the reader sees)."""

from django.http import Http404
from django.utils.translation import gettext as _

from qms.xlsx import Sheet, export_heading, xlsx_response

from . import selectors
from .selectors.access import has_action


def _person(user) -> str:
    return (user.get_full_name() or user.get_username()) if user else ""


def _finding_rows(findings) -> list:
    rows = []
    for f in findings:
        action = f.action if has_action(f) else None
        version = f.procedure_version
        rows.append([
            f.audit.code, f.number, f.get_grade_display(), f.clause.number, f.clause.title,
            str(f.department), version.procedure.code if version else "", f.statement,
            f.evidence, f.recorded_at.date(), _person(f.recorded_by),
            _person(action.owner) if action else "", action.due_date if action else None,
            action.get_state_display() if action else "",
            action.closed_at.date() if action and action.closed_at else None,
        ])
    return rows


def _attempt_rows(findings) -> list:
    rows = []
    for f in findings:
        if not has_action(f):
            continue
        for a in f.action.attempts.all():
            rows.append([
                f.audit.code, f.number, a.number, a.correction, a.root_cause, a.action_plan,
                a.evidence, _person(a.answered_by), a.answered_at.date(), a.get_result_display(),
                _person(a.verified_by), a.verified_at.date() if a.verified_at else None,
                a.verification_note,
            ])
    return rows


def _sheets(findings, heading) -> list[Sheet]:
    return [
        Sheet(title=_("Phát hiện"), heading=heading, rows=_finding_rows(findings), header=[
            _("Cuộc đánh giá"), _("Số"), _("Mức độ"), _("Điều khoản"), _("Tên điều khoản"),
            _("Đơn vị"), _("Tài liệu"), _("Nội dung phát hiện"), _("Bằng chứng"),
            _("Ngày ghi nhận"), _("Người ghi nhận"), _("Người chịu trách nhiệm khắc phục"),
            _("Hạn hoàn thành"), _("Trạng thái khắc phục"), _("Ngày đóng")]),
        Sheet(title=_("Hành động khắc phục"), heading=heading, rows=_attempt_rows(findings),
              header=[
            _("Cuộc đánh giá"), _("Phát hiện số"), _("Lần"), _("Khắc phục tức thời"),
            _("Nguyên nhân gốc rễ"), _("Hành động khắc phục"), _("Bằng chứng thực hiện"),
            _("Người trả lời"), _("Ngày trả lời"), _("Kết quả kiểm tra"), _("Người kiểm tra"),
            _("Ngày kiểm tra"), _("Nhận xét kiểm tra hiệu lực")]),
    ]


def audit_findings_xlsx(request, pk: int):
    audit = selectors.audit_get(user=request.user, pk=pk)  # 404 when hidden
    findings = selectors.findings_for_export(audits=selectors.visible_audits(request.user)
                                             .filter(pk=audit.pk))
    heading = export_heading(
        title=_("Phát hiện và hành động khắc phục: %(audit)s") % {"audit": audit}, user=request.user)
    return xlsx_response(filename=f"phat-hien-{audit.programme.year}-{audit.number:02d}.xlsx",
                         sheets=_sheets(findings, heading))


def year_findings_xlsx(request, year: int):
    audits = selectors.year_audits(user=request.user, year=year)
    if not audits.exists():
        raise Http404(year)
    findings = selectors.findings_for_export(audits=audits)
    heading = export_heading(
        title=_("Phát hiện và hành động khắc phục năm %(year)s") % {"year": year},
        user=request.user,
        lines=[_("Các cuộc đánh giá bạn được xem trong chương trình năm %(year)s.") % {"year": year}])
    return xlsx_response(filename=f"phat-hien-nam-{year}.xlsx", sheets=_sheets(findings, heading))
