"""Procedure screens. Mounted at the site root (see portal/urls.py): /procedures/… for
reading, /register/… and /acknowledgements/ for the work lists.

Codes are stored upper case, so the lower-case words below never shadow a code.
"""

from django.urls import path

from . import export_views, job_views, reading_views, views, views_workflow

app_name = "procedures"
V = "procedures/<str:code>/versions/<int:revision>/"
urlpatterns = [
    path("procedures/", views.procedure_list, name="list"),
    path("procedures/suggest/", views.procedure_suggest, name="suggest"),
    path("procedures/preview/", views.body_preview, name="preview"),
    path("procedures/<str:code>/", views.procedure_detail, name="detail"),
    path("procedures/<str:code>/pdf/", views.procedure_pdf, name="pdf"),
    path("procedures/<str:code>/history/", views.procedure_history, name="history"),
    path("procedures/<str:code>/diff/", views.procedure_diff, name="diff"),
    path("procedures/<str:code>/access-log/", reading_views.access_log, name="access_log"),
    path("procedures/<str:code>/access-log.csv", reading_views.access_log_csv,
         name="access_log_csv"),
    path("procedures/<str:code>/access-log.xlsx", export_views.access_log_xlsx,
         name="access_log_xlsx"),
    path("procedures/<str:code>/new-revision/", views.revision_start, name="revision_start"),
    path(V, views_workflow.version_detail, name="version"),
    path(V + "edit/", views.version_edit, name="version_edit"),
    path(V + "pdf/", views.version_pdf_view, name="version_pdf"),
    path(V + "attachments/", views.attachment_upload, name="attachment_upload"),
    path(V + "attachments/<int:pk>/", views.attachment_download, name="attachment"),
    path(V + "attachments/<int:pk>/remove/", views_workflow.attachment_remove, name="attachment_remove"),
    path(V + "attachments/<int:pk>/replace/", views_workflow.attachment_replace, name="attachment_replace"),
    path(V + "comments/<int:pk>/answer/", views_workflow.comment_answer, name="comment_answer"),
    path(V + "comments/<int:pk>/resolve/", views_workflow.comment_resolve, name="comment_resolve"),
    path(V + "acknowledge/", reading_views.acknowledge, name="acknowledge"),
    path(V + "acknowledgements/", reading_views.acknowledgement_status,
         name="acknowledgement_status"),
    path(V + "acknowledgements.csv", reading_views.acknowledgement_status_csv,
         name="acknowledgement_status_csv"),
    path(V + "acknowledgements.xlsx", reading_views.acknowledgement_status_xlsx,
         name="acknowledgement_status_xlsx"),
    path(V + "<slug:action>/", views_workflow.version_action, name="version_action"),
    path("acknowledgements/", reading_views.acknowledgement_pending, name="acknowledgements"),
    path("register/", views.register, name="register"),
    path("register.xlsx", export_views.register_xlsx, name="register_xlsx"),
    path("register/new/", views.procedure_create, name="create"),
    path("register/apply-scheduled/", job_views.apply_scheduled_start, name="apply_scheduled_start"),
]
