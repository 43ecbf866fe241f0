"""Electronic signatures: review, approval and return, each asking for the signer's
password again and bound to the content hash of what was signed.

Only the people named for the current round sign (see `review`): reviewers in
parallel; the approver once every reviewer of the round has signed; any of them
who has not signed yet may instead return the draft, with a reason. One function
per event (reviewed, approved, returned), so that a notification can follow each.
"""

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from qms.text import nfc

from .. import notices, permissions
from ..exceptions import ProcedureError
from ..models import ProcedureVersion, ReviewAssignment, Signature, State
from ._common import (
    SIGNATURE_SCHEME,
    _check_password,
    _check_transition,
    _deny,
    _lock,
    _save,
    content_hash,
    signature_hash,
)
from .review import close_round


def _check_shown(version, shown_sha256) -> None:
    """The signer signs what the page showed: `shown_sha256` is the content hash the
    signing form carried (None: a caller without a page, e.g. the demo)."""
    if shown_sha256 is not None and shown_sha256 != content_hash(version):
        raise ProcedureError(
            _("Nội dung phiên bản đã thay đổi sau khi bạn mở trang: chữ ký chưa được ghi "
              "nhận. Hãy tải lại trang, đọc lại nội dung rồi ký."),
            code="stale",
        )


def _sign(version, actor, meaning, reason="") -> Signature:
    signature = Signature(
        version=version,
        signer=actor,
        signer_name=actor.get_full_name() or actor.get_username(),
        meaning=meaning,
        signed_at=timezone.now(),
        content_sha256=signature_hash(version, signer_id=actor.pk, meaning=meaning),
        scheme=SIGNATURE_SCHEME,
        reason=reason,
    )
    _save(signature, actor=actor, reason=signature.get_meaning_display())
    return signature


def _assignment(version, actor, role=None):
    """The actor's pending assignment in the current round (locked), or None."""
    found = version.assignments.select_for_update().filter(
        round=version.submission_round, person=actor, status=ReviewAssignment.Status.PENDING
    )
    if role is not None:
        found = found.filter(role=role)
    return found.first()


def _record(assignment, signature, status, *, actor, reason) -> None:
    assignment.status = status
    assignment.signature = signature
    assignment.decided_at = signature.signed_at
    _save(assignment, actor=actor, reason=reason)


@transaction.atomic
def version_review(
    *, version: ProcedureVersion, actor, password: str, shown_sha256: str | None = None
) -> Signature:
    """Sign a version under review as reviewed (one of its named reviewers).

    The state does not change; when the last reviewer of the round signs, approval
    opens (`permissions.approval_is_open`). Writes the signature and the history
    rows of the assignment and the version.
    """
    version = _lock(version)
    if version.author_id == actor.pk:
        raise ProcedureError(
            _("Người soạn thảo không được tự xem xét phiên bản của mình."), code="duties"
        )
    if not permissions.can_review(actor, version):
        _deny()
    if version.state != State.IN_REVIEW:
        raise ProcedureError(_("Chỉ xem xét được phiên bản đang chờ xem xét."), code="state")
    assignment = _assignment(version, actor, ReviewAssignment.Role.REVIEWER)
    if assignment is None:
        if version.assignments.filter(
            round=version.submission_round, person=actor, role=ReviewAssignment.Role.REVIEWER
        ).exists():
            raise ProcedureError(_("Bạn đã ký xem xét phiên bản này."), code="done")
        raise ProcedureError(
            _("Bạn không được chỉ định xem xét phiên bản này."), code="not_named"
        )
    _check_password(actor, password)
    _check_shown(version, shown_sha256)
    signature = _sign(version, actor, Signature.Meaning.REVIEWED)
    reason = _("Ký xem xét")
    _record(assignment, signature, ReviewAssignment.Status.SIGNED, actor=actor, reason=reason)
    version.reviewed_by, version.reviewed_at = actor, signature.signed_at
    _save(version, actor=actor, reason=reason)
    if permissions.approval_is_open(version):
        notices.approval_open(version)
    return signature


