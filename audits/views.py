"""Audit pages: thin views over audits.selectors (reads) and audits.services (changes).

A refusal of a service (ValidationError) is shown to the user, on the form or as a
message; it is never a server error.
"""

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.storage import default_storage
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from . import forms, pdf, permissions, selectors, services
from .models import AuditProgramme


def _refused(form, error: ValidationError):
    for message in error.messages:
        form.add_error(None, message)


def _file_response(name: str, *, filename: str, content_type: str):
    try:
        handle = default_storage.open(name, "rb")
    except FileNotFoundError:
        # The record exists but its file is gone from MEDIA_ROOT: not found, not a 500.
        raise Http404(name) from None
    response = FileResponse(handle, as_attachment=True, filename=filename, content_type=content_type)
    response["X-Content-Type-Options"] = "nosniff"
    return response


def _read_upload(upload) -> tuple[str, bytes]:
    # Chunks up to the size limit + 1 byte: enough for the service to refuse an oversize file.
    limit = settings.QMS_UPLOAD_MAX_BYTES + 1
    data = bytearray()
    for chunk in upload.chunks():
        data.extend(chunk[: limit - len(data)])
        if len(data) >= limit:
            break
    return upload.name, bytes(data)


# ---------------------------------------------------------------- programme and audits


def index(request):
    """The audit programme of a year and the audits the user may see in it."""
    programmes = selectors.programme_list(user=request.user)
    try:
        year = int(request.GET.get("year") or 0) or None
    except ValueError:
        year = None
    if year is None:
        current = timezone.localdate().year
        years = [p.year for p in programmes]
        year = current if current in years else (years[0] if years else current)
    programme = next((p for p in programmes if p.year == year), None)
    return render(request, "audits/index.html", {
        "programmes": programmes,
        "programme": programme,
        "year": year,
        "audits": list(selectors.audit_list(user=request.user, year=year)),
        "can_plan": permissions.can_plan(request.user),
    })


def programme_create(request):
    if not permissions.can_plan(request.user):
        raise PermissionDenied
    form = forms.ProgrammeForm(request.POST or None, initial={"year": timezone.localdate().year})
    if request.method == "POST" and form.is_valid():
        try:
            programme = services.programme_create(actor=request.user, **form.cleaned_data)
        except ValidationError as error:
            _refused(form, error)
        else:
            messages.success(request, _("Đã lập chương trình đánh giá năm %(year)s.") % {"year": programme.year})
            return redirect(programme.get_absolute_url())
    return render(request, "audits/form.html", {
        "form": form, "title": _("Lập chương trình đánh giá"), "submit": _("Lập chương trình")})


def audit_create(request, year: int):
    if not permissions.can_plan(request.user):
        raise PermissionDenied
    programme = get_object_or_404(AuditProgramme, year=year)
    form = forms.AuditForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            audit = services.audit_create(actor=request.user, programme=programme, **form.cleaned_data)
        except ValidationError as error:
            _refused(form, error)
        else:
            messages.success(request, _("Đã lập kế hoạch cuộc đánh giá %(code)s.") % {"code": audit.code})
            return redirect(audit)
    return render(request, "audits/form.html", {
        "form": form, "title": _("Lập kế hoạch đánh giá — %(programme)s") % {"programme": programme},
        "submit": _("Lập kế hoạch"), "back": programme.get_absolute_url()})


def detail(request, pk: int):
    context = selectors.audit_detail(user=request.user, pk=pk)
    context["answer_form"] = forms.ChecklistAnswerForm()
    context["attachment_form"] = forms.AttachmentForm()
    context["issue_form"] = forms.ReportIssueForm()
    return render(request, "audits/detail.html", context)


def _post_service(request, audit, call, success: str):
    try:
        call()
    except ValidationError as error:
        for message in error.messages:
            messages.error(request, message)
    else:
        messages.success(request, success)
    return redirect(audit)


@require_POST
def audit_start(request, pk: int):
    audit = selectors.audit_get(user=request.user, pk=pk)
    return _post_service(
        request, audit, lambda: services.audit_start(audit=audit, actor=request.user),
        _("Đã bắt đầu đánh giá; danh mục kiểm tra đã được lập."),
    )


@require_POST
def audit_close(request, pk: int):
    audit = selectors.audit_get(user=request.user, pk=pk)
    return _post_service(
        request, audit, lambda: services.audit_close(audit=audit, actor=request.user),
        _("Đã kết thúc cuộc đánh giá."),
    )


@require_POST
def report_issue(request, pk: int):
    audit = selectors.audit_get(user=request.user, pk=pk)
    form = forms.ReportIssueForm(request.POST)
    note = form.cleaned_data["note"] if form.is_valid() else ""
    return _post_service(
        request, audit,
        lambda: services.audit_report_issue(audit=audit, actor=request.user, note=note),
        _("Đã phát hành báo cáo."),
    )


