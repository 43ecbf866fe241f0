"""Screens of procedures: thin views over the selectors and the services.

No view changes state except through `services`; every read goes through a
user-aware selector (404 where the user may not know a thing exists, 403 with a
message where they know it but may not act on it).
"""


from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db import transaction
from django.http import FileResponse, Http404, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from qms import limits
from qms.files import StoredFileAltered, altered_file_response, open_verified
from qms.once import once  # noqa: F401 (imported from here by the other views)

from . import forms, permissions, selectors, services
from .diff import side_by_side
from .models import AccessLog, Attachment, State
from .pdf import version_pdf
from .search import MAX_QUERY_CHARS, QueryError, effective_search, suggest
from .templatetags.procedures_tags import render_markdown

PAGE_SIZE = 25
LOG_PAGE_SIZE = 50


# ---------------------------------------------------------------- helpers


def _error_text(error: ValidationError) -> str:
    return " ".join(error.messages)


def _page(request, queryset, size=PAGE_SIZE):
    return Paginator(queryset, size).get_page(request.GET.get("page"))


def _next_url(request, default: str) -> str:
    target = request.POST.get("next") or request.GET.get("next") or ""
    if url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()},
                                       require_https=request.is_secure()):
        return target
    return default


def _version_url(version) -> str:
    from django.urls import reverse

    return reverse(
        "procedures:version", kwargs={"code": version.procedure.code, "revision": version.revision}
    )


def _pdf_response(request, version) -> HttpResponse:
    now = timezone.now()
    with transaction.atomic():
        # The print and its copy number are kept only if the PDF is built.
        entry = services.access_record(version=version, actor=request.user,
                                       action=AccessLog.Action.PRINT)
        data = selectors.version_print_data(
            version=version, user=request.user, printed_at=now, copy_number=entry.copy_number
        )
        content = version_pdf(data)
    response = HttpResponse(content, content_type="application/pdf")
    name = f"{version.procedure.code}-lan-{version.revision}.pdf"
    response["Content-Disposition"] = f'inline; filename="{name}"'
    response["X-Content-Type-Options"] = "nosniff"
    return response


# ---------------------------------------------------------------- reading


def procedure_list(request):
    form = forms.SearchForm(request.GET)
    if form.is_valid():
        versions = effective_search(user=request.user, **form.search_kwargs())
    else:
        versions = selectors.effective_version_list(user=request.user).none()
    page = _page(request, versions)
    return render(request, "procedures/list.html", {"form": form, "page": page})


def procedure_suggest(request):
    """Codes and titles for the search box as the user types (static/js/suggest.js)."""
    try:
        items = suggest(user=request.user, text=request.GET.get("q", "")[:MAX_QUERY_CHARS])
    except QueryError:
        items = []
    return JsonResponse({"items": items})


def procedure_detail(request, code):
    try:
        version = selectors.effective_version_get(user=request.user, code=code)
    except Http404:
        if code != code.upper():
            return redirect("procedures:detail", code=code.upper())
        latest = selectors.latest_version_for_drafts(user=request.user, code=code)
        if latest is None:
            raise
        messages.info(request, _("Tài liệu này chưa có phiên bản đang hiệu lực."))
        return redirect(_version_url(latest))
    context = {
        "version": version,
        "acknowledgement": selectors.acknowledgement_of(user=request.user, version=version),
        "must_acknowledge": permissions.must_acknowledge(request.user)
        and version.procedure.distribution.filter(pk=request.user.department_id).exists(),
        "can_view_drafts": permissions.can_view_drafts(request.user, version.procedure),
        "signatures": selectors.signatures_checked(version=version, returns=False),
    }
    response = render(request, "procedures/detail.html", context)
    # Logged once the page is rendered: a page that fails to render records no view.
    services.access_record(version=version, actor=request.user, action=AccessLog.Action.VIEW)
    return response


def procedure_pdf(request, code):
    version = selectors.effective_version_get(user=request.user, code=code)
    return _pdf_response(request, version)


