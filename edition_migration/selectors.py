"""Reads of the migration: candidates, drafts, the clause map and the gap report."""


from django.db.models import Count, Prefetch, Q
from django.http import Http404
from guardian.shortcuts import get_objects_for_user

from procedures.models import Procedure, State
from qms.models import clause_sort_key

from . import permissions
from .catalogue import Catalogue
from .models import EditionMigration, TermFlag

OPEN_STATES = (State.DRAFT, State.IN_REVIEW, State.APPROVED)


def authorable_procedures(user):
    """Procedures the user may migrate: all for a superuser; for a quality officer,
    those with author permission (the officer's department's)."""
    if not permissions.can_use_migration(user):
        return Procedure.objects.none()
    if permissions.sees_every_department(user):
        return Procedure.objects.all()
    return get_objects_for_user(
        user, "procedures.author_procedure", klass=Procedure, accept_global_perms=False,
        with_superuser=False,
    )


def migratable_procedures(*, user):
    """Procedures whose effective version is on the 2008 edition, that the user may migrate."""
    return (
        authorable_procedures(user)
        .filter(versions__state=State.EFFECTIVE, versions__edition__year=2008)
        .select_related("department")
        .order_by("code")
    )


def migration_list(*, user):
    """Migrations of the procedures the user may migrate, with pending-term counts."""
    return (
        EditionMigration.objects.filter(procedure__in=authorable_procedures(user))
        .select_related("procedure__department", "source_version", "draft", "created_by")
        .annotate(
            pending_count=Count("terms", filter=Q(terms__decision=TermFlag.Decision.PENDING)),
            term_count=Count("terms"),
        )
        .order_by("procedure__code", "-draft__revision")
    )


def migration_get(*, user, pk: int) -> EditionMigration:
    migration = (
        migration_list(user=user)
        .prefetch_related(
            Prefetch("terms", queryset=TermFlag.objects.select_related("decided_by")),
            "source_version__clauses",
            "draft__clauses",
        )
        .filter(pk=pk)
        .first()
    )
    if migration is None:
        raise Http404(pk)
    return migration


def report_migrations(*, user):
    """Every migration draft the user may read in a report (officers see their
    department's; approvers, auditors and superusers all)."""
    if not permissions.can_view_reports(user):
        return EditionMigration.objects.none()
    qs = EditionMigration.objects.select_related(
        "procedure", "source_version", "draft"
    ).prefetch_related("terms").order_by("procedure__code", "-draft__revision")
    if permissions.sees_every_department(user) or not permissions.can_use_migration(user):
        return qs
    return qs.filter(procedure__in=authorable_procedures(user))


# ---------------------------------------------------------------- clause map


def clause_map(*, source: int, target: int, numbers=None, catalogue=None) -> dict[str, list[str]]:
    """{number: [numbers]} from one edition to the other; every clause of the source
    edition when no numbers are given. Unknown numbers map to []."""
    if {source, target} != {2008, 2015}:
        raise ValueError("editions must be 2008 and 2015")
    catalogue = catalogue or Catalogue.load()
    reverse = source == 2015
    wanted = list(numbers) if numbers else sorted(catalogue.numbers.get(source, set()),
                                                  key=clause_sort_key)
    return catalogue.map(wanted, reverse=reverse)


def clause_map_rows(*, source: int, target: int, numbers=None, catalogue=None) -> list[dict]:
    """One row per pair, with the kind and the note, for CSV and the web page."""
    catalogue = catalogue or Catalogue.load()
    mapping = clause_map(source=source, target=target, numbers=numbers, catalogue=catalogue)
    rows = []
    for number, others in mapping.items():
        details = {row[0]: row for row in catalogue.rows(number, reverse=source == 2015)}
        if not others:
            rows.append({"from": number, "to": "", "kind": "new" if source == 2015 else "",
                         "note_vi": "", "note_en": ""})
        for other in others:
            _, kind, note_vi, note_en = details[other]
            rows.append({"from": number, "to": other, "kind": kind, "note_vi": note_vi,
                         "note_en": note_en})
    return rows


# ---------------------------------------------------------------- gap report

from .gap import GapReport, gap_report  # noqa: E402,F401 - the gap report is a selector too


def term_groups(migration) -> list[dict]:
    """The flags of a migration grouped by term, for the review screen's bulk decisions
    (uses the prefetched terms: no query)."""
    groups: dict[str, dict] = {}
    for flag in migration.terms.all():
        if flag.kind == TermFlag.Kind.CLAUSE:
            continue
        group = groups.setdefault(flag.key, {
            "key": flag.key, "found": flag.found.lower(), "proposed_vi": flag.proposed_vi,
            "proposed_en": flag.proposed_en, "needs_decision": flag.needs_decision,
            "proposed": flag.replacement, "note": flag.note_vi, "count": 0, "pending": 0,
        })
        group["count"] += 1
        group["pending"] += flag.decision == TermFlag.Decision.PENDING
    return list(groups.values())


def report_issuer() -> str:
    """The unit that issues the migration and gap reports: the central quality
    office (settings.QMS_CENTRAL_OFFICE), or "" when it is not in the register."""
    from django.conf import settings

    from qms.models import OrgUnit

    unit = OrgUnit.objects.filter(code__iexact=settings.QMS_CENTRAL_OFFICE).only("name").first()
    return unit.name if unit else ""
