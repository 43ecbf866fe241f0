"""PDF layout of the migration report and the gap report (plain data in, bytes out)."""

from django.utils import timezone
from django.utils.translation import gettext as _
from reportlab.lib.units import mm
from reportlab.platypus import PageBreak, Spacer

from qms import pdf as qpdf


def _stamp() -> str:
    return timezone.localtime().strftime("%d/%m/%Y %H:%M")


def migration_report_pdf(results: list[dict], *, dry_run: bool = False, actor: str = "") -> bytes:
    """One section per procedure: revisions, clauses mapped, unmapped, points to decide,
    the terms flagged (grouped by term, with their count and decisions)."""
    st = qpdf.styles()
    title = _("Báo cáo chuyển đổi sang TCVN ISO 9001:2015")
    story = [qpdf.para(title, st["Title"])]
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
                _("Thuật ngữ"), _("Cần quyết định")]]
    for r in done:
        summary.append([
            r["code"],
            f"{r['from_revision']} → {r['to_revision'] if r['to_revision'] is not None else '—'}",
            ", ".join(r["from_clauses"]),
            ", ".join(r["to_clauses"]),
            str(len(r["terms"])),
            str(len(r["needs_decision"])),
        ])
    story.append(qpdf.table(summary, [28 * mm, 20 * mm, 40 * mm, 46 * mm, 18 * mm, 22 * mm]))
    if failed:
        story.append(Spacer(1, 4 * mm))
        story.append(qpdf.para(_("Không chuyển đổi được"), st["Heading2"]))
        rows = [[_("Mã số"), _("Lý do")]] + [[r["code"], r.get("error") or ""] for r in failed]
        story.append(qpdf.table(rows, [35 * mm, 139 * mm]))
    for r in done:
        story.append(PageBreak())
        story.append(qpdf.para(f"{r['code']} — {r.get('title', '')}", st["Heading2"]))
        story.append(qpdf.para(
            _("Lần ban hành %(old)s (2008) → lần ban hành %(new)s (2015, dự thảo)") % {
                "old": r["from_revision"],
                "new": r["to_revision"] if r["to_revision"] is not None else "—"},
            st["Normal"]))
        story.append(qpdf.para(
            _("Điều khoản: %(old)s → %(new)s") % {
                "old": ", ".join(r["from_clauses"]) or "—", "new": ", ".join(r["to_clauses"]) or "—"},
            st["Normal"]))
        if r["unmapped"]:
            story.append(qpdf.para(
                _("Không chuyển được: %(numbers)s") % {"numbers": ", ".join(r["unmapped"])},
                st["Normal"]))
        if r["needs_decision"]:
            story.append(qpdf.para(_("Điểm cần quyết định"), st["Heading3"]))
            rows = [[_("Nội dung"), _("Ghi chú (tiếng Anh)")]]
            rows += [[d["note_vi"], d["note_en"]] for d in r["needs_decision"]]
            story.append(qpdf.table(rows, [87 * mm, 87 * mm]))
        if r["terms"]:
            story.append(qpdf.para(_("Thuật ngữ bản 2008 được đánh dấu"), st["Heading3"]))
            rows = [[_("Cụm từ"), _("Số lần"), _("Đề xuất (tiếng Việt)"), _("Đề xuất (tiếng Anh)"),
                     _("Quyết định")]]
            for found, info in _group_terms(r["terms"]).items():
                rows.append([found, str(info["count"]), info["proposed_vi"], info["proposed_en"],
                             info["decisions"]])
            story.append(qpdf.table(rows, [32 * mm, 14 * mm, 52 * mm, 48 * mm, 28 * mm]))
    return qpdf.build_pdf(
        story, title=title, header=title,
        footer=_("Đề xuất của công cụ: mọi thay đổi do người có thẩm quyền quyết định."),
        author=actor, watermark=_("CHẠY THỬ") if dry_run else "",
    )


def _group_terms(flags: list[dict]) -> dict[str, dict]:
    labels = {"pending": _("Chưa quyết định"), "accepted": _("Chấp nhận"), "refused": _("Từ chối")}
    groups: dict[str, dict] = {}
    for flag in flags:
        found = flag["found"].lower()
        group = groups.setdefault(found, {"count": 0, "proposed_vi": flag["proposed_vi"],
                                          "proposed_en": flag["proposed_en"], "tally": {}})
        group["count"] += 1
        decision = flag.get("decision", "pending")
        group["tally"][decision] = group["tally"].get(decision, 0) + 1
    for group in groups.values():
        group["decisions"] = "; ".join(f"{labels.get(k, k)}: {v}" for k, v in group["tally"].items())
    return groups


def gap_report_pdf(report) -> bytes:
    """Clauses with the procedures covering them (uncovered ones marked), then the
    documented information required, present or missing."""
    st = qpdf.styles()
    title = _("Báo cáo khoảng cách so với TCVN ISO 9001:%(year)s") % {"year": report.edition}
    story = [qpdf.para(title, st["Title"])]
    story.append(qpdf.para(
        _("Lập lúc %(time)s. %(procedures)s tài liệu theo bản %(year)s; %(covered)s điều khoản "
          "đã có tài liệu, %(uncovered)s điều khoản chưa có.") % {
            "time": _stamp(), "procedures": report.procedures, "year": report.edition,
            "covered": len(report.covered), "uncovered": len(report.uncovered)},
        st["Normal"]))
    story.append(Spacer(1, 4 * mm))
    story.append(qpdf.para(_("Điều khoản và tài liệu đáp ứng"), st["Heading2"]))
    rows = [[_("Điều khoản"), _("Tên điều khoản"), _("Tài liệu đáp ứng")]]
    for clause in report.clauses:
        name = clause["title_vi"] + (" " + _("(yêu cầu mới)") if clause["new"] else "")
        rows.append([clause["number"], name, ", ".join(clause["codes"]) or _("CHƯA CÓ")])
    story.append(qpdf.table(rows, [22 * mm, 82 * mm, 70 * mm]))
    if report.documented:
        story.append(PageBreak())
        story.append(qpdf.para(_("Thông tin dạng văn bản theo yêu cầu của bản 2015"), st["Heading2"]))
        rows = [[_("Điều khoản"), _("Thông tin"), _("Loại"), _("Tình trạng")]]
        for item in report.documented:
            kind = _("Duy trì") if item["kind"] == "maintain" else _("Lưu giữ")
            state = (_("Có: %(codes)s") % {"codes": ", ".join(item["codes"][:6])}
                     if item["present"] else _("THIẾU"))
            rows.append([item["clause"], item["title_vi"], kind, state])
        story.append(qpdf.table(rows, [20 * mm, 86 * mm, 20 * mm, 48 * mm]))
    return qpdf.build_pdf(story, title=title, header=title,
                          footer=_("Hệ thống tài liệu ISO 9001 — UBND thành phố"))
