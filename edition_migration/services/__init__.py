"""State changes of the 2008 → 2015 migration, by topic:

- `importing`: the organisation's procedure files into the register;
- `migrating`: draft revisions on the 2015 edition from effective 2008 versions;
- `decisions`: the officer's decisions on flagged terms, and submitting the draft.

Every function follows the house rules: keyword-only, one transaction, the
actor's permission checked, history written with the actor and a reason.
"""

from ._common import MigrationError, department_get
from .decisions import migration_submit, terms_decide
from .importing import ImportResult, procedure_import, procedures_import
from .migrating import (
    MigrationResult,
    Plan,
    candidates_for,
    edition_migrate,
    plan_for,
    procedure_migrate,
    result_from_migration,
)

__all__ = [
    "ImportResult",
    "MigrationError",
    "MigrationResult",
    "Plan",
    "candidates_for",
    "department_get",
    "edition_migrate",
    "migration_submit",
    "plan_for",
    "procedure_import",
    "procedure_migrate",
    "procedures_import",
    "result_from_migration",
    "terms_decide",
]
