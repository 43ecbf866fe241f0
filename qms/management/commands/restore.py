"""python manage.py restore FILE: an archive written by `backup`, into an empty
installation (migrated, no users yet); all or nothing (see qms/backup/restore.py)."""

from django.core.management.base import BaseCommand
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from qms.backup import restore_read
from qms.backup.write import created_at_display


class Command(BaseCommand):
    help = gettext_lazy(
        "Khôi phục một bản sao lưu vào một cài đặt trống (cơ sở dữ liệu mới đã chạy migrate, kho "
        "lưu trữ trống). Kiểm tra toàn bộ bản sao lưu trước khi ghi; lỗi thì không thay đổi gì."
    )

    def add_arguments(self, parser):
        parser.add_argument("file", metavar="FILE", help=gettext_lazy("tệp bản sao lưu (.zip)"))

    def handle(self, *args, file, **options):
        result = restore_read(path=file)
        self.stdout.write(_("Đã khôi phục bản sao lưu lúc %(when)s (%(vendor)s):") % {
            "when": created_at_display(result.manifest), "vendor": result.manifest.get("database")})
        if options["verbosity"] > 0:
            for label, rows in result.rows.items():
                if rows:
                    self.stdout.write(f"  {label}: {rows}")
        self.stdout.write(_(
            "%(rows)s dòng của %(tables)s bảng; %(written)s tệp được ghi vào kho lưu trữ, %(present)s "
            "tệp đã có sẵn.") % {
            "rows": sum(result.rows.values()), "tables": len(result.rows),
            "written": result.files_written, "present": result.files_present})
        for name in result.files_missing:
            self.stderr.write(_("Cảnh báo: tệp %(name)s đã mất từ lúc sao lưu; verify_integrity sẽ "
                                "báo tệp này.") % {"name": name})
        self.stdout.write(_("Hãy chạy “python manage.py verify_integrity” để kiểm tra."))
