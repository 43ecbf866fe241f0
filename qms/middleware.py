import time

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.middleware.locale import LocaleMiddleware
from django.utils import translation
from django.utils.translation import gettext as _


class LanguageCookieMiddleware(LocaleMiddleware):
    """Vietnamese unless the person chose English with the language switch.

    Django's LocaleMiddleware follows the browser's Accept-Language before
    LANGUAGE_CODE, so an office PC set up in English would get English screens.
    Here only the cookie written by `set_language` (kept a year) chooses.
    """

    def process_request(self, request):
        chosen = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME, "")
        supported = {code for code, _name in settings.LANGUAGES}
        prefix = getattr(settings, "QMS_API_PREFIX", "")
        if prefix and request.path_info.startswith(prefix):
            # Other systems have no language switch: the API follows Accept-Language
            # (Vietnamese when it names no supported language).
            chosen = _accepted(request.META.get("HTTP_ACCEPT_LANGUAGE", ""), supported)
        language = chosen if chosen in supported else settings.LANGUAGE_CODE
        translation.activate(language)
        request.LANGUAGE_CODE = translation.get_language()


class SessionIdleMiddleware:
    """Ends a session left idle too long, and keeps its expiry sliding.

    The idle time is QMS_SESSION_IDLE_MINUTES (30) for anyone who signs, audits or
    administers, QMS_STAFF_SESSION_IDLE_MINUTES (8 hours) for the other staff. A
    session opened without "remember me" also ends when the browser closes. The last
    activity is written at most once a minute, not on every request.
    """

    TOUCH_EVERY = 60

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated:
            idle = idle_seconds(user)
            now = int(time.time())
            last = request.session.get(LAST_SEEN_KEY)
            if last is not None and now - last > idle:
                logout(request)
                messages.info(request, _("Phiên làm việc đã hết hạn vì lâu không thao tác. Hãy đăng nhập lại."))
            elif last is None or now - last >= self.TOUCH_EVERY:
                request.session[LAST_SEEN_KEY] = now
                request.session.set_expiry(0 if request.session.get(BROWSER_SESSION_KEY) else idle)
        return self.get_response(request)


def session_started(sender, request, user, **kwargs) -> None:
    """user_logged_in receiver: the idle clock starts at sign-in, so the first pages
    after it write nothing to the session."""
    if request is not None and hasattr(request, "session"):
        request.session[LAST_SEEN_KEY] = int(time.time())
        request.session.set_expiry(idle_seconds(user))


LAST_SEEN_KEY = "qms_last_seen"
# Set at sign-in when "remember me" was not ticked: the cookie ends with the browser.
BROWSER_SESSION_KEY = "qms_browser_session"


def idle_seconds(user) -> int:
    from . import roles

    short = user.is_staff or user.is_superuser or any(
        roles.has_role(user, role)
        for role in (roles.QUALITY_OFFICER, roles.INTERNAL_AUDITOR, roles.APPROVER)
    )
    minutes = settings.QMS_SESSION_IDLE_MINUTES if short else settings.QMS_STAFF_SESSION_IDLE_MINUTES
    return minutes * 60


class SigningFailureMiddleware:
    """Counts this request's wrong signing passwords as failed sign-ins (django-axes),
    after the view, when the refused service's transaction is over."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        from .lockout import record_signing_failures

        record_signing_failures(request)
        return response


class NotFoundPageMiddleware:
    """The project's own "not found" page, in the person's language, even with DEBUG on.

    With DEBUG on, Django answers a 404 with its technical page (the URL patterns,
    the settings' name) whether the resolver or a view raised it; users of a
    debug server must not see it. Only HTML answers are replaced, and never a page
    already rendered by `qms.views.page_not_found` (its response is marked). Last
    in MIDDLEWARE, so that the language and the person are known. With DEBUG off
    Django already calls handler404; this does nothing.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if (
            settings.DEBUG
            and response.status_code == 404
            and not getattr(response, "qms_not_found_page", False)
            and response.get("Content-Type", "").startswith("text/html")
        ):
            from .views import page_not_found

            return page_not_found(request)
        return response
def _accepted(header: str, supported: set[str]) -> str:
    """The first supported language of an Accept-Language header, by weight; "" if none."""
    for code, _weight in translation.trans_real.parse_accept_lang_header(header[:500]):
        base = code.split("-")[0].lower()
        if base in supported:
            return base
    return ""
