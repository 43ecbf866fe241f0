"""State changes of the 2008 → 2015 migration: import, migrate, decide, submit.

Every function follows the house rules: keyword-only, one transaction, the
actor's permission checked, history written with the actor and a reason.
"""

import re
from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from simple_history.utils import bulk_create_with_history

from procedures import services as procedure_services
from procedures.exceptions import ProcedureError
from procedures.models import Attachment, Procedure, ProcedureVersion, State
from qms import files
from qms.models import Edition, OrgUnit
from qms.text import nfc

from . import importers, permissions, references, terms
from .catalogue import Catalogue, sort_numbers
from .models import EditionMigration, TermFlag

OPEN_STATES = (State.DRAFT, State.IN_REVIEW, State.APPROVED)


class MigrationError(ProcedureError):
    """A refused import, migration or decision; the message is meant for the user."""


def _deny():
    raise MigrationError(_("Bạn không có quyền thực hiện thao tác này."), code="permission")


def _edition(edition) -> Edition:
    if isinstance(edition, Edition):
        return edition
    found = Edition.objects.filter(year=int(edition)).first()
    if found is None:
        raise MigrationError(
            _("Không có phiên bản tiêu chuẩn %(year)s."), code="edition", params={"year": edition}
        )
    return found


def department_get(code: str) -> OrgUnit:
    """The department with this code (case-insensitive), or a clear refusal."""
    unit = OrgUnit.objects.filter(code__iexact=(code or "").strip()).first()
    if unit is None:
        raise MigrationError(
            _("Không có đơn vị mã “%(code)s”."), code="department", params={"code": code}
        )
    return unit


# ---------------------------------------------------------------- import


@dataclass
class ImportResult:
    name: str
    status: str  # created, revised, unchanged, failed
    code: str = ""
    title: str = ""
    edition: int | None = None
    clause_refs: list[str] = field(default_factory=list)
    revision: int | None = None
    sha256: str = ""
    error: str = ""

    def as_json(self) -> dict:
        return {
            "file": self.name,
            "status": self.status,
            "code": self.code or None,
            "title": self.title or None,
            "edition": self.edition,
            "clause_refs": self.clause_refs,
            "revision": self.revision,
            "sha256": self.sha256 or None,
            "error": self.error or None,
        }


def _naming(name: str, error: ValidationError) -> MigrationError:
    """The error's message, with the file's name in front when it does not name it."""
    message = " ".join(error.messages)
    if name in message:
        return MigrationError(message, code="file")
    return MigrationError(
        _("Tệp “%(name)s”: %(reason)s"), code="file", params={"name": name, "reason": message}
    )


@transaction.atomic
def procedure_import(
    *, actor, name: str, content: bytes, edition, department: OrgUnit | None = None
) -> ImportResult:
    """Bring one procedure file into the register as an effective version.

    The file becomes a procedure (code from a "Mã số:"/"Ký hiệu:"/"Code:" line,
    else from the file's name; title from the first heading), or the next
    revision of the procedure with that code, effective from the file's
    "Ngày ban hành:" date (else today), the previous effective version
    superseded. The original is attached (stored by hash); the history reason
    names the file and its SHA-256. The same file again changes nothing.
    Refuses with a message naming the file; nothing is saved then.
    """
    name = nfc(name)
    try:
        return _import(actor=actor, name=name, content=content, edition=_edition(edition),
                       department=department)
    except ValidationError as error:
        raise _naming(name, error) from None


