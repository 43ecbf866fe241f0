"""Every state change of the service-quality app (one module per topic)."""

from .figures import (
    ImportSummary,
    check_counts,
    field_create,
    field_update,
    online_target_set,
    period_publish,
    period_withdraw,
    reporting_unit_enrol,
    reporting_unit_grant,
    stat_save,
    stats_import,
)
from .objectives import (
    objective_create,
    objective_raise_nonconformity,
    objective_reading_record,
    objective_update,
)
from .reviews import (
    review_close,
    review_create,
    review_gather_inputs,
    review_output_add,
    review_output_complete,
    review_update,
)
from .satisfaction import survey_save, surveys_import

__all__ = [
    "ImportSummary", "check_counts", "field_create", "field_update", "online_target_set",
    "period_publish", "period_withdraw", "reporting_unit_enrol", "reporting_unit_grant",
    "stat_save", "stats_import", "objective_create", "objective_raise_nonconformity",
    "objective_reading_record", "objective_update", "review_close", "review_create",
    "review_gather_inputs", "review_output_add", "review_output_complete", "review_update",
    "survey_save", "surveys_import",
]
