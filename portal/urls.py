"""The root URLconf: every app's pages under one site."""

from django.contrib import admin
from django.urls import include, path

from . import views

urlpatterns = [
    path("", views.home, name="home"),
    path("inbox/", views.inbox, name="inbox"),
    # /accounts/…, /i18n/setlang/ (see qms/urls.py)
    path("", include("qms.urls")),
    # /procedures/…, /register/…, /acknowledgements/ (see procedures/urls.py)
    path("", include("procedures.urls")),
    path("migration/", include("edition_migration.urls")),
    path("audits/", include("audits.urls")),
    path("quality/", include("service_quality.urls")),
    path("jobs/", include("portal.job_urls")),
    # The REST API, its schema and docs (see portal/api_urls.py, README "API").
    path("api/v1/", include("portal.api_urls")),
    path("admin/", admin.site.urls),
]
# Uploaded files are never served from MEDIA_ROOT directly: views check the
# object permission and log the access.

handler403 = "qms.views.permission_denied"
handler404 = "qms.views.page_not_found"