@transaction.atomic
def version_approve(
    *, version: ProcedureVersion, actor, password: str, shown_sha256: str | None = None
) -> Signature:
    """Approve a version under review with the named approver's signature.

    Preconditions: every reviewer named in the round has signed, and review took
    place where the procedure's kind requires it; the approver has not signed a
    review of this version. Effects: the version is "approved".
    """
    version = _lock(version)
    if version.author_id == actor.pk:
        raise ProcedureError(
            _("Người soạn thảo không được tự phê duyệt phiên bản của mình."), code="duties"
        )
    if not permissions.can_approve(actor, version):
        _deny()
    _check_transition(version, State.APPROVED)
    assignment = _assignment(version, actor, ReviewAssignment.Role.APPROVER)
    if assignment is None:
        raise ProcedureError(
            _("Bạn không được chỉ định phê duyệt phiên bản này."), code="not_named"
        )
    if version.signatures.filter(signer=actor, meaning=Signature.Meaning.REVIEWED).exists():
        raise ProcedureError(
            _("Người đã ký xem xét phiên bản này không được ký phê duyệt nó."), code="duties"
        )
    reviewers = version.assignments.filter(
        round=version.submission_round, role=ReviewAssignment.Role.REVIEWER
    )
    waiting = reviewers.exclude(status=ReviewAssignment.Status.SIGNED).count()
    if waiting:
        raise ProcedureError(
            _("Chưa thể phê duyệt: còn %(count)s người được chỉ định chưa ký xem xét."),
            code="review_pending", params={"count": waiting},
        )
    if permissions.review_required(version.procedure) and not reviewers.exists():
        raise ProcedureError(
            _("Phiên bản phải được xem xét trước khi phê duyệt."), code="review_required"
        )
    _check_password(actor, password)
    _check_shown(version, shown_sha256)
    signature = _sign(version, actor, Signature.Meaning.APPROVED)
    reason = _("Ký phê duyệt")
    _record(assignment, signature, ReviewAssignment.Status.SIGNED, actor=actor, reason=reason)
    version.state = State.APPROVED
    version.approved_by, version.approved_at = actor, signature.signed_at
    _save(version, actor=actor, reason=reason)
    notices.approved(version)
    return signature


@transaction.atomic
def version_return(
    *, version: ProcedureVersion, actor, password: str, reason: str,
    shown_sha256: str | None = None,
) -> Signature:
    """Return a version under review to its author as a draft, with the reason.

    For a named reviewer who has not signed yet or the named approver. A signature
    (meaning "returned") records who, when, why and on which content; the round
    closes (the other pending assignments are closed); comments stay with the version.
    """
    version = _lock(version)
    if not (permissions.can_review(actor, version) or permissions.can_approve(actor, version)):
        _deny()
    _check_transition(version, State.DRAFT)
    assignment = _assignment(version, actor)
    if assignment is None:
        raise ProcedureError(
            _("Bạn không được chỉ định xem xét hoặc phê duyệt phiên bản này, hoặc đã ký rồi."),
            code="not_named",
        )
    reason = nfc(reason or "").strip()
    if not reason:
        raise ProcedureError(_("Hãy nêu lý do trả lại."), code="reason")
    _check_password(actor, password)
    _check_shown(version, shown_sha256)
    signature = _sign(version, actor, Signature.Meaning.RETURNED, reason)
    history_reason = _("Trả lại: %(reason)s") % {"reason": reason}
    _record(assignment, signature, ReviewAssignment.Status.RETURNED, actor=actor,
            reason=history_reason)
    close_round(version, actor=actor, reason=history_reason, keep=assignment)
    version.state = State.DRAFT
    version.rejection_reason = reason
    _save(version, actor=actor, reason=history_reason)
    notices.returned(version, reason=reason)
    return signature
