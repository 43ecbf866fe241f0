from django.conf import settings
from django.middleware.locale import LocaleMiddleware
from django.utils import translation


class LanguageCookieMiddleware(LocaleMiddleware):
    """Vietnamese unless the person chose English with the language switch.

    Django's LocaleMiddleware follows the browser's Accept-Language before
    LANGUAGE_CODE, so an office PC set up in English would get English screens.
    Here only the cookie written by `set_language` (kept a year) chooses.
    """

    def process_request(self, request):
        chosen = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME, "")
        supported = {code for code, _name in settings.LANGUAGES}
        language = chosen if chosen in supported else settings.LANGUAGE_CODE
        translation.activate(language)
        request.LANGUAGE_CODE = translation.get_language()


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
