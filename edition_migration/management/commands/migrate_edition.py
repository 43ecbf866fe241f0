"""Make draft revisions on ISO 9001:2015 from the effective 2008 versions."""

import json

from django.core.management.base import BaseCommand
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from edition_migration import cli, pdf, selectors, services
from qms import commands


class Command(BaseCommand):
    help = gettext_lazy(
        "Với mỗi tài liệu có phiên bản hiệu lực theo ISO 9001:2008, tạo một dự thảo theo bản "
        "2015 (không bao giờ có hiệu lực ngay: qua xem xét và phê duyệt): điều khoản tương "
        "đương được chuyển, viện dẫn chỉ tương ứng một phần và thuật ngữ bản 2008 thành điểm "
        "cần quyết định. Chạy lại không tạo thêm; --dry-run không ghi gì."
    )

    def add_arguments(self, parser):
        parser.add_argument("--to", dest="target", type=int, default=2015, choices=[2015])
        parser.add_argument("--code", action="append", dest="codes", metavar="CODE",
                            help=gettext_lazy("chỉ các tài liệu này (lặp lại được)"))
        parser.add_argument("--dry-run", action="store_true")
        parser.add_argument("--format", default="text", choices=["text", "json"])
        parser.add_argument("--report", metavar="FILE.pdf", help=gettext_lazy("ghi báo cáo ra tệp PDF"))
        cli.add_actor_argument(parser)

    def handle(self, *args, codes, dry_run, format, report, actor, **options):
        target = commands.output_path(report) if report else None  # before any change
        actor = cli.actor_from(actor)
        codes = [c for value in (codes or []) for c in value.split(",") if c.strip()]
        total = len(services.candidates_for(actor=actor, codes=codes))
        bar = cli.progress_bar(total, _("Chuyển đổi"), self.stderr._out)
        results = services.edition_migrate(
            actor=actor, codes=codes or None, dry_run=dry_run, progress=bar.update
        )
        bar.close()
        if target:
            commands.write_output(target, pdf.migration_report_pdf(
                [r.as_json() for r in results], dry_run=dry_run, actor=str(actor),
                issuer=selectors.report_issuer()))
        if format == "json":
            self.stdout.write(json.dumps([r.as_json() for r in results], ensure_ascii=False, indent=2))
            return
        if not results:
            self.stdout.write(_("Không có tài liệu nào theo bản 2008 cần chuyển đổi: không có gì "
                                "được chuyển đổi."))
            return
        labels = {"created": _("đã tạo dự thảo"), "existing": _("dự thảo đã có"),
                  "dry_run": _("chạy thử")}
        for r in results:
            if r.status == "failed":
                self.stdout.write(_("%(code)s: LỖI — %(error)s") % {"code": r.code, "error": r.error})
                continue
            target = r.to_revision if r.to_revision is not None else "-"
            self.stdout.write(_("%(code)s: %(status)s, lần ban hành %(old)s → %(new)s; %(from)s → "
                                "%(to)s; %(points)s điểm, %(decisions)s điểm cần quyết định") % {
                "code": r.code, "status": labels[r.status], "old": r.from_revision, "new": target,
                "from": ", ".join(r.from_clauses), "to": ", ".join(r.to_clauses),
                "points": len(r.terms), "decisions": len(r.needs_decision)})
        counts = {s: sum(1 for r in results if r.status == s)
                  for s in ("created", "existing", "dry_run", "failed")}
        self.stdout.write(_("Đã tạo %(created)s dự thảo, %(existing)s đã có từ trước, %(dry_run)s "
                            "chạy thử, %(failed)s không chuyển đổi được.") % counts)
