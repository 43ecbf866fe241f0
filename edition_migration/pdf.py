"""PDF layout of the migration report and the gap report (plain data in, bytes out)."""

from django.conf import settings
from django.utils import timezone
from django.utils.translation import gettext as _
from reportlab.lib.enums import TA_CENTER
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.platypus import PageBreak, Spacer

from qms import markup
from qms import pdf as qpdf

# A report of a few procedures also prints each proposed text (through qms.markup,
# tables as tables); a run over hundreds keeps to the summary and the points.
BODIES_UP_TO = 20


def _stamp() -> str:
    return timezone.localtime().strftime("%d/%m/%Y %H:%M")


def _heading(issuer: str) -> list:
    """Decree 30 heading: the issuing unit under the parent body (the parent body
    alone when no unit is named), the national title, and today's place and date."""
    heading = qpdf.official_heading(
        issuer=issuer or settings.QMS_PARENT_BODY, parent=None if issuer else "",
        place_and_date=qpdf.place_date(timezone.localdate()),
    )
    return [heading, Spacer(1, 6 * mm)]


def _signer(title: str, name: str, st) -> list:
    """The preparer's signature block, kept on the page of the closing sentence."""
    centre = ParagraphStyle("mig-Centre", parent=st["Normal"], alignment=TA_CENTER)
    bold = ParagraphStyle("mig-CentreBold", parent=centre, fontName=qpdf.FONT_BOLD)
    closing = _("Báo cáo do công cụ lập; mọi thay đổi do người có thẩm quyền quyết định.")
    return [Spacer(1, 8 * mm), qpdf.signature_block(
        [qpdf.para(closing, st["Normal"]), Spacer(1, 4 * mm)],
        [[Spacer(1, 1)], [qpdf.para(title, bold), qpdf.para(_("(Ký, ghi rõ họ tên)"), centre),
                Spacer(1, 18 * mm), qpdf.para(name or "", centre)]],
    )]


def migration_report_pdf(results: list[dict], *, dry_run: bool = False, actor: str = "",
                         bodies: dict | None = None, issuer: str = "") -> bytes:
    """One section per procedure: revisions, clauses mapped, partial ones, the points
    for decision (line, 2008 text, proposal, note, decision), and the proposed text
    when `bodies` gives it."""
    st = qpdf.styles()
    title = _("Báo cáo chuyển đổi sang TCVN ISO 9001:2015")
    story = [*_heading(issuer), qpdf.para(title, st["Title"])]
    if dry_run:
        story.append(qpdf.para(_("Chạy thử: chưa có thay đổi nào được lưu."), st["Heading3"]))
    done = [r for r in results if r.get("status") != "failed"]
    failed = [r for r in results if r.get("status") == "failed"]
    story.append(qpdf.para(
        _("Lập lúc %(time)s bởi %(actor)s. %(done)s tài liệu được chuyển đổi, %(failed)s không "
          "chuyển đổi được.") % {"time": _stamp(), "actor": actor or "—", "done": len(done),
                                   "failed": len(failed)},
        st["Normal"]))
    story.append(Spacer(1, 4 * mm))
    summary = [[_("Mã số"), _("Lần ban hành"), _("Điều khoản 2008"), _("Điều khoản 2015"),
                _("Điểm"), _("Cần quyết định")]]
    for r in done:
        to = r["to_revision"] if r["to_revision"] is not None else "—"
        summary.append([
            r["code"], f"{r['from_revision']} → {to}", ", ".join(r["from_clauses"]),
            ", ".join(r["to_clauses"]), str(len(r["terms"])), str(len(r["needs_decision"])),
        ])
    story.append(qpdf.table(summary, [28 * mm, 20 * mm, 40 * mm, 46 * mm, 16 * mm, 24 * mm]))
    if failed:
        story.append(Spacer(1, 4 * mm))
        story.append(qpdf.para(_("Không chuyển đổi được"), st["Heading2"]))
        rows = [[_("Mã số"), _("Lý do")]] + [[r["code"], r.get("error") or ""] for r in failed]
        story.append(qpdf.table(rows, [35 * mm, 139 * mm]))
    labels = {"pending": _("Chưa quyết định"), "accepted": _("Chấp nhận"), "refused": _("Từ chối")}
    for r in done:
        story.append(PageBreak())
        story.append(qpdf.para(f"{r['code']} — {r.get('title', '')}", st["Heading2"]))
        story.append(qpdf.para(
            _("Lần ban hành %(old)s (2008) → lần ban hành %(new)s (2015, dự thảo)") % {
                "old": r["from_revision"],
                "new": r["to_revision"] if r["to_revision"] is not None else "—"},
            st["Normal"]))
        story.append(qpdf.para(
            _("Điều khoản tương đương: %(old)s → %(new)s") % {
                "old": ", ".join(r["from_clauses"]) or "—", "new": ", ".join(r["to_clauses"]) or "—"},
            st["Normal"]))
        for source, targets in (r.get("partial_clauses") or {}).items():
            story.append(qpdf.para(
                _("Tương ứng một phần (chờ quyết định): %(old)s → %(new)s") % {
                    "old": source, "new": ", ".join(targets)}, st["Normal"]))
        if r["terms"]:
            story.append(qpdf.para(_("Điểm cần xem xét"), st["Heading3"]))
            rows = [[_("Dòng"), _("Bản 2008"), _("Đề xuất"), _("Ghi chú"), _("Quyết định")]]
            for t in r["terms"]:
                rows.append([
                    str(t["line"] or "—"), t["found"], t["replacement"] or _("(xóa)"),
                    t["note_vi"], labels.get(t["decision"], t["decision"]),
                ])
            story.append(qpdf.table(rows, [14 * mm, 32 * mm, 40 * mm, 64 * mm, 24 * mm]))
        body = (bodies or {}).get(r["code"])
        if body:
            story.append(qpdf.para(_("Văn bản đề xuất"), st["Heading3"]))
            story += markup.to_flowables(body, markup.pdf_styles())
    story += _signer(_("NGƯỜI LẬP BÁO CÁO"), actor, st)
    return qpdf.build_pdf(
        story, title=title, header=title,
        footer=_("Đề xuất của công cụ: mọi thay đổi do người có thẩm quyền quyết định."),
        author=actor, watermark=_("CHẠY THỬ") if dry_run else "",
    )


