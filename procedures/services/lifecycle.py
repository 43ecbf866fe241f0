"""The life of a procedure and its versions: create, edit, make effective, revise,
withdraw. Submitting, recalling and signing are in `review` and `signatures`.

Each function is one transaction, checks the actor's permission and the current
state (re-read under a row lock), and records who did it in the history.
"""

import datetime
import re

from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from qms.dates import add_months
from qms.models import Edition, OrgUnit
from qms.text import nfc

from .. import permissions
from ..exceptions import ProcedureError
from ..models import Procedure, ProcedureVersion, State
from ._common import (
    _check_transition,
    _deny,
    _lock,
    _save,
    resolve_clauses,
    version_refresh_derived,
)
from .attachments import attachments_carry_over
from .grants import procedure_grant_defaults
from .reading import acknowledgements_request


@transaction.atomic
def procedure_create(
    *,
    actor,
    code: str,
    title: str,
    department: OrgUnit,
    edition: Edition,
    kind: str = Procedure.Kind.PROCEDURE,
    body: str = "",
    clause_numbers=(),
    change_summary: str = "",
    owner=None,
    review_period_months: int | None = None,
    distribution=None,
) -> ProcedureVersion:
    """Create a procedure and its first draft (revision 1). Returns the draft."""
    if not permissions.can_create_procedure(actor, department):
        _deny()
    code = nfc(code).strip().upper()
    # The code's problem and the clauses' problem together, not one per attempt.
    problems = []
    if not code:
        problems.append(ProcedureError(_("Mã số tài liệu không được để trống."), code="code"))
    elif Procedure.objects.filter(code__iexact=code).exists():
        problems.append(ProcedureError(
            _("Mã số %(code)s đã được dùng cho một tài liệu khác."),
            code="duplicate",
            params={"code": code},
        ))
    try:
        clauses = resolve_clauses(edition, clause_numbers)
    except ProcedureError as error:
        problems.append(error)
    if problems:
        raise problems[0] if len(problems) == 1 else ProcedureError(problems)
    procedure = Procedure(
        code=code,
        title=nfc(title).strip(),
        kind=kind,
        department=department,
        owner=owner,
        review_period_months=review_period_months or settings.QMS_REVIEW_PERIOD_MONTHS,
        created_by=actor,
    )
    try:
        with transaction.atomic():
            _save(procedure, actor=actor, reason=_("Tạo tài liệu"))
    except IntegrityError:
        # Another request took the code between our check and our insert.
        raise ProcedureError(
            _("Mã số %(code)s đã được dùng cho một tài liệu khác."),
            code="duplicate",
            params={"code": code},
        ) from None
    units = list(distribution) if distribution else [department]
    procedure.distribution.set(units)
    procedure_grant_defaults(procedure=procedure)
    return version_create(
        procedure=procedure,
        actor=actor,
        revision=1,
        edition=edition,
        body=body,
        clauses=clauses,
        change_summary=change_summary,
        title=procedure.title,
        reason=_("Tạo dự thảo lần ban hành 1"),
        distribution=units,
    )


@transaction.atomic
def version_create(
    *, procedure, actor, revision, edition, body, clauses, change_summary, reason,
    based_on=None, distribution=None, attachments_from=None, title=None,
) -> ProcedureVersion:
    """Write a new draft version with the given content (no permission check: the
    calling service has made it). Writes the version and its clause and distribution
    history rows.

    The draft proposes `distribution` (by default the procedure's current one).
    With `attachments_from`, it starts with that version's attachments: new rows on
    the draft for the same stored files (see `attachments.attachments_carry_over`).
    """
    if distribution is None:
        distribution = list(procedure.distribution.all())
    version = ProcedureVersion(
        procedure=procedure,
        revision=revision,
        based_on=based_on,
        edition=edition,
        title=nfc(title or (based_on.title if based_on else "") or procedure.title).strip(),
        body=nfc(body),
        change_summary=nfc(change_summary),
        author=actor,
    )
    version_refresh_derived(version, clauses=clauses, distribution=distribution)
    _save(version, actor=actor, reason=reason)
    # m2m changes write their own history row, with the same user and reason.
    version.clauses.set(clauses)
    version.distribution.set(distribution)
    if attachments_from is not None and attachments_carry_over(
        source=attachments_from, target=version, actor=actor
    ):
        version_refresh_derived(version)
        _save(version, actor=actor, reason=_("Mang theo tệp đính kèm của lần ban hành %(rev)s")
              % {"rev": attachments_from.revision})
    return version


