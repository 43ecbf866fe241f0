"""Plain data for the PDF audit record (audits.pdf): no model object leaves here."""

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
