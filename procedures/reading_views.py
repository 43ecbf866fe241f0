"""Screens of "read and understood" and of the access log: the acknowledgement page,
the pending list, the officers' status per version and department (CSV and Excel),
the access log with its filters (CSV).

Thin views over the selectors and services, as in views.py.
"""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from qms.xlsx import Sheet, xlsx_response

from . import permissions, selectors, services
from .diff import side_by_side
from .exports import csv_response
from .models import AccessLog, State
from .reading_forms import AccessLogFilterForm, DepartmentFilterForm
from .views import LOG_PAGE_SIZE, _error_text, _next_url, _page, once


def _moment(value) -> str:
    return date_format(timezone.localtime(value), "d/m/Y H:i") if value else ""


def _ack_url(version) -> str:
    return reverse("procedures:acknowledge", kwargs={
        "code": version.procedure.code, "revision": version.revision})


# ---------------------------------------------------------------- acknowledging


@once
def acknowledge(request, code, revision):
    """GET: what changed since the revision the person last acknowledged, and the
    button, enabled once they have opened this version. POST: acknowledge, then
    back here (not to the procedure page: that would log a second view)."""
    version = selectors.version_by_revision_get(user=request.user, code=code, revision=revision)
    if request.method == "POST":
        return _acknowledge_post(request, version)
    user = request.user
    since = selectors.last_acknowledged_version(user=user, version=version)
    context = {
        "version": version,
        "acknowledgement": selectors.acknowledgement_of(user=user, version=version),
        "opened": services.has_opened(user=user, version=version),
        "is_effective": version.state == State.EFFECTIVE,
        "since": since,
        "since_acknowledgement": selectors.acknowledgement_of(user=user, version=since)
        if since else None,
        "revisions": selectors.revisions_since(version=version, since=since),
    }
    if since is not None:
        context.update(old=since, new=version, rows=side_by_side(since.body, version.body))
    return render(request, "procedures/acknowledge.html", context)


def _acknowledge_post(request, version):
    default = _ack_url(version)
    try:
        acknowledgement, created = services.acknowledgement_record(
            version=version, actor=request.user
        )
    except ValidationError as error:
        messages.error(request, _error_text(error))
        return redirect(default)
    request.form_done = True
    params = {"code": version.procedure.code, "rev": version.revision}
    if created:
        messages.success(
            request, _("Đã ghi nhận: bạn đã đọc %(code)s lần ban hành %(rev)s.") % params
        )
    else:
        params["at"] = _moment(acknowledgement.acknowledged_at)
        messages.info(
            request,
            _("Bạn đã xác nhận đọc %(code)s lần ban hành %(rev)s lúc %(at)s; không cần xác nhận lại.")
            % params,
        )
    return redirect(_next_url(request, default))


def acknowledgement_pending(request):
    page = _page(request, selectors.acknowledgement_pending_list(user=request.user))
    return render(request, "procedures/acknowledgements_pending.html", {"page": page})


# ---------------------------------------------------------------- who has read


def _status_data(request, code, revision):
    procedure = selectors.procedure_for_drafts_get(user=request.user, code=code)
    if not permissions.can_manage(request.user, procedure):
        raise PermissionDenied(_("Chỉ cán bộ quản lý tài liệu này xem được danh sách xác nhận."))
    version = selectors.version_by_revision_get(user=request.user, code=code, revision=revision)
    form = DepartmentFilterForm(request.GET or None)
    department = form.cleaned_data["department"] if form.is_valid() else None
    people = list(selectors.acknowledgement_status_list(version=version, department=department))
    return version, form, people


def acknowledgement_status(request, code, revision):
    version, form, people = _status_data(request, code, revision)
    done = sum(1 for p in people if p.acknowledged_at)
    return render(request, "procedures/acknowledgement_status.html", {
        "version": version,
        "form": form,
        "people": people,
        "done": done,
        "missing": len(people) - done,
        "summary": selectors.acknowledgement_summary(people),
        "query": request.GET.urlencode(),
    })


def _status_header() -> list:
    return [_("Đơn vị"), _("Họ tên"), _("Tên đăng nhập"), _("Trạng thái"),
            _("Đã xác nhận lúc"), _("Số lần đã nhắc"), _("Lần nhắc gần nhất")]


def _status_row(person, *, as_text: bool) -> list:
    moment = _moment if as_text else (lambda v: v)
    return [
        str(person.department or ""),
        person.get_full_name() or person.username,
        person.username,
        _("Đã đọc") if person.acknowledged_at else _("Chưa đọc"),
        moment(person.acknowledged_at) if person.acknowledged_at else "",
        person.reminder_count,
        moment(person.last_reminded_at) if person.last_reminded_at else "",
    ]


