"""The audit page: an audit of any size in a fixed number of queries.

The findings are counted by department, clause, grade and action state in one
GROUP BY query (the summary tables, the filters' counts, the checklist's flags
and the page count all come from it), and shown a page at a time, filtered by
those dimensions, each with its action, every attempt and every earlier revision.
"""

import math
from dataclasses import dataclass, fields
from urllib.parse import urlencode

from django.db.models import Count, Prefetch, Q
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _

from procedures.models import ProcedureVersion
from procedures.models import State as VersionState
from qms.models import Clause

from .. import permissions
from ..models import (
    ActionAttempt,
    ActionState,
    Audit,
    AuditState,
    ChecklistItem,
    Finding,
    FindingAttachment,
    FindingRevision,
)
from .access import has_action, started_early
from .history import audit_history

PAGE_SIZE = 20
HISTORY_ON_PAGE = 10
NONCONFORMITY = "nc"


@dataclass(frozen=True)
class FindingFilter:
    """Which findings the page lists; unknown or malformed values are ignored."""

    department: int | None = None
    clause: str | None = None
    procedure: int | None = None
    grade: str | None = None
    action: str | None = None
    n: int | None = None

    @classmethod
    def from_params(cls, params) -> "FindingFilter":
        def number(name):
            try:
                value = int(params.get(name) or 0)
            except (TypeError, ValueError):
                return None
            return value if value > 0 else None

        grade = params.get("grade") or None
        action = params.get("action") or None
        clause = (params.get("clause") or "").strip()[:20] or None
        return cls(
            department=number("department"),
            clause=clause,
            procedure=number("procedure"),
            grade=grade if grade in (*Finding.Grade.values, NONCONFORMITY) else None,
            action=action if action in ActionState.values else None,
            n=number("n"),
        )

    @property
    def active(self) -> bool:
        return any(getattr(self, f.name) is not None for f in fields(self))

    def q(self) -> Q:
        q = Q()
        if self.department:
            q &= Q(department_id=self.department)
        if self.clause:
            q &= Q(clause__number=self.clause)
        if self.procedure:
            q &= Q(procedure_version__procedure_id=self.procedure)
        if self.grade == NONCONFORMITY:
            q &= Q(grade__in=Finding.NONCONFORMITIES)
        elif self.grade:
            q &= Q(grade=self.grade)
        if self.action:
            q &= Q(action__state=self.action)
        if self.n:
            q &= Q(number=self.n)
        return q

    def matches(self, group: dict) -> bool:
        """Whether a group of the summary falls within the filter (the number aside)."""
        grade = group["grade"]
        return (
            (not self.department or group["department_id"] == self.department)
            and (not self.clause or group["clause__number"] == self.clause)
            and (not self.procedure or group["procedure_version__procedure_id"] == self.procedure)
            and (not self.grade or grade == self.grade
                 or (self.grade == NONCONFORMITY and grade in Finding.NONCONFORMITIES))
            and (not self.action or group["action__state"] == self.action)
        )

    def query(self, **change) -> str:
        """The query string of this filter with some values changed (None drops one)."""
        values = {f.name: getattr(self, f.name) for f in fields(self)}
        values.update(change)
        return urlencode({k: v for k, v in values.items() if v not in (None, "")})


def _summary(audit) -> dict:
    """Counts of the audit's findings by department, clause, procedure, grade and
    action state, from one GROUP BY query (index finding(audit, number))."""
    groups = list(
        Finding.objects.filter(audit=audit)
        .order_by()
        .values(
            "department_id", "department__name", "clause_id", "clause__number",
            "clause__title_vi", "clause__sort_key", "procedure_version__procedure_id",
            "procedure_version__procedure__code", "grade", "action__state",
        )
        .annotate(n=Count("pk"))
    )
    grades = Finding.Grade.values
    departments, clauses = {}, {}
    by_grade = dict.fromkeys(grades, 0)
    by_action = dict.fromkeys(ActionState.values, 0)
    nc_clauses, nc_procedures = {}, {}
    for g in groups:
        n, grade = g["n"], g["grade"]
        by_grade[grade] += n
        if g["action__state"]:
            by_action[g["action__state"]] += n
        d = departments.setdefault(g["department_id"], {
            "id": g["department_id"], "name": g["department__name"],
            "counts": dict.fromkeys(grades, 0), "total": 0, "open": 0})
        c = clauses.setdefault(g["clause_id"], {
            "number": g["clause__number"], "title": g["clause__title_vi"],
            "sort_key": g["clause__sort_key"], "counts": dict.fromkeys(grades, 0), "total": 0})
        for row in (d, c):
            row["counts"][grade] += n
            row["total"] += n
        if g["action__state"] and g["action__state"] != ActionState.CLOSED:
            d["open"] += n
        if grade in Finding.NONCONFORMITIES:
            nc_clauses[g["clause_id"]] = nc_clauses.get(g["clause_id"], 0) + n
            procedure = g["procedure_version__procedure_id"]
            if procedure:
                nc_procedures[procedure] = nc_procedures.get(procedure, 0) + n
    labels = {g: str(Finding.Grade(g).label) for g in grades}
    for row in (*departments.values(), *clauses.values()):
        row["cells"] = [(grade, labels[grade], row["counts"][grade]) for grade in grades]
    return {
        "groups": groups,
        "total": sum(by_grade.values()),
        "by_grade": [(g, str(Finding.Grade(g).label), by_grade[g]) for g in grades],
        "by_action": [(s, str(ActionState(s).label), by_action[s]) for s in ActionState.values],
        "by_department": sorted(departments.values(), key=lambda r: r["name"]),
        "by_clause": sorted(clauses.values(), key=lambda r: r["sort_key"]),
        "nc_clauses": nc_clauses,
        "nc_procedures": nc_procedures,
    }


