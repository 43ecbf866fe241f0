"""Making draft revisions on the 2015 edition from effective 2008 versions."""

import re
from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _
from simple_history.utils import bulk_create_with_history

from procedures import services as procedure_services
from procedures.models import Procedure, ProcedureVersion, State
from qms.text import nfc

from .. import header, permissions, references, terms
from ..catalogue import Catalogue, sort_numbers
from ..models import EditionMigration, TermFlag
from ..selectors import migratable_procedures
from ._common import OPEN_STATES, MigrationError, _chunks, _deny


@dataclass
class Plan:
    """What the migration proposes for one effective 2008 version (computed, not saved)."""

    from_clauses: list[str]
    to_clauses: list[str]  # the equivalent 2015 clauses: the draft's clause list
    unmapped: list[str]
    body: str
    points: list[dict]  # terms, references and clauses for the officer, in body order
    needs_decision: list[dict]
    partial_clauses: dict[str, list[str]]

    @property
    def occurrences(self) -> list[dict]:
        return [p for p in self.points if p["kind"] == "term"]


def _line_starts(text: str) -> list[int]:
    return [0] + [m.end() for m in re.finditer("\n", text)]


def _clause_choices(catalogue, number: str, partials: list[str]) -> list[dict]:
    choices = []
    for target in partials:
        choices.append({
            "label_vi": _("Thay bằng %(number)s %(title)s") % {
                "number": target, "title": catalogue.title(2015, target, "vi")},
            "label_en": "Replace by {} {}".format(target, catalogue.title(2015, target, "en")),
            "text": target, "clauses": [target]})
    if len(partials) > 1:
        joined = ", ".join(partials)
        choices.append({"label_vi": _("Thay bằng %(numbers)s") % {"numbers": joined},
                        "label_en": f"Replace by {joined}", "text": joined,
                        "clauses": list(partials)})
    choices.append({"label_vi": _("Giữ nguyên để sửa tay"), "label_en": "Keep to edit by hand",
                    "text": number, "clauses": []})
    return choices


def _clause_note(catalogue, number: str, partials: list[str], language: str) -> str:
    title = catalogue.title(2008, number, language)
    if not partials:
        if language == "en":
            return f"Clause {number} ({title}) has no corresponding clause in the 2015 edition."
        return _("Điều khoản %(number)s (%(title)s) không có điều khoản tương ứng trong bản 2015.") % {
            "number": number, "title": title}
    details = "; ".join(
        f"{t} {catalogue.title(2015, t, language)}: {catalogue.note(number, t, language).rstrip('. ')}"
        for t in partials
    )
    if language == "en":
        return f"Clause {number} ({title}) corresponds only in part to: {details}"
    return _("Điều khoản %(number)s (%(title)s) chỉ tương ứng một phần với: %(details)s") % {
        "number": number, "title": title, "details": details}


def _clause_point(catalogue, kind, number, start, end, line) -> dict:
    partials = catalogue.partials(number)
    choices = _clause_choices(catalogue, number, partials)
    return {
        "kind": kind, "key": "clause_" + number, "found": number, "language": "vi",
        "start": start, "end": end, "line": line, "replacement": choices[0]["text"],
        "choices": choices, "needs_decision": True,
        "note_vi": _clause_note(catalogue, number, partials, "vi"),
        "note_en": _clause_note(catalogue, number, partials, "en"),
        "proposed_vi": choices[0]["text"], "proposed_en": choices[0]["text"],
    }


