from django.urls import path

from . import views

app_name = "edition_migration"
urlpatterns = [
    path("", views.index, name="index"),
    path("run/", views.run, name="run"),
    path("import/", views.import_files, name="import"),
    path("report/", views.report, name="report"),
    path("gap/", views.gap, name="gap"),
    path("gap/decide/", views.gap_decide, name="gap_decide"),
    path("gap/draft/", views.gap_draft, name="gap_draft"),
    path("gap/link/", views.gap_link, name="gap_link"),
    path("<int:pk>/", views.review, name="review"),
    path("<int:pk>/decide/", views.decide, name="decide"),
    path("<int:pk>/submit/", views.submit, name="submit"),
]
