"""Bringing documents of the previous (paper) system into the register.

Importing a legacy document is a document-control act, so it lives here, beside
the life cycle, and follows one rule: the only way a version becomes effective
without signatures in this system is the initial load of a procedure that is not
yet in the register. Such a version is marked as imported (`ImportOrigin`: who,
from which file, its SHA-256, and the approval the file states, kept as text);
no approver of this system is recorded for it. A file for a code that already
exists never makes anything effective: it is refused, or, when asked, becomes a
draft revision that goes through review and approval like any other.
"""

import datetime
from dataclasses import dataclass, field

from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from qms import files
from qms.dates import add_months
from qms.history import REASON_MAX
from qms.models import Edition, OrgUnit
from qms.text import nfc

from .. import permissions
from ..exceptions import ProcedureError
from ..models import Attachment, ImportOrigin, Procedure, ProcedureVersion, State
from ._common import _deny, _save, resolve_clauses, version_refresh_derived
from .attachments import attachment_add
from .grants import procedure_grant_defaults
from .lifecycle import version_create


@dataclass
class LegacyFile:
    """What was read from one legacy file (plain data: the reader lives elsewhere)."""

    name: str
    content: bytes
    kind: str  # from qms.files.check_upload
    code: str
    title: str
    body: str
    clause_numbers: list[str] = field(default_factory=list)
    revision: int | None = None  # the legacy revision the file states
    stated_revision: str = ""  # as written ("03", "Rev. 2")
    effective_from: datetime.date | None = None
    stated_approval: str = ""


def import_reason(name: str, digest: str) -> str:
    """The history reason with the whole hash; a long file name is shortened in the
    middle to fit (the attachment and the import origin keep it whole)."""
    reason = _("Nhập từ tệp %(name)s (SHA-256 %(hash)s)") % {"name": name, "hash": digest}
    excess = len(reason) - REASON_MAX
    if excess > 0:
        stem, dot, extension = name.rpartition(".")
        stem = stem if dot else name
        keep = max(len(stem) - excess - 1, 1)
        short = stem[:keep] + "…" + (dot + extension if dot else "")
        reason = _("Nhập từ tệp %(name)s (SHA-256 %(hash)s)") % {"name": short, "hash": digest}
    return reason[:REASON_MAX]


def _summary(legacy: LegacyFile, digest: str) -> str:
    return _("Nhập từ tệp %(name)s (SHA-256 %(hash)s)") % {"name": legacy.name, "hash": digest}


def _origin(version, legacy: LegacyFile, digest: str, actor, reason: str) -> ImportOrigin:
    origin = ImportOrigin(
        version=version,
        imported_by=actor,
        file_name=nfc(legacy.name)[:255],
        file_sha256=digest,
        stated_revision=nfc(legacy.stated_revision)[:40],
        stated_effective_from=legacy.effective_from,
        stated_approval=nfc(legacy.stated_approval),
    )
    _save(origin, actor=actor, reason=reason)
    return origin