STATUS_LABELS = {
    "covered": "Đã đáp ứng", "partial": "Một phần", "uncovered": "CHƯA ĐÁP ỨNG",
    "not_applicable": "Không áp dụng",
}


def gap_report_pdf(report, *, actor: str = "", issuer: str = "") -> bytes:
    """Each clause with its place (covered, partial, uncovered, not applicable) and the
    procedures; then the documented information, confirmed or missing."""
    st = qpdf.styles()
    title = _("Báo cáo khoảng cách so với TCVN ISO 9001:%(year)s") % {"year": report.edition}
    story = [*_heading(issuer), qpdf.para(title, st["Title"])]
    story.append(qpdf.para(
        _("Lập lúc %(time)s. %(procedures)s tài liệu theo bản %(year)s. Đã đáp ứng: "
          "%(covered)s; đáp ứng một phần: %(partial)s; chưa đáp ứng: %(uncovered)s; "
          "không áp dụng: %(na)s.") % {
            "time": _stamp(), "procedures": report.procedures, "year": report.edition,
            "covered": len(report.covered), "partial": len(report.partial),
            "uncovered": len(report.uncovered), "na": len(report.not_applicable)},
        st["Normal"]))
    if report.new_source:
        story.append(qpdf.para(
            _("Yêu cầu mới về cơ bản chỉ được tính là đáp ứng khi có tài liệu theo bản 2015 đề "
              "cập trực tiếp. Nguồn danh mục: %(source)s") % {"source": report.new_source},
            st["Small"]))
    story.append(Spacer(1, 4 * mm))
    story.append(qpdf.para(_("Điều khoản và tài liệu đáp ứng"), st["Heading2"]))
    rows = [[_("Điều khoản"), _("Tên điều khoản"), _("Tình trạng"), _("Tài liệu / lý giải")]]
    for clause in report.clauses:
        name = clause["title_vi"] + (" " + _("(yêu cầu mới)") if clause["new"] else "")
        detail = clause["justification"] if clause["status"] == "not_applicable" else ", ".join(clause["codes"])
        rows.append([clause["number"], name, _(STATUS_LABELS[clause["status"]]), detail or "—"])
    story.append(qpdf.table(rows, [20 * mm, 74 * mm, 28 * mm, 52 * mm]))
    if report.documented:
        story.append(PageBreak())
        story.append(qpdf.para(_("Thông tin dạng văn bản theo yêu cầu của bản 2015"), st["Heading2"]))
        rows = [[_("Điều khoản"), _("Thông tin"), _("Loại"), _("Tình trạng")]]
        for item in report.documented:
            kind = _("Duy trì") if item["kind"] == "maintain" else _("Lưu giữ")
            if item["present"]:
                state = _("Có: %(codes)s") % {"codes": ", ".join(item["codes"][:6])}
            elif item["proposed"]:
                state = _("THIẾU (đề xuất chờ xác nhận: %(codes)s)") % {
                    "codes": ", ".join(item["proposed"][:4])}
            else:
                state = _("THIẾU")
            rows.append([item["clause"], item["title_vi"], kind, state])
        story.append(qpdf.table(rows, [20 * mm, 86 * mm, 20 * mm, 48 * mm]))
    story += _signer(_("NGƯỜI LẬP BÁO CÁO"), actor, st)
    return qpdf.build_pdf(story, title=title, header=title,
                          footer=_("Hệ thống tài liệu ISO 9001 — UBND thành phố"))
