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
        prefix = getattr(settings, "QMS_API_PREFIX", "")
        if prefix and request.path_info.startswith(prefix):
            # Other systems have no language switch: the API follows Accept-Language
            # (Vietnamese when it names no supported language).
            chosen = _accepted(request.META.get("HTTP_ACCEPT_LANGUAGE", ""), supported)
        language = chosen if chosen in supported else settings.LANGUAGE_CODE
        translation.activate(language)
        request.LANGUAGE_CODE = translation.get_language()


def _accepted(header: str, supported: set[str]) -> str:
    """The first supported language of an Accept-Language header, by weight; "" if none."""
    for code, _weight in translation.trans_real.parse_accept_lang_header(header[:500]):
        base = code.split("-")[0].lower()
        if base in supported:
            return base
    return ""
