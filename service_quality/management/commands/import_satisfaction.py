"""Import satisfaction survey results (CSV or .xlsx): columns period, department,
respondents, access, procedures, civil_servants, results, feedback [, comments].

    python manage.py import_satisfaction FILE [--format json] [--actor USERNAME]
"""

import json
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from service_quality import services
from service_quality.exceptions import ServiceQualityError
from service_quality.importing import RowsRefused, read_rows
from service_quality.services.satisfaction import SURVEY_COLUMNS

from ._actor import resolve_actor


class Command(BaseCommand):
    help = "Import satisfaction survey results; a bad row refuses the whole file."

    def add_arguments(self, parser):
        parser.add_argument("file")
        parser.add_argument("--format", choices=["text", "json"], default="text")
        parser.add_argument("--actor")

    def handle(self, *args, file, format, actor, **options):
        path = Path(file)
        if not path.is_file():
            raise CommandError(_("Không tìm thấy tệp %(file)s.") % {"file": file})
        user = resolve_actor(actor)
        count, errors = 0, []
        try:
            items = read_rows(path.name, path.read_bytes(), columns=SURVEY_COLUMNS, optional=("comments",))
            count = services.surveys_import(actor=user, items=items)
        except RowsRefused as refused:
            errors = [{"line": e.line, "message": e.message} for e in refused.errors]
        except ServiceQualityError as error:
            errors = [{"line": None, "message": m} for m in error.messages]
        if format == "json":
            self.stdout.write(json.dumps({"file": str(path), "imported": count, "errors": errors},
                                         ensure_ascii=False, indent=2))
        elif not errors:
            self.stdout.write(_("Đã nhập %(count)s kết quả khảo sát.") % {"count": count})
        if errors:
            if format != "json":
                for error in errors:
                    line = _("Dòng %(line)s: ") % {"line": error["line"]} if error["line"] else ""
                    self.stderr.write(f"{line}{error['message']}")
            raise CommandError(_("Tệp bị từ chối (%(count)s lỗi); không dòng nào được nhập.") % {
                "count": len(errors)})
