from django.contrib import admin
from django.contrib.auth.decorators import login_not_required
from django.urls import include, path
from django.views.i18n import set_language

from . import views

urlpatterns = [
    path("", views.home, name="home"),
    path("accounts/", include("django.contrib.auth.urls")),
    # Choosing the language is allowed before signing in (the sign-in page has the switch).
    path("i18n/setlang/", login_not_required(set_language), name="set_language"),
    # /procedures/…, /register/…, /acknowledgements/ (see procedures/urls.py)
    path("", include("procedures.urls")),
    path("migration/", include("procedures.edition_migration.urls")),
    path("audits/", include("audits.urls")),
    path("quality/", include("service_quality.urls")),
    path("admin/", admin.site.urls),
]
# Uploaded files are never served from MEDIA_ROOT directly: views check the
# object permission and log the access.

handler403 = "qms.views.permission_denied"
handler404 = "qms.views.page_not_found"
