"""Audit pages: thin views over audits.selectors (reads) and audits.services (changes).

A refusal of a service (ValidationError) is shown to the user, on the form or as a
message; it is never a server error.
"""

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from qms.files import StoredFileAltered, altered_file_response, open_verified
from qms.jobs.services import job_start
from qms.once import once

from . import forms, pdf, permissions, selectors, services, tasks
from .models import AuditProgramme, AuditState, ChecklistItem

HISTORY_PAGE_SIZE = 50


def _refused(form, error: ValidationError):
    for message in error.messages:
        form.add_error(None, message)


def _file_response(request, name: str, *, sha256: str, filename: str, content_type: str):
    try:
        handle = open_verified(name, sha256)
    except FileNotFoundError:
        # The record exists but its file is gone from MEDIA_ROOT: not found, not a 500.
        raise Http404(name) from None
    except StoredFileAltered:
        return altered_file_response(request, filename)
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


@once
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
            request.form_done = True
            messages.success(request, _("Đã lập chương trình đánh giá năm %(year)s.") % {"year": programme.year})
            return redirect(programme.get_absolute_url())
    return render(request, "audits/form.html", {
        "form": form, "title": _("Lập chương trình đánh giá"), "submit": _("Lập chương trình")})


@once
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
            request.form_done = True
            messages.success(request, _("Đã lập kế hoạch cuộc đánh giá %(code)s.") % {"code": audit.code})
            return redirect(audit)
    return render(request, "audits/form.html", {
        "form": form, "title": _("Lập kế hoạch đánh giá — %(programme)s") % {"programme": programme},
        "submit": _("Lập kế hoạch"), "back": programme.get_absolute_url()})


def detail(request, pk: int):
    """The audit page; the findings filtered (department, clause, procedure, grade,
    action state, number) and paged by the query string."""
    context = selectors.audit_detail(user=request.user, pk=pk, params=request.GET)
    context["answer_form"] = forms.ChecklistAnswerForm()
    context["attachment_form"] = forms.AttachmentForm()
    audit = context["audit"]
    if (context["perms"]["lead"] and audit.state != AuditState.PLANNED
            and audit.lead_auditor_id == request.user.pk):
        # The issue form, for the lead auditor only, with the hash of the content it signs.
        context["issue_form"] = forms.ReportIssueForm(initial={
            "content_sha256": selectors.report_content_sha256(audit=audit)})
    return render(request, "audits/detail.html", context)


def history(request, pk: int):
    """The whole history of an audit and everything in it, a page at a time."""
    audit = selectors.audit_get(user=request.user, pk=pk)
    try:
        number = max(1, int(request.GET.get("page") or 1))
    except ValueError:
        number = 1
    entries, more = selectors.audit_history(
        audit=audit, limit=HISTORY_PAGE_SIZE, offset=(number - 1) * HISTORY_PAGE_SIZE
    )
    return render(request, "audits/history.html", {
        "audit": audit, "history": entries, "number": number,
        "previous": number - 1 if number > 1 else None, "next": number + 1 if more else None,
    })


def _post_service(request, audit, call, success: str, *, target=None):
    try:
        call()
    except ValidationError as error:
        for message in error.messages:
            messages.error(request, message)
    else:
        request.form_done = True
        messages.success(request, success)
    return redirect(target or audit)


@require_POST
@once
def audit_start(request, pk: int):
    audit = selectors.audit_get(user=request.user, pk=pk)
    response = _post_service(
        request, audit, lambda: services.audit_start(audit=audit, actor=request.user),
        _("Đã bắt đầu đánh giá; danh mục kiểm tra đã được lập."),
    )
    audit.refresh_from_db(fields=["started_at"])
    if getattr(request, "form_done", False) and selectors.started_early(audit):
        messages.warning(request, _(
            "Cuộc đánh giá được bắt đầu trước ngày bắt đầu dự kiến (%(date)s); việc này đã được "
            "ghi vào lịch sử.") % {"date": audit.planned_start.strftime("%d/%m/%Y")})
    return response


@require_POST
@once
def audit_close(request, pk: int):
    audit = selectors.audit_get(user=request.user, pk=pk)
    return _post_service(
        request, audit, lambda: services.audit_close(audit=audit, actor=request.user),
        _("Đã kết thúc cuộc đánh giá."),
    )