def version_pdf_view(request, code, revision):
    version = selectors.version_by_revision_get(user=request.user, code=code, revision=revision)
    return _pdf_response(request, version)


def attachment_download(request, code, revision, pk):
    version = selectors.version_by_revision_get(user=request.user, code=code, revision=revision)
    attachment = get_object_or_404(Attachment, pk=pk, version=version)
    # A file removed from a draft is not part of the text: only draft readers see it.
    if attachment.removed_at and not permissions.can_view_drafts(request.user, version.procedure):
        raise Http404(pk)
    try:
        handle = open_verified(attachment.file.name, attachment.sha256)
    except (FileNotFoundError, OSError):
        raise Http404(attachment.original_name) from None
    except StoredFileAltered:
        return altered_file_response(request, attachment.original_name)
    response = FileResponse(
        handle, as_attachment=True, filename=attachment.original_name,
        content_type=attachment.content_type,
    )
    response["X-Content-Type-Options"] = "nosniff"
    services.access_record(
        version=version, actor=request.user, action=AccessLog.Action.DOWNLOAD, attachment=attachment
    )
    return response


# ---------------------------------------------------------------- acknowledgements
# (reading_views.py: the acknowledgement page, the pending list, who has read.)


# ---------------------------------------------------------------- register and drafts


def register(request):
    if not permissions.can_use_register(request.user):
        raise PermissionDenied(_("Sổ đăng ký tài liệu chỉ dành cho cán bộ quản lý chất lượng và lãnh đạo."))
    form = forms.RegisterFilterForm(request.GET)
    if form.is_valid():
        data = form.cleaned_data
        procedures = selectors.register_list(
            user=request.user, query=data["q"], state=data["state"], department=data["department"]
        )
    else:
        procedures = selectors.register_list(user=request.user).none()
    context = {
        "form": form,
        "page": _page(request, procedures),
        "today": timezone.localdate(),
        "query": request.GET.urlencode(),
        "can_create": request.user.is_superuser
        or (request.user.department and permissions.can_create_procedure(
            request.user, request.user.department)),
    }
    return render(request, "procedures/register.html", context)


@once
def procedure_create(request):
    user = request.user
    if not (user.is_superuser or (user.department and permissions.can_create_procedure(
            user, user.department))):
        raise PermissionDenied(_("Chỉ cán bộ quản lý chất lượng được tạo tài liệu mới."))
    form = forms.ProcedureCreateForm(request.POST or None, user=user)
    if request.method == "POST" and form.is_valid():
        try:
            version = services.procedure_create(actor=user, **form.service_kwargs())
        except ValidationError as error:
            form.add_error(None, error)
        else:
            request.form_done = True
            messages.success(request, _("Đã tạo dự thảo %(code)s lần ban hành 1.") % {
                "code": version.procedure.code})
            return redirect("procedures:version_edit", code=version.procedure.code, revision=1)
    return render(request, "procedures/procedure_form.html", {"form": form})


@once
def version_edit(request, code, revision):
    version = selectors.version_by_revision_get(user=request.user, code=code, revision=revision)
    if not permissions.can_author(request.user, version.procedure):
        raise PermissionDenied(_("Bạn không có quyền sửa tài liệu này."))
    if version.state != State.DRAFT:
        messages.error(request, _("Chỉ sửa được phiên bản ở trạng thái dự thảo."))
        return redirect(_version_url(version))
    form = forms.VersionForm(request.POST or None, initial=forms.VersionForm.initial_for(version))
    latest = None
    if request.method == "POST" and form.is_valid():
        try:
            services.version_update(version=version, actor=request.user, **form.service_kwargs())
        except ValidationError as error:
            # The user's text stays in the form; on a conflict the saved text is shown too.
            form.add_error(None, error)
            if getattr(error, "code", "") == "conflict":
                latest = version
        else:
            request.form_done = True
            messages.success(request, _("Đã lưu dự thảo."))
            if "save_and_view" in request.POST:
                return redirect(_version_url(version))
            return redirect("procedures:version_edit", code=code, revision=revision)
    context = {
        "version": version,
        "form": form,
        "attachment_form": forms.AttachmentForm(),
        "latest": latest,
        "upload_limit_mb": _upload_limit_mb(),
    }
    return render(request, "procedures/version_form.html", context)