def _import(*, actor, name, content, edition, department) -> ImportResult:
    importers.refuse_protected(name, content)
    kind = files.check_upload(name, content)
    document = importers.parse(name, content, kind)
    digest = files.sha256_of(content)
    catalogue_numbers = set(edition.clauses.values_list("number", flat=True))
    clause_refs = sort_numbers(references.clause_numbers(document.text, catalogue_numbers))
    result = ImportResult(
        name=name, status="created", code=document.code, title=document.title,
        edition=edition.year, clause_refs=clause_refs, sha256=digest,
    )
    if not document.code:
        raise MigrationError(_("Không xác định được mã số tài liệu."), code="code")
    summary = _("Nhập từ tệp %(name)s (SHA-256 %(hash)s)") % {"name": name, "hash": digest}
    reason = _import_reason(name, digest)
    procedure = Procedure.objects.select_for_update().filter(code__iexact=document.code).first()
    if procedure is None:
        if department is None:
            raise MigrationError(
                _("Chưa chọn đơn vị chủ trì cho tài liệu mới %(code)s (tùy chọn --department)."),
                code="department",
                params={"code": document.code},
            )
        version = procedure_services.procedure_create(
            actor=actor,
            code=document.code,
            title=document.title or document.code,
            department=department,
            edition=edition,
            body=document.text,
            clause_numbers=clause_refs,
            change_summary=summary,
        )
        procedure = version.procedure
        current = None
    else:
        if not procedure_services.permissions.can_author(actor, procedure):
            _deny()
        result.code = procedure.code
        same = Attachment.objects.filter(version__procedure=procedure, sha256=digest)
        existing = same.select_related("version").first()
        if existing is not None:
            result.status, result.revision = "unchanged", existing.version.revision
            return result
        open_version = procedure.versions.filter(state__in=OPEN_STATES).first()
        if open_version is not None:
            raise MigrationError(
                _("Tài liệu %(code)s đang có lần ban hành %(rev)s chưa ban hành; hãy hoàn tất "
                  "hoặc trả lại lần đó trước khi nhập bản mới."),
                code="open_revision",
                params={"code": procedure.code, "rev": open_version.revision},
            )
        current = procedure.versions.filter(state=State.EFFECTIVE).first()
        last = procedure.versions.order_by("-revision").first()
        if document.title and document.title != procedure.title:
            procedure.title = document.title
            procedure_services._save(procedure, actor=actor, reason=reason)
        version = procedure_services._version_create(
            procedure=procedure,
            actor=actor,
            revision=last.revision + 1,
            edition=edition,
            body=document.text,
            clauses=procedure_services.resolve_clauses(edition, clause_refs),
            change_summary=summary,
            reason=reason,
            based_on=current,
        )
        result.status = "revised"
    attachment = Attachment(
        version=version,
        uploaded_by=actor,
        **files.stored_file_fields(name=name, content=content, kind=kind, folder="attachments"),
    )
    procedure_services._save(attachment, actor=actor, reason=reason)
    effective_from = document.issued or timezone.localdate()
    if current is not None:
        current.state = State.SUPERSEDED
        current.superseded_at = timezone.now()
        procedure_services._save(
            current, actor=actor,
            reason=_("Bị thay thế bởi lần ban hành %(rev)s") % {"rev": version.revision},
        )
    version.state = State.EFFECTIVE
    version.effective_from = effective_from
    version.next_review_due = procedure_services._add_months(
        effective_from, procedure.review_period_months
    )
    procedure_services._refresh_derived(version)
    procedure_services._save(version, actor=actor, reason=reason)
    result.revision = version.revision
    return result


REASON_MAX = 100  # simple-history's history_change_reason is a varchar(100)


def _import_reason(name: str, digest: str) -> str:
    """The history reason with the whole hash; a long file name is shortened in the
    middle to fit (the attachment and the change summary keep it whole)."""
    reason = _("Nhập từ tệp %(name)s (SHA-256 %(hash)s)") % {"name": name, "hash": digest}
    excess = len(reason) - REASON_MAX
    if excess > 0:
        stem, dot, extension = name.rpartition(".")
        stem = stem if dot else name
        keep = max(len(stem) - excess - 1, 1)
        short = stem[:keep] + "…" + (dot + extension if dot else "")
        reason = _("Nhập từ tệp %(name)s (SHA-256 %(hash)s)") % {"name": short, "hash": digest}
    return reason[:REASON_MAX]


def procedures_import(*, actor, files_in, edition, department=None, progress=None) -> list[ImportResult]:
    """Import several files, each under its own savepoint: a refused file is reported
    and the rest of the batch goes on. `files_in` yields (name, bytes). Commits come
    every CHUNK files (one disk sync per chunk instead of one per file)."""
    results = []
    for chunk in _chunks(files_in):
        with transaction.atomic():
            for name, content in chunk:
                try:
                    results.append(procedure_import(
                        actor=actor, name=name, content=content, edition=edition,
                        department=department,
                    ))
                except ValidationError as error:
                    results.append(ImportResult(name=nfc(name), status="failed",
                                                error=" ".join(error.messages)))
                if progress is not None:
                    progress()
    return results


