"""Every state change of procedures and their versions.

Each function is one transaction, checks the actor's permission and the current
state (re-read under a row lock), and records who did it in the history.
"""

import datetime
import hashlib
import json

from django.conf import settings
from django.contrib.auth import get_user_model
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from guardian.shortcuts import assign_perm

from qms import files, roles
from qms.history import save_with_history
from qms.models import Clause, Edition, OrgUnit
from qms.text import fold, nfc

from . import permissions
from .exceptions import ProcedureError
from .models import TRANSITIONS, Attachment, Procedure, ProcedureVersion, Signature, State

# ---------------------------------------------------------------- helpers


def _deny():
    raise ProcedureError(_("Bạn không có quyền thực hiện thao tác này."), code="permission")


_save = save_with_history


def _lock(version: ProcedureVersion) -> ProcedureVersion:
    return ProcedureVersion.objects.select_for_update().select_related("procedure", "edition").get(
        pk=version.pk
    )


def _check_transition(version: ProcedureVersion, target: State) -> None:
    if target not in TRANSITIONS[State(version.state)]:
        raise ProcedureError(
            _("Không thể chuyển phiên bản từ trạng thái “%(current)s” sang “%(target)s”."),
            code="state",
            params={"current": State(version.state).label, "target": target.label},
        )


def _check_password(actor, password: str) -> None:
    if not password or not actor.check_password(password):
        raise ProcedureError(
            _("Mật khẩu không đúng: chữ ký chưa được ghi nhận."), code="password"
        )


def _add_months(day: datetime.date, months: int) -> datetime.date:
    month_index = day.month - 1 + months
    year, month = day.year + month_index // 12, month_index % 12 + 1
    for candidate in (day.day, 30, 29, 28):
        try:
            return day.replace(year=year, month=month, day=candidate)
        except ValueError:
            continue
    raise AssertionError("unreachable")


def resolve_clauses(edition: Edition, numbers) -> list[Clause]:
    """The clauses with these numbers in this edition; an unknown number is refused."""
    wanted = {n.strip() for n in numbers if n and n.strip()}
    found = {c.number: c for c in Clause.objects.filter(edition=edition, number__in=wanted)}
    missing = sorted(wanted - found.keys())
    if missing:
        raise ProcedureError(
            _("Điều khoản %(numbers)s không có trong %(edition)s."),
            code="clause",
            params={"numbers": ", ".join(missing), "edition": edition.name},
        )
    return [found[n] for n in sorted(found)]


def content_hash(version: ProcedureVersion, *, clauses=None) -> str:
    """SHA-256 of what a signature vouches for: text, clauses, attachments, identity.

    `clauses` gives the clauses about to be set, for a version not yet saved.
    """
    if clauses is None:
        clauses = version.clauses.all() if version.pk else []
    attachments = version.attachments.all() if version.pk else []
    payload = {
        "code": version.procedure.code,
        "revision": version.revision,
        "edition": version.edition.year,
        "clauses": sorted(c.number for c in clauses),
        "body": nfc(version.body),
        "change_summary": nfc(version.change_summary),
        "attachments": sorted(a.sha256 for a in attachments),
    }
    encoded = json.dumps(payload, sort_keys=True, ensure_ascii=False).encode()
    return hashlib.sha256(encoded).hexdigest()


def _refresh_derived(version: ProcedureVersion, *, clauses=None) -> None:
    procedure = version.procedure
    version.search_text = fold(f"{procedure.code} {procedure.title} {version.body}")
    version.content_sha256 = content_hash(version, clauses=clauses)


# ---------------------------------------------------------------- permissions


def procedure_grant_defaults(*, procedure: Procedure) -> None:
    """Grant the object permissions that follow from the procedure's department.

    Quality officers of the owning department author, review and publish; approvers
    of that department or of a unit above it (the committee's leadership) review
    and approve.
    """
    User = get_user_model()
    department = procedure.department
    active = User.objects.filter(is_active=True)
    officers = active.filter(groups__name=roles.QUALITY_OFFICER, department=department)
    approver_units = [department.pk, *(u.pk for u in department.ancestors())]
    approvers = active.filter(groups__name=roles.APPROVER, department__in=approver_units)
    for perm in permissions.OFFICER_PERMS:
        assign_perm(perm, list(officers), procedure)
    for perm in permissions.APPROVER_PERMS:
        assign_perm(perm, list(approvers), procedure)


def user_sync_permissions(*, user) -> None:
    """Grant a user what their role and department give them on existing procedures."""
    department = user.department
    if department is None or not user.is_active:
        return
    if roles.has_role(user, roles.QUALITY_OFFICER):
        for perm in permissions.OFFICER_PERMS:
            assign_perm(perm, user, list(Procedure.objects.filter(department=department)))
    if roles.has_role(user, roles.APPROVER):
        below = _units_below(department)
        for perm in permissions.APPROVER_PERMS:
            assign_perm(perm, user, list(Procedure.objects.filter(department__in=below)))


def _units_below(unit: OrgUnit) -> list[int]:
    ids, frontier = [unit.pk], [unit.pk]
    while frontier:
        frontier = list(OrgUnit.objects.filter(parent__in=frontier).values_list("pk", flat=True))
        ids.extend(frontier)
    return ids


# ---------------------------------------------------------------- procedures


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
    if not code:
        raise ProcedureError(_("Mã số tài liệu không được để trống."), code="code")
    if Procedure.objects.filter(code__iexact=code).exists():
        raise ProcedureError(
            _("Mã số %(code)s đã được dùng cho một tài liệu khác."),
            code="duplicate",
            params={"code": code},
        )
    clauses = resolve_clauses(edition, clause_numbers)
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
    procedure.distribution.set(distribution if distribution is not None else [department])
    procedure_grant_defaults(procedure=procedure)
    return _version_create(
        procedure=procedure,
        actor=actor,
        revision=1,
        edition=edition,
        body=body,
        clauses=clauses,
        change_summary=change_summary,
        reason=_("Tạo dự thảo lần ban hành 1"),
    )


