"""Brute-force protection around django-axes.

Axes counts failed sign-ins per username and per address and refuses both for the
cool-off period (settings AXES_*). A signature asks for the password again: a wrong
signing password counts as a failed sign-in too, and a locked-out person cannot sign.
Lockouts and their ends are written as LockoutEvent rows (the admin shows them) and
to the "qms.security" log.
"""

import logging

from axes.handlers.proxy import AxesProxyHandler
from axes.helpers import get_cool_off
from django.conf import settings
from django.contrib.auth.forms import AuthenticationForm
from django.contrib.auth.signals import user_login_failed
from django.http import HttpRequest
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext as _
from simple_history.models import HistoricalRecords

log = logging.getLogger("qms.security")


def client_ip(request) -> str | None:
    """The client's address: with QMS_PROXY_COUNT proxies of our own in front, the
    entry that many places from the end of X-Forwarded-For (what our first proxy saw;
    anything before it is the client's to forge)."""
    count = settings.QMS_PROXY_COUNT
    if count > 0:
        forwarded = [a.strip() for a in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",") if a.strip()]
        if len(forwarded) >= count:
            return forwarded[-count]
    return request.META.get("REMOTE_ADDR") or None


def lockout_minutes() -> int:
    cool_off = get_cool_off()
    return int(cool_off.total_seconds() // 60) if cool_off else 0


def lockout_message() -> str:
    return _(
        "Tài khoản hoặc địa chỉ này tạm thời bị khoá vì nhập sai mật khẩu quá %(limit)s lần. "
        "Hãy thử lại sau %(minutes)s phút, hoặc liên hệ quản trị hệ thống."
    ) % {"limit": settings.AXES_FAILURE_LIMIT, "minutes": lockout_minutes()}


def lockout_response(request, original_response=None, credentials=None):
    """The sign-in page again, saying that it is locked and for how long (HTTP 429)."""
    # Unbound: validating it would try the password again, one more failure.
    form = AuthenticationForm(request, initial={"username": request.POST.get("username", "")})
    return render(
        request,
        "registration/login.html",
        {"form": form, "locked_out_message": lockout_message()},
        status=429,
    )


def _current_request():
    # Set for the duration of a request by simple_history's HistoryRequestMiddleware.
    return getattr(HistoricalRecords.context, "request", None)


def check_signing_password(user, password: str, *, error) -> None:
    """Refuse a signature, raising `error(message, code=…)`, when the signer is locked
    out (code "locked") or the password is wrong (code "password").

    A wrong password is counted once the request is over (SigningFailureMiddleware):
    the service's transaction is rolled back by the refusal, and the count must stay.
    """
    request = _current_request()
    credentials = {"username": user.get_username()}
    if AxesProxyHandler.is_locked(request if request is not None else HttpRequest(), credentials):
        raise error(lockout_message(), code="locked")
    if not password or not user.check_password(password):
        if request is not None:
            failed = getattr(request, "qms_signing_failures", [])
            failed.append(user.get_username())
            request.qms_signing_failures = failed
        raise error(_("Mật khẩu không đúng: chữ ký chưa được ghi nhận."), code="password")


def record_signing_failures(request) -> None:
    """Count the wrong signing passwords of this request as failed sign-ins."""
    for username in getattr(request, "qms_signing_failures", ()):
        user_login_failed.send(
            sender=__name__, credentials={"username": username}, request=request
        )


def on_locked_out(sender, request=None, username=None, ip_address=None, **kwargs):
    """axes' user_locked_out: once per lockout (not again for each refused attempt)."""
    if request is not None and getattr(request, "axes_failures_since_start", None) is None:
        return
    from .models import LockoutEvent

    cool_off = get_cool_off(request)
    until = timezone.now() + cool_off if cool_off else None
    LockoutEvent.objects.create(
        kind=LockoutEvent.Kind.LOCKED, username=username or "", ip_address=ip_address, until=until
    )
    log.warning("Lockout of username %r, address %s, until %s.", username, ip_address, until)


def on_attempt_deleted(sender, instance, **kwargs):
    """An axes AccessAttempt past the limit is deleted when its cool-off is over (or an
    administrator resets it): that lockout has ended."""
    failures = instance.failures_since_start
    if not isinstance(failures, int) or failures < settings.AXES_FAILURE_LIMIT:
        return
    from .models import LockoutEvent

    LockoutEvent.objects.create(
        kind=LockoutEvent.Kind.ENDED, username=instance.username or "", ip_address=instance.ip_address
    )
    log.warning("Lockout of username %r, address %s ended.", instance.username, instance.ip_address)