CHUNK = 50


def _chunks(items):
    chunk = []
    for item in items:
        chunk.append(item)
        if len(chunk) == CHUNK:
            yield chunk
            chunk = []
    if chunk:
        yield chunk


# ---------------------------------------------------------------- migration

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
    draft = procedure_services._version_create(
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
    from .selectors import migratable_procedures

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


# ---------------------------------------------------------------- decisions


def _lock_migration(migration: EditionMigration) -> EditionMigration:
    migration = (
        EditionMigration.objects.select_for_update()
        .select_related("procedure", "draft")
        .get(pk=migration.pk)
    )
    return migration


def _apply(body: str, flag: TermFlag, accepted: list[TermFlag]) -> str:
    """Replace the flag's occurrence in the current body. Positions refer to the
    proposed text; earlier acceptances shifted them by a known amount. If the
    officer edited the draft by hand since, the nearest same phrase is taken."""
    shift = sum(len(f.replacement) - len(f.found) for f in accepted if f.position < flag.position)
    expected = flag.position + shift
    if body[expected:expected + len(flag.found)] == flag.found:
        index = expected
    else:
        spots = [m.start() for m in re.finditer(re.escape(flag.found), body)]
        if not spots:
            raise MigrationError(
                _("Không còn tìm thấy “%(found)s” trong dự thảo; hãy từ chối đề xuất này."),
                code="term_missing",
                params={"found": flag.found},
            )
        index = min(spots, key=lambda spot: abs(spot - expected))
    return body[:index] + flag.replacement + body[index + len(flag.found):]


@transaction.atomic
def terms_decide(
    *, migration: EditionMigration, actor, flag_ids=None, key: str | None = None, accept: bool
) -> int:
    """Accept or refuse pending term flags of a migration draft: the given ones, or
    every pending one of a term (`key`). Accepting writes the proposed wording into
    the draft (one version_update for the lot); refusing keeps the text. Returns
    how many flags were decided."""
    migration = _lock_migration(migration)
    if not permissions.can_migrate(actor, migration.procedure):
        _deny()
    if migration.draft.state != State.DRAFT:
        raise MigrationError(
            _("Dự thảo không còn ở trạng thái dự thảo nên không quyết định thuật ngữ được nữa."),
            code="state",
        )
    flags = migration.terms.select_for_update()
    chosen = flags.filter(decision=TermFlag.Decision.PENDING)
    if flag_ids is not None:
        chosen = chosen.filter(pk__in=list(flag_ids))
    if key is not None:
        chosen = chosen.filter(key=key)
    chosen = list(chosen.order_by("position"))
    if not chosen:
        raise MigrationError(
            _("Không có thuật ngữ nào đang chờ quyết định trong lựa chọn này."), code="none"
        )
    now = timezone.now()
    decision = TermFlag.Decision.ACCEPTED if accept else TermFlag.Decision.REFUSED
    if accept:
        accepted = list(flags.filter(decision=TermFlag.Decision.ACCEPTED))
        body = migration.draft.body
        for flag in chosen:
            body = _apply(body, flag, accepted)
            accepted.append(flag)
        procedure_services.version_update(version=migration.draft, actor=actor, body=body)
    reason = (_("Chấp nhận thuật ngữ theo bản 2015") if accept
              else _("Từ chối thuật ngữ đề xuất"))
    for flag in chosen:
        flag.decision, flag.decided_by, flag.decided_at = decision, actor, now
        procedure_services._save(flag, actor=actor, reason=reason)
    return len(chosen)


@transaction.atomic
def migration_submit(*, migration: EditionMigration, actor) -> ProcedureVersion:
    """Send the migration draft into the normal review once no term is pending."""
    migration = _lock_migration(migration)
    if not permissions.can_migrate(actor, migration.procedure):
        _deny()
    pending = migration.terms.filter(decision=TermFlag.Decision.PENDING).count()
    if pending:
        raise MigrationError(
            _("Còn %(count)s thuật ngữ chưa được chấp nhận hoặc từ chối; hãy quyết định hết "
              "trước khi trình."),
            code="pending",
            params={"count": pending},
        )
    return procedure_services.version_submit(version=migration.draft, actor=actor)
