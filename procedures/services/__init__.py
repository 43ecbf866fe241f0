"""Every state change of procedures and their versions, by topic:

- `lifecycle`: create, edit, make effective (with the issuing decision), revise, withdraw;
- `review`: submit to named reviewers and an approver, recall;
- `signatures`: review, approval and return, with the signer's password;
- `comments`: comments on a version, their answers and resolution;
- `attachments`: files of a draft (add, remove, replace, carried over to a new revision);
- `reading`: acknowledgements and the access log;
- `register`: what the register says of a procedure beyond its text (its fields);
- `grants`: the object permissions that follow from departments and roles;
- `legacy`: the initial load of documents from the previous system, and legacy files as drafts.

One function per event of the review workflow (submitted, reviewed, returned,
approved, recalled, commented, made effective), so that a notification can be
added to each.

Callers import from here: `from procedures import services; services.version_submit(...)`.
"""

from ._common import content_hash, resolve_clauses, signature_hash, version_refresh_derived
from .attachments import attachment_add, attachment_remove, attachment_replace
from .comments import comment_add, comment_answer, comment_resolve
from .grants import (
    central_officers,
    procedure_grant_central_office,
    procedure_grant_defaults,
    user_sync_permissions,
)
from .legacy import LegacyFile, procedure_import_legacy, version_import_draft
from .lifecycle import (
    decision_number_clean,
    procedure_create,
    version_create,
    version_make_effective,
    version_start_revision,
    version_update,
    version_withdraw,
    versions_apply_scheduled,
)
from .reading import (
    access_record,
    acknowledgement_notice,
    acknowledgement_record,
    acknowledgements_request,
    has_opened,
)
from .register import procedure_set_sectors
from .review import version_recall, version_submit
from .signatures import version_approve, version_return, version_review

__all__ = [
    "LegacyFile",
    "central_officers",
    "procedure_grant_central_office",
    "procedure_import_legacy",
    "version_import_draft",
    "access_record",
    "acknowledgement_notice",
    "acknowledgement_record",
    "acknowledgements_request",
    "has_opened",
    "attachment_add",
    "attachment_remove",
    "attachment_replace",
    "comment_add",
    "comment_answer",
    "comment_resolve",
    "content_hash",
    "signature_hash",
    "decision_number_clean",
    "procedure_create",
    "procedure_grant_defaults",
    "procedure_set_sectors",
    "resolve_clauses",
    "user_sync_permissions",
    "version_approve",
    "version_create",
    "version_make_effective",
    "version_recall",
    "version_refresh_derived",
    "version_return",
    "version_review",
    "version_start_revision",
    "version_submit",
    "version_update",
    "version_withdraw",
    "versions_apply_scheduled",
]
