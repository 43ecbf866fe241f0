"""Routing a draft: submitting it to named reviewers and an approver, and recalling it.

The signatures that follow (review, approval, return) are in `signatures`. Each
function here is one event (submitted, recalled) so that a notification can be
sent from it after commit.

Rules (issue 10):
- The author, or an officer with author permission, names the reviewers and the
  approver when submitting, among the people allowed: reviewers hold the review
  permission on the procedure, the approver the approve permission; the author is
  neither. Review is required unless the procedure's kind is "approval only"
  (settings.QMS_REVIEW_POLICY).
- One person may not both review and approve the same version: not in one round
  (a database constraint too), and not as approver after having signed a review of
  the version in an earlier round.
- Each submission is a new round: the assignments and signatures of an earlier
  round do not count for it.
- The draft may be recalled until someone of the current round signs.
"""

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from .. import notices, permissions
from ..exceptions import ProcedureError
from ..models import ProcedureVersion, ReviewAssignment, Signature, State
from ._common import _check_transition, _deny, _lock, _save


def _name(user) -> str:
    return user.get_full_name() or user.get_username()


def _check_routing(version: ProcedureVersion, reviewers: list, approver) -> None:
    """Refuse a routing that breaks a rule, naming the person concerned."""
    if approver is None:
        raise ProcedureError(_("Hãy chọn người phê duyệt."), code="approver")
    if not reviewers and permissions.review_required(version.procedure):
        raise ProcedureError(
            _("%(kind)s phải được xem xét trước khi phê duyệt: hãy chọn ít nhất một người "
              "xem xét."),
            code="reviewers",
            params={"kind": version.procedure.get_kind_display()},
        )
    for person in [*reviewers, approver]:
        if person.pk == version.author_id:
            raise ProcedureError(
                _("Người soạn thảo không được xem xét hoặc phê duyệt phiên bản của mình."),
                code="duties",
            )
    for person in reviewers:
        if not permissions.may_be_named_reviewer(person, version):
            raise ProcedureError(
                _("%(name)s không có quyền xem xét tài liệu này."),
                code="reviewer", params={"name": _name(person)},
            )
    if not permissions.may_be_named_approver(approver, version):
        raise ProcedureError(
            _("%(name)s không có quyền phê duyệt tài liệu này."),
            code="approver", params={"name": _name(approver)},
        )
    reviewed_before = version.signatures.filter(
        signer=approver, meaning=Signature.Meaning.REVIEWED
    ).exists()
    if approver.pk in {p.pk for p in reviewers} or reviewed_before:
        raise ProcedureError(
            _("Một người không được vừa xem xét vừa phê duyệt cùng một phiên bản: %(name)s."),
            code="duties", params={"name": _name(approver)},
        )


@transaction.atomic
def version_submit(
    *, version: ProcedureVersion, actor, reviewers, approver
) -> ProcedureVersion:
    """Send a draft for review and approval, to the named reviewers and approver.

    Preconditions: the actor may author the procedure; the version is a draft with a
    text or an attachment; the routing follows the rules of this module. Effects:
    the version goes to "in_review" in a new round, with one assignment per named
    person (history rows for each, with the actor and the reason).
    """
    version = _lock(version)
    if not permissions.can_author(actor, version.procedure):
        _deny()
    _check_transition(version, State.IN_REVIEW)
    if not version.body.strip() and not version.attachments.filter(removed_at__isnull=True).exists():
        raise ProcedureError(
            _("Dự thảo chưa có nội dung hoặc tệp đính kèm nên chưa thể trình."), code="empty"
        )
    unique_reviewers = list({person.pk: person for person in reviewers or []}.values())
    _check_routing(version, unique_reviewers, approver)
    now = timezone.now()
    version.state = State.IN_REVIEW
    version.submitted_at = now
    version.submission_round += 1
    version.rejection_reason = ""
    reason = _("Trình xem xét, phê duyệt")
    _save(version, actor=actor, reason=reason)
    roles = [(p, ReviewAssignment.Role.REVIEWER) for p in unique_reviewers]
    for person, role in [*roles, (approver, ReviewAssignment.Role.APPROVER)]:
        assignment = ReviewAssignment(
            version=version, round=version.submission_round, role=role, person=person,
            assigned_by=actor, assigned_at=now,
        )
        _save(assignment, actor=actor, reason=reason)
    notices.submitted(version)
    return version


def close_round(version: ProcedureVersion, *, actor, reason: str, keep=None) -> None:
    """Close the pending assignments of the current round (but `keep`)."""
    for assignment in version.assignments.filter(
        round=version.submission_round, status=ReviewAssignment.Status.PENDING
    ).select_for_update():
        if keep is not None and assignment.pk == keep.pk:
            continue
        assignment.status = ReviewAssignment.Status.CLOSED
        _save(assignment, actor=actor, reason=reason)


@transaction.atomic
def version_recall(*, version: ProcedureVersion, actor) -> ProcedureVersion:
    """Take a submitted draft back before anyone has signed it.

    For the author or an officer with author permission. The version returns to
    "draft"; the round's assignments are closed (kept, with history); comments stay.
    """
    version = _lock(version)
    if not permissions.can_author(actor, version.procedure):
        _deny()
    _check_transition(version, State.DRAFT)
    if version.assignments.filter(
        round=version.submission_round,
        status__in=[ReviewAssignment.Status.SIGNED, ReviewAssignment.Status.RETURNED],
    ).exists():
        raise ProcedureError(
            _("Đã có người ký nên không thể rút lại dự thảo."), code="signed"
        )
    reason = _("Rút lại dự thảo")
    waiting = [
        a.person for a in version.assignments.filter(
            round=version.submission_round, status=ReviewAssignment.Status.PENDING
        ).select_related("person")
    ]
    close_round(version, actor=actor, reason=reason)
    notices.recalled(version, people=waiting)
    version.state = State.DRAFT
    _save(version, actor=actor, reason=reason)
    return version