def _version_create(
    *, procedure, actor, revision, edition, body, clauses, change_summary, reason, based_on=None
) -> ProcedureVersion:
    version = ProcedureVersion(
        procedure=procedure,
        revision=revision,
        based_on=based_on,
        edition=edition,
        body=nfc(body),
        change_summary=nfc(change_summary),
        author=actor,
    )
    _refresh_derived(version, clauses=clauses)
    _save(version, actor=actor, reason=reason)
    # m2m changes write their own history row, with the same user and reason.
    version.clauses.set(clauses)
    return version


# ---------------------------------------------------------------- versions


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
) -> ProcedureVersion:
    """Edit a draft. `lock_version` is the value the editor loaded: if someone saved
    in between, the save is refused and nothing is overwritten."""
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
    procedure = version.procedure
    if title is not None and nfc(title).strip() != procedure.title:
        procedure.title = nfc(title).strip()
        _save(procedure, actor=actor, reason=_("Sửa tên tài liệu"))
    _refresh_derived(version, clauses=clauses)
    version.lock_version += 1
    _save(version, actor=actor, reason=_("Sửa dự thảo"))
    if {c.pk for c in clauses} != set(version.clauses.values_list("pk", flat=True)):
        version.clauses.set(clauses)
    return version


@transaction.atomic
def version_submit(*, version: ProcedureVersion, actor) -> ProcedureVersion:
    """Send a draft for review and approval."""
    version = _lock(version)
    if not permissions.can_author(actor, version.procedure):
        _deny()
    _check_transition(version, State.IN_REVIEW)
    if not version.body.strip() and not version.attachments.exists():
        raise ProcedureError(
            _("Dự thảo chưa có nội dung hoặc tệp đính kèm nên chưa thể trình."), code="empty"
        )
    version.state = State.IN_REVIEW
    version.submitted_at = timezone.now()
    version.rejection_reason = ""
    _save(version, actor=actor, reason=_("Trình xem xét, phê duyệt"))
    return version


@transaction.atomic
def version_reject(*, version: ProcedureVersion, actor, reason: str) -> ProcedureVersion:
    """Return a version under review to its author as a draft, with the reason."""
    version = _lock(version)
    if not (permissions.can_review(actor, version) or permissions.can_approve(actor, version)):
        _deny()
    _check_transition(version, State.DRAFT)
    reason = nfc(reason).strip()
    if not reason:
        raise ProcedureError(_("Hãy nêu lý do trả lại."), code="reason")
    version.state = State.DRAFT
    version.rejection_reason = reason
    _save(version, actor=actor, reason=_("Trả lại: %(reason)s") % {"reason": reason})
    return version


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


@transaction.atomic
def version_make_effective(
    *,
    version: ProcedureVersion,
    actor,
    effective_from: datetime.date | None = None,
    backdate: bool = False,
) -> ProcedureVersion:
    """Make an approved version effective today, or schedule it for a later date.

    On the day, the previous effective version is superseded in the same
    transaction, both rows locked; `apply_scheduled` does it for later dates.
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
    version.state = State.EFFECTIVE
    version.next_review_due = _add_months(version.effective_from, procedure.review_period_months)
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
    return version


def versions_apply_scheduled(*, actor, today: datetime.date | None = None) -> list[ProcedureVersion]:
    """Make effective every approved version whose date has come. Safe to run twice:
    a version already effective is no longer 'approved' and is not touched again."""
    today = today or timezone.localdate()
    due = ProcedureVersion.objects.filter(
        state=State.APPROVED, effective_from__lte=today
    ).order_by("procedure_id", "revision")
    done = []
    for version in due:
        with transaction.atomic():
            locked = _lock(version)
            if locked.state != State.APPROVED:
                continue
            done.append(_activate(locked, actor=actor))
    return done


@transaction.atomic
def version_start_revision(*, procedure: Procedure, actor) -> ProcedureVersion:
    """Start the next revision as a draft copy of the effective version."""
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
    return _version_create(
        procedure=procedure,
        actor=actor,
        revision=last.revision + 1,
        edition=base.edition,
        body=base.body,
        clauses=list(base.clauses.all()),
        change_summary="",
        reason=_("Tạo dự thảo lần ban hành %(rev)s") % {"rev": last.revision + 1},
        based_on=base,
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


# ---------------------------------------------------------------- attachments


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
    _refresh_derived(version)
    version.lock_version += 1
    _save(version, actor=actor, reason=_("Đính kèm tệp %(name)s") % {"name": attachment.original_name})
    return attachment


# ---------------------------------------------------------------- reading


@transaction.atomic
def acknowledgement_record(*, version: ProcedureVersion, actor):
    """Record that `actor` has read an effective version.

    Idempotent: a second call writes nothing and returns (the first record, False);
    the first returns (the new record, True). Writes one Acknowledgement and its
    history row. Acknowledgement is per version: each new revision asks again.
    """
    from .models import Acknowledgement

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
    from .models import AccessLog

    if action not in AccessLog.Action.values:
        raise ProcedureError(_("Thao tác truy cập không hợp lệ."), code="action")
    if not permissions.can_view_version(actor, version):
        _deny()
    if attachment is not None and attachment.version_id != version.pk:
        raise ProcedureError(_("Tệp không thuộc phiên bản này."), code="attachment")
    return AccessLog.objects.create(
        version=version, user=actor, action=action, attachment=attachment
    )
