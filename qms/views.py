"""The dashboard and the error pages."""

from django.shortcuts import render
from django.utils.translation import gettext as _

from procedures import permissions, selectors

DASHBOARD_ROWS = 10


def _section(queryset, rows=DASHBOARD_ROWS) -> dict:
    """The first rows of a work list and its total: two queries whatever its size."""
    return {"rows": list(queryset[:rows]), "total": queryset.count()}


def home(request):
    """Each role's work: pending acknowledgements; for officers and approvers their
    drafts, what waits for their signature or publication, overdue reviews."""
    user = request.user
    context = {"sections": {}}
    if permissions.must_acknowledge(user):
        context["sections"]["pending"] = _section(
            selectors.acknowledgement_pending_list(user=user)
        )
    if permissions.can_use_register(user):
        context["sections"].update(
            drafts=_section(selectors.my_drafts_list(user=user)),
            signature=_section(selectors.awaiting_signature_list(user=user)),
            publication=_section(selectors.awaiting_publication_list(user=user)),
            overdue=_section(selectors.overdue_review_for_managers(user=user)),
        )
    return render(request, "qms/home.html", context)


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
