"""Reads about procedures that several views, commands and reports share, by topic:

- `versions`: who may see which version, the register;
- `reading`: acknowledgements and the access log;
- `review`: the review queues, who may be named, what comes due;
- `records`: a procedure's timeline and the data of a printed copy.
"""

from .reading import (
    access_log_counts,
    access_log_list,
    access_log_people,
    acknowledgement_missing_users,
    acknowledgement_of,
    acknowledgement_pending_list,
    acknowledgement_required_users,
    acknowledgement_status_list,
    acknowledgement_summary,
    last_acknowledged_version,
    revisions_since,
)
from .records import (
    procedure_timeline,
    version_print_data,
)
from .review import (
    awaiting_publication_list,
    awaiting_signature_list,
    comment_threads,
    eligible_approvers,
    eligible_reviewers,
    my_drafts_list,
    overdue_review_for_managers,
    review_due_list,
    review_tracking_list,
    routing_rounds,
    version_distribution,
)
from .versions import (
    effective_version_get,
    effective_version_list,
    effective_versions,
    latest_version_for_drafts,
    overdue_review_list,
    procedure_for_drafts_get,
    procedure_versions,
    procedures_with_drafts_for,
    register_list,
    signature_is_valid,
    signatures_checked,
    version_by_revision_get,
    version_get,
    version_list,
)

__all__ = [
    "access_log_counts",
    "access_log_list",
    "access_log_people",
    "acknowledgement_missing_users",
    "acknowledgement_of",
    "acknowledgement_pending_list",
    "acknowledgement_required_users",
    "acknowledgement_status_list",
    "acknowledgement_summary",
    "awaiting_publication_list",
    "awaiting_signature_list",
    "comment_threads",
    "effective_version_get",
    "effective_version_list",
    "effective_versions",
    "eligible_approvers",
    "eligible_reviewers",
    "last_acknowledged_version",
    "latest_version_for_drafts",
    "my_drafts_list",
    "overdue_review_for_managers",
    "overdue_review_list",
    "procedure_for_drafts_get",
    "procedure_timeline",
    "procedure_versions",
    "procedures_with_drafts_for",
    "register_list",
    "review_due_list",
    "review_tracking_list",
    "revisions_since",
    "routing_rounds",
    "signature_is_valid",
    "signatures_checked",
    "version_by_revision_get",
    "version_distribution",
    "version_get",
    "version_list",
    "version_print_data",
]
