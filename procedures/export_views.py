"""Excel downloads of the register and of a procedure's access log: the same
permission and the same filter as their pages (qms/xlsx.py lays the workbook out)."""

from django.core.exceptions import PermissionDenied
from django.utils import timezone
from django.utils.translation import gettext as _

from qms.xlsx import Sheet, export_heading, xlsx_response

from . import forms, permissions, selectors
from .models import State
from .reading_views import _log_filter, _log_procedure

# Past this the workbook would hold the request too long: narrow the filter.
MAX_ROWS = 50_000


def _states() -> dict:
    return dict(State.choices)


def register_xlsx(request):
    if not permissions.can_use_register(request.user):
        raise PermissionDenied(_("Sổ đăng ký tài liệu chỉ dành cho cán bộ quản lý chất lượng và lãnh đạo."))
    form = forms.RegisterFilterForm(request.GET)
    data = form.cleaned_data if form.is_valid() else {"q": "", "state": "", "department": None}
    procedures = selectors.register_list(
        user=request.user, query=data["q"], state=data["state"], department=data["department"])
    states = _states()
    today = timezone.localdate()
    rows = [[
        p.code, p.title, p.get_kind_display(), str(p.department),
        (p.owner.get_full_name() or p.owner.get_username()) if p.owner else "",
        p.latest_revision, str(states.get(p.latest_state, p.latest_state or "")),
        p.effective_revision, p.effective_from, p.next_review_due,
        _("Quá hạn") if p.next_review_due and p.next_review_due < today else "",
    ] for p in procedures[:MAX_ROWS]]
    header = [_("Mã số"), _("Tên tài liệu"), _("Loại"), _("Đơn vị"), _("Người chủ trì"),
              _("Lần mới nhất"), _("Trạng thái lần mới nhất"), _("Lần đang hiệu lực"),
              _("Hiệu lực từ ngày"), _("Hạn xem xét"), _("Ghi chú")]
    heading = export_heading(title=_("Sổ đăng ký tài liệu"), user=request.user, lines=[
        _("Lọc: %(filter)s") % {"filter": _filter_words(data)}])
    return xlsx_response(filename="so-dang-ky-tai-lieu.xlsx", sheets=[
        Sheet(title=_("Sổ đăng ký"), heading=heading, header=header, rows=rows)])


def _filter_words(data) -> str:
    words = []
    if data.get("q"):
        words.append("“" + data["q"] + "”")
    if data.get("state"):
        words.append(str(_states().get(data["state"], data["state"])))
    if data.get("department"):
        words.append(str(data["department"]))
    return ", ".join(words) or _("tất cả")


def access_log_xlsx(request, code):
    """The (filtered) access log: moments as Excel date-times in local time."""
    procedure = _log_procedure(request, code)
    _form, filters = _log_filter(request, procedure)
    entries = selectors.access_log_list(procedure=procedure, **filters)
    rows = [[
        entry.at,
        entry.user.get_full_name() or entry.user.get_username(),
        entry.user.get_username(),
        str(entry.user.department or ""),
        procedure.code,
        entry.version.revision,
        entry.get_action_display(),
        entry.attachment.original_name if entry.attachment else "",
    ] for entry in entries[:MAX_ROWS]]
    header = [_("Thời điểm"), _("Người truy cập"), _("Tên đăng nhập"), _("Đơn vị"),
              _("Mã tài liệu"), _("Lần ban hành"), _("Thao tác"), _("Tệp")]
    heading = export_heading(
        title=_("Nhật ký truy cập: %(code)s %(title)s") % {
            "code": procedure.code, "title": procedure.title},
        user=request.user)
    return xlsx_response(filename=f"nhat-ky-truy-cap-{procedure.code}.xlsx", sheets=[
        Sheet(title=_("Nhật ký truy cập"), heading=heading, header=header, rows=rows)])
