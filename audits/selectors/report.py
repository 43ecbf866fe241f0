"""Plain data for the PDF audit record (audits.pdf): no model object leaves here."""

import datetime
import hashlib
import json
from collections import Counter, defaultdict

from django.db.models import Prefetch
from django.utils.translation import gettext as _

from ..models import (
    ActionAttempt,
    ActionState,
    Audit,
    AuditState,
    ChecklistItem,
    Finding,
    FindingAttachment,
)
from .access import has_action, started_early
from .page import _flag, _summary


def audit_report_data(*, audit: Audit) -> dict:
    """Plain data for audits.pdf: the audit, its scope and team, findings, actions,
    and the counts by grade and by clause. No model object leaves this function."""
    audit = Audit.objects.select_related("programme", "lead_auditor").get(pk=audit.pk)
    findings = list(
        Finding.objects.filter(audit=audit)
        .select_related(
            "clause", "department", "procedure_version__procedure", "action__owner", "revised_by",
        )
        .prefetch_related(
            Prefetch("attachments", queryset=FindingAttachment.objects.order_by("pk")),
            Prefetch(
                "action__attempts",
                queryset=ActionAttempt.objects.select_related("answered_by", "verified_by")
                .order_by("number"),
            ),
        )
        .order_by("number")
    )
    checklist = list(
        audit.checklist.select_related("clause", "procedure_version__procedure").order_by("position")
    )
    summary = _summary(audit)
    grades = list(Finding.Grade)
    by_grade = Counter(f.grade for f in findings)
    by_clause: dict[str, Counter] = defaultdict(Counter)
    clause_titles = {}
    for f in findings:
        by_clause[f.clause.number][f.grade] += 1
        clause_titles[f.clause.number] = f.clause.title_vi
    by_section: dict[str, Counter] = defaultdict(Counter)
    for f in findings:
        by_section[f.clause.number.split(".")[0]][f.grade] += 1

    def person(user):
        return (user.get_full_name() or user.get_username()) if user else ""

    rows = []
    actions = []
    for f in findings:
        action = f.action if has_action(f) else None
        row = {
            "number": f.number,
            "grade": f.grade,
            "grade_label": str(Finding.Grade(f.grade).label),
            "statement": f.statement,
            "evidence": f.evidence,
            "clause": f.clause.number,
            "clause_title": f.clause.title_vi,
            "department": f.department.name,
            "procedure": (
                _("%(code)s lần ban hành %(revision)s — %(title)s") % {
                    "code": f.procedure_version.procedure.code,
                    "revision": f.procedure_version.revision,
                    "title": f.procedure_version.title or f.procedure_version.procedure.title,
                }
                if f.procedure_version else ""
            ),
            "attachments": [
                {"name": a.original_name, "sha256": a.sha256} for a in f.attachments.all()
            ],
            "action_state": str(ActionState(action.state).label) if action else "",
            "revision": f.revision,
            "revised_by": person(f.revised_by),
            "revised_at": f.revised_at,
            "revision_reason": f.revision_reason,
        }
        rows.append(row)
        if action:
            actions.append({
                "finding": f.number,
                "owner": person(action.owner),
                "due_date": action.due_date,
                "attempts": [
                    {
                        "number": a.number,
                        "correction": a.correction,
                        "root_cause": a.root_cause,
                        "action_plan": a.action_plan,
                        "evidence": a.evidence,
                        "answered_by": person(a.answered_by),
                        "answered_at": a.answered_at,
                        "result": a.result,
                        "result_label": str(ActionAttempt.Result(a.result).label),
                        "verification_note": a.verification_note,
                        "verified_by": person(a.verified_by),
                        "verified_at": a.verified_at,
                    }
                    for a in action.attempts.all()
                ],
                "state": action.state,
                "state_label": str(ActionState(action.state).label),
                "closed_at": action.closed_at,
            })
    return {
        "code": audit.code,
        "title": audit.title,
        "programme": audit.programme.title,
        "year": audit.programme.year,
        "objectives": audit.objectives,
        "state_label": str(AuditState(audit.state).label),
        "departments": [d.name for d in audit.departments.order_by("name")],
        "clauses": [f"{c.number} {c.title_vi}" for c in audit.clauses.order_by("sort_key")],
        "procedures": [
            f"{p.code} {p.title}" for p in audit.procedures.order_by("code")
        ],
        "lead_auditor": person(audit.lead_auditor),
        "team": [person(u) for u in audit.team.order_by("last_name", "first_name")],
        "planned_start": audit.planned_start,
        "planned_end": audit.planned_end,
        "started_at": audit.started_at,
        "started_early": started_early(audit),
        "reported_at": audit.reported_at,
        "closed_at": audit.closed_at,
        "checklist": [
            {
                "position": i.position,
                "question": i.question,
                "result": str(ChecklistItem.Result(i.result).label),
                "notes": i.notes,
                "flag": _flag(i, summary),
            }
            for i in checklist
        ],
        "grades": [(g.value, str(g.label)) for g in grades],
        "by_grade": {g.value: by_grade.get(g.value, 0) for g in grades},
        "by_clause": [
            (number, clause_titles[number], {g.value: counts.get(g.value, 0) for g in grades})
            for number, counts in sorted(
                by_clause.items(), key=lambda kv: [int(p) for p in kv[0].split(".")]
            )
        ],
        "by_section": {
            str(section): {g.value: by_section[str(section)].get(g.value, 0) for g in grades}
            for section in range(4, 11)
        },
        "findings": rows,
        "actions": actions,
    }


