"""The gap report as an Excel workbook: the clauses with their status and documents,
and the documented information the 2015 edition requires."""

from django.utils.translation import gettext as _

from qms.xlsx import Sheet, export_heading

from .gap import COVERED, NOT_APPLICABLE, PARTIAL, GapReport


def _status_words() -> dict:
    return {COVERED: _("Đã đáp ứng"), PARTIAL: _("Một phần"),
            NOT_APPLICABLE: _("Không áp dụng")}


def gap_sheets(report: GapReport, *, user) -> list[Sheet]:
    words = _status_words()
    heading = export_heading(
        title=_("Báo cáo khoảng cách so với TCVN ISO 9001:2015"), user=user, lines=[
            _("%(count)s tài liệu theo bản 2015 (hiệu lực hoặc dự thảo). Đã đáp ứng: "
              "%(covered)s; đáp ứng một phần: %(partial)s; chưa đáp ứng: %(uncovered)s; "
              "không áp dụng: %(na)s.") % {
                "count": report.procedures, "covered": len(report.covered),
                "partial": len(report.partial), "uncovered": len(report.uncovered),
                "na": len(report.not_applicable)}])
    clauses = []
    for c in report.clauses:
        decision = c["decision"]
        clauses.append([
            c["number"], c["title_vi"], _("có") if c["new"] else "",
            words.get(c["status"], _("Chưa đáp ứng")), ", ".join(c["codes"]),
            c["justification"],
            (decision.decided_by.get_full_name() or decision.decided_by.get_username())
            if decision else "",
            decision.decided_at.date() if decision else None,
        ])
    documented = [[
        d["clause"], d["title_vi"], _("Duy trì") if d["kind"] == "maintain" else _("Lưu giữ"),
        _("Có") if d["present"] else _("Thiếu"), ", ".join(d["codes"]), ", ".join(d["proposed"]),
    ] for d in report.documented]
    return [
        Sheet(title=_("Điều khoản"), heading=heading, rows=clauses, header=[
            _("Điều khoản"), _("Tên điều khoản"), _("Yêu cầu mới"), _("Tình trạng"),
            _("Tài liệu"), _("Lý giải không áp dụng"), _("Người quyết định"),
            _("Ngày quyết định")]),
        Sheet(title=_("Thông tin dạng văn bản"), heading=heading, rows=documented, header=[
            _("Điều khoản"), _("Thông tin"), _("Loại"), _("Tình trạng"), _("Tài liệu"),
            _("Đề xuất")]),
    ]