def _upload_limit_mb() -> int:
    from django.conf import settings

    return settings.QMS_UPLOAD_MAX_BYTES // (1024 * 1024)


@require_POST
@once
def attachment_upload(request, code, revision):
    version = selectors.version_by_revision_get(user=request.user, code=code, revision=revision)
    target = redirect("procedures:version_edit", code=code, revision=revision)
    form = forms.AttachmentForm(request.POST, request.FILES)
    if not form.is_valid():
        for errors in form.errors.values():
            for error in errors:
                messages.error(request, error)
        return target
    upload = form.cleaned_data["file"]
    try:
        attachment = services.attachment_add(
            version=version, actor=request.user, name=upload.name, content=upload.read()
        )
    except ValidationError as error:
        messages.error(request, _error_text(error))
        return target
    request.form_done = True
    messages.success(request, _("Đã đính kèm tệp “%(name)s”.") % {"name": attachment.original_name})
    return target


@require_POST
def body_preview(request):
    """The editor's live preview: the very rendering of the detail page, for those
    who write texts, up to a body's maximum length."""
    if not permissions.can_write_bodies(request.user):
        raise PermissionDenied(_("Chỉ cán bộ quản lý chất lượng soạn thảo nội dung tài liệu."))
    return HttpResponse(render_markdown(request.POST.get("body", "")[:limits.BODY_CHARS]))


@require_POST
@once
def revision_start(request, code):
    procedure = selectors.procedure_for_drafts_get(user=request.user, code=code)
    try:
        version = services.version_start_revision(procedure=procedure, actor=request.user)
    except ValidationError as error:
        messages.error(request, _error_text(error))
        latest = selectors.latest_version_for_drafts(user=request.user, code=code)
        return redirect(_version_url(latest)) if latest else redirect("procedures:register")
    request.form_done = True
    messages.success(request, _("Đã tạo dự thảo lần ban hành %(rev)s.") % {"rev": version.revision})
    return redirect("procedures:version_edit", code=code, revision=version.revision)


# ---------------------------------------------------------------- history, diff, log


def procedure_history(request, code):
    procedure = selectors.procedure_for_drafts_get(user=request.user, code=code)
    context = {
        "procedure": procedure,
        "versions": selectors.procedure_versions(procedure=procedure),
        "timeline": selectors.procedure_timeline(procedure=procedure),
    }
    return render(request, "procedures/history.html", context)


def procedure_diff(request, code):
    procedure = selectors.procedure_for_drafts_get(user=request.user, code=code)
    versions = {
        v.revision: v for v in selectors.procedure_versions(procedure=procedure).prefetch_related(
            "clauses")
    }
    revisions = sorted(versions)
    initial = {"a": revisions[-2] if len(revisions) > 1 else revisions[0], "b": revisions[-1]}
    form = forms.DiffForm(request.GET or initial, revisions=revisions)
    context = {"procedure": procedure, "form": form}
    if form.is_valid():
        old, new = versions[form.cleaned_data["a"]], versions[form.cleaned_data["b"]]
        old_clauses = {c.number: c for c in old.clauses.all()}
        new_clauses = {c.number: c for c in new.clauses.all()}
        context.update(
            old=old,
            new=new,
            rows=side_by_side(old.body, new.body),
            summary_rows=side_by_side(old.change_summary, new.change_summary),
            clauses_removed=[old_clauses[n] for n in sorted(old_clauses.keys() - new_clauses.keys())],
            clauses_added=[new_clauses[n] for n in sorted(new_clauses.keys() - old_clauses.keys())],
            same_edition=old.edition_id == new.edition_id,
        )
    return render(request, "procedures/diff.html", context)


# (reading_views.py: the access log and its CSV export.)
