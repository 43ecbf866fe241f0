from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from qms.once import once

from .. import forms, permissions, services
from ..importing import read_rows
from ..models import COUNT_FIELDS, period_label
from ..selectors import figures as selectors
from ..services.figures import STAT_COLUMNS
from ..services.satisfaction import SURVEY_COLUMNS
from ._common import flash_refusal, read_upload, refused, require_use, year_param


def figure_list(request):
    """A year's entered rows (unpublished included) for the reader's departments, with
    the months' publication and, for the central office, publishing."""
    require_use(request.user)
    year = year_param(request)
    publications = selectors.publication_list(year=year)
    return render(request, "service_quality/figures.html", {
        "year": year,
        "rows": selectors.stat_list(user=request.user, year=year),
        "months": [(m, publications.get(m)) for m in range(1, 13)],
        "can_enter": permissions.can_enter_any(request.user),
        "can_publish": permissions.can_publish(request.user),
        "publish_form": forms.PublishForm(),
        "columns": COUNT_FIELDS,
    })


def _enter_ids(user):
    ids = permissions.enter_unit_ids(user)
    if ids is not None and not ids:
        raise PermissionDenied
    return ids


@once
def figure_new(request):
    ids = _enter_ids(request.user)
    form = forms.StatForm(request.POST or None, unit_ids=ids)
    if request.method == "POST" and form.is_valid():
        year, month = form.cleaned_data["period"]
        try:
            stat = services.stat_save(actor=request.user, department=form.cleaned_data["department"],
                                      field=form.cleaned_data["field"], year=year, month=month,
                                      counts=form.counts())
        except ValidationError as error:
            refused(form, error)
        else:
            request.form_done = True
            messages.success(request, _("Đã nhập số liệu %(stat)s.") % {"stat": stat})
            return redirect(reverse("service_quality:figures") + f"?year={year}")
    return render(request, "service_quality/form.html", {
        "form": form, "title": _("Nhập số liệu giải quyết hồ sơ"), "submit": _("Lưu"),
        "back": reverse("service_quality:figures")})


def figure_edit(request, pk: int):
    stat = selectors.stat_get(user=request.user, pk=pk)
    if not permissions.can_enter(request.user, stat.department):
        raise PermissionDenied
    initial = {"period": period_label(stat.year, stat.month), "department": stat.department,
               "field": stat.field, **{n: getattr(stat, n) for n in COUNT_FIELDS}}
    form = forms.StatForm(request.POST or None, initial=initial, locked=True)
    form.fields["department"].queryset = forms.units([stat.department_id])
    if request.method == "POST" and form.is_valid():
        try:
            services.stat_save(actor=request.user, department=stat.department, field=stat.field,
                               year=stat.year, month=stat.month, counts=form.counts(), stat=stat)
        except ValidationError as error:
            refused(form, error)
        else:
            messages.success(request, _("Đã sửa số liệu %(stat)s.") % {"stat": stat})
            return redirect(reverse("service_quality:figures") + f"?year={stat.year}")
    return render(request, "service_quality/form.html", {
        "form": form, "title": _("Sửa số liệu %(stat)s") % {"stat": stat}, "submit": _("Lưu"),
        "back": reverse("service_quality:figures") + f"?year={stat.year}"})


def figures_import(request):
    _enter_ids(request.user)
    form = forms.UploadForm(request.POST or None, request.FILES or None)
    errors = []
    if request.method == "POST" and form.is_valid():
        name, content = read_upload(form.cleaned_data["file"])
        try:
            items = read_rows(name, content, columns=STAT_COLUMNS)
            summary = services.stats_import(actor=request.user, items=items,
                                            replace=form.cleaned_data["replace"])
        except ValidationError as error:
            errors = error.messages
        else:
            messages.success(request, _("Đã nhập %(created)s dòng, thay %(updated)s dòng từ %(file)s.") % {
                "created": summary.created, "updated": summary.updated, "file": name})
            return redirect("service_quality:figures")
    return render(request, "service_quality/import.html", {
        "form": form, "errors": errors, "columns": STAT_COLUMNS,
        "title": _("Nhập số liệu từ tệp của phần mềm một cửa")})


