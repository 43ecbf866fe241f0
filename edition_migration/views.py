"""Web screens of the migration: thin, each one a form, a service or a selector, a page."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from procedures.forms import SubmitForm

from . import pdf, permissions, selectors, services
from .forms import DecideForm, ImportForm, RunForm
from .review import review_segments


def _require(allowed: bool):
    if not allowed:
        raise PermissionDenied(_("Bạn không có quyền sử dụng chức năng này."))


def index(request):
    user = request.user
    if not (permissions.can_use_migration(user) or permissions.can_view_reports(user)):
        return render(request, "edition_migration/index.html", {"denied": True}, status=403)
    candidates = list(selectors.migratable_procedures(user=user).exclude(
        versions__state__in=selectors.OPEN_STATES))
    context = {
        "candidates": candidates,
        "migrations": selectors.migration_list(user=user),
        "form": RunForm(codes=[p.code for p in candidates]),
        "can_migrate": permissions.can_use_migration(user),
        "can_report": permissions.can_view_reports(user),
    }
    return render(request, "edition_migration/index.html", context)


@require_POST
def run(request):
    _require(permissions.can_use_migration(request.user))
    codes = list(selectors.migratable_procedures(user=request.user).values_list("code", flat=True))
    form = RunForm(request.POST, codes=codes)
    if not form.is_valid():
        messages.error(request, _("Lựa chọn tài liệu không hợp lệ."))
        return redirect("edition_migration:index")
    dry_run = form.cleaned_data["dry_run"]
    results = services.edition_migrate(
        actor=request.user, codes=form.cleaned_data["codes"] or None, dry_run=dry_run
    )
    return render(request, "edition_migration/report.html",
                  {"results": [r.as_json() for r in results], "dry_run": dry_run, "run": True})


def import_files(request):
    _require(permissions.can_use_migration(request.user))
    form = ImportForm(request.POST or None, request.FILES or None,
                      initial={"edition": 2008, "department": request.user.department})
    if request.method == "POST" and form.is_valid():
        results = services.procedures_import(
            actor=request.user,
            files_in=((f.name, f.read()) for f in form.cleaned_data["files"]),
            edition=form.cleaned_data["edition"],
            department=form.cleaned_data["department"],
        )
        return render(request, "edition_migration/import.html", {"form": ImportForm(
            initial={"edition": 2008, "department": request.user.department}), "results": results})
    return render(request, "edition_migration/import.html", {"form": form})


def review(request, pk):
    _require(permissions.can_use_migration(request.user))
    migration = selectors.migration_get(user=request.user, pk=pk)
    return render(request, "edition_migration/review.html", {
        "migration": migration,
        "segments": review_segments(migration),
        "groups": selectors.term_groups(migration),
        "submit_form": SubmitForm(version=migration.draft),
    })


@require_POST
def decide(request, pk):
    _require(permissions.can_use_migration(request.user))
    migration = selectors.migration_get(user=request.user, pk=pk)
    form = DecideForm(request.POST)
    if form.is_valid():
        data = form.cleaned_data
        try:
            count = services.terms_decide(
                migration=migration, actor=request.user, accept=data["action"] == "accept",
                flag_ids=[data["flag"]] if data.get("flag") else None, key=data.get("key") or None,
            )
            messages.success(request, _("Đã ghi nhận quyết định cho %(count)s vị trí.") % {"count": count})
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
    else:
        messages.error(request, " ".join(e for errs in form.errors.values() for e in errs))
    return redirect("edition_migration:review", pk=migration.pk)


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
        return _pdf(pdf.migration_report_pdf(results, actor=str(request.user)), "bao-cao-chuyen-doi.pdf")
    return render(request, "edition_migration/report.html", {"results": results})


def gap(request):
    _require(permissions.can_view_reports(request.user))
    data = selectors.gap_report(user=request.user, edition=2015)
    if request.GET.get("format") == "pdf":
        return _pdf(pdf.gap_report_pdf(data), "bao-cao-khoang-cach.pdf")
    return render(request, "edition_migration/gap.html", {"report": data})


def _pdf(content: bytes, filename: str) -> HttpResponse:
    response = HttpResponse(content, content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="{filename}"'
    return response
