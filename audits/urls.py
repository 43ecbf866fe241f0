from django.urls import path

from . import export_views, views

app_name = "audits"
urlpatterns = [
    path("", views.index, name="index"),
    path("programmes/new/", views.programme_create, name="programme_create"),
    path("programmes/<int:year>/new/", views.audit_create, name="audit_create"),
    path("<int:pk>/", views.detail, name="detail"),
    path("<int:pk>/start/", views.audit_start, name="start"),
    path("<int:pk>/close/", views.audit_close, name="close"),
    path("<int:pk>/findings.xlsx", export_views.audit_findings_xlsx, name="findings_xlsx"),
    path("programmes/<int:year>/findings.xlsx", export_views.year_findings_xlsx,
         name="year_findings_xlsx"),
    path("<int:pk>/history/", views.history, name="history"),
    path("<int:pk>/findings/new/", views.finding_create, name="finding_create"),
    path("<int:pk>/report/issue/", views.report_issue, name="report_issue"),
    path("<int:pk>/report.pdf", views.report_download, name="report"),
    path("<int:pk>/report/<int:revision>.pdf", views.report_download, name="report_revision"),
    path("<int:pk>/preview.pdf", views.report_preview, name="report_preview"),
    path("checklist/<int:pk>/", views.checklist_answer, name="checklist_answer"),
    path("findings/<int:pk>/edit/", views.finding_edit, name="finding_edit"),
    path("findings/<int:pk>/attachments/", views.attachment_add, name="attachment_add"),
    path("attachments/<int:pk>/", views.attachment_download, name="attachment"),
    path("actions/<int:pk>/answer/", views.action_answer, name="action_answer"),
    path("actions/<int:pk>/verify/", views.action_verify, name="action_verify"),
]