def plan_for(version: ProcedureVersion, catalogue: Catalogue, *, clause_numbers=None,
             new_revision: int | None = None) -> Plan:
    """Header with the new revision and no date; references rewritten to their
    equivalents; partial references, clauses without equivalent and 2008 terms as
    points for the officer (positions in the new body, line by line with the old)."""
    body = header.rewrite_header(nfc(version.body), new_revision or version.revision + 1)
    old_numbers = catalogue.numbers.get(2008, set())
    refs = references.find_references(body, old_numbers)
    if clause_numbers is None:
        clause_numbers = [c.number for c in version.clauses.all()]
    from_clauses = sort_numbers({*clause_numbers, *(r.number for r in refs)})
    to_clauses = sort_numbers(t for n in from_clauses for t in catalogue.equivalents(n))
    partial_clauses = {n: catalogue.partials(n) for n in from_clauses if catalogue.partials(n)}
    unmapped = [n for n in from_clauses
                if not catalogue.equivalents(n) and not catalogue.partials(n)]
    new_body, kept = references.rewrite(body, refs, catalogue)
    starts = _line_starts(new_body)
    points = [_clause_point(catalogue, "reference", k.number, k.start, k.end,
                            _line_of(starts, k.start)) for k in kept]
    in_body = {r.number for r in refs}
    for number in from_clauses:
        if number not in in_body and not catalogue.equivalents(number):
            points.append(_clause_point(catalogue, "clause", number, 0, 0, 0))
    taken = [(p["start"], p["end"]) for p in points if p["kind"] == "reference"]
    for occurrence in terms.find_terms(new_body):
        if any(s < occurrence.end and occurrence.start < e for s, e in taken):
            continue
        term = terms.term(occurrence.key)
        choices = occurrence.choices()
        replacement = choices[0]["text"] if choices else occurrence.replacement
        points.append({
            "kind": "term", "key": occurrence.key, "found": occurrence.found,
            "language": occurrence.language, "start": occurrence.start, "end": occurrence.end,
            "line": _line_of(starts, occurrence.start), "replacement": replacement,
            "choices": choices, "needs_decision": term.needs_decision,
            "note_vi": term.note_vi, "note_en": term.note_en,
            "proposed_vi": replacement if occurrence.language == "vi" else term.default_vi,
            "proposed_en": replacement if occurrence.language == "en" else term.default_en,
        })
    points.sort(key=lambda p: (p["kind"] == "clause", p["start"]))
    decisions, seen = [], set()
    for point in points:
        if point["needs_decision"] and point["key"] not in seen:
            seen.add(point["key"])
            decisions.append({
                "key": point["key"], "clause": point["found"] if point["kind"] != "term" else "",
                "note_vi": point["note_vi"], "note_en": point["note_en"],
                "choices": [c["label_vi"] for c in point["choices"]],
            })
    return Plan(from_clauses, to_clauses, unmapped, new_body, points, decisions, partial_clauses)


@dataclass
class MigrationResult:
    code: str
    title: str = ""
    status: str = "created"  # created, existing, dry_run, failed
    from_revision: int | None = None
    to_revision: int | None = None
    from_clauses: list[str] = field(default_factory=list)
    to_clauses: list[str] = field(default_factory=list)
    unmapped: list[str] = field(default_factory=list)
    terms: list[dict] = field(default_factory=list)
    needs_decision: list[dict] = field(default_factory=list)
    partial_clauses: dict = field(default_factory=dict)
    error: str = ""
    migration_id: int | None = None
    draft_revision: int | None = None  # for a dry run: the revision a real run would make

    def as_json(self) -> dict:
        return {
            "code": self.code,
            "title": self.title,
            "status": self.status,
            "from_revision": self.from_revision,
            "to_revision": self.to_revision,
            "from_clauses": self.from_clauses,
            "to_clauses": self.to_clauses,
            "partial_clauses": self.partial_clauses,
            "unmapped": self.unmapped,
            "terms": self.terms,
            "needs_decision": self.needs_decision,
            "migration_id": self.migration_id,
            "error": self.error or None,
        }


_POINT_KEYS = ("kind", "key", "found", "language", "line", "replacement", "needs_decision",
               "proposed_vi", "proposed_en", "note_vi", "note_en")


def _point_json(point: dict, decision: str = "pending") -> dict:
    data = {k: point[k] for k in _POINT_KEYS}
    data["position"] = point["start"]
    data["choices"] = [c["label_vi"] for c in point["choices"]]
    data["decision"] = decision
    return data


