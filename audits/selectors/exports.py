"""Plain rows for the Excel export of findings and corrective actions, of one audit
or of every audit of a year the reader may see: a fixed number of queries."""

from django.db.models import Prefetch, QuerySet

from ..models import ActionAttempt, Finding
from .access import visible_audits


def findings_for_export(*, audits: QuerySet) -> list[Finding]:
    """The findings of `audits` (already filtered by what the reader may see), in
    audit then number order, with their action and its attempts."""
    findings = list(
        Finding.objects.filter(audit__in=audits)
        .select_related("audit__programme", "clause", "department",
                        "procedure_version__procedure", "recorded_by", "action__owner")
        .prefetch_related(Prefetch(
            "action__attempts",
            queryset=ActionAttempt.objects.select_related("answered_by", "verified_by")
            .order_by("number"),
        ))
        .order_by("audit__programme__year", "audit__number", "number")
    )
    return findings


def year_audits(*, user, year: int) -> QuerySet:
    return visible_audits(user).filter(programme__year=year)