def _canonical(value):
    """JSON for the report content hash: dates and times in ISO form (times in UTC)."""
    if isinstance(value, datetime.datetime):
        return value.astimezone(datetime.UTC).isoformat()
    if isinstance(value, datetime.date):
        return value.isoformat()
    raise TypeError(type(value).__name__)


def report_content(*, audit: Audit) -> dict:
    """The content of the audit record the lead auditor signs (issue 11, point 7):
    what the audit page shows and the PDF prints, as stored values (codes, ids and
    texts, never translated labels, so that the page in English and the job in
    Vietnamese give the same hash): the audit's identity and scope, the checklist,
    every finding (grade, clause, statement, evidence, attachments, revision) with its
    corrective action's state, and every answer to an action. `audit` as just read
    from the database (the page's, or the service's locked row, with its programme):
    its own columns are taken as they are. Eight queries whatever the number of findings."""
    return {
        "audit": [audit.code, audit.title, audit.programme.title, audit.objectives, audit.state,
                  audit.planned_start, audit.planned_end, audit.lead_auditor_id, audit.started_at],
        "departments": sorted(audit.departments.values_list("pk", flat=True)),
        "clauses": sorted(audit.clauses.values_list("number", flat=True)),
        "procedures": sorted(audit.procedures.values_list("code", flat=True)),
        "team": sorted(audit.team.values_list("pk", flat=True)),
        "checklist": list(audit.checklist.order_by("position").values_list(
            "position", "question", "result", "notes")),
        # The corrective action (one at most) joined on its finding.
        "findings": list(Finding.objects.filter(audit=audit).order_by("number").values_list(
            "number", "grade", "clause__number", "statement", "evidence", "department_id",
            "procedure_version_id", "revision", "revision_reason", "action__owner_id",
            "action__due_date", "action__state", "action__closed_at")),
        "attachments": list(FindingAttachment.objects.filter(finding__audit=audit)
                            .order_by("finding__number", "pk")
                            .values_list("finding__number", "original_name", "sha256")),
        "attempts": list(ActionAttempt.objects.filter(action__finding__audit=audit)
                         .order_by("action__finding__number", "number").values_list(
                             "action__finding__number", "number", "correction", "root_cause",
                             "action_plan", "evidence", "answered_by_id", "result",
                             "verification_note", "verified_by_id")),
    }


def report_content_sha256(*, audit: Audit) -> str:
    """SHA-256 of report_content in canonical JSON: the hash the issue form carries
    and the service checks before the record is built and signed."""
    text = json.dumps(report_content(audit=audit), default=_canonical, ensure_ascii=False,
                      sort_keys=True, separators=(",", ":"))
    return hashlib.sha256(text.encode()).hexdigest()
