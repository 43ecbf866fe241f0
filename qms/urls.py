"""Signing in and out, passwords, notification preferences, and the language switch."""

from django.contrib.auth.decorators import login_not_required
from django.urls import include, path
from django.views.i18n import set_language

from . import views

urlpatterns = [
    path("accounts/notifications/", views.notification_preferences, name="notification_preferences"),
    # Sign-in with "remember me"; the rest of Django's account pages (sign-out,
    # password change and reset) as they are.
    path("accounts/login/", views.SignInView.as_view(), name="login"),
    path("accounts/", include("django.contrib.auth.urls")),
    # Choosing the language is allowed before signing in (the sign-in page has the switch).
    path("i18n/setlang/", login_not_required(set_language), name="set_language"),
    # Browsers ask for /favicon.ico whatever the page links to.
    path("favicon.ico", login_not_required(views.favicon), name="favicon"),
]