@transaction.atomic
def version_update(
    *,
    version: ProcedureVersion,
    actor,
    lock_version: int | None = None,
    body: str | None = None,
    clause_numbers=None,
    change_summary: str | None = None,
    edition: Edition | None = None,
    title: str | None = None,
    distribution=None,
) -> ProcedureVersion:
    """Edit a draft. `lock_version` is the value the editor loaded: if someone saved
    in between, the save is refused and nothing is overwritten.

    `distribution` (departments) changes the distribution the draft proposes: it is
    part of the content that reviewers and the approver sign, and becomes the
    procedure's distribution when the version takes effect."""
    version = _lock(version)
    if not permissions.can_author(actor, version.procedure):
        _deny()
    if version.state != State.DRAFT:
        raise ProcedureError(
            _("Chỉ sửa được phiên bản ở trạng thái dự thảo."), code="state"
        )
    if lock_version is not None and lock_version != version.lock_version:
        raise ProcedureError(
            _("Dự thảo vừa được người khác lưu. Hãy tải lại trang để xem bản mới nhất; "
              "nội dung của bạn chưa được lưu."),
            code="conflict",
        )
    if edition is not None:
        version.edition = edition
    clauses = (
        resolve_clauses(version.edition, clause_numbers)
        if clause_numbers is not None
        else list(version.clauses.all())
    )
    if clause_numbers is None and edition is not None:
        clauses = resolve_clauses(edition, [c.number for c in clauses])
    if body is not None:
        version.body = nfc(body)
    if change_summary is not None:
        version.change_summary = nfc(change_summary)
    # A new title belongs to this revision: the effective one keeps its own, and the
    # procedure takes the new title when this revision takes effect.
    if title is not None and nfc(title).strip():
        version.title = nfc(title).strip()
    units = None
    if distribution is not None:
        units = list(distribution)
        if not units:
            raise ProcedureError(
                _("Hãy chọn ít nhất một đơn vị được phân phối."), code="distribution"
            )
    version_refresh_derived(version, clauses=clauses, distribution=units)
    version.lock_version += 1
    _save(version, actor=actor, reason=_("Sửa dự thảo"))
    if {c.pk for c in clauses} != set(version.clauses.values_list("pk", flat=True)):
        version.clauses.set(clauses)
    if units is not None and {u.pk for u in units} != set(
        version.distribution.values_list("pk", flat=True)
    ):
        version.distribution.set(units)
    return version


DECISION_NUMBER = re.compile(r"^\d{1,6}(/\d{4})?/QĐ-[A-ZĐ0-9]+(-[A-ZĐ0-9]+)*$")
DEFAULT_DECISION_SIGN = "/QĐ-UBND"


def decision_number_clean(text: str) -> str:
    """ "125" -> "125/QĐ-UBND"; " 125/qđ-ubnd " -> "125/QĐ-UBND"; "QD" spelt without
    its stroke is read as "QĐ". Refuses anything else that is not "number/QĐ-SIGN"."""
    number = re.sub(r"\s+", "", nfc(text or "")).upper()
    if not number:
        raise ProcedureError(_("Hãy nhập số quyết định ban hành."), code="decision")
    if number.isdigit():
        number += DEFAULT_DECISION_SIGN
    number = number.replace("/QD-", "/QĐ-")
    if not DECISION_NUMBER.match(number):
        raise ProcedureError(
            _("Số quyết định ban hành không đúng dạng: hãy nhập như 125/QĐ-UBND."),
            code="decision",
        )
    return number