@require_POST
@once
def report_issue(request, pk: int):
    """Issue the report: the lead auditor's electronic signature (password again)."""
    audit = selectors.audit_get(user=request.user, pk=pk)
    form = forms.ReportIssueForm(request.POST)
    if not form.is_valid():
        for errors in form.errors.values():
            for error in errors:
                messages.error(request, error)
        return redirect(audit)
    try:
        # The password is checked here, while the signer is present; the PDF is built
        # by a background job (large audits take seconds), followed on its page.
        services.audit_report_authorise(audit=audit, actor=request.user,
                                        password=form.cleaned_data["password"],
                                        shown_sha256=form.cleaned_data["content_sha256"])
    except ValidationError as error:
        for message in error.messages:
            messages.error(request, message)
        return redirect(audit)
    job, created = job_start(task=tasks.issue_report, actor=request.user, params={
        "audit_id": audit.pk, "note": form.cleaned_data["note"],
        "signed_at": timezone.now().isoformat(),
        "content_sha256": form.cleaned_data["content_sha256"],
    }, detail=audit.code, dedupe_key=f"audit-report:{audit.pk}")
    if not created:
        messages.info(request, _("Báo cáo của cuộc đánh giá này đang được phát hành; đây là "
                                 "trang theo dõi."))
    request.form_done = True
    return redirect(job)


@require_POST
def checklist_answer(request, pk: int):
    item = selectors.checklist_item_get(user=request.user, pk=pk)
    form = forms.ChecklistAnswerForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Hãy chọn kết quả kiểm tra."))
        return redirect(item.audit)
    response = _post_service(
        request, item.audit,
        lambda: services.checklist_item_answer(item=item, actor=request.user, **form.cleaned_data),
        _("Đã ghi kết quả mục %(position)s.") % {"position": item.position},
        target=item.audit.get_absolute_url() + f"#item-{item.pk}",
    )
    if not getattr(request, "form_done", False):
        return response
    result = form.cleaned_data["result"]
    if result == ChecklistItem.Result.NONCONFORMING and not item.findings.exists():
        # The next step of a nonconforming answer: its finding, prefilled from the item.
        return redirect(reverse("audits:finding_create", args=[item.audit_id]) + f"?item={item.pk}")
    if result == ChecklistItem.Result.CONFORMING:
        item.refresh_from_db()
        flag = selectors.checklist_flag(item)
        if flag:
            messages.warning(request, flag)
    return response


# ---------------------------------------------------------------- findings


def _finding_form(form_class, request, audit, *, keep_version=None, **kwargs):
    return form_class(
        request.POST or None, request.FILES or None, audit=audit,
        departments=audit.departments.order_by("name"),
        versions=selectors.effective_versions_for(audit, keep=keep_version),
        owners=selectors.owner_candidates(audit),
        **kwargs,
    )


@once
def finding_create(request, pk: int):
    """Record a finding; opened from a checklist item (`?item=`), the form starts
    with the item's clause, procedure, department and notes."""
    audit = selectors.audit_get(user=request.user, pk=pk)
    if not permissions.can_conduct(request.user, audit):
        raise PermissionDenied
    if audit.state != audit.State.IN_PROGRESS:
        messages.error(request, _("Chỉ ghi nhận phát hiện khi cuộc đánh giá đang diễn ra."))
        return redirect(audit)
    item = None
    if request.GET.get("item"):
        try:
            item = selectors.checklist_item_get(user=request.user, pk=int(request.GET["item"]))
        except ValueError:
            raise Http404 from None
        if item.audit_id != audit.pk:
            raise Http404
    initial = selectors.finding_initial(audit, item)
    clause_hint = initial.pop("clause_hint", [])
    form = _finding_form(forms.FindingForm, request, audit, initial=initial)
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
            request.form_done = True
            messages.success(request, _("Đã ghi nhận phát hiện số %(number)s.") % {"number": finding.number})
            return redirect(finding.get_absolute_url())
    return render(request, "audits/form.html", {
        "form": form, "title": _("Ghi nhận phát hiện — %(audit)s") % {"audit": audit},
        "item": item, "clause_hint": clause_hint, "submit": _("Ghi nhận"), "back": audit.get_absolute_url(), "multipart": True})


