"""Write the PDF audit record of an audit to a file.

    python manage.py audit_report AUDIT_ID -o FILE.pdf
    python manage.py audit_report AUDIT_ID -o FILE.pdf --issue --actor auditor --note "Lý do"
    python manage.py audit_report AUDIT_ID -o FILE.pdf --issue --actor auditor --password-file F

Without --issue: the latest issued revision, byte for byte; an audit never issued
gives a preview marked as such. With --issue: issues a new revision as ACTOR
(audits.services.audit_report_issue), which is the lead auditor's electronic
signature: the command asks for ACTOR's password (not echoed), or reads it from
the first line of --password-file (for scripts; keep that file readable by you
only), and writes the signed revision.
"""

import getpass

from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.core.files.storage import default_storage
from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone
from django.utils.translation import gettext as _

from audits import pdf, permissions, selectors, services
from audits.models import Audit
from qms import commands


class Command(BaseCommand):
    help = (
        "Write the PDF audit record of an audit (the latest issued revision, or a preview). "
        "With --issue --actor USERNAME, issue a new revision signed electronically by that lead "
        "auditor: the password is asked for (not echoed) or read from the first line of "
        "--password-file."
    )

    def add_arguments(self, parser):
        parser.add_argument("audit_id", help="id of the audit")
        parser.add_argument("-o", "--output", required=True, help="the PDF file to write")
        parser.add_argument("--issue", action="store_true", help="issue a new revision first")
        parser.add_argument("--actor", help="username of the lead auditor issuing it (with --issue)")
        parser.add_argument("--note", default="", help="why this revision is issued")
        parser.add_argument(
            "--password-file",
            help="with --issue: a file whose first line is ACTOR's password (else it is asked for)",
        )

    def handle(self, *args, audit_id, output, issue, actor, note, password_file, **options):
        try:
            audit = Audit.objects.select_related("programme").get(pk=int(audit_id))
        except (ValueError, Audit.DoesNotExist):
            raise CommandError(_("Không có cuộc đánh giá số %(id)s.") % {"id": audit_id}) from None
        target = commands.output_path(output)  # checked before anything is issued
        if issue:
            content, label = self._issue(audit, actor, note, password_file)
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
        commands.write_output(target, content)
        self.stdout.write(f"{target}: {label}, {len(content)} bytes")

    def _issue(self, audit, username, note, password_file):
        if not username:
            raise CommandError(_("Hãy cho biết người phát hành: --actor TÊN_ĐĂNG_NHẬP."))
        user = get_user_model().objects.filter(username=username).first()
        if user is None:
            raise CommandError(_("Không có người dùng %(name)s.") % {"name": username})
        if not permissions.can_lead(user, audit):
            # Asking for the password of someone who may not sign would be pointless.
            raise CommandError(_("Bạn không có quyền thực hiện thao tác này."))
        password = self._password(user, password_file)
        try:
            report = services.audit_report_issue(audit=audit, actor=user, password=password, note=note)
        except ValidationError as error:
            raise CommandError(" ".join(error.messages)) from None
        with default_storage.open(report.file.name, "rb") as handle:
            return handle.read(), f"{report.number} (SHA-256 {report.sha256})"

    def _password(self, user, password_file) -> str:
        """The signer's password: the first line of the file, or asked at the terminal."""
        if password_file:
            try:
                with open(password_file, encoding="utf-8") as handle:
                    return handle.readline().rstrip("\r\n")
            except (OSError, UnicodeDecodeError):
                raise CommandError(
                    _("Không đọc được tệp mật khẩu %(file)s.") % {"file": password_file}
                ) from None
        prompt = _("Mật khẩu của %(name)s (ký phát hành báo cáo): ") % {
            "name": user.get_full_name() or user.get_username()}
        try:
            return getpass.getpass(prompt)
        except (EOFError, KeyboardInterrupt, OSError):
            raise CommandError(
                _("Chưa nhập mật khẩu: báo cáo chưa được ký và phát hành.")
            ) from None
