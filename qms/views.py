"""The error pages, in the user's language."""

from django.shortcuts import render
from django.utils.translation import gettext as _


def permission_denied(request, exception=None):
    message = ""
    if exception is not None and exception.args:
        message = str(exception.args[0])
    return render(
        request,
        "qms/403.html",
        {"message": message or _("Bạn không có quyền xem trang này.")},
        status=403,
    )


def page_not_found(request, exception=None):
    return render(request, "qms/404.html", {"path": request.path}, status=404)
