"""The error pages, in the user's language."""

from django.contrib.auth.views import LoginView
from django.shortcuts import render
from django.utils.translation import gettext as _

from .middleware import BROWSER_SESSION_KEY


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


def favicon(request):
    """Browsers ask for /favicon.ico whatever the page links to. The static URL is
    resolved per request: with the manifest storage it exists only after collectstatic."""
    from django.shortcuts import redirect
    from django.templatetags.static import static

    return redirect(static("img/favicon.ico"))


def page_not_found(request, exception=None):
    response = render(request, "qms/404.html", {"path": request.path}, status=404)
    # Marked so that NotFoundPageMiddleware leaves it alone when DEBUG is on.
    response.qms_not_found_page = True
    return response


def notification_preferences(request):
    """The person's own choice: each e-mail at once, or one digest a day."""
    from django.contrib import messages
    from django.core.exceptions import ValidationError
    from django.shortcuts import redirect

    from . import notifications, services
    from .forms import NotificationPreferenceForm

    current = notifications.preference_of(request.user)
    form = NotificationPreferenceForm(
        request.POST or None,
        initial={"delivery": current.delivery, "language": current.language},
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.notification_preference_set(
                user=request.user, actor=request.user, **form.cleaned_data
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("Đã lưu cách nhận thông báo."))
            return redirect("notification_preferences")
    return render(request, "qms/notification_preferences.html", {
        "form": form, "email": request.user.email,
    })


class SignInView(LoginView):
    """Django's sign-in, with "remember me": unticked, the session ends when the
    browser closes (it also ends after the idle time, see SessionIdleMiddleware)."""

    def form_valid(self, form):
        response = super().form_valid(form)
        if not self.request.POST.get("remember"):
            self.request.session[BROWSER_SESSION_KEY] = True
            self.request.session.set_expiry(0)
        return response