def _flag_json(flag: TermFlag) -> dict:
    return {
        "kind": flag.kind, "key": flag.key, "found": flag.found, "language": flag.language,
        "line": flag.line, "replacement": flag.replacement, "needs_decision": flag.needs_decision,
        "proposed_vi": flag.proposed_vi, "proposed_en": flag.proposed_en, "note_vi": flag.note_vi,
        "note_en": flag.note_en, "position": flag.position,
        "choices": [c["label_vi"] for c in flag.choices], "decision": flag.decision,
    }


def result_from_migration(migration: EditionMigration) -> MigrationResult:
    """The report of a migration already saved (flags prefetched as `terms`)."""
    return MigrationResult(
        code=migration.procedure.code,
        title=migration.procedure.title,
        status="existing",
        from_revision=migration.source_version.revision,
        to_revision=migration.draft.revision,
        from_clauses=list(migration.from_clauses),
        to_clauses=list(migration.to_clauses),
        unmapped=list(migration.unmapped),
        terms=[_flag_json(f) for f in migration.terms.all()],
        needs_decision=list(migration.needs_decision),
        partial_clauses=dict(migration.partial_clauses),
        migration_id=migration.pk,
    )


@transaction.atomic
def procedure_migrate(
    *, procedure: Procedure, actor, dry_run: bool = False, catalogue: Catalogue | None = None,
    central_officers=None,
) -> MigrationResult:
    """Make a draft revision on the 2015 edition from the effective 2008 version.

    Preconditions: the actor is a quality officer with author permission on the
    procedure (or a superuser); the effective version is on 2008; no revision is
    open. Effects: a draft (never effective) with the clauses mapped, the clause
    numbers in the text rewritten, an EditionMigration row and one TermFlag per
    2008 term found, all in history. A procedure already migrated is reported
    with its existing draft and left alone. `dry_run` computes the same report
    and writes nothing.
    """
    catalogue = catalogue or Catalogue.load()
    if not permissions.can_migrate(actor, procedure):
        _deny()
    result = MigrationResult(code=procedure.code, title=procedure.title)
    existing = (
        EditionMigration.objects.filter(procedure=procedure, draft__state__in=OPEN_STATES)
        .select_related("procedure", "source_version", "draft")
        .prefetch_related("terms")
        .first()
    )
    if existing is not None:
        return result_from_migration(existing)
    source = (
        procedure.versions.filter(state=State.EFFECTIVE)
        .select_related("edition").prefetch_related("clauses").first()
    )
    if source is None or source.edition.year != 2008:
        raise MigrationError(
            _("Tài liệu %(code)s không có phiên bản hiệu lực theo ISO 9001:2008."),
            code="edition",
            params={"code": procedure.code},
        )
    last_revision = procedure.versions.order_by("-revision").values_list("revision", flat=True)[0]
    plan = plan_for(source, catalogue, new_revision=last_revision + 1)
    result.from_revision = source.revision
    result.from_clauses, result.to_clauses = plan.from_clauses, plan.to_clauses
    result.unmapped, result.needs_decision = plan.unmapped, plan.needs_decision
    result.partial_clauses = plan.partial_clauses
    result.terms = [_point_json(p) for p in plan.points]
    result.draft_revision = last_revision + 1
    # Same guard as version_start_revision, under the same row lock: one open
    # revision per procedure, so a second run finds the first run's draft above.
    procedure = Procedure.objects.select_for_update().get(pk=procedure.pk)
    open_version = procedure.versions.filter(state__in=OPEN_STATES).first()
    if open_version is not None:
        raise MigrationError(
            _("Tài liệu đã có lần ban hành %(rev)s đang soạn thảo hoặc chờ ban hành."),
            code="open_revision",
            params={"rev": open_version.revision},
        )
    if dry_run:
        result.status = "dry_run"
        return result
    edition_2015 = catalogue.edition(2015)
    revision = last_revision + 1
    # The draft is created on 2015 directly (rather than version_start_revision then
    # version_update): one version row and one clause set instead of two of each,
    # which halves the history written by a run over a thousand procedures.
    draft = procedure_services.version_create(
        procedure=procedure,
        actor=actor,
        revision=revision,
        edition=edition_2015,
        body=plan.body,
        clauses=procedure_services.resolve_clauses(edition_2015, plan.to_clauses),
        change_summary=_("Chuyển đổi từ TCVN ISO 9001:2008 (lần ban hành %(rev)s) sang "
                         "TCVN ISO 9001:2015.") % {"rev": source.revision},
        reason=_("Tạo dự thảo lần ban hành %(rev)s theo ISO 9001:2015") % {"rev": revision},
        based_on=source,
    )
    reason = _("Chuyển đổi sang ISO 9001:2015")
    migration = EditionMigration(
        procedure=procedure,
        source_version=source,
        draft=draft,
        from_clauses=plan.from_clauses,
        to_clauses=plan.to_clauses,
        unmapped=plan.unmapped,
        needs_decision=plan.needs_decision,
        partial_clauses=plan.partial_clauses,
        base_body=draft.body,
        created_by=actor,
    )
    # Its foreign keys were all just read or written in this transaction: validate
    # the row's own fields, not their existence again (four queries per procedure).
    migration.full_clean(exclude=["procedure", "source_version", "draft", "created_by"],
                         validate_unique=False, validate_constraints=False)
    migration._history_user, migration._change_reason = actor, reason
    migration.save()
    flags = [
        TermFlag(
            migration=migration,
            kind=point["kind"],
            key=point["key"],
            found=point["found"][:200],
            language=point["language"],
            position=point["start"],
            line=point["line"],
            proposed_vi=point["proposed_vi"],
            proposed_en=point["proposed_en"],
            replacement=point["replacement"],
            note_vi=point["note_vi"],
            note_en=point["note_en"],
            choices=point["choices"],
            applied=point["found"][:200],
            needs_decision=point["needs_decision"],
        )
        for point in plan.points
    ]
    bulk_create_with_history(flags, TermFlag, default_user=actor, default_change_reason=reason)
    # The central office reviews the migration of every department.
    procedure_services.procedure_grant_central_office(procedure=procedure, officers=central_officers)
    result.status, result.to_revision, result.migration_id = "created", draft.revision, migration.pk
    return result


