from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _

from qms.once import once

from .. import forms, permissions, services
from ..models import Indicator
from ..selectors.objectives import objective_get
from ..selectors.objectives import objective_list as select_objectives
from ._common import refused, require_use, year_param


def objective_list(request):
    require_use(request.user)
    year = year_param(request) if request.GET.get("year") else None
    return render(request, "service_quality/objectives.html", {
        "objectives": select_objectives(user=request.user, year=year), "year": year,
        "can_create": permissions.can_enter_any(request.user) or permissions.can_publish(request.user),
    })


@once
def objective_new(request):
    require_use(request.user)
    if not (permissions.can_enter_any(request.user) or permissions.can_publish(request.user)):
        raise PermissionDenied
    form = forms.ObjectiveForm(request.POST or None, initial={"owner": request.user, "comparison": "lt"})
    if request.method == "POST" and form.is_valid():
        try:
            objective = services.objective_create(actor=request.user, **form.cleaned_data)
        except ValidationError as error:
            refused(form, error)
        else:
            request.form_done = True
            messages.success(request, _("Đã lập mục tiêu chất lượng."))
            return redirect(objective)
    return render(request, "service_quality/form.html", {
        "form": form, "title": _("Lập mục tiêu chất lượng"), "submit": _("Lập mục tiêu"),
        "back": reverse("service_quality:objectives")})


def objective_edit(request, pk: int):
    objective = objective_get(user=request.user, pk=pk)
    if not permissions.can_change_objective(request.user, objective):
        raise PermissionDenied
    initial = {name: getattr(objective, name) for name in (
        "title", "comparison", "target", "owner", *services.objectives.PLAN_FIELDS)}
    form = forms.ObjectiveForm(request.POST or None, initial=initial, editing=True)
    if request.method == "POST" and form.is_valid():
        try:
            services.objective_update(objective=objective, actor=request.user, **form.cleaned_data)
        except ValidationError as error:
            refused(form, error)
        else:
            messages.success(request, _("Đã sửa mục tiêu chất lượng."))
            return redirect(objective)
    return render(request, "service_quality/form.html", {
        "form": form, "title": _("Sửa mục tiêu: %(title)s") % {"title": objective.title},
        "submit": _("Lưu"), "back": objective.get_absolute_url()})


def objective_detail(request, pk: int):
    """The objective, its plan, its status month by month; a manual reading; and for
    an internal auditor, raising a nonconformity when the figures break it."""
    objective = objective_get(user=request.user, pk=pk)
    department = permissions.objective_department(objective)
    reading_form = forms.ReadingForm(request.POST if request.POST.get("action") == "reading" else None)
    raise_form = forms.RaiseForm(request.POST if request.POST.get("action") == "raise" else None,
                                 department=department)
    if request.method == "POST":
        action = request.POST.get("action")
        form = reading_form if action == "reading" else raise_form
        if form.is_valid():
            try:
                if action == "reading":
                    services.objective_reading_record(objective=objective, actor=request.user,
                                                      **form.cleaned_data)
                    messages.success(request, _("Đã ghi kết quả đo."))
                else:
                    record = services.objective_raise_nonconformity(objective=objective, actor=request.user,
                                                                    **form.cleaned_data)
                    messages.success(request, _("Đã nêu điểm không phù hợp %(finding)s và yêu cầu hành "
                                                "động khắc phục.") % {"finding": record.finding})
                    return redirect(record.finding.audit)
            except ValidationError as error:
                refused(form, error)
            else:
                return redirect(objective)
    return render(request, "service_quality/objective.html", {
        "objective": objective,
        "state": objective.state,
        "reading_form": reading_form,
        "raise_form": raise_form,
        "manual": objective.indicator == Indicator.MANUAL,
        "can_change": permissions.can_change_objective(request.user, objective),
        "can_raise": permissions.can_raise_nonconformity(request.user, objective)
        and objective.state["status"] in ("missed", "at_risk") and objective.open_nonconformity is None,
        "nonconformities": list(objective.nonconformities.all()),
    })