def _flag(item: ChecklistItem, summary: dict) -> str:
    """Why a "conforming" answer contradicts the findings, or "" when it does not:
    a nonconformity on the item's clause, or on the procedure of the item."""
    if item.result != ChecklistItem.Result.CONFORMING:
        return ""
    if item.clause_id and summary["nc_clauses"].get(item.clause_id):
        return _("Đánh giá “Phù hợp” nhưng có %(count)s điểm không phù hợp về điều khoản "
                 "%(number)s trong cuộc đánh giá này.") % {
            "count": summary["nc_clauses"][item.clause_id], "number": item.clause.number}
    procedure_id = item.procedure_version.procedure_id if item.procedure_version_id else None
    if procedure_id and summary["nc_procedures"].get(procedure_id):
        return _("Đánh giá “Phù hợp” nhưng có %(count)s điểm không phù hợp về quy trình "
                 "%(code)s trong cuộc đánh giá này.") % {
            "count": summary["nc_procedures"][procedure_id],
            "code": item.procedure_version.procedure.code}
    return ""


def checklist_flag(item: ChecklistItem) -> str:
    """The flag of one checklist item (after it is answered)."""
    return _flag(item, _summary(item.audit))


def checklist_with_flags(audit, summary: dict) -> list[ChecklistItem]:
    items = list(
        audit.checklist.select_related("clause", "procedure_version__procedure", "answered_by")
        .annotate(finding_count=Count("findings"))
        .order_by("position")
    )
    for item in items:
        item.flag = _flag(item, summary)
        if item.flag:
            item.flag_query = (
                FindingFilter(clause=item.clause.number, grade=NONCONFORMITY).query()
                if item.clause_id and summary["nc_clauses"].get(item.clause_id)
                else FindingFilter(procedure=item.procedure_version.procedure_id,
                                   grade=NONCONFORMITY).query()
            )
    return items


def _page_of(total: int, requested) -> dict:
    pages = max(1, math.ceil(total / PAGE_SIZE))
    try:
        number = int(requested or 1)
    except (TypeError, ValueError):
        number = 1
    number = min(max(number, 1), pages)
    window = range(max(1, number - 3), min(pages, number + 3) + 1)
    return {
        "number": number, "pages": pages, "window": list(window),
        "previous": number - 1 if number > 1 else None,
        "next": number + 1 if number < pages else None,
        "offset": (number - 1) * PAGE_SIZE,
    }


def findings_page(audit, flt: FindingFilter, offset: int) -> list[Finding]:
    """One page of findings with everything their cards show."""
    findings = list(
        Finding.objects.filter(Q(audit=audit) & flt.q())
        .select_related(
            "clause", "department", "procedure_version__procedure", "recorded_by", "revised_by",
            "checklist_item", "action__owner",
        )
        .prefetch_related(
            Prefetch("attachments", queryset=FindingAttachment.objects.order_by("pk")),
            Prefetch(
                "action__attempts",
                queryset=ActionAttempt.objects.select_related("answered_by", "verified_by")
                .order_by("number"),
            ),
            Prefetch(
                "revisions",
                queryset=FindingRevision.objects.select_related(
                    "clause", "department", "procedure_version__procedure", "made_by"
                ).order_by("-revision"),
            ),
        )
        .order_by("number")[offset: offset + PAGE_SIZE]
    )
    for finding in findings:
        finding.audit = audit  # no query per row for finding.audit
        # Lists, once: the template reads them several times.
        finding.attachment_list = list(finding.attachments.all())
        finding.revision_list = list(finding.revisions.all())
    return findings