@once
def finding_edit(request, pk: int):
    """Change a finding: in place before the report is first issued, a new revision
    of the record after (with its reason)."""
    finding = selectors.finding_get(user=request.user, pk=pk)
    audit = finding.audit
    if not permissions.can_conduct(request.user, audit):
        raise PermissionDenied
    issued = audit.reports.exists()
    # The version the finding names may have been superseded since: it stays selectable.
    form = _finding_form(forms.FindingEditForm, request, audit, keep_version=finding.procedure_version_id,
                         initial={
        "grade": finding.grade, "clause": finding.clause_id, "department": finding.department_id,
        "statement": finding.statement, "evidence": finding.evidence,
        "procedure_version": finding.procedure_version_id,
    })
    if request.method == "POST" and form.is_valid():
        try:
            services.finding_update(finding=finding, actor=request.user, **form.cleaned_data)
        except ValidationError as error:
            _refused(form, error)
        else:
            request.form_done = True
            messages.success(request, _("Đã lưu phát hiện số %(number)s.") % {"number": finding.number})
            return redirect(finding.get_absolute_url())
    return render(request, "audits/finding_form.html", {
        "form": form, "finding": finding, "issued": issued,
        "title": _("Sửa phát hiện số %(number)s — %(audit)s") % {
            "number": finding.number, "audit": audit},
        "submit": _("Lưu lần sửa mới") if issued else _("Lưu"),
    })


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
        request, attachment.file.name, sha256=attachment.sha256, filename=attachment.original_name,
        content_type=attachment.content_type,
    )


# ---------------------------------------------------------------- corrective actions


@once
def action_answer(request, pk: int):
    """Answer a corrective action: a new attempt (the first, or the next after a
    failed check, which starts from the previous answer)."""
    action = selectors.corrective_action_get(user=request.user, pk=pk)
    if not permissions.can_answer(request.user, action):
        raise PermissionDenied
    attempts = list(action.attempts.select_related("answered_by", "verified_by").order_by("number"))
    last = attempts[-1] if attempts else None
    form = forms.ActionAnswerForm(request.POST or None, initial={
        "correction": last.correction, "root_cause": last.root_cause, "action_plan": last.action_plan,
    } if last else None)
    if request.method == "POST" and form.is_valid():
        try:
            services.corrective_action_answer(action=action, actor=request.user, **form.cleaned_data)
        except ValidationError as error:
            _refused(form, error)
        else:
            request.form_done = True
            messages.success(request, _("Đã gửi trả lời hành động khắc phục (lần %(number)s).") % {
                "number": len(attempts) + 1})
            return redirect(action.get_absolute_url())
    return render(request, "audits/action_form.html", {
        "form": form, "action": action, "finding": action.finding, "attempts": attempts,
        "title": _("Trả lời hành động khắc phục (lần %(number)s)") % {"number": len(attempts) + 1},
        "submit": _("Gửi trả lời")})


@once
def action_verify(request, pk: int):
    action = selectors.corrective_action_get(user=request.user, pk=pk)
    if not permissions.can_verify(request.user, action):
        raise PermissionDenied
    attempts = list(action.attempts.select_related("answered_by", "verified_by").order_by("number"))
    form = forms.ActionVerifyForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.corrective_action_verify(action=action, actor=request.user, **form.cleaned_data)
        except ValidationError as error:
            _refused(form, error)
        else:
            request.form_done = True
            messages.success(request, _("Đã ghi kết quả kiểm tra hiệu lực."))
            return redirect(action.get_absolute_url())
    return render(request, "audits/action_form.html", {
        "form": form, "action": action, "finding": action.finding, "attempts": attempts,
        "title": _("Kiểm tra hiệu lực hành động khắc phục (lần %(number)s)") % {
            "number": len(attempts)},
        "submit": _("Ghi kết quả")})


# ---------------------------------------------------------------- the PDF record


def report_download(request, pk: int, revision: int | None = None):
    """An issued revision, byte for byte as stored (the latest by default)."""
    report = selectors.report_get(user=request.user, audit_pk=pk, revision=revision)
    filename = report.number.replace(" / ", "-").replace(" ", "-") + ".pdf"
    return _file_response(request, report.file.name, sha256=report.sha256, filename=filename,
                          content_type="application/pdf")


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
