from django.urls import path

from . import views

app_name = "service_quality"
urlpatterns = [
    path("", views.report, name="report"),
    path("report.pdf", views.report_pdf, name="report_pdf"),
    path("figures/", views.figure_list, name="figures"),
    path("figures.xlsx", views.figures_xlsx, name="figures_xlsx"),
    path("figures/new/", views.figure_new, name="figure_new"),
    path("figures/<int:pk>/", views.figure_edit, name="figure_edit"),
    path("figures/import/", views.figures_import, name="figures_import"),
    path("figures/publish/", views.period_publish, name="publish"),
    path("targets/", views.target_list, name="targets"),
    path("fields/", views.field_list, name="fields"),
    path("satisfaction/", views.survey_list, name="surveys"),
    path("satisfaction/new/", views.survey_new, name="survey_new"),
    path("satisfaction/import/", views.survey_import, name="survey_import"),
    path("objectives/", views.objective_list, name="objectives"),
    path("objectives/new/", views.objective_new, name="objective_new"),
    path("objectives/<int:pk>/", views.objective_detail, name="objective"),
    path("objectives/<int:pk>/edit/", views.objective_edit, name="objective_edit"),
    path("reviews/", views.review_list, name="reviews"),
    path("reviews/new/", views.review_new, name="review_new"),
    path("reviews/<int:pk>/", views.review_detail, name="review"),
    path("reviews/<int:pk>/edit/", views.review_edit, name="review_edit"),
    path("reviews/<int:pk>/record.pdf", views.review_pdf, name="review_pdf"),
    path("outputs/<int:pk>/done/", views.output_done, name="output_done"),
]
