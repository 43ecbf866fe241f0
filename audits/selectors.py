"""Reads about audits, filtered by what the reader may see.

Deny by default: lists come from guardian's object permissions
(`accept_global_perms=False`: a model-wide permission opens nothing), a
superuser sees everything, and a single object the reader may not see is a 404.
"""

import datetime
from collections import Counter, defaultdict

from django.contrib.auth import get_user_model
from django.db.models import Count, Prefetch, Q, QuerySet
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _
from guardian.shortcuts import get_objects_for_user

from procedures.models import ProcedureVersion
from qms.models import Clause

from . import permissions
from .models import (
    ActionState,
    Audit,
    AuditProgramme,
    AuditReport,
    AuditState,
    ChecklistItem,
    CorrectiveAction,
    Finding,
    FindingAttachment,
)


def _active(user) -> bool:
    return bool(user and user.is_authenticated and user.is_active)


def visible_audits(user) -> QuerySet:
    """The audits this user may see (index on the direct FK permission table)."""
    if not _active(user):
        return Audit.objects.none()
    if user.is_superuser:
        return Audit.objects.all()
    return get_objects_for_user(
        user, f"audits.{permissions.VIEW}", klass=Audit, accept_global_perms=False
    )


def programme_list(*, user) -> list[AuditProgramme]:
    """Auditors see every programme; anyone else the years of the audits they see."""
    if not _active(user):
        return []
    qs = AuditProgramme.objects.all()
    if not permissions.is_auditor(user):
        qs = qs.filter(audits__in=visible_audits(user)).distinct()
    return list(qs.order_by("-year"))


def audit_list(*, user, year: int | None = None) -> QuerySet:
    """Audits the user may see, with what a list row shows, in a fixed number of queries."""
    qs = (
        visible_audits(user)
        .select_related("programme", "lead_auditor")
        .prefetch_related("departments")
        .annotate(
            finding_count=Count("findings", distinct=True),
            open_action_count=Count(
                "findings__action",
                filter=~Q(findings__action__state=ActionState.CLOSED),
                distinct=True,
            ),
        )
        .order_by("-programme__year", "number")
    )
    if year is not None:
        qs = qs.filter(programme__year=year)
    return qs


def audit_get(*, user, pk: int) -> Audit:
    audit = visible_audits(user).select_related("programme", "lead_auditor").filter(pk=pk).first()
    if audit is None:
        raise Http404(pk)
    return audit


def audit_detail(*, user, pk: int) -> dict:
    """Everything the audit page shows, with the reader's permissions, in a fixed
    number of queries whatever the number of findings."""
    audit = audit_get(user=user, pk=pk)
    findings = list(
        Finding.objects.filter(audit=audit)
        .select_related(
            "clause", "department", "procedure_version__procedure", "recorded_by",
            "action__owner", "action__answered_by", "action__verified_by",
        )
        .prefetch_related("attachments")
        .order_by("number")
    )
    for finding in findings:
        finding.audit = audit  # no query per row for finding.audit
    actions = [f.action for f in findings if _has_action(f)]
    checker = permissions.checker_for(user, audits=[audit], actions=actions)
    for action in actions:
        action.can_answer = permissions.can_answer(user, action, checker)
    perms = permissions.audit_perms(user, audit, checker)
    for action in actions:
        action.can_verify = perms["conduct"] and action.state == ActionState.ANSWERED
    return {
        "audit": audit,
        "perms": perms,
        "departments": list(audit.departments.all()),
        "clauses": list(audit.clauses.order_by("sort_key")),
        "procedures": list(audit.procedures.order_by("code")),
        "team": list(audit.team.order_by("last_name", "first_name")),
        "checklist": list(
            audit.checklist.select_related("clause", "procedure_version__procedure", "answered_by")
            .order_by("position")
        ),
        "findings": findings,
        "actions": actions,
        "reports": list(audit.reports.select_related("issued_by").order_by("-revision")),
        "today": timezone.localdate(),
        "history": list(
            audit.history.select_related("history_user").order_by("-history_date")[:20]
        ),
    }


def _has_action(finding: Finding) -> bool:
    try:
        return finding.action is not None
    except CorrectiveAction.DoesNotExist:
        return False


def checklist_item_get(*, user, pk: int) -> ChecklistItem:
    item = (
        ChecklistItem.objects.filter(pk=pk, audit__in=visible_audits(user))
        .select_related("audit__programme")
        .first()
    )
    if item is None:
        raise Http404(pk)
    return item


def finding_get(*, user, pk: int) -> Finding:
    finding = (
        Finding.objects.filter(pk=pk, audit__in=visible_audits(user))
        .select_related("audit__programme", "department", "clause")
        .first()
    )
    if finding is None:
        raise Http404(pk)
    return finding


def corrective_action_get(*, user, pk: int) -> CorrectiveAction:
    action = (
        CorrectiveAction.objects.filter(pk=pk, finding__audit__in=visible_audits(user))
        .select_related("finding__audit__programme", "finding__department", "finding__clause", "owner")
        .first()
    )
    if action is None:
        raise Http404(pk)
    return action


def attachment_get(*, user, pk: int) -> FindingAttachment:
    attachment = (
        FindingAttachment.objects.filter(pk=pk, finding__audit__in=visible_audits(user))
        .select_related("finding")
        .first()
    )
    if attachment is None:
        raise Http404(pk)
    return attachment