@transaction.atomic
def procedure_import_legacy(
    *, actor, legacy: LegacyFile, department: OrgUnit, edition: Edition,
    kind: str = Procedure.Kind.PROCEDURE,
) -> ProcedureVersion:
    """The initial load of a procedure not yet in the register: its legacy effective
    revision becomes the effective version here.

    Preconditions: the actor may create procedures in `department`; no procedure
    has this code. Effects: the procedure (granted as any new one), one version with
    the file's revision (1 when it states none), effective from the file's date
    (none when it states none; the periodic review is then due one period after
    the import), the original file attached, and an `ImportOrigin`; every row in
    history with the file's name and SHA-256 as the reason. No signature and no
    approver are recorded: the approval the file states is kept as text.
    """
    if not permissions.can_create_procedure(actor, department):
        _deny()
    code = nfc(legacy.code).strip().upper()
    if not code:
        raise ProcedureError(_("Mã số tài liệu không được để trống."), code="code")
    if Procedure.objects.filter(code__iexact=code).exists():
        raise ProcedureError(
            _("Tài liệu %(code)s đã có trong sổ đăng ký: tệp nhập không thay thế phiên bản "
              "đang hiệu lực. Hãy nhập tệp dưới dạng dự thảo lần ban hành mới để xem xét, "
              "phê duyệt."),
            code="exists",
            params={"code": code},
        )
    digest = files.sha256_of(legacy.content)
    reason = import_reason(legacy.name, digest)
    clauses = resolve_clauses(edition, legacy.clause_numbers)
    procedure = Procedure(
        code=code,
        title=nfc(legacy.title).strip()[:300] or code,
        kind=kind,
        department=department,
        review_period_months=settings.QMS_REVIEW_PERIOD_MONTHS,
        created_by=actor,
    )
    try:
        with transaction.atomic():
            _save(procedure, actor=actor, reason=reason)
    except IntegrityError:
        raise ProcedureError(
            _("Mã số %(code)s đã được dùng cho một tài liệu khác."),
            code="duplicate",
            params={"code": code},
        ) from None
    procedure.distribution.set([department])
    procedure_grant_defaults(procedure=procedure)
    version = version_create(
        procedure=procedure,
        actor=actor,
        revision=legacy.revision or 1,
        edition=edition,
        body=legacy.body,
        clauses=clauses,
        change_summary=_summary(legacy, digest),
        reason=reason,
    )
    attachment = Attachment(
        version=version,
        uploaded_by=actor,
        **files.stored_file_fields(name=legacy.name, content=legacy.content, kind=legacy.kind,
                                   folder="attachments"),
    )
    _save(attachment, actor=actor, reason=reason)
    # The initial load: effective without signatures, as the paper register had it.
    version.state = State.EFFECTIVE
    version.effective_from = legacy.effective_from
    version.next_review_due = add_months(
        legacy.effective_from or timezone.localdate(), procedure.review_period_months
    )
    version_refresh_derived(version, clauses=clauses)
    _save(version, actor=actor, reason=reason)
    _origin(version, legacy, digest, actor, reason)
    return version


@transaction.atomic
def version_import_draft(
    *, actor, procedure: Procedure, legacy: LegacyFile, edition: Edition
) -> ProcedureVersion:
    """A legacy file for a procedure already in the register, as the next draft
    revision: it goes through review and approval like any other draft.

    Preconditions: the actor authors the procedure; no revision is open.
    Effects: a draft (never effective) with the file's text and clauses, based on
    the effective version, the file attached, an `ImportOrigin`.
    """
    procedure = Procedure.objects.select_for_update().get(pk=procedure.pk)
    if not permissions.can_author(actor, procedure):
        _deny()
    open_version = procedure.versions.filter(
        state__in=[State.DRAFT, State.IN_REVIEW, State.APPROVED]
    ).first()
    if open_version is not None:
        raise ProcedureError(
            _("Tài liệu %(code)s đang có lần ban hành %(rev)s chưa ban hành; hãy hoàn tất "
              "hoặc trả lại lần đó trước khi nhập bản mới."),
            code="open_revision",
            params={"code": procedure.code, "rev": open_version.revision},
        )
    digest = files.sha256_of(legacy.content)
    reason = import_reason(legacy.name, digest)
    last = procedure.versions.order_by("-revision").first()
    version = version_create(
        procedure=procedure,
        actor=actor,
        revision=last.revision + 1,
        edition=edition,
        body=legacy.body,
        clauses=resolve_clauses(edition, legacy.clause_numbers),
        change_summary=_summary(legacy, digest),
        reason=reason,
        based_on=procedure.versions.filter(state=State.EFFECTIVE).first(),
    )
    attachment_add(version=version, actor=actor, name=legacy.name, content=legacy.content)
    _origin(version, legacy, digest, actor, reason)
    return version
