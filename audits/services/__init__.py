"""Every state change of audit programmes, audits, checklists, findings,
corrective actions and audit reports, by topic:

- `planning`: programmes, audits, starting an audit, answering its checklist;
- `findings`: findings and their evidence (a nonconformity opens its action);
- `revisions`: changing a finding (in place before the first report, a new
  revision of the record after it);
- `actions`: corrective actions, each answer an attempt checked for effectiveness;
- `reporting`: closing an audit and issuing its PDF record, signed by the lead auditor.

Each function is one transaction, checks the actor's permission and the current
state (the audit or action re-read under a row lock), and records who did it and
why in the history (django-simple-history).
"""

from ._common import resolve_clauses
from .actions import corrective_action_answer, corrective_action_verify
from .findings import EVIDENCE_KINDS, finding_attachment_add, finding_record
from .planning import audit_create, audit_start, checklist_item_answer, programme_create
from .reporting import (
    audit_close,
    audit_report_authorise,
    audit_report_issue,
    audit_report_issue_signed,
    report_number,
)
from .revisions import finding_update

__all__ = [
    "EVIDENCE_KINDS",
    "audit_close",
    "audit_create",
    "audit_report_authorise",
    "audit_report_issue",
    "audit_report_issue_signed",
    "audit_start",
    "checklist_item_answer",
    "corrective_action_answer",
    "corrective_action_verify",
    "finding_attachment_add",
    "finding_record",
    "finding_update",
    "programme_create",
    "report_number",
    "resolve_clauses",
]