def _export_name(version, extension: str) -> str:
    return f"xac-nhan-da-doc-{version.procedure.code}-lan-{version.revision}.{extension}"


def acknowledgement_status_csv(request, code, revision):
    version, _form, people = _status_data(request, code, revision)
    return csv_response(
        filename=_export_name(version, "csv"),
        header=_status_header(),
        rows=(_status_row(p, as_text=True) for p in people),
    )


def acknowledgement_status_xlsx(request, code, revision):
    version, form, people = _status_data(request, code, revision)
    department = form.cleaned_data.get("department") if form.is_bound and form.is_valid() else None
    heading = [
        _("Xác nhận đã đọc: %(code)s %(title)s") % {
            "code": version.procedure.code, "title": version.title or version.procedure.title},
        _("Lần ban hành %(rev)s, hiệu lực từ ngày %(day)s") % {
            "rev": version.revision,
            "day": date_format(version.effective_from, "d/m/Y") if version.effective_from else "—"},
        _("Đơn vị: %(unit)s") % {"unit": department or _("mọi đơn vị được phân phối")},
        _("Xuất lúc %(at)s bởi %(who)s") % {
            "at": _moment(timezone.now()), "who": request.user.get_full_name() or request.user},
    ]
    summary = selectors.acknowledgement_summary(people)
    sheets = [
        Sheet(
            title=_("Theo đơn vị"),
            heading=heading,
            header=[_("Đơn vị"), _("Đã đọc"), _("Chưa đọc"), _("Số lần đã nhắc")],
            rows=[[str(r["department"] or "—"), r["done"], r["missing"], r["reminders"]]
                  for r in summary],
        ),
        Sheet(
            title=_("Từng người"),
            heading=heading,
            header=_status_header(),
            rows=[_status_row(p, as_text=False) for p in people],
        ),
    ]
    return xlsx_response(filename=_export_name(version, "xlsx"), sheets=sheets)


# ---------------------------------------------------------------- access log


def _log_procedure(request, code):
    procedure = selectors.procedure_for_drafts_get(user=request.user, code=code)
    if not permissions.can_manage(request.user, procedure):
        raise PermissionDenied(_("Chỉ cán bộ quản lý tài liệu này xem được nhật ký truy cập."))
    return procedure


def _log_filter(request, procedure) -> tuple[AccessLogFilterForm, dict]:
    form = AccessLogFilterForm(
        request.GET or None,
        people=selectors.access_log_people(procedure=procedure),
        revisions=[v.revision for v in selectors.procedure_versions(procedure=procedure)],
    )
    return form, (form.filters() if form.is_bound else {})


def access_log(request, code):
    procedure = _log_procedure(request, code)
    form, filters = _log_filter(request, procedure)
    entries = selectors.access_log_list(procedure=procedure, **filters)
    without_action = {k: v for k, v in filters.items() if k != "action"}
    counts = selectors.access_log_counts(
        selectors.access_log_list(procedure=procedure, **without_action))
    query = request.GET.copy()
    query.pop("page", None)
    return render(request, "procedures/access_log.html", {
        "procedure": procedure,
        "form": form,
        "page": _page(request, entries, LOG_PAGE_SIZE),
        "counts": [(value, label, counts[value]) for value, label in AccessLog.Action.choices],
        "action": filters.get("action", ""),
        "query": query.urlencode(),
    })


def access_log_csv(request, code):
    """The (filtered) access log for external auditors: UTF-8 with BOM, dates
    dd/mm/yyyy HH:MM in local time, streamed."""
    procedure = _log_procedure(request, code)
    _form, filters = _log_filter(request, procedure)
    rows = selectors.access_log_list(procedure=procedure, **filters)
    header = [_("Thời điểm"), _("Người truy cập"), _("Tên đăng nhập"), _("Đơn vị"),
              _("Mã tài liệu"), _("Lần ban hành"), _("Thao tác"), _("Tệp")]

    def lines():
        for entry in rows.iterator(chunk_size=2000):
            yield [
                _moment(entry.at),
                entry.user.get_full_name() or entry.user.get_username(),
                entry.user.get_username(),
                entry.user.department or "",
                procedure.code,
                entry.version.revision,
                entry.get_action_display(),
                entry.attachment.original_name if entry.attachment else "",
            ]

    return csv_response(filename=f"nhat-ky-truy-cap-{procedure.code}.csv", header=header,
                        rows=lines())

