"""Pages of the service-quality app, thin over selectors and services (one module per topic)."""

from .exports import figures_xlsx
from .figures import (
    field_list,
    figure_edit,
    figure_list,
    figure_new,
    figures_import,
    period_publish,
    survey_import,
    survey_list,
    survey_new,
    target_list,
)
from .objectives import objective_detail, objective_edit, objective_list, objective_new
from .report import report, report_pdf
from .reviews import output_done, review_detail, review_edit, review_list, review_new, review_pdf

__all__ = [
    "field_list", "figures_xlsx", "figure_edit", "figure_list", "figure_new", "figures_import", "period_publish",
    "survey_import", "survey_list", "survey_new", "target_list", "objective_detail",
    "objective_edit", "objective_list", "objective_new", "report", "report_pdf", "output_done",
    "review_detail", "review_edit", "review_list", "review_new", "review_pdf",
]
