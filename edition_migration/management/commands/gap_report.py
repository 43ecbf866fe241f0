"""Where each 2015 requirement stands: covered, partly covered, not covered, not applicable."""

import json

from django.core.management.base import BaseCommand
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from edition_migration import pdf, selectors
from qms import commands


class Command(BaseCommand):
    help = gettext_lazy(
        "Mỗi điều khoản của tiêu chuẩn ở đúng một trong: đã đáp ứng, đáp ứng một phần, chưa đáp "
        "ứng, không áp dụng (kèm lý giải); và thông tin dạng văn bản đã được xác nhận hay còn "
        "thiếu. JSON: {\"covered\": {số: [mã]}, \"partial\": {số: [mã]}, \"uncovered\": [số], "
        "\"not_applicable\": {số: lý giải}, …}."
    )

    def add_arguments(self, parser):
        parser.add_argument("--edition", type=int, default=2015, choices=[2008, 2015])
        parser.add_argument("--format", default="text", choices=["text", "json"])
        parser.add_argument("--output", metavar="FILE.pdf", help=gettext_lazy("ghi báo cáo ra tệp PDF"))

    def handle(self, *args, edition, format, output, **options):
        target = commands.output_path(output) if output else None
        report = selectors.gap_report(edition=edition)
        if target:
            commands.write_output(target, pdf.gap_report_pdf(report, issuer=selectors.report_issuer()))
        if format == "json":
            self.stdout.write(json.dumps(report.as_json(), ensure_ascii=False, indent=2))
            return
        labels = {"covered": _("đã đáp ứng"), "partial": _("một phần"),
                  "uncovered": _("CHƯA ĐÁP ỨNG"), "not_applicable": _("không áp dụng")}
        for clause in report.clauses:
            detail = clause["justification"] or ", ".join(clause["codes"])
            self.stdout.write(f"{clause['number']:<9} {clause['title_vi']}: {labels[clause['status']]}"
                              + (f" ({detail})" if detail else ""))
        for item in report.documented:
            mark = _("có") if item["present"] else _("THIẾU")
            self.stdout.write(f"[{mark}] {item['clause']} {item['title_vi']}")
        self.stdout.write(_("%(covered)s điều khoản đã đáp ứng, %(partial)s một phần, %(uncovered)s "
                            "chưa đáp ứng, %(na)s không áp dụng; %(missing)s thông tin dạng văn bản "
                            "còn thiếu.") % {
            "covered": len(report.covered), "partial": len(report.partial),
            "uncovered": len(report.uncovered), "na": len(report.not_applicable),
            "missing": sum(1 for d in report.documented if not d["present"])})
