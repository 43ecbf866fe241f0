"""Reading the effective text: acknowledgements and the access log."""

from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from .. import permissions
from ..exceptions import ProcedureError
from ..models import AccessLog, Acknowledgement, ProcedureVersion, State
from ._common import _deny, _lock, _save


@transaction.atomic
def acknowledgement_record(*, version: ProcedureVersion, actor):
    """Record that `actor` has read an effective version.

    Idempotent: a second call writes nothing and returns (the first record, False);
    the first returns (the new record, True). Writes one Acknowledgement and its
    history row. Acknowledgement is per version: each new revision asks again.
    """
    if not permissions.can_view_effective(actor):
        _deny()
    version = _lock(version)
    if version.state != State.EFFECTIVE:
        raise ProcedureError(
            _("Chỉ xác nhận đã đọc được phiên bản đang hiệu lực."), code="state"
        )
    existing = Acknowledgement.objects.filter(version=version, user=actor).first()
    if existing is not None:
        return existing, False
    acknowledgement = Acknowledgement(version=version, user=actor)
    try:
        with transaction.atomic():
            _save(acknowledgement, actor=actor, reason=_("Xác nhận đã đọc"))
    except IntegrityError:
        # A second click raced the first one: the first one's row stands.
        return Acknowledgement.objects.get(version=version, user=actor), False
    return acknowledgement, True


@transaction.atomic
def access_record(*, version: ProcedureVersion, actor, action: str, attachment=None):
    """Append who viewed, printed or downloaded which revision (AccessLog, append-only)."""
    if action not in AccessLog.Action.values:
        raise ProcedureError(_("Thao tác truy cập không hợp lệ."), code="action")
    if not permissions.can_view_version(actor, version):
        _deny()
    if attachment is not None and attachment.version_id != version.pk:
        raise ProcedureError(_("Tệp không thuộc phiên bản này."), code="attachment")
    return AccessLog.objects.create(
        version=version, user=actor, action=action, attachment=attachment
    )
