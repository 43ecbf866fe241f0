"""Web screens of the migration: thin, each one a form, a service or a selector, a page."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from procedures.forms import SubmitForm
from procedures.models import Procedure
from qms.jobs.files import job_files_stash
from qms.jobs.services import job_start
from qms.xlsx import xlsx_response

from . import pdf, permissions, selectors, services, tasks
from .exports import gap_sheets
from .forms import DecideForm, ImportForm, LinkForm, NotApplicableForm, RunForm, TemplateDraftForm
from .review import clause_points, review_rows


def _require(allowed: bool):
    if not allowed:
        raise PermissionDenied(_("Bạn không có quyền sử dụng chức năng này."))


def _candidates(user):
    return list(selectors.migratable_procedures(user=user).exclude(
        versions__state__in=selectors.OPEN_STATES))


def index(request):
    user = request.user
    if not (permissions.can_use_migration(user) or permissions.can_view_reports(user)):
        return render(request, "edition_migration/index.html", {"denied": True}, status=403)
    candidates = _candidates(user)
    context = {
        "candidates": candidates,
        "migrations": selectors.migration_list(user=user),
        "form": RunForm(codes=[p.code for p in candidates]),
        "can_migrate": permissions.can_use_migration(user),
        "can_report": permissions.can_view_reports(user),
        "every_department": permissions.sees_every_department(user),
    }
    return render(request, "edition_migration/index.html", context)


@require_POST
def run(request):
    """Run (or try) the migration on the selected procedures. Nothing selected converts
    nothing; "all" is an explicit choice."""
    _require(permissions.can_use_migration(request.user))
    codes = list(selectors.migratable_procedures(user=request.user).values_list("code", flat=True))
    form = RunForm(request.POST, codes=codes)
    if not form.is_valid():
        messages.error(request, _("Lựa chọn tài liệu không hợp lệ."))
        return redirect("edition_migration:index")
    selected = form.cleaned_data["codes"]
    if form.cleaned_data["all"]:
        selected = [p.code for p in _candidates(request.user)]
    if not selected:
        messages.warning(request, _("Chưa chọn tài liệu nào: không có tài liệu nào được chuyển "
                                    "đổi. Hãy đánh dấu tài liệu cần chuyển đổi, hoặc chọn "
                                    "“Tất cả”."))
        return redirect("edition_migration:index")
    if not form.cleaned_data["dry_run"]:
        # The real run writes drafts: a background job, followed on its page.
        job, _created = job_start(task=tasks.migrate, actor=request.user,
                                  params={"codes": selected}, detail=", ".join(selected))
        return redirect(job)
    # A dry run writes nothing and its page offers "run it for real" with the same choice.
    results = services.edition_migrate(actor=request.user, codes=selected, dry_run=True)
    return render(request, "edition_migration/report.html", {
        "results": [r.as_json() for r in results], "dry_run": True, "run": True,
        "selected": selected, "counts": _counts(results),
    })


def _counts(results) -> dict:
    counts = {"created": 0, "existing": 0, "dry_run": 0, "failed": 0}
    for result in results:
        counts[result.status] = counts.get(result.status, 0) + 1
    return counts


def import_files(request):
    _require(permissions.can_use_migration(request.user))
    initial = {"edition": 2008, "department": request.user.department}
    form = ImportForm(request.POST or None, request.FILES or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        files = job_files_stash((f.name, f.read()) for f in data["files"])
        job, _created = job_start(task=tasks.import_files, actor=request.user, params={
            "files": files, "edition": data["edition"].year,
            "department_id": data["department"].pk if data["department"] else None,
            "as_draft": data["as_draft"],
        }, detail=", ".join(f["name"] for f in files))
        return redirect(job)
    return render(request, "edition_migration/import.html", {"form": form})


def review(request, pk):
    _require(permissions.can_use_migration(request.user))
    migration = selectors.migration_get(user=request.user, pk=pk)
    return render(request, "edition_migration/review.html", {
        "migration": migration,
        "rows": review_rows(migration),
        "clause_points": clause_points(migration),
        "groups": selectors.term_groups(migration),
        "submit_form": SubmitForm(version=migration.draft),
        "editable": migration.draft.state == "draft",
    })


@require_POST
def decide(request, pk):
    _require(permissions.can_use_migration(request.user))
    migration = selectors.migration_get(user=request.user, pk=pk)
    form = DecideForm(request.POST)
    anchor = ""
    if form.is_valid():
        data = form.cleaned_data
        anchor = f"#t{data['flag']}" if data.get("flag") else f"#g-{data.get('key')}"
        # An edited wording wins over the choice; left empty, the choice (or proposal) stands.
        wording = data.get("wording") or None
        try:
            count = services.terms_decide(
                migration=migration, actor=request.user, accept=data["action"] == "accept",
                flag_ids=[data["flag"]] if data.get("flag") else None, key=data.get("key") or None,
                choice=data.get("choice"), wording=wording,
            )
            messages.success(request, _("Đã ghi nhận quyết định cho %(count)s vị trí.") % {"count": count})
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
    else:
        messages.error(request, " ".join(e for errs in form.errors.values() for e in errs))
    return redirect(reverse("edition_migration:review", args=[migration.pk]) + anchor)


@require_POST
def submit(request, pk):
    _require(permissions.can_use_migration(request.user))
    migration = selectors.migration_get(user=request.user, pk=pk)
    form = SubmitForm(request.POST, version=migration.draft)
    if not form.is_valid():
        messages.error(request, " ".join(e for errs in form.errors.values() for e in errs))
        return redirect("edition_migration:review", pk=migration.pk)
    try:
        services.migration_submit(
            migration=migration, actor=request.user,
            reviewers=list(form.cleaned_data["reviewers"]), approver=form.cleaned_data["approver"],
        )
        messages.success(request, _("Đã trình dự thảo để xem xét, phê duyệt."))
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    return redirect("edition_migration:review", pk=migration.pk)


def report(request):
    _require(permissions.can_view_reports(request.user))
    results = [services.result_from_migration(m).as_json()
               for m in selectors.report_migrations(user=request.user)]
    if request.GET.get("format") == "pdf":
        return _pdf(pdf.migration_report_pdf(
            results, actor=request.user.get_full_name() or str(request.user),
            issuer=selectors.report_issuer()), "bao-cao-chuyen-doi.pdf")
    return render(request, "edition_migration/report.html", {"results": results})


def gap(request):
    _require(permissions.can_view_reports(request.user))
    data = selectors.gap_report(user=request.user, edition=2015)
    if request.GET.get("format") == "pdf":
        return _pdf(pdf.gap_report_pdf(
            data, actor=request.user.get_full_name() or str(request.user),
            issuer=selectors.report_issuer()), "bao-cao-khoang-cach.pdf")
    if request.GET.get("format") == "xlsx":
        return xlsx_response(filename="bao-cao-khoang-cach.xlsx",
                             sheets=gap_sheets(data, user=request.user))
    return render(request, "edition_migration/gap.html", {
        "report": data,
        "can_decide": permissions.sees_every_department(request.user),
        "can_draft": permissions.can_use_migration(request.user),
        "templates": services.templates(),
        "department": request.user.department,
    })


@require_POST
def gap_decide(request):
    """Not applicable (with its justification), or applicable again."""
    _require(permissions.can_view_reports(request.user))
    form = NotApplicableForm(request.POST)
    number = request.POST.get("number", "")
    try:
        if request.POST.get("action") == "withdraw":
            services.requirement_applicable(actor=request.user, number=number)
            messages.success(request, _("Đã rút lại: yêu cầu %(number)s có áp dụng.") % {"number": number})
        elif form.is_valid():
            services.requirement_not_applicable(actor=request.user, number=form.cleaned_data["number"],
                                                justification=form.cleaned_data["justification"])
            messages.success(request, _("Đã ghi yêu cầu %(number)s không áp dụng.") % {"number": number})
        else:
            messages.error(request, _("Hãy nêu lý giải vì sao yêu cầu không áp dụng."))
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    return redirect(reverse("edition_migration:gap") + f"#c-{number}")


@require_POST
def gap_draft(request):
    """A draft procedure from the template of an uncovered requirement."""
    _require(permissions.can_use_migration(request.user))
    form = TemplateDraftForm(request.POST)
    department = request.user.department
    if not form.is_valid() or department is None:
        messages.error(request, _("Hãy nhập mã số cho tài liệu mới."))
        return redirect("edition_migration:gap")
    try:
        version = services.requirement_draft_create(
            actor=request.user, template=form.cleaned_data["template"],
            code=form.cleaned_data["code"], department=department,
        )
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return redirect("edition_migration:gap")
    messages.success(request, _("Đã tạo dự thảo %(code)s từ mẫu.") % {"code": version.procedure.code})
    return redirect("procedures:version", version.procedure.code, version.revision)


@require_POST
def gap_link(request):
    """Confirm or refuse a proposed link of documented information to a procedure."""
    _require(permissions.can_view_reports(request.user))
    form = LinkForm(request.POST)
    key = request.POST.get("key", "")
    if form.is_valid():
        procedure = Procedure.objects.filter(code=form.cleaned_data["code"]).first()
        try:
            if procedure is None:
                raise PermissionDenied
            services.documented_information_decide(
                actor=request.user, key=form.cleaned_data["key"], procedure=procedure,
                confirm=form.cleaned_data["action"] == "confirm")
            messages.success(request, _("Đã ghi nhận."))
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
    else:
        messages.error(request, _("Lựa chọn không hợp lệ."))
    return redirect(reverse("edition_migration:gap") + f"#d-{key}")


def _pdf(content: bytes, filename: str) -> HttpResponse:
    response = HttpResponse(content, content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="{filename}"'
    return response
