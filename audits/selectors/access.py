"""Who may see which audit, and single objects fetched and authorised in one step.

Deny by default: lists come from guardian's object permissions
(`accept_global_perms=False`: a model-wide permission opens nothing), a
superuser sees everything, and a single object the reader may not see is a 404.
"""

from django.contrib.auth import get_user_model
from django.db.models import Count, Q, QuerySet
from django.http import Http404
from django.utils import timezone
from guardian.shortcuts import get_objects_for_user

from procedures.models import ProcedureVersion
from qms.models import Clause

from .. import permissions
from ..models import (
    ActionState,
    Audit,
    AuditProgramme,
    AuditReport,
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


def finding_list(*, user, audit_pk: int) -> QuerySet:
    """The findings of an audit the user may see (404 otherwise), with their
    clause, department, procedure and corrective action, by number."""
    audit = audit_get(user=user, pk=audit_pk)
    return (
        audit.findings.select_related(
            "clause__edition", "department", "procedure_version__procedure", "action__owner"
        ).order_by("number")
    )


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


def effective_versions_for(audit: Audit, *, keep: int | None = None) -> QuerySet:
    """The effective versions a finding may name: those of the procedures in scope,
    and of the procedures of the audited departments; `keep` (a version id) stays in
    the list even if superseded since (the version a finding already names)."""
    in_scope = Q(state="effective") & (
        Q(procedure__in=audit.procedures.all()) | Q(procedure__department__in=audit.departments.all())
    )
    return (
        ProcedureVersion.objects.filter(in_scope | Q(pk=keep) if keep else in_scope)
        .select_related("procedure")
        .order_by("procedure__code", "revision")
        .distinct()
    )


def clauses_2015() -> QuerySet:
    return Clause.objects.filter(edition__year=2015).order_by("sort_key")


def has_action(finding: Finding) -> bool:
    """Whether the finding has its corrective action (already loaded by select_related)."""
    try:
        return finding.action is not None
    except CorrectiveAction.DoesNotExist:
        return False


def started_early(audit: Audit) -> bool:
    """True when the audit was started before its planned start date (local day)."""
    return bool(audit.started_at) and timezone.localdate(audit.started_at) < audit.planned_start