def _check_decision(version, *, decision_date, effective_from, today, backdate) -> None:
    if decision_date is None:
        raise ProcedureError(_("Hãy nhập ngày của quyết định ban hành."), code="decision_date")
    if decision_date > today:
        raise ProcedureError(
            _("Ngày quyết định ban hành không được sau hôm nay."), code="decision_date"
        )
    if effective_from < decision_date:
        raise ProcedureError(
            _("Ngày hiệu lực không được trước ngày quyết định ban hành."), code="decision_date"
        )
    approved_on = timezone.localdate(version.approved_at) if version.approved_at else None
    # Documents brought in from the paper register were signed on paper long before
    # their approval was recorded here: for them (backdate) the order is not checked.
    if approved_on and decision_date < approved_on and not backdate:
        raise ProcedureError(
            _("Ngày quyết định ban hành không được trước ngày phê duyệt %(date)s."),
            code="decision_date",
            params={"date": approved_on.strftime("%d/%m/%Y")},
        )


@transaction.atomic
def version_make_effective(
    *,
    version: ProcedureVersion,
    actor,
    decision_number: str,
    decision_date: datetime.date | None,
    effective_from: datetime.date | None = None,
    backdate: bool = False,
) -> ProcedureVersion:
    """Issue an approved version: record the issuing decision ("Quyết định ban hành
    số 125/QĐ-UBND ngày 15/03/2024") and make the version effective today, or
    schedule it for a later date.

    On the day, the previous effective version is superseded in the same
    transaction, both rows locked, and the procedure's distribution becomes the one
    the version proposed; `apply_scheduled` does it for later dates. The decision
    is dated no later than today and the effective date, and not before the approval.
    `backdate` records a past date, for documents brought in from the paper
    register (import, demo data); people in the web application cannot use it.
    """
    today = timezone.localdate()
    effective_from = effective_from or today
    version = _lock(version)
    if not permissions.can_publish(actor, version.procedure):
        _deny()
    _check_transition(version, State.EFFECTIVE)
    if effective_from < today and not backdate:
        raise ProcedureError(_("Ngày hiệu lực không được ở trong quá khứ."), code="date")
    number = decision_number_clean(decision_number)
    _check_decision(version, decision_date=decision_date, effective_from=effective_from,
                    today=today, backdate=backdate)
    version.decision_number, version.decision_date = number, decision_date
    version.effective_from = effective_from
    if effective_from > today:
        _save(version, actor=actor, reason=_("Hẹn ngày hiệu lực %(date)s") % {
            "date": effective_from.strftime("%d/%m/%Y")})
        return version
    return _activate(version, actor=actor)


def _activate(version: ProcedureVersion, *, actor) -> ProcedureVersion:
    """Supersede the current effective version and make this one effective."""
    # Lock the current effective row. If a concurrent transaction supersedes it
    # first, this query finds no row once that one commits, and the check below
    # (or, failing that, the partial unique index) refuses: exactly one wins.
    procedure = version.procedure
    current = list(
        ProcedureVersion.objects.select_for_update().filter(
            procedure=procedure, state=State.EFFECTIVE
        )
    )
    if [v.pk for v in current] != ([version.based_on_id] if version.based_on_id else []):
        raise ProcedureError(
            _("Một phiên bản khác của tài liệu này vừa được ban hành, nên phiên bản này "
              "không còn dựa trên bản hiện hành. Hãy tạo lần ban hành mới."),
            code="conflict",
        )
    now = timezone.now()
    for old in current:
        old.state = State.SUPERSEDED
        old.superseded_at = now
        _save(old, actor=actor, reason=_("Bị thay thế bởi lần ban hành %(rev)s") % {
            "rev": version.revision})
    if version.title and version.title != procedure.title:
        procedure.title = version.title
        _save(procedure, actor=actor, reason=_("Sửa tên tài liệu"))
    version.state = State.EFFECTIVE
    version.next_review_due = add_months(version.effective_from, procedure.review_period_months)
    try:
        with transaction.atomic():
            _save(version, actor=actor, reason=_("Ban hành"))
    except IntegrityError:
        # The partial unique index: another transaction made a version effective first.
        raise ProcedureError(
            _("Một phiên bản khác của tài liệu này vừa được ban hành, nên phiên bản này "
              "không còn dựa trên bản hiện hành. Hãy tạo lần ban hành mới."),
            code="conflict",
        ) from None
    _distribute(version, actor=actor)
    acknowledgements_request(version=version)
    return version


