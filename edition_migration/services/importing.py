"""Importing the organisation's procedure files into the register."""

from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from procedures import permissions as procedure_permissions
from procedures import services as procedure_services
from procedures.models import Attachment, Procedure, State
from qms import files
from qms.dates import add_months
from qms.history import save_with_history
from qms.models import OrgUnit
from qms.text import nfc

from .. import importers, references
from ..catalogue import sort_numbers
from ._common import OPEN_STATES, MigrationError, _chunks, _deny, _edition


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
        if not procedure_permissions.can_author(actor, procedure):
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
            save_with_history(procedure, actor=actor, reason=reason)
        version = procedure_services.version_create(
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
    save_with_history(attachment, actor=actor, reason=reason)
    effective_from = document.issued or timezone.localdate()
    if current is not None:
        current.state = State.SUPERSEDED
        current.superseded_at = timezone.now()
        save_with_history(
            current, actor=actor,
            reason=_("Bị thay thế bởi lần ban hành %(rev)s") % {"rev": version.revision},
        )
    version.state = State.EFFECTIVE
    version.effective_from = effective_from
    version.next_review_due = add_months(
        effective_from, procedure.review_period_months
    )
    procedure_services.version_refresh_derived(version)
    save_with_history(version, actor=actor, reason=reason)
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


