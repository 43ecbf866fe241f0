"""Files attached to a draft (forms, flow charts), checked by content and stored by hash.

How an attachment leaves a draft: it is marked removed (who, when, why), never
deleted. The row, its stored file and its history stay; a removed attachment is
no longer part of the version's content (nor of its hash, nor of the copy
printed), and the draft's page lists it as removed. Replacing a file is removing
it and attaching the new one, which records the one it replaces.

A new revision starts with the attachments of the revision it is written from:
new rows on the draft pointing at the same stored files (`copied_from` says
where each came from), so the earlier revision's rows never change.
"""

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from qms import files
from qms.text import nfc

from .. import permissions
from ..exceptions import ProcedureError
from ..models import Attachment, ProcedureVersion, State
from ._common import _deny, _lock, _save, version_refresh_derived

STORED_FIELDS = ("original_name", "content_type", "size", "sha256")


def _lock_draft(version: ProcedureVersion, actor, message) -> ProcedureVersion:
    version = _lock(version)
    if not permissions.can_author(actor, version.procedure):
        _deny()
    if version.state != State.DRAFT:
        raise ProcedureError(message, code="state")
    return version


def _touch(version: ProcedureVersion, *, actor, reason: str) -> None:
    """The version's content changed with its attachments: new hash, new lock value."""
    version_refresh_derived(version)
    version.lock_version += 1
    _save(version, actor=actor, reason=reason)


@transaction.atomic
def attachment_add(
    *, version: ProcedureVersion, actor, name: str, content: bytes, replaces=None
) -> Attachment:
    """Attach a file to a draft. The file is checked by its content and stored under
    its SHA-256; the version's content hash changes with it."""
    version = _lock_draft(
        version, actor, _("Chỉ đính kèm tệp vào phiên bản ở trạng thái dự thảo.")
    )
    kind = files.check_upload(name, content)
    attachment = Attachment(
        version=version,
        uploaded_by=actor,
        replaces=replaces,
        **files.stored_file_fields(name=name, content=content, kind=kind, folder="attachments"),
    )
    _save(attachment, actor=actor, reason=_("Đính kèm tệp"))
    _touch(version, actor=actor,
           reason=_("Đính kèm tệp %(name)s") % {"name": attachment.original_name})
    return attachment


def _lock_attachment(attachment: Attachment, actor, message) -> tuple[Attachment, ProcedureVersion]:
    version = _lock_draft(attachment.version, actor, message)
    attachment = Attachment.objects.select_for_update().get(pk=attachment.pk)
    if attachment.removed_at is not None:
        raise ProcedureError(
            _("Tệp “%(name)s” đã được gỡ khỏi dự thảo."),
            code="removed", params={"name": attachment.original_name},
        )
    return attachment, version


@transaction.atomic
def attachment_remove(*, attachment: Attachment, actor, reason: str = "") -> Attachment:
    """Take an attachment out of a draft: marked removed with who, when and why
    (history row), never deleted; the version's content hash changes."""
    attachment, version = _lock_attachment(
        attachment, actor, _("Chỉ gỡ được tệp của phiên bản ở trạng thái dự thảo.")
    )
    attachment.removed_at, attachment.removed_by = timezone.now(), actor
    attachment.removal_reason = nfc(reason or "").strip()
    _save(attachment, actor=actor, reason=_("Gỡ tệp khỏi dự thảo"))
    _touch(version, actor=actor,
           reason=_("Gỡ tệp %(name)s") % {"name": attachment.original_name})
    return attachment


@transaction.atomic
def attachment_replace(
    *, attachment: Attachment, actor, name: str, content: bytes
) -> Attachment:
    """Replace an attachment of a draft by a new file: the old one is removed (kept,
    with the reason naming the new file), the new one records what it replaces.
    A refused file changes nothing."""
    attachment, version = _lock_attachment(
        attachment, actor, _("Chỉ thay được tệp của phiên bản ở trạng thái dự thảo.")
    )
    files.check_upload(name, content)
    new = attachment_add(version=version, actor=actor, name=name, content=content,
                         replaces=attachment)
    attachment_remove(
        attachment=attachment, actor=actor,
        reason=_("Thay bằng “%(name)s”") % {"name": new.original_name},
    )
    return new


def attachments_carry_over(*, source: ProcedureVersion, target: ProcedureVersion, actor) -> int:
    """Give a new draft the attachments of the revision it is written from: new rows
    for the same stored files (no file is copied). Returns how many. The caller holds
    the lock on the draft and refreshes its hash."""
    count = 0
    for original in source.attachments.filter(removed_at__isnull=True).order_by("uploaded_at", "pk"):
        copy = Attachment(
            version=target,
            uploaded_by=original.uploaded_by,
            copied_from=original,
            file=original.file.name,
            **{field: getattr(original, field) for field in STORED_FIELDS},
        )
        _save(copy, actor=actor, reason=_("Mang theo từ lần ban hành %(rev)s")
              % {"rev": source.revision})
        count += 1
    return count