def _line_of(line_starts: list[int], position: int) -> int:
    low, high = 0, len(line_starts)
    while low + 1 < high:
        middle = (low + high) // 2
        if line_starts[middle] <= position:
            low = middle
        else:
            high = middle
    return low + 1


def candidates_for(*, actor, codes=None):
    """The procedures to migrate: those whose effective version is on 2008 and that
    the actor may migrate (all of them when codes are named: refusals are reported)."""
    if codes:
        wanted = [nfc(c).strip().upper() for c in codes]
        found = {p.code.upper(): p for p in Procedure.objects.filter(code__in=wanted)}
        return [(code, found.get(code)) for code in wanted]
    return [(p.code, p) for p in migratable_procedures(user=actor)]


def edition_migrate(*, actor, codes=None, dry_run: bool = False, progress=None) -> list[MigrationResult]:
    """Run the migration over several procedures. One refusal does not undo the
    others (each procedure is a savepoint); a dry run writes nothing."""
    catalogue = Catalogue.load()
    central = None if dry_run else procedure_services.central_officers()
    results = []
    for chunk in _chunks(candidates_for(actor=actor, codes=codes)):
        # One commit per chunk; each procedure is a savepoint inside it (its
        # @transaction.atomic), so a refusal rolls back that procedure only.
        with transaction.atomic():
            for code, procedure in chunk:
                results.append(_migrate_one(code, procedure, actor, dry_run, catalogue, central))
                if progress is not None:
                    progress()
    return results


def _migrate_one(code, procedure, actor, dry_run, catalogue, central=None) -> MigrationResult:
    if procedure is None:
        return MigrationResult(code=code, status="failed",
                               error=_("Không tìm thấy tài liệu %(code)s.") % {"code": code})
    try:
        return procedure_migrate(procedure=procedure, actor=actor, dry_run=dry_run,
                                 catalogue=catalogue, central_officers=central)
    except ValidationError as error:
        return MigrationResult(code=procedure.code, title=procedure.title, status="failed",
                               error=" ".join(error.messages))
