"""What settings.REST_FRAMEWORK names: who may call the API at all, the pages, the
error bodies. A module of its own: DRF imports these while its views module is
still loading, so they cannot live in qms.api, which imports DRF's views.

Every error body has the same shape, in the caller's language (Accept-Language,
Vietnamese by default; see qms.middleware):

    {"detail": "<one sentence>", "code": "<machine code>", "errors": {...}}

`errors` comes with invalid input only: field name → list of messages.
"""

from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import Http404
from django.utils.translation import gettext as _
from rest_framework import exceptions
from rest_framework.pagination import PageNumberPagination
from rest_framework.permissions import BasePermission


class IsActiveUser(BasePermission):
    """Signed in (token or session) and active; what each one may see is decided by
    the apps' selectors and permission functions."""

    def has_permission(self, request, view) -> bool:
        user = request.user
        return bool(user and user.is_authenticated and user.is_active)


class Pagination(PageNumberPagination):
    page_size = 25
    page_size_query_param = "page_size"
    max_page_size = 100

    def get_paginated_response_schema(self, schema):
        schema = super().get_paginated_response_schema(schema)
        # DRF's schema says "count" may be any integer; it never is negative.
        schema["properties"]["count"]["minimum"] = 0
        return schema


def _messages(detail) -> dict:
    if isinstance(detail, dict):
        return {str(key): [str(m) for m in (value if isinstance(value, list) else [value])]
                for key, value in detail.items()}
    return {"non_field_errors": [str(m) for m in (detail if isinstance(detail, list) else [detail])]}


def _detail(exc) -> str:
    """DRF's own messages have no Vietnamese: say them in the house's words."""
    code = exc.get_codes() if isinstance(exc, exceptions.APIException) else ""
    own = {
        "not_authenticated": _("Chưa xác thực: hãy gửi tiêu đề “Authorization: Token …” "
                               "hoặc đăng nhập."),
        "authentication_failed": _("Mã token hoặc phiên đăng nhập không hợp lệ, hoặc tài khoản "
                                   "đã ngừng hoạt động."),
        "not_found": _("Không tìm thấy, hoặc bạn không có quyền xem."),
        "parse_error": _("Nội dung gửi lên không phải JSON hợp lệ."),
        "unsupported_media_type": _("Kiểu nội dung không được hỗ trợ: hãy gửi JSON."),
        "not_acceptable": _("Không có định dạng được yêu cầu: API trả về JSON."),
        "method_not_allowed": _("Phương thức này không được dùng ở địa chỉ này."),
        "throttled": _("Quá nhiều yêu cầu; hãy thử lại sau."),
    }
    if code == "permission_denied" and str(exc.detail) == str(exc.default_detail):
        return _("Bạn không có quyền thực hiện thao tác này.")
    return own.get(code, str(getattr(exc, "detail", "")))


def exception_handler(exc, context):
    """DRF's handler with the house's error body; a service's refusal (a Django
    ValidationError) is a 400 with its message, PermissionDenied keeps its message."""
    from rest_framework.views import exception_handler as drf_exception_handler

    if isinstance(exc, DjangoValidationError):
        if getattr(exc, "code", None) == "permission":
            exc = exceptions.PermissionDenied(" ".join(exc.messages))
        else:
            exc = exceptions.ValidationError({"non_field_errors": exc.messages})
    elif isinstance(exc, DjangoPermissionDenied):
        exc = exceptions.PermissionDenied(str(exc) or None)
    elif isinstance(exc, Http404):
        exc = exceptions.NotFound()
    response = drf_exception_handler(exc, context)
    if response is None:
        return None
    if isinstance(exc, exceptions.ValidationError):
        response.data = {
            "detail": _("Dữ liệu gửi lên không hợp lệ."),
            "code": "invalid",
            "errors": _messages(exc.detail),
        }
    else:
        response.data = {"detail": _detail(exc), "code": exc.get_codes()}
    return response
