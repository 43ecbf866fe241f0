"""Importing the organisation's procedure files into the register."""

import datetime
from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from procedures import permissions as procedure_permissions
from procedures import services as procedure_services
from procedures.models import Attachment, Procedure
from qms import files
from qms.models import OrgUnit
from qms.text import nfc

from .. import importers, references
from ..catalogue import sort_numbers
from ._common import MigrationError, _chunks, _deny, _edition


@dataclass
class ImportResult:
    name: str
    status: str  # created, draft, unchanged, failed
    code: str = ""
    title: str = ""
    edition: int | None = None
    clause_refs: list[str] = field(default_factory=list)
    revision: int | None = None
    effective_from: datetime.date | None = None
    stated_revision: bool = False  # the file states its revision
    stated_date: bool = False  # the file states its effective date
    approval: str = ""
    sha256: str = ""
    error: str = ""
    version_id: int | None = None

    @property
    def notes(self) -> list[str]:
        """What the officer should know about this import, in words."""
        if self.status in ("failed", "unchanged"):
            return []
        notes = []
        if not self.stated_revision:
            notes.append(_("Tệp không ghi lần ban hành: nhập là lần ban hành 1."))
        if not self.stated_date and self.status == "created":
            notes.append(_("Tệp không ghi ngày hiệu lực: phiên bản không có ngày hiệu lực."))
        if not self.approval and self.status == "created":
            notes.append(_("Tệp không ghi người phê duyệt."))
        if self.status == "draft":
            notes.append(_("Tài liệu đã có trong sổ đăng ký: tệp được nhập thành dự thảo lần "
                           "ban hành mới, cần xem xét và phê duyệt."))
        return notes

    def as_json(self) -> dict:
        return {
            "file": self.name,
            "status": self.status,
            "code": self.code or None,
            "title": self.title or None,
            "edition": self.edition,
            "clause_refs": self.clause_refs,
            "revision": self.revision,
            "effective_from": self.effective_from.isoformat() if self.effective_from else None,
            "stated_approval": self.approval or None,
            "sha256": self.sha256 or None,
            "notes": self.notes,
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


def procedure_import(
    *, actor, name: str, content: bytes, edition, department: OrgUnit | None = None,
    as_draft: bool = False,
) -> ImportResult:
    """Bring one legacy procedure file into the register.

    A code not yet in the register (from a "Mã số:"/"Ký hiệu:"/"Code:" line, else
    the file's name) is the initial load: the file's legacy revision becomes the
    effective version, with the revision and effective date the file states
    (revision 1 and no date when it states none), marked as imported with the
    approval it states as text (procedures.services.procedure_import_legacy).
    A code already in the register is refused, unless `as_draft`: then the file
    becomes the next draft revision, reviewed and approved like any other
    (procedures.services.version_import_draft). The same file again changes
    nothing. A refusal names the file; nothing is saved then.
    """
    name = nfc(name)
    try:
        # A refused file leaves no stored copy behind (the rollback comes first).
        with files.removed_on_failure(), transaction.atomic():
            return _import(actor=actor, name=name, content=content, edition=_edition(edition),
                           department=department, as_draft=as_draft)
    except ValidationError as error:
        raise _naming(name, error) from None


def _import(*, actor, name, content, edition, department, as_draft) -> ImportResult:
    importers.refuse_protected(name, content)
    kind = files.check_upload(name, content)
    document = importers.parse(name, content, kind)
    digest = files.sha256_of(content)
    catalogue_numbers = set(edition.clauses.values_list("number", flat=True))
    clause_refs = sort_numbers(references.clause_numbers(document.text, catalogue_numbers))
    result = ImportResult(
        name=name, status="created", code=document.code, title=document.title,
        edition=edition.year, clause_refs=clause_refs, sha256=digest,
        stated_revision=document.revision is not None, stated_date=document.issued is not None,
        approval=document.approval,
    )
    if not document.code:
        raise MigrationError(_("Không xác định được mã số tài liệu."), code="code")
    legacy = procedure_services.LegacyFile(
        name=name, content=content, kind=kind, code=document.code, title=document.title,
        body=document.text, clause_numbers=clause_refs, revision=document.revision,
        stated_revision=document.revision_text, effective_from=document.issued,
        stated_approval=document.approval,
    )
    procedure = Procedure.objects.filter(code__iexact=document.code).first()
    if procedure is None:
        if department is None:
            raise MigrationError(
                _("Chưa chọn đơn vị chủ trì cho tài liệu mới %(code)s (tùy chọn --department)."),
                code="department",
                params={"code": document.code},
            )
        version = procedure_services.procedure_import_legacy(
            actor=actor, legacy=legacy, department=department, edition=edition
        )
        result.revision, result.effective_from = version.revision, version.effective_from
        result.version_id = version.pk
        return result
    if not procedure_permissions.can_author(actor, procedure):
        _deny()
    result.code = procedure.code
    existing = (Attachment.objects.filter(version__procedure=procedure, sha256=digest)
                .select_related("version").first())
    if existing is not None:
        result.status, result.revision = "unchanged", existing.version.revision
        result.version_id = existing.version_id
        return result
    if not as_draft:
        raise MigrationError(
            _("Tài liệu %(code)s đã có trong sổ đăng ký: tệp nhập không thay thế phiên bản "
              "đang hiệu lực. Hãy nhập tệp dưới dạng dự thảo lần ban hành mới để xem xét, "
              "phê duyệt."),
            code="exists",
            params={"code": procedure.code},
        )
    version = procedure_services.version_import_draft(
        actor=actor, procedure=procedure, legacy=legacy, edition=edition
    )
    result.status, result.revision, result.version_id = "draft", version.revision, version.pk
    return result


def procedures_import(*, actor, files_in, edition, department=None, as_draft: bool = False,
                      progress=None) -> list[ImportResult]:
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
                        department=department, as_draft=as_draft,
                    ))
                except ValidationError as error:
                    results.append(ImportResult(name=nfc(name), status="failed",
                                                error=" ".join(error.messages)))
                if progress is not None:
                    progress()
    return results
