"""Procedure screens. Mounted at the site root (see portal/urls.py): /procedures/… for
reading, /register/… and /acknowledgements/ for the work lists.

Codes are stored upper case, so the lower-case words below never shadow a code.
"""

from django.urls import path

from . import job_views, views

app_name = "procedures"
V = "procedures/<str:code>/versions/<int:revision>/"
urlpatterns = [
    path("procedures/", views.procedure_list, name="list"),
    path("procedures/preview/", views.body_preview, name="preview"),
    path("procedures/<str:code>/", views.procedure_detail, name="detail"),
    path("procedures/<str:code>/pdf/", views.procedure_pdf, name="pdf"),
    path("procedures/<str:code>/history/", views.procedure_history, name="history"),
    path("procedures/<str:code>/diff/", views.procedure_diff, name="diff"),
    path("procedures/<str:code>/access-log/", views.access_log, name="access_log"),
    path("procedures/<str:code>/access-log.csv", views.access_log_csv, name="access_log_csv"),
    path("procedures/<str:code>/new-revision/", views.revision_start, name="revision_start"),
    path(V, views.version_detail, name="version"),
    path(V + "edit/", views.version_edit, name="version_edit"),
    path(V + "pdf/", views.version_pdf_view, name="version_pdf"),
    path(V + "attachments/", views.attachment_upload, name="attachment_upload"),
    path(V + "attachments/<int:pk>/", views.attachment_download, name="attachment"),
    path(V + "acknowledge/", views.acknowledge, name="acknowledge"),
    path(V + "acknowledgements/", views.acknowledgement_status, name="acknowledgement_status"),
    path(V + "<slug:action>/", views.version_action, name="version_action"),
    path("acknowledgements/", views.acknowledgement_pending, name="acknowledgements"),
    path("register/", views.register, name="register"),
    path("register/new/", views.procedure_create, name="create"),
    path("register/apply-scheduled/", job_views.apply_scheduled_start, name="apply_scheduled_start"),
]
