"""python manage.py backup FILE: the database (one consistent snapshot) and every
stored file with its SHA-256, in one zip archive (see qms/backup/)."""

from django.core.management.base import BaseCommand
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from qms.backup import backup_write


class Command(BaseCommand):
    help = gettext_lazy(
        "Sao lưu toàn bộ cơ sở dữ liệu (một ảnh chụp nhất quán) và mọi tệp lưu trữ kèm mã SHA-256 "
        "vào một tệp zip. Dừng với mã thoát 1 nếu có tệp lưu trữ không khớp mã SHA-256 đã ghi."
    )

    def add_arguments(self, parser):
        parser.add_argument("file", metavar="FILE", help=gettext_lazy(
            "tệp bản sao lưu cần tạo (.zip); thư mục phải có sẵn, tệp chưa tồn tại"))
        parser.add_argument("--include-altered", action="store_true", help=gettext_lazy(
            "vẫn ghi bản sao lưu khi có tệp lưu trữ bị sửa hoặc bị mất (ghi rõ trong manifest)"))

    def handle(self, *args, file, include_altered, **options):
        verbose = options["verbosity"] > 1

        def progress(label, rows):
            if verbose:
                self.stdout.write(f"  {label}: {rows}")

        result = backup_write(path=file, include_altered=include_altered, progress=progress)
        for problem in result.problems:
            self.stderr.write(_("Cảnh báo: %(problem)s") % {"problem": problem})
        self.stdout.write(_(
            "Đã sao lưu %(rows)s dòng của %(tables)s bảng và %(files)s tệp (%(mb)s MB) vào %(path)s.") % {
            "rows": sum(result.rows.values()), "tables": len(result.rows), "files": result.files,
            "mb": f"{result.bytes / (1024 * 1024):.1f}", "path": result.path})
