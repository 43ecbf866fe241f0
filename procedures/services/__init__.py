"""Every state change of procedures and their versions, by topic:

- `lifecycle`: create, edit, submit, return, make effective, revise, withdraw;
- `signatures`: review and approval with the signer's password;
- `attachments`: files of a draft;
- `reading`: acknowledgements and the access log;
- `register`: what the register says of a procedure beyond its text (its fields);
- `grants`: the object permissions that follow from departments and roles;
- `legacy`: the initial load of documents from the previous system, and legacy files as drafts.

Callers import from here: `from procedures import services; services.version_submit(...)`.
"""

from ._common import content_hash, resolve_clauses, version_refresh_derived
from .attachments import attachment_add
from .grants import (
    central_officers,
    procedure_grant_central_office,
    procedure_grant_defaults,
    user_sync_permissions,
)
from .legacy import LegacyFile, procedure_import_legacy, version_import_draft
from .lifecycle import (
    procedure_create,
    version_create,
    version_make_effective,
    version_reject,
    version_start_revision,
    version_submit,
    version_update,
    version_withdraw,
    versions_apply_scheduled,
)
from .reading import access_record, acknowledgement_record
from .register import procedure_set_sectors
from .signatures import version_approve, version_review

__all__ = [
    "LegacyFile",
    "access_record",
    "acknowledgement_record",
    "attachment_add",
    "central_officers",
    "content_hash",
    "procedure_create",
    "procedure_grant_central_office",
    "procedure_grant_defaults",
    "procedure_import_legacy",
    "procedure_set_sectors",
    "resolve_clauses",
    "user_sync_permissions",
    "version_approve",
    "version_create",
    "version_import_draft",
    "version_make_effective",
    "version_refresh_derived",
    "version_reject",
    "version_review",
    "version_start_revision",
    "version_submit",
    "version_update",
    "version_withdraw",
    "versions_apply_scheduled",
]
