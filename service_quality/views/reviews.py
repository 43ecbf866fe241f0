from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from qms.once import once

from .. import forms, pdf, permissions, services
from ..models import ReviewOutput
from ..selectors import reviews as selectors
from ._common import flash_refusal, pdf_response, person, refused, require_use


def review_list(request):
    require_use(request.user)
    return render(request, "service_quality/reviews.html", {
        "reviews": list(selectors.review_list(user=request.user)),
        "can_prepare": permissions.can_prepare_review(request.user)})


@once
def review_new(request):
    if not permissions.can_prepare_review(request.user):
        raise PermissionDenied
    form = forms.ReviewForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            review = services.review_create(actor=request.user, **form.cleaned_data)
        except ValidationError as error:
            refused(form, error)
        else:
            request.form_done = True
            messages.success(request, _("Đã lập cuộc họp xem xét %(code)s; đầu vào đã được thu thập.")
                             % {"code": review.code})
            return redirect(review)
    return render(request, "service_quality/form.html", {
        "form": form, "title": _("Lập cuộc họp xem xét của lãnh đạo"), "submit": _("Lập và thu thập đầu vào"),
        "back": reverse("service_quality:reviews")})


def review_edit(request, pk: int):
    review = selectors.review_get(user=request.user, pk=pk)
    if not permissions.can_prepare_review(request.user):
        raise PermissionDenied
    initial = {name: getattr(review, name) for name in (
        "meeting_date", "chair", *services.reviews.TEXT_FIELDS)}
    initial["participants"] = list(review.participants.all())
    form = forms.ReviewForm(request.POST or None, initial=initial, editing=True)
    if request.method == "POST" and form.is_valid():
        try:
            services.review_update(review=review, actor=request.user, **form.cleaned_data)
        except ValidationError as error:
            refused(form, error)
        else:
            messages.success(request, _("Đã lưu."))
            return redirect(review)
    return render(request, "service_quality/form.html", {
        "form": form, "title": _("Sửa thông tin cuộc họp %(code)s") % {"code": review.code},
        "submit": _("Lưu"), "back": review.get_absolute_url()})


def review_detail(request, pk: int):
    context = selectors.review_detail(user=request.user, pk=pk)
    review = context["review"]
    output_form = forms.OutputForm(request.POST if request.POST.get("action") == "output" else None)
    if request.method == "POST":
        action = request.POST.get("action")
        try:
            if action == "output" and output_form.is_valid():
                services.review_output_add(review=review, actor=request.user, **output_form.cleaned_data)
                messages.success(request, _("Đã ghi quyết định."))
                return redirect(review)
            if action == "gather":
                services.review_gather_inputs(review=review, actor=request.user)
                messages.success(request, _("Đã thu thập lại đầu vào."))
                return redirect(review)
            if action == "close":
                services.review_close(review=review, actor=request.user)
                messages.success(request, _("Đã kết thúc cuộc họp xem xét."))
                return redirect(review)
        except ValidationError as error:
            if action == "output":
                refused(output_form, error)
            else:
                flash_refusal(request, error)
                return redirect(review)
    context.update(output_form=output_form, done_form=forms.DoneForm())
    return render(request, "service_quality/review.html", context)


@require_POST
def output_done(request, pk: int):
    output = get_object_or_404(ReviewOutput.objects.select_related("review"), pk=pk)
    review = selectors.review_get(user=request.user, pk=output.review_id)
    form = forms.DoneForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Hãy nêu kết quả thực hiện."))
        return redirect(review)
    try:
        services.review_output_complete(output=output, actor=request.user, note=form.cleaned_data["note"])
    except ValidationError as error:
        flash_refusal(request, error)
    else:
        messages.success(request, _("Đã báo hoàn thành quyết định số %(n)s.") % {"n": output.number})
    return redirect(review)


def review_pdf(request, pk: int):
    review = selectors.review_get(user=request.user, pk=pk)
    content = pdf.build_review_record(
        selectors.review_pdf_data(review=review), printed_by=person(request.user),
        watermark=_("DỰ THẢO") if review.state == "draft" else "")
    return pdf_response(content, f"bien-ban-xem-xet-{review.year}-{review.number:02d}.pdf")
