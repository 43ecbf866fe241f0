"""Electronic signatures: review and approval, each asking for the signer's password again and bound to the content hash of what was signed."""

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from .. import permissions
from ..exceptions import ProcedureError
from ..models import ProcedureVersion, Signature, State
from ._common import _check_password, _check_transition, _deny, _lock, _save, content_hash


def _sign(version, actor, meaning) -> Signature:
    signature = Signature(
        version=version,
        signer=actor,
        signer_name=actor.get_full_name() or actor.get_username(),
        meaning=meaning,
        signed_at=timezone.now(),
        content_sha256=content_hash(version),
    )
    _save(signature, actor=actor, reason=signature.get_meaning_display())
    return signature


@transaction.atomic
def version_review(*, version: ProcedureVersion, actor, password: str) -> Signature:
    """Sign a version under review as reviewed. The state does not change."""
    version = _lock(version)
    if version.author_id == actor.pk:
        raise ProcedureError(
            _("Người soạn thảo không được tự xem xét phiên bản của mình."), code="duties"
        )
    if not permissions.can_review(actor, version):
        _deny()
    if version.state != State.IN_REVIEW:
        raise ProcedureError(_("Chỉ xem xét được phiên bản đang chờ xem xét."), code="state")
    _check_password(actor, password)
    signature = _sign(version, actor, Signature.Meaning.REVIEWED)
    version.reviewed_by, version.reviewed_at = actor, signature.signed_at
    _save(version, actor=actor, reason=_("Ký xem xét"))
    return signature


@transaction.atomic
def version_approve(*, version: ProcedureVersion, actor, password: str) -> Signature:
    """Approve a version under review with the approver's signature."""
    version = _lock(version)
    if version.author_id == actor.pk:
        raise ProcedureError(
            _("Người soạn thảo không được tự phê duyệt phiên bản của mình."), code="duties"
        )
    if not permissions.can_approve(actor, version):
        _deny()
    _check_transition(version, State.APPROVED)
    _check_password(actor, password)
    signature = _sign(version, actor, Signature.Meaning.APPROVED)
    version.state = State.APPROVED
    version.approved_by, version.approved_at = actor, signature.signed_at
    _save(version, actor=actor, reason=_("Ký phê duyệt"))
    return signature
