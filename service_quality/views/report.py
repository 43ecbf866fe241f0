from django.db.models import Max
from django.shortcuts import render
from django.utils.translation import gettext as _

from qms.models import OrgUnit, Sector

from .. import charts, pdf, permissions
from ..models import DossierStat
from ..selectors import figures as figure_selectors
from ..selectors.objectives import objective_list, satisfaction_share
from ..selectors.report import report_data, report_plain, visibility_for
from ._common import pdf_response, person, require_use, year_param


def _filters(request):
    code = (request.GET.get("department") or "").strip().lower()
    department = OrgUnit.objects.filter(code=code).first() if code else None
    code = (request.GET.get("field") or "").strip().lower()
    field = Sector.objects.filter(code=code).first() if code else None
    return department, field


def _default_year(request):
    latest = DossierStat.objects.aggregate(m=Max("year"))["m"]
    return year_param(request, default=latest)


def report(request):
    """The yearly figures (what the reader may see), charts, satisfaction beside them,
    and the year's objectives."""
    require_use(request.user)
    visibility = visibility_for(request.user)
    year = _default_year(request)
    department, field = _filters(request)
    data = report_data(year=year, visibility=visibility, department=department, field=field)
    surveys = list(figure_selectors.survey_list(user=request.user, year=year))
    if department is not None:
        surveys = [s for s in surveys if s.department_id == department.pk]
    for survey in surveys:
        survey.overall = satisfaction_share([survey])
    return render(request, "service_quality/report.html", {
        "data": data,
        "year": year,
        "department": department,
        "field": field,
        "charts": charts.render_all(data),
        "surveys": surveys,
        "satisfaction": satisfaction_share(surveys),
        "objectives": objective_list(user=request.user, year=year),
        "departments": OrgUnit.objects.filter(dossier_stats__isnull=False).distinct().order_by("name"),
        "fields": Sector.objects.order_by("name"),
        "can_enter": permissions.can_enter_any(request.user),
        "can_publish": permissions.can_publish(request.user),
        "can_reviews": permissions.can_view_reviews(request.user),
    })


def report_pdf(request):
    require_use(request.user)
    year = _default_year(request)
    department, field = _filters(request)
    data = report_data(year=year, visibility=visibility_for(request.user), department=department, field=field)
    scope = ", ".join(filter(None, [department.name if department else "", field.name if field else ""]))
    content = pdf.build_report_pdf(report_plain(data), scope=scope or _("Toàn cơ quan"),
                                   printed_by=person(request.user))
    return pdf_response(content, f"ket-qua-giai-quyet-ho-so-{year}.pdf")
