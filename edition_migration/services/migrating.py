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

from .. import permissions, references, terms
from ..catalogue import Catalogue, sort_numbers
from ..models import EditionMigration, TermFlag
from ..selectors import migratable_procedures
from ._common import OPEN_STATES, MigrationError, _chunks, _deny

# 2008 clauses whose requirement the 2015 edition dropped or recast: a person decides.
DECISION_CLAUSES = {
    "8.5.3": ("preventive_action",
              "Hành động phòng ngừa (8.5.3) không còn điều khoản riêng trong bản 2015: xác định "
              "rủi ro và cơ hội và hành động giải quyết chúng (6.1) thay cho hành động phòng ngừa.",
              "Preventive action (8.5.3) has no clause of its own in the 2015 edition: determine "
              "risks and opportunities and the actions to address them (6.1) instead."),
    "5.5.2": ("management_representative",
              "Bản 2015 không còn yêu cầu đại diện lãnh đạo (5.5.2): quyết định cách phân công "
              "trách nhiệm, quyền hạn cho các vai trò liên quan (5.3).",
              "The 2015 edition no longer requires a management representative (5.5.2): decide "
              "how responsibilities and authorities are assigned to relevant roles (5.3)."),
    "4.2.2": ("quality_manual",
              "Bản 2015 không còn yêu cầu sổ tay chất lượng (4.2.2): quyết định giữ sổ tay hay "
              "duy trì phạm vi (4.3) và các quá trình (4.4) dưới dạng thông tin dạng văn bản.",
              "The 2015 edition no longer requires a quality manual (4.2.2): decide whether to keep "
              "it or to maintain the scope (4.3) and processes (4.4) as documented information."),
}


@dataclass
class Plan:
    """What the migration proposes for one effective 2008 version (computed, not saved)."""

    from_clauses: list[str]
    to_clauses: list[str]
    unmapped: list[str]
    body: str
    occurrences: list
    needs_decision: list[dict]


def plan_for(version: ProcedureVersion, catalogue: Catalogue, *, clause_numbers=None) -> Plan:
    body = nfc(version.body)
    old_numbers = catalogue.numbers.get(2008, set())
    refs = references.find_references(body, old_numbers)
    if clause_numbers is None:
        clause_numbers = [c.number for c in version.clauses.all()]
    from_clauses = sort_numbers({*clause_numbers, *(r.number for r in refs)})
    mapping = catalogue.map(from_clauses)
    unmapped = [n for n in from_clauses if not mapping[n]]
    to_clauses = sort_numbers(t for targets in mapping.values() for t in targets)
    new_body = references.rewrite(body, refs, mapping)
    occurrences = terms.find_terms(new_body)
    decisions, seen = [], set()
    for number in from_clauses:
        if number in DECISION_CLAUSES:
            key, note_vi, note_en = DECISION_CLAUSES[number]
            decisions.append({"key": key, "clause": number, "note_vi": note_vi, "note_en": note_en})
            seen.add(key)
    for number in unmapped:
        decisions.append({
            "key": f"unmapped_{number}", "clause": number,
            "note_vi": f"Điều khoản {number} không có điều khoản tương ứng trong bản 2015.",
            "note_en": f"Clause {number} has no corresponding clause in the 2015 edition.",
        })
    for occurrence in occurrences:
        term = terms.term(occurrence.key)
        if term.needs_decision and term.key not in seen:
            seen.add(term.key)
            decisions.append({"key": term.key, "clause": "", "note_vi": term.note_vi,
                              "note_en": term.note_en})
    return Plan(from_clauses, to_clauses, unmapped, new_body, occurrences, decisions)


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
    error: str = ""
    migration_id: int | None = None

    def as_json(self) -> dict:
        return {
            "code": self.code,
            "title": self.title,
            "status": self.status,
            "from_revision": self.from_revision,
            "to_revision": self.to_revision,
            "from_clauses": self.from_clauses,
            "to_clauses": self.to_clauses,
            "unmapped": self.unmapped,
            "terms": self.terms,
            "needs_decision": self.needs_decision,
            "error": self.error or None,
        }


def _term_json(key, found, position, language, decision="pending") -> dict:
    term = terms.term(key)
    return {"key": key, "found": found, "proposed_vi": term.proposed_vi,
            "proposed_en": term.proposed_en, "position": position, "language": language,
            "needs_decision": term.needs_decision, "decision": decision}


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
        terms=[_term_json(f.key, f.found, f.position, f.language, f.decision)
               for f in migration.terms.all()],
        needs_decision=list(migration.needs_decision),
        migration_id=migration.pk,
    )


@transaction.atomic
def procedure_migrate(
    *, procedure: Procedure, actor, dry_run: bool = False, catalogue: Catalogue | None = None
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
    plan = plan_for(source, catalogue)
    result.from_revision = source.revision
    result.from_clauses, result.to_clauses = plan.from_clauses, plan.to_clauses
    result.unmapped, result.needs_decision = plan.unmapped, plan.needs_decision
    result.terms = [_term_json(o.key, o.found, o.start, o.language) for o in plan.occurrences]
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
    revision = procedure.versions.order_by("-revision").values_list("revision", flat=True)[0] + 1
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
        base_body=draft.body,
        created_by=actor,
    )
    # Its foreign keys were all just read or written in this transaction: validate
    # the row's own fields, not their existence again (four queries per procedure).
    migration.full_clean(exclude=["procedure", "source_version", "draft", "created_by"],
                         validate_unique=False, validate_constraints=False)
    migration._history_user, migration._change_reason = actor, reason
    migration.save()
    flags = []
    line_starts = [0] + [m.end() for m in re.finditer("\n", draft.body)]
    for occurrence in plan.occurrences:
        term = terms.term(occurrence.key)
        flags.append(TermFlag(
            migration=migration,
            key=occurrence.key,
            found=occurrence.found[:200],
            language=occurrence.language,
            position=occurrence.start,
            line=_line_of(line_starts, occurrence.start),
            proposed_vi=term.proposed_vi,
            proposed_en=term.proposed_en,
            replacement=occurrence.replacement(term),
            needs_decision=term.needs_decision,
        ))
    bulk_create_with_history(flags, TermFlag, default_user=actor, default_change_reason=reason)
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
    results = []
    for chunk in _chunks(candidates_for(actor=actor, codes=codes)):
        # One commit per chunk; each procedure is a savepoint inside it (its
        # @transaction.atomic), so a refusal rolls back that procedure only.
        with transaction.atomic():
            for code, procedure in chunk:
                results.append(_migrate_one(code, procedure, actor, dry_run, catalogue))
                if progress is not None:
                    progress()
    return results


def _migrate_one(code, procedure, actor, dry_run, catalogue) -> MigrationResult:
    if procedure is None:
        return MigrationResult(code=code, status="failed",
                               error=_("Không tìm thấy tài liệu %(code)s.") % {"code": code})
    try:
        return procedure_migrate(procedure=procedure, actor=actor, dry_run=dry_run,
                                 catalogue=catalogue)
    except ValidationError as error:
        return MigrationResult(code=procedure.code, title=procedure.title, status="failed",
                               error=" ".join(error.messages))
