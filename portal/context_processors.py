"""What every page's template gets from the portal."""

from django.utils.functional import SimpleLazyObject

from .inbox import request_inbox_count


def inbox(request):
    """`inbox_count` for the header of a signed-in person: computed only when a
    template shows it, once per request (the inbox page sets it from its items)."""
    user = getattr(request, "user", None)
    if not (user and user.is_authenticated):
        return {}
    return {"inbox_count": SimpleLazyObject(lambda: request_inbox_count(request))}
