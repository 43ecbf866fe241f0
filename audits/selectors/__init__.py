"""Reads about audits, filtered by what the reader may see, by topic:

- `access`: the audits a person may see, lists, single objects (404 when hidden);
- `page`: the audit page (summary counts, filters, a page of findings, flags);
- `history`: the history of an audit and everything in it, with what changed;
- `dashboard`: the audit part of a person's dashboard;
- `report`: plain data for the PDF audit record.
"""

from .access import (
    attachment_get,
    audit_get,
    audit_list,
    checklist_item_get,
    clauses_2015,
    corrective_action_get,
    effective_versions_for,
    finding_get,
    finding_list,
    has_action,
    owner_candidates,
    programme_list,
    report_get,
    started_early,
    visible_audits,
)
from .dashboard import dashboard, followed_actions, my_audit_list, overdue_action_list
from .exports import findings_for_export, year_audits
from .history import audit_history
from .page import PAGE_SIZE, FindingFilter, audit_detail, checklist_flag, finding_initial
from .report import audit_report_data, report_content_sha256

__all__ = [
    "year_audits",
    "PAGE_SIZE",
    "FindingFilter",
    "attachment_get",
    "audit_detail",
    "audit_get",
    "audit_history",
    "audit_list",
    "audit_report_data",
    "checklist_flag",
    "checklist_item_get",
    "clauses_2015",
    "corrective_action_get",
    "dashboard",
    "effective_versions_for",
    "finding_get",
    "findings_for_export",
    "finding_list",
    "finding_initial",
    "followed_actions",
    "has_action",
    "my_audit_list",
    "overdue_action_list",
    "owner_candidates",
    "programme_list",
    "report_content_sha256",
    "report_get",
    "started_early",
    "visible_audits",
]
