"""Reads of the migration: candidates, drafts, the clause map and the gap report."""

import json
from dataclasses import dataclass, field

from django.conf import settings
from django.db.models import Count, Prefetch, Q
from django.http import Http404
from guardian.shortcuts import get_objects_for_user

from procedures.models import Procedure, ProcedureVersion, State
from qms.models import clause_sort_key
from qms.text import fold

from . import permissions
from .catalogue import Catalogue, sort_numbers
from .models import EditionMigration, TermFlag

OPEN_STATES = (State.DRAFT, State.IN_REVIEW, State.APPROVED)


def authorable_procedures(user):
    """Procedures the user may migrate: all for a superuser; for a quality officer,
    those with author permission (the officer's department's)."""
    if not permissions.can_use_migration(user):
        return Procedure.objects.none()
    if user.is_superuser:
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
        .select_related("procedure", "source_version", "draft", "created_by")
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
    if user.is_superuser or not permissions.can_use_migration(user):
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


@dataclass
class GapReport:
    edition: int
    clauses: list[dict] = field(default_factory=list)  # number, title_vi, title_en, codes, new
    uncovered: list[str] = field(default_factory=list)
    covered: dict[str, list[str]] = field(default_factory=dict)
    documented: list[dict] = field(default_factory=list)  # key, clause, kind, title, present, codes
    procedures: int = 0

    def as_json(self) -> dict:
        return {
            "edition": self.edition,
            "uncovered": self.uncovered,
            "covered": self.covered,
            "documented_information": [
                {"key": d["key"], "clause": d["clause"], "kind": d["kind"],
                 "title_vi": d["title_vi"], "title_en": d["title_en"],
                 "present": d["present"], "codes": d["codes"]}
                for d in self.documented
            ],
        }


def _documented_information():
    path = settings.BASE_DIR / "qms" / "data" / "documented_information_2015.json"
    return json.loads(path.read_text(encoding="utf-8"))


def gap_report(*, user=None, edition: int = 2015) -> GapReport:
    """Each clause of the edition with the procedures (effective or open draft on that
    edition) that cite it or a clause above it; the documented information the
    edition requires, present when one of its keywords is in such a procedure.

    `user=None` is for commands run at the shell; a person needs report access.
    """
    if user is not None and not permissions.can_view_reports(user):
        raise Http404("gap")
    catalogue = Catalogue.load()
    versions = list(
        ProcedureVersion.objects.filter(
            edition__year=edition, state__in=[State.EFFECTIVE, *OPEN_STATES]
        )
        .select_related("procedure")
        .prefetch_related("clauses")
        .order_by("procedure__code", "-revision")
    )
    cited: dict[str, set[str]] = {}
    texts: dict[str, str] = {}
    for version in versions:
        code = version.procedure.code
        texts[code] = texts.get(code, "") + " " + fold(f"{version.procedure.title} {version.body}")
        for clause in version.clauses.all():
            cited.setdefault(clause.number, set()).add(code)
    report = GapReport(edition=edition, procedures=len(texts))
    new = set(catalogue.new_requirements()) if edition == 2015 else set()
    for number in sort_numbers(catalogue.numbers.get(edition, set())):
        codes = set(cited.get(number, ()))
        parent = number
        while "." in parent:
            parent = parent.rsplit(".", 1)[0]
            codes |= cited.get(parent, set())
        codes = sorted(codes)
        title_vi, title_en = catalogue.titles[(edition, number)]
        report.clauses.append({"number": number, "title_vi": title_vi, "title_en": title_en,
                               "codes": codes, "new": number in new})
        if codes:
            report.covered[number] = codes
        else:
            report.uncovered.append(number)
    if edition == 2015:
        for item in _documented_information():
            keywords = [fold(k) for k in item["keywords_vi"] + item["keywords_en"]]
            codes = sorted(code for code, text in texts.items()
                           if any(_has_phrase(text, k) for k in keywords))
            report.documented.append({**item, "present": bool(codes), "codes": codes})
    return report


def _has_phrase(folded_text: str, folded_phrase: str) -> bool:
    start = folded_text.find(folded_phrase)
    while start >= 0:
        end = start + len(folded_phrase)
        before = folded_text[start - 1] if start else " "
        after = folded_text[end] if end < len(folded_text) else " "
        if not before.isalnum() and not after.isalnum():
            return True
        start = folded_text.find(folded_phrase, start + 1)
    return False


def term_groups(migration) -> list[dict]:
    """The flags of a migration grouped by term, for the review screen's bulk decisions
    (uses the prefetched terms: no query)."""
    groups: dict[str, dict] = {}
    for flag in migration.terms.all():
        group = groups.setdefault(flag.key, {
            "key": flag.key, "found": flag.found.lower(), "proposed_vi": flag.proposed_vi,
            "proposed_en": flag.proposed_en, "needs_decision": flag.needs_decision,
            "count": 0, "pending": 0,
        })
        group["count"] += 1
        group["pending"] += flag.decision == TermFlag.Decision.PENDING
    return list(groups.values())
