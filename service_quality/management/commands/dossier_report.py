"""The yearly report of dossier figures.

    python manage.py dossier_report --year Y [--department CODE] [--field CODE] [--format json]

An operator's command: it reads every figure (published or not).
"""

import json

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from qms.models import OrgUnit, Sector
from service_quality.formatting import vn_number, vn_pct
from service_quality.selectors.report import Visibility, report_data, report_json


class Command(BaseCommand):
    help = "Dossiers received, resolved early / on time / late, online, for a year."

    def add_arguments(self, parser):
        parser.add_argument("--year", type=int, required=True)
        parser.add_argument("--department", help="unit code (any case)")
        parser.add_argument("--field", help="field code")
        parser.add_argument("--format", choices=["text", "json"], default="text")

    def handle(self, *args, year, department, field, format, **options):
        if not 2000 <= year <= 2100:
            raise CommandError(_("Năm %(year)s không hợp lệ.") % {"year": year})
        unit = None
        if department:
            unit = OrgUnit.objects.filter(code=department.strip().lower()).first()
            if unit is None:
                raise CommandError(_("Không có đơn vị mã “%(code)s”.") % {"code": department})
        chosen = None
        if field:
            chosen = Sector.objects.filter(code=field.strip().lower()).first()
            if chosen is None:
                raise CommandError(_("Không có lĩnh vực mã “%(code)s”.") % {"code": field})
        data = report_data(year=year, visibility=Visibility.everything(), department=unit, field=chosen)
        if format == "json":
            self.stdout.write(json.dumps(report_json(data), ensure_ascii=False, indent=2))
            return
        self._text(data)

    def _text(self, data):
        t = data["totals"]
        scope = ", ".join(filter(None, [
            data["department"].name if data["department"] else "",
            data["field"].name if data["field"] else ""])) or _("toàn cơ quan")
        w = self.stdout.write
        w(_("Kết quả giải quyết hồ sơ năm %(year)s — %(scope)s") % {"year": data["year"], "scope": scope})
        w(_("Tiếp nhận: %(n)s (kỳ trước chuyển sang %(c)s, mới %(new)s)") % {
            "n": vn_number(t.received), "c": vn_number(t.carried_in), "new": vn_number(t.received_new)})
        w(_("Đã giải quyết: %(n)s (%(p)s)") % {"n": vn_number(t.resolved), "p": vn_pct(t.resolved_pct)})
        w(_("  trước hạn: %(n)s (%(p)s)") % {"n": vn_number(t.early), "p": vn_pct(t.early_pct)})
        w(_("  đúng hạn: %(n)s (%(p)s)") % {"n": vn_number(t.on_time), "p": vn_pct(t.on_time_pct)})
        w(_("  trễ hạn: %(n)s (%(p)s)") % {"n": vn_number(t.late), "p": vn_pct(t.late_pct)})
        w(_("Trực tuyến mức độ 3: %(n)s / chỉ tiêu %(t)s (%(p)s)") % {
            "n": vn_number(t.online_level3),
            "t": vn_number(t.online_target) if t.online_target is not None else "—",
            "p": vn_pct(t.online_target_pct)})
        w("")
        w(_("Lĩnh vực                              Tiếp nhận   Giải quyết   Trước hạn   Đúng hạn   Trễ hạn"))
        for item in data["by_field"]:
            f = item["totals"]
            w(f"{item['name'][:36]:36} {vn_number(f.received):>10} {vn_pct(f.resolved_pct):>12} "
              f"{vn_pct(f.early_pct):>11} {vn_pct(f.on_time_pct):>10} {vn_pct(f.late_pct):>9}")
