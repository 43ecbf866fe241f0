"""State changes of the 2008 → 2015 migration, by topic:

- `importing`: the organisation's procedure files into the register;
- `migrating`: draft revisions on the 2015 edition from effective 2008 versions;
- `decisions`: the officer's decisions on flagged terms, and submitting the draft;
- `gap`: requirements not applicable, documented information links, drafts from templates.

Every function follows the house rules: keyword-only, one transaction, the
actor's permission checked, history written with the actor and a reason.
"""

from ._common import MigrationError, department_get
from .decisions import migration_submit, terms_decide
from .gap import (
    documented_information_decide,
    requirement_applicable,
    requirement_draft_create,
    requirement_not_applicable,
    templates,
)
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
    "documented_information_decide",
    "edition_migrate",
    "migration_submit",
    "plan_for",
    "procedure_import",
    "procedure_migrate",
    "procedures_import",
    "requirement_applicable",
    "requirement_draft_create",
    "requirement_not_applicable",
    "result_from_migration",
    "templates",
    "terms_decide",
]
