"""/jobs/…: background jobs (mounted by portal/urls.py)."""

from django.urls import path

from . import job_views

app_name = "jobs"
urlpatterns = [
    path("", job_views.job_list, name="list"),
    path("<uuid:pk>/", job_views.job_detail, name="detail"),
    path("<uuid:pk>/status/", job_views.job_status, name="status"),
    path("run/<slug:command>/", job_views.command_start, name="command_start"),
]