def audit_detail(*, user, pk: int, params=None) -> dict:
    """Everything the audit page shows, with the reader's permissions, in a fixed
    number of queries whatever the number of findings. `params` (the query string)
    filter and page the findings."""
    params = params or {}
    # The reader's permissions on the audit, loaded once: they authorise the page
    # (404 when hidden, as audit_get) and say what it offers.
    audit = Audit.objects.select_related("programme", "lead_auditor").filter(pk=pk).first()
    checker = permissions.checker_for(user, audits=[audit] if audit else [])
    if audit is None or not permissions.can_view_audit(user, audit, checker):
        raise Http404(pk)
    summary = _summary(audit)
    flt = FindingFilter.from_params(params)
    if flt.n:
        # One finding at most: the page itself tells how many.
        findings = findings_page(audit, flt, 0)
        total = len(findings)
        page = _page_of(total, 1)
    else:
        total = sum(g["n"] for g in summary["groups"] if flt.matches(g))
        page = _page_of(total, params.get("page"))
        findings = findings_page(audit, flt, page["offset"])
    page["links"] = [(n, flt.query(page=n)) for n in page["window"]]
    page["previous_query"] = flt.query(page=page["previous"]) if page["previous"] else ""
    page["next_query"] = flt.query(page=page["next"]) if page["next"] else ""
    actions = [f.action for f in findings if has_action(f)]
    if actions and not user.is_superuser:
        checker.prefetch_perms(actions)
    perms = permissions.audit_perms(user, audit, checker)
    perms["edit_findings"] = perms["conduct"] and audit.state in (
        AuditState.IN_PROGRESS, AuditState.REPORTED)
    for action in actions:
        action.attempt_list = list(action.attempts.all())
        pending = next((a for a in action.attempt_list if a.result == ActionAttempt.Result.PENDING), None)
        action.can_answer = (
            permissions.can_answer(user, action, checker)
            and action.state == ActionState.OPEN and audit.state != AuditState.CLOSED
        )
        action.can_verify = (
            perms["conduct"] and action.state == ActionState.ANSWERED
            and pending is not None and pending.answered_by_id != user.pk
        )
    history, history_more = audit_history(audit=audit, limit=HISTORY_ON_PAGE)
    return {
        "audit": audit,
        "perms": perms,
        "started_early": started_early(audit),
        "departments": list(audit.departments.all()),
        "clauses": list(audit.clauses.order_by("sort_key")),
        "procedures": list(audit.procedures.order_by("code")),
        "team": list(audit.team.order_by("last_name", "first_name")),
        "checklist": checklist_with_flags(audit, summary),
        "summary": summary,
        "filter": flt,
        "filtered_total": total,
        "page": page,
        "findings": findings,
        "reports": list(
            audit.reports.select_related("issued_by", "signature").order_by("-revision")
        ),
        "today": timezone.localdate(),
        "history": history,
        "history_more": history_more,
    }


def _clauses_2015_of(version) -> list:
    """The 2015 clauses a version names: its own, or for a version still written
    against 2008, those its clauses correspond to (qms.ClauseCorrespondence)."""
    if version.edition.year == 2015:
        return list(version.clauses.all())
    return list(
        Clause.objects.filter(edition__year=2015, correspondences_in__source__in=version.clauses.all())
        .distinct()
    )


def finding_initial(audit, item: ChecklistItem | None) -> dict:
    """What the finding form starts with when opened from a checklist item: its
    clause, procedure (the version effective now) and department, its notes as
    evidence. A value that cannot be told for sure is left for the auditor; for a
    procedure item, `clause_hint` lists the 2015 clauses the procedure names."""
    if item is None:
        return {}
    departments = list(audit.departments.all())
    initial = {"checklist_item": item.pk, "evidence": item.notes, "grade": Finding.Grade.MINOR}
    version = None
    if item.procedure_version_id:
        version = (
            ProcedureVersion.objects.filter(
                procedure_id=item.procedure_version.procedure_id, state=VersionState.EFFECTIVE)
            .select_related("procedure", "edition").first()
        )
        own = sorted(_clauses_2015_of(version), key=lambda c: c.sort_key) if version else []
        audited = set(audit.clauses.values_list("pk", flat=True))
        in_scope = [c for c in own if c.pk in audited]
        if in_scope or len(own) == 1:
            initial["clause"] = (in_scope or own)[0].pk
        initial["clause_hint"] = [c.number for c in own]
    if item.clause_id:
        initial["clause"] = item.clause_id
        candidates = list(
            ProcedureVersion.objects.filter(
                procedure__in=audit.procedures.all(), state=VersionState.EFFECTIVE,
                clauses=item.clause_id,
            ).select_related("procedure")
        )
        if len(candidates) == 1:
            version = candidates[0]
    if version is not None:
        initial["procedure_version"] = version.pk
    by_id = {d.pk: d for d in departments}
    if len(departments) == 1:
        initial["department"] = departments[0].pk
    elif version is not None and version.procedure.department_id in by_id:
        initial["department"] = version.procedure.department_id
    return initial