@require_POST
def period_publish(request):
    if not permissions.can_publish(request.user):
        raise PermissionDenied
    form = forms.PublishForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Kỳ phải có dạng YYYY-MM, ví dụ 2017-03."))
        return redirect("service_quality:figures")
    year, month = form.cleaned_data["period"]
    try:
        if request.POST.get("action") == "withdraw":
            services.period_withdraw(actor=request.user, year=year, month=month,
                                     reason=form.cleaned_data["reason"])
            messages.success(request, _("Đã rút lại công bố kỳ %(p)s.") % {"p": period_label(year, month)})
        else:
            services.period_publish(actor=request.user, year=year, month=month)
            messages.success(request, _("Đã công bố số liệu kỳ %(p)s.") % {"p": period_label(year, month)})
    except ValidationError as error:
        flash_refusal(request, error)
    return redirect(reverse("service_quality:figures") + f"?year={year}")


def target_list(request):
    require_use(request.user)
    year = year_param(request)
    form = forms.TargetForm(request.POST or None, initial={"year": year})
    if request.method == "POST":
        if not permissions.can_set_targets(request.user):
            raise PermissionDenied
        if form.is_valid():
            try:
                services.online_target_set(actor=request.user, **form.cleaned_data)
            except ValidationError as error:
                refused(form, error)
            else:
                messages.success(request, _("Đã lưu chỉ tiêu."))
                return redirect(reverse("service_quality:targets") + f"?year={form.cleaned_data['year']}")
    return render(request, "service_quality/targets.html", {
        "year": year, "targets": selectors.target_list(year=year), "form": form,
        "can_set": permissions.can_set_targets(request.user)})


def field_list(request):
    require_use(request.user)
    form = forms.FieldForm(request.POST or None)
    if request.method == "POST":
        if not permissions.can_manage_fields(request.user):
            raise PermissionDenied
        if form.is_valid():
            try:
                services.field_create(actor=request.user, **form.cleaned_data)
            except ValidationError as error:
                refused(form, error)
            else:
                messages.success(request, _("Đã thêm lĩnh vực."))
                return redirect("service_quality:fields")
    return render(request, "service_quality/fields.html", {
        "fields": selectors.field_list(), "form": form,
        "can_manage": permissions.can_manage_fields(request.user)})


def survey_list(request):
    require_use(request.user)
    year = year_param(request)
    return render(request, "service_quality/surveys.html", {
        "year": year, "surveys": selectors.survey_list(user=request.user, year=year),
        "can_enter": permissions.can_enter_any(request.user)})


@once
def survey_new(request):
    ids = _enter_ids(request.user)
    form = forms.SurveyForm(request.POST or None, unit_ids=ids)
    if request.method == "POST" and form.is_valid():
        year, month = form.cleaned_data["period"]
        try:
            services.survey_save(actor=request.user, department=form.cleaned_data["department"],
                                 year=year, month=month, respondents=form.cleaned_data["respondents"],
                                 shares=form.shares(), comments=form.cleaned_data["comments"])
        except ValidationError as error:
            refused(form, error)
        else:
            request.form_done = True
            messages.success(request, _("Đã lưu kết quả khảo sát."))
            return redirect(reverse("service_quality:surveys") + f"?year={year}")
    return render(request, "service_quality/form.html", {
        "form": form, "title": _("Nhập kết quả khảo sát sự hài lòng"), "submit": _("Lưu"),
        "back": reverse("service_quality:surveys")})


def survey_import(request):
    _enter_ids(request.user)
    form = forms.SurveyUploadForm(request.POST or None, request.FILES or None)
    errors = []
    if request.method == "POST" and form.is_valid():
        name, content = read_upload(form.cleaned_data["file"])
        try:
            items = read_rows(name, content, columns=SURVEY_COLUMNS, optional=("comments",))
            count = services.surveys_import(actor=request.user, items=items)
        except ValidationError as error:
            errors = error.messages
        else:
            messages.success(request, _("Đã nhập %(count)s kết quả khảo sát.") % {"count": count})
            return redirect("service_quality:surveys")
    return render(request, "service_quality/import.html", {
        "form": form, "errors": errors, "columns": (*SURVEY_COLUMNS, "comments"),
        "title": _("Nhập kết quả khảo sát từ tệp")})
