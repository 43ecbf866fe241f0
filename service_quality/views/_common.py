from django.conf import settings
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpResponse
from django.utils import timezone

from .. import permissions


def require_use(user) -> None:
    if not permissions.can_use(user):
        raise PermissionDenied


def refused(form, error: ValidationError) -> None:
    for message in error.messages:
        form.add_error(None, message)


def flash_refusal(request, error: ValidationError) -> None:
    for message in error.messages:
        messages.error(request, message)


def year_param(request, default=None) -> int:
    try:
        year = int(request.GET.get("year") or 0)
    except ValueError:
        year = 0
    return year if 2000 <= year <= 2100 else (default or timezone.localdate().year)


def read_upload(upload) -> tuple[str, bytes]:
    """The upload's bytes up to the size limit + 1 (enough to refuse an oversize file)."""
    limit = settings.QMS_UPLOAD_MAX_BYTES + 1
    data = bytearray()
    for chunk in upload.chunks():
        data.extend(chunk[: limit - len(data)])
        if len(data) >= limit:
            break
    return upload.name, bytes(data)


def pdf_response(content: bytes, filename: str) -> HttpResponse:
    response = HttpResponse(content, content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    response["X-Content-Type-Options"] = "nosniff"
    return response


def person(user) -> str:
    return user.get_full_name() or user.get_username()