@require_POST
def checklist_answer(request, pk: int):
    item = selectors.checklist_item_get(user=request.user, pk=pk)
    form = forms.ChecklistAnswerForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Hãy chọn kết quả kiểm tra."))
        return redirect(item.audit)
    return _post_service(
        request, item.audit,
        lambda: services.checklist_item_answer(item=item, actor=request.user, **form.cleaned_data),
        _("Đã ghi kết quả mục %(position)s.") % {"position": item.position},
    )


# ---------------------------------------------------------------- findings


def finding_create(request, pk: int):
    audit = selectors.audit_get(user=request.user, pk=pk)
    if not permissions.can_conduct(request.user, audit):
        raise PermissionDenied
    if audit.state != audit.State.IN_PROGRESS:
        messages.error(request, _("Chỉ ghi nhận phát hiện khi cuộc đánh giá đang diễn ra."))
        return redirect(audit)
    form = forms.FindingForm(
        request.POST or None, request.FILES or None, audit=audit,
        departments=audit.departments.order_by("name"),
        versions=selectors.effective_versions_for(audit),
        owners=selectors.owner_candidates(audit),
    )
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        upload = data.pop("attachment")
        try:
            finding = services.finding_record(
                audit=audit, actor=request.user,
                attachments=[_read_upload(upload)] if upload else (), **data,
            )
        except ValidationError as error:
            _refused(form, error)
        else:
            messages.success(request, _("Đã ghi nhận phát hiện số %(number)s.") % {"number": finding.number})
            return redirect(audit)
    return render(request, "audits/form.html", {
        "form": form, "title": _("Ghi nhận phát hiện — %(audit)s") % {"audit": audit},
        "submit": _("Ghi nhận"), "back": audit.get_absolute_url(), "multipart": True})


@require_POST
def attachment_add(request, pk: int):
    finding = selectors.finding_get(user=request.user, pk=pk)
    form = forms.AttachmentForm(request.POST, request.FILES)
    if not form.is_valid():
        messages.error(request, _("Hãy chọn tệp bằng chứng."))
        return redirect(finding.audit)
    name, content = _read_upload(form.cleaned_data["attachment"])
    return _post_service(
        request, finding.audit,
        lambda: services.finding_attachment_add(finding=finding, actor=request.user, name=name, content=content),
        _("Đã đính kèm tệp %(name)s.") % {"name": name},
    )


def attachment_download(request, pk: int):
    attachment = selectors.attachment_get(user=request.user, pk=pk)
    return _file_response(
        attachment.file.name, filename=attachment.original_name, content_type=attachment.content_type
    )


# ---------------------------------------------------------------- corrective actions


def action_answer(request, pk: int):
    action = selectors.corrective_action_get(user=request.user, pk=pk)
    if not permissions.can_answer(request.user, action):
        raise PermissionDenied
    form = forms.ActionAnswerForm(request.POST or None, initial={
        "correction": action.correction, "root_cause": action.root_cause, "action_plan": action.action_plan})
    if request.method == "POST" and form.is_valid():
        try:
            services.corrective_action_answer(action=action, actor=request.user, **form.cleaned_data)
        except ValidationError as error:
            _refused(form, error)
        else:
            messages.success(request, _("Đã gửi trả lời hành động khắc phục."))
            return redirect(action.finding.audit)
    return render(request, "audits/action_form.html", {
        "form": form, "action": action, "finding": action.finding,
        "title": _("Trả lời hành động khắc phục"), "submit": _("Gửi trả lời")})


def action_verify(request, pk: int):
    action = selectors.corrective_action_get(user=request.user, pk=pk)
    if not permissions.can_verify(request.user, action):
        raise PermissionDenied
    form = forms.ActionVerifyForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.corrective_action_verify(action=action, actor=request.user, **form.cleaned_data)
        except ValidationError as error:
            _refused(form, error)
        else:
            messages.success(request, _("Đã ghi kết quả kiểm tra hiệu lực."))
            return redirect(action.finding.audit)
    return render(request, "audits/action_form.html", {
        "form": form, "action": action, "finding": action.finding,
        "title": _("Kiểm tra hiệu lực hành động khắc phục"), "submit": _("Ghi kết quả")})


# ---------------------------------------------------------------- the PDF record


def report_download(request, pk: int, revision: int | None = None):
    """An issued revision, byte for byte as stored (the latest by default)."""
    report = selectors.report_get(user=request.user, audit_pk=pk, revision=revision)
    filename = report.number.replace(" / ", "-").replace(" ", "-") + ".pdf"
    return _file_response(report.file.name, filename=filename, content_type="application/pdf")


def report_preview(request, pk: int):
    """The record as it would be issued now, marked as a preview (for the team)."""
    audit = selectors.audit_get(user=request.user, pk=pk)
    if not permissions.can_conduct(request.user, audit):
        raise PermissionDenied
    content = pdf.build_audit_report(
        selectors.audit_report_data(audit=audit),
        number=_("%(code)s (bản xem trước)") % {"code": audit.code},
        issued_at=timezone.now(),
        issued_by=request.user.get_full_name() or request.user.get_username(),
        watermark=_("BẢN XEM TRƯỚC"),
    )
    response = HttpResponse(content, content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="{audit.pk}-xem-truoc.pdf"'
    response["X-Content-Type-Options"] = "nosniff"
    return response