def _distribute(version: ProcedureVersion, *, actor) -> None:
    """The procedure is now distributed as its effective version proposed (a version
    without a distribution of its own leaves the procedure's as it is)."""
    units = set(version.distribution.values_list("pk", flat=True))
    procedure = version.procedure
    if not units or units == set(procedure.distribution.values_list("pk", flat=True)):
        return
    procedure._history_user = actor
    procedure._change_reason = _("Phân phối theo lần ban hành %(rev)s") % {"rev": version.revision}
    procedure.distribution.set(units)


def versions_apply_scheduled(
    *, actor, today: datetime.date | None = None, progress=None
) -> list[ProcedureVersion]:
    """Make effective every approved version whose date has come. Safe to run twice:
    a version already effective is no longer 'approved' and is not touched again.
    One transaction per version; `progress(done, total)`, if given, after each."""
    today = today or timezone.localdate()
    due = list(ProcedureVersion.objects.filter(
        state=State.APPROVED, effective_from__lte=today
    ).order_by("procedure_id", "revision"))
    done = []
    if progress:
        progress(0, len(due))
    for step, version in enumerate(due, 1):
        with transaction.atomic():
            locked = _lock(version)
            if locked.state == State.APPROVED:
                done.append(_activate(locked, actor=actor))
        if progress:
            progress(step, len(due))
    return done


@transaction.atomic
def version_start_revision(*, procedure: Procedure, actor) -> ProcedureVersion:
    """Start the next revision as a draft copy of the effective version: its text,
    clauses and attachments (new rows for the same stored files, which the author may
    remove or replace), proposing the procedure's current distribution."""
    procedure = Procedure.objects.select_for_update().get(pk=procedure.pk)
    if not permissions.can_author(actor, procedure):
        _deny()
    open_draft = procedure.versions.filter(
        state__in=[State.DRAFT, State.IN_REVIEW, State.APPROVED]
    ).first()
    if open_draft is not None:
        raise ProcedureError(
            _("Tài liệu đã có lần ban hành %(rev)s đang soạn thảo hoặc chờ ban hành."),
            code="open_revision",
            params={"rev": open_draft.revision},
        )
    base = procedure.versions.filter(state=State.EFFECTIVE).first()
    last = procedure.versions.order_by("-revision").first()
    if base is None:
        raise ProcedureError(
            _("Tài liệu chưa có phiên bản hiệu lực để sửa đổi."), code="state"
        )
    return version_create(
        procedure=procedure,
        actor=actor,
        revision=last.revision + 1,
        edition=base.edition,
        body=base.body,
        clauses=list(base.clauses.all()),
        change_summary="",
        reason=_("Tạo dự thảo lần ban hành %(rev)s") % {"rev": last.revision + 1},
        based_on=base,
        distribution=list(procedure.distribution.all()),
        attachments_from=base,
    )


@transaction.atomic
def version_withdraw(*, version: ProcedureVersion, actor, reason: str) -> ProcedureVersion:
    """Withdraw an effective version: the procedure no longer applies."""
    version = _lock(version)
    if not permissions.can_publish(actor, version.procedure):
        _deny()
    _check_transition(version, State.OBSOLETE)
    reason = nfc(reason).strip()
    if not reason:
        raise ProcedureError(_("Hãy nêu lý do hủy bỏ."), code="reason")
    version.state = State.OBSOLETE
    version.withdrawn_at, version.withdrawn_by = timezone.now(), actor
    version.withdrawal_reason = reason
    _save(version, actor=actor, reason=_("Hủy bỏ: %(reason)s") % {"reason": reason})
    return version
