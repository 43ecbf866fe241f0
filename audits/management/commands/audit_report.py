"""Write the PDF audit record of an audit to a file.

    python manage.py audit_report AUDIT_ID -o FILE.pdf
    python manage.py audit_report AUDIT_ID -o FILE.pdf --issue --actor auditor --note "Lý do"

Without --issue: the latest issued revision, byte for byte; an audit never issued
gives a preview marked as such. With --issue: issues a new revision as ACTOR
(audits.services.audit_report_issue) and writes it.
"""

from pathlib import Path

from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.core.files.storage import default_storage
from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone
from django.utils.translation import gettext as _

from audits import pdf, selectors, services
from audits.models import Audit


class Command(BaseCommand):
    help = "Write the PDF audit record of an audit (the latest issued revision, or a preview)."

    def add_arguments(self, parser):
        parser.add_argument("audit_id", help="id of the audit")
        parser.add_argument("-o", "--output", required=True, help="the PDF file to write")
        parser.add_argument("--issue", action="store_true", help="issue a new revision first")
        parser.add_argument("--actor", help="username of the lead auditor issuing it (with --issue)")
        parser.add_argument("--note", default="", help="why this revision is issued")

    def handle(self, *args, audit_id, output, issue, actor, note, **options):
        try:
            audit = Audit.objects.select_related("programme").get(pk=int(audit_id))
        except (ValueError, Audit.DoesNotExist):
            raise CommandError(_("Không có cuộc đánh giá số %(id)s.") % {"id": audit_id}) from None
        target = Path(output)
        if not target.parent.is_dir():
            raise CommandError(_("Thư mục %(dir)s không tồn tại.") % {"dir": target.parent})
        if issue:
            content, label = self._issue(audit, actor, note)
        else:
            report = audit.reports.order_by("-revision").first()
            if report is not None:
                try:
                    with default_storage.open(report.file.name, "rb") as handle:
                        content = handle.read()
                except FileNotFoundError:
                    raise CommandError(
                        _("Không tìm thấy tệp của báo cáo %(number)s trong MEDIA_ROOT.")
                        % {"number": report.number}
                    ) from None
                label = report.number
            else:
                content = pdf.build_audit_report(
                    selectors.audit_report_data(audit=audit),
                    number=_("%(code)s (bản xem trước)") % {"code": audit.code},
                    issued_at=timezone.now(),
                    issued_by="",
                    watermark=_("BẢN XEM TRƯỚC"),
                )
                label = _("bản xem trước (chưa phát hành)")
        target.write_bytes(content)
        self.stdout.write(f"{target}: {label}, {len(content)} bytes")

    def _issue(self, audit, username, note):
        if not username:
            raise CommandError(_("Hãy cho biết người phát hành: --actor TÊN_ĐĂNG_NHẬP."))
        user = get_user_model().objects.filter(username=username).first()
        if user is None:
            raise CommandError(_("Không có người dùng %(name)s.") % {"name": username})
        try:
            report = services.audit_report_issue(audit=audit, actor=user, note=note)
        except ValidationError as error:
            raise CommandError(" ".join(error.messages)) from None
        with default_storage.open(report.file.name, "rb") as handle:
            return handle.read(), f"{report.number} (SHA-256 {report.sha256})"
