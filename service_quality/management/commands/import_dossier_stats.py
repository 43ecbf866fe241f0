"""Import monthly dossier figures from the one-stop system's CSV or Excel export.

    python manage.py import_dossier_stats FILE [--format json] [--actor USERNAME] [--replace]

All or nothing: a bad row is reported with its line and reason and nothing of
the file is imported (exit status 1).
"""

import json
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from service_quality import services
from service_quality.exceptions import ServiceQualityError
from service_quality.importing import RowsRefused, read_rows
from service_quality.services.figures import STAT_COLUMNS

from ._actor import resolve_actor


class Command(BaseCommand):
    help = "Import monthly dossier figures (CSV or .xlsx); a bad row refuses the whole file."

    def add_arguments(self, parser):
        parser.add_argument("file")
        parser.add_argument("--format", choices=["text", "json"], default="text")
        parser.add_argument("--actor", help="username of the person importing (default: the only superuser)")
        parser.add_argument("--replace", action="store_true",
                            help="replace months already entered (corrections) instead of refusing them")

    def handle(self, *args, file, format, actor, replace, **options):
        path = Path(file)
        if not path.is_file():
            raise CommandError(_("Không tìm thấy tệp %(file)s.") % {"file": file})
        user = resolve_actor(actor)
        errors = []
        summary = None
        try:
            items = read_rows(path.name, path.read_bytes(), columns=STAT_COLUMNS)
            summary = services.stats_import(actor=user, items=items, replace=replace)
        except RowsRefused as refused:
            errors = [{"line": e.line, "message": e.message} for e in refused.errors]
        except ServiceQualityError as error:
            errors = [{"line": None, "message": m} for m in error.messages]
        if format == "json":
            self.stdout.write(json.dumps({
                "file": str(path), "imported": summary.created if summary else 0,
                "replaced": summary.updated if summary else 0, "errors": errors,
            }, ensure_ascii=False, indent=2))
        elif summary:
            self.stdout.write(_("Đã nhập %(created)s dòng, thay %(updated)s dòng từ %(file)s.") % {
                "created": summary.created, "updated": summary.updated, "file": path.name})
        if errors:
            if format != "json":
                for error in errors:
                    line = _("Dòng %(line)s: ") % {"line": error["line"]} if error["line"] else ""
                    self.stderr.write(f"{line}{error['message']}")
            raise CommandError(_("Tệp bị từ chối (%(count)s lỗi); không dòng nào được nhập.") % {
                "count": len(errors)})
