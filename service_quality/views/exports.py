"""The dossier figures of a year as an Excel workbook: the rows the figures page
shows the reader (their departments', or all for the central office), one column
per count, with who entered each row and when."""

from django.utils.translation import gettext as _

from qms.xlsx import Sheet, export_heading, xlsx_response

from ..models import COUNT_FIELDS, DossierStat
from ..selectors import figures as selectors
from ._common import require_use, year_param


def figures_xlsx(request):
    require_use(request.user)
    year = year_param(request)
    publications = selectors.publication_list(year=year)
    rows = []
    for r in selectors.stat_list(user=request.user, year=year):
        published = publications.get(r.month)
        rows.append([
            r.period, str(r.department), str(r.field),
            *(getattr(r, name) for name in COUNT_FIELDS),
            _("đã công bố") if published and published.published else _("chưa công bố"),
            r.get_source_display(),
            r.entered_by.get_full_name() or r.entered_by.get_username(),
            r.entered_at,
        ])
    header = [_("Kỳ"), _("Đơn vị"), _("Lĩnh vực"),
              *(str(DossierStat._meta.get_field(name).verbose_name).capitalize()
                for name in COUNT_FIELDS),
              _("Công bố"), _("Nguồn"), _("Người nhập"), _("Thời điểm nhập")]
    heading = export_heading(
        title=_("Số liệu giải quyết hồ sơ năm %(year)s") % {"year": year}, user=request.user)
    return xlsx_response(filename=f"so-lieu-giai-quyet-ho-so-{year}.xlsx", sheets=[
        Sheet(title=_("Số liệu %(year)s") % {"year": year}, heading=heading, header=header,
              rows=rows)])