def report_get(*, user, audit_pk: int, revision: int | None = None) -> AuditReport:
    """An issued revision (the latest by default) of an audit the user may see."""
    qs = AuditReport.objects.filter(audit_id=audit_pk, audit__in=visible_audits(user))
    if revision is not None:
        qs = qs.filter(revision=revision)
    report = qs.order_by("-revision").first()
    if report is None:
        raise Http404(audit_pk)
    return report


def owner_candidates(audit: Audit) -> QuerySet:
    """Who may own a corrective action: the active people of the audited departments."""
    return (
        get_user_model().objects.filter(is_active=True, department__in=audit.departments.all())
        .select_related("department")
        .order_by("department__name", "last_name", "first_name")
    )


def effective_versions_for(audit: Audit) -> QuerySet:
    """The effective versions a finding may name: those of the procedures in scope,
    and of the procedures of the audited departments."""
    return (
        ProcedureVersion.objects.filter(state="effective")
        .filter(Q(procedure__in=audit.procedures.all()) | Q(procedure__department__in=audit.departments.all()))
        .select_related("procedure")
        .order_by("procedure__code")
        .distinct()
    )


def clauses_2015() -> QuerySet:
    return Clause.objects.filter(edition__year=2015).order_by("sort_key")


# ---------------------------------------------------------------- dashboards


def followed_actions(user) -> QuerySet:
    """Open corrective actions the user owns or follows: theirs, their department's
    (answer permission), and those of audits they conduct."""
    qs = CorrectiveAction.objects.exclude(state=ActionState.CLOSED)
    if not _active(user):
        return qs.none()
    if user.is_superuser:
        return qs
    answerable = get_objects_for_user(
        user, f"audits.{permissions.ANSWER}", klass=CorrectiveAction, accept_global_perms=False
    )
    conducted = get_objects_for_user(
        user, f"audits.{permissions.CONDUCT}", klass=Audit, accept_global_perms=False
    )
    return qs.filter(
        Q(owner=user) | Q(pk__in=answerable.values("pk")) | Q(finding__audit__in=conducted.values("pk"))
    )


def overdue_action_list(*, user, today: datetime.date | None = None) -> QuerySet:
    """Open actions past their due date (index state, due_date), oldest first."""
    today = today or timezone.localdate()
    return (
        followed_actions(user)
        .filter(due_date__lt=today)
        .select_related("finding__audit__programme", "finding__department", "owner")
        .order_by("due_date", "pk")
    )


def my_audit_list(*, user) -> QuerySet:
    """Audits not yet closed that the user leads or is on."""
    if not _active(user):
        return Audit.objects.none()
    return (
        Audit.objects.exclude(state=AuditState.CLOSED)
        .filter(Q(lead_auditor=user) | Q(team=user))
        .select_related("programme")
        .distinct()
        .order_by("planned_start", "pk")
    )


def dashboard(*, user, today: datetime.date | None = None, limit: int = 10) -> dict | None:
    """The audit part of a dashboard, or None for someone with no audit role or grant."""
    if not _active(user):
        return None
    overdue = list(overdue_action_list(user=user, today=today)[: limit + 1])
    audits = list(my_audit_list(user=user)[: limit + 1])
    auditor = permissions.is_auditor(user)
    if not (overdue or audits or auditor or visible_audits(user).exists()):
        return None
    return {
        "overdue": overdue[:limit],
        "overdue_more": len(overdue) > limit,
        "audits": audits[:limit],
        "audits_more": len(audits) > limit,
        "today": today or timezone.localdate(),
    }


# ---------------------------------------------------------------- the PDF record


def audit_report_data(*, audit: Audit) -> dict:
    """Plain data for audits.pdf: the audit, its scope and team, findings, actions,
    and the counts by grade and by clause. No model object leaves this function."""
    audit = Audit.objects.select_related("programme", "lead_auditor").get(pk=audit.pk)
    findings = list(
        Finding.objects.filter(audit=audit)
        .select_related("clause", "department", "procedure_version__procedure", "action__owner")
        .prefetch_related(Prefetch("attachments", queryset=FindingAttachment.objects.order_by("pk")))
        .order_by("number")
    )
    checklist = list(
        audit.checklist.select_related("clause", "procedure_version__procedure").order_by("position")
    )
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
        action = f.action if _has_action(f) else None
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
                    "title": f.procedure_version.procedure.title,
                }
                if f.procedure_version else ""
            ),
            "attachments": [
                {"name": a.original_name, "sha256": a.sha256} for a in f.attachments.all()
            ],
            "action_state": str(ActionState(action.state).label) if action else "",
        }
        rows.append(row)
        if action:
            actions.append({
                "finding": f.number,
                "owner": person(action.owner),
                "due_date": action.due_date,
                "correction": action.correction,
                "root_cause": action.root_cause,
                "action_plan": action.action_plan,
                "verification_note": action.verification_note,
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
        "reported_at": audit.reported_at,
        "closed_at": audit.closed_at,
        "checklist": [
            {
                "position": i.position,
                "question": i.question,
                "result": str(ChecklistItem.Result(i.result).label),
                "notes": i.notes,
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
