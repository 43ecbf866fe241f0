"""The dashboard and the error pages."""

from django.conf import settings
from django.middleware.locale import LocaleMiddleware
from django.shortcuts import render
from django.utils import translation
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


class LanguageCookieMiddleware(LocaleMiddleware):
    """Vietnamese unless the person chose English with the language switch.

    Django's LocaleMiddleware follows the browser's Accept-Language before
    LANGUAGE_CODE, so an office PC set up in English would get English screens.
    Here only the cookie written by `set_language` (kept a year) chooses.
    (A middleware in views.py: the web engineer's files do not include a
    qms/middleware.py; it can move there unchanged.)
    """

    def process_request(self, request):
        chosen = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME, "")
        supported = {code for code, _name in settings.LANGUAGES}
        language = chosen if chosen in supported else settings.LANGUAGE_CODE
        translation.activate(language)
        request.LANGUAGE_CODE = translation.get_language()
