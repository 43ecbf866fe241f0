"""Files attached to a draft (forms, flow charts), checked by content and stored by hash."""

from django.db import transaction
from django.utils.translation import gettext as _

from qms import files

from .. import permissions
from ..exceptions import ProcedureError
from ..models import Attachment, ProcedureVersion, State
from ._common import _deny, _lock, _save, version_refresh_derived


@transaction.atomic
def attachment_add(*, version: ProcedureVersion, actor, name: str, content: bytes) -> Attachment:
    """Attach a file to a draft. The file is checked by its content and stored under
    its SHA-256; the version's content hash changes with it."""
    version = _lock(version)
    if not permissions.can_author(actor, version.procedure):
        _deny()
    if version.state != State.DRAFT:
        raise ProcedureError(_("Chỉ đính kèm tệp vào phiên bản ở trạng thái dự thảo."), code="state")
    kind = files.check_upload(name, content)
    attachment = Attachment(
        version=version,
        uploaded_by=actor,
        **files.stored_file_fields(name=name, content=content, kind=kind, folder="attachments"),
    )
    _save(attachment, actor=actor, reason=_("Đính kèm tệp"))
    version_refresh_derived(version)
    version.lock_version += 1
    _save(version, actor=actor, reason=_("Đính kèm tệp %(name)s") % {"name": attachment.original_name})
    return attachment
