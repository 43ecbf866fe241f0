"""Reading the effective text: acknowledgements and the access log."""

from django.db import IntegrityError, transaction
from django.db.models import Max
from django.urls import reverse
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from qms import notifications

from .. import permissions
from ..exceptions import ProcedureError
from ..models import AccessLog, Acknowledgement, ProcedureVersion, State
from ._common import _deny, _lock, _save

# The kinds of notification about reading (qms.Notification.kind).
ACKNOWLEDGEMENT_NEEDED = "procedures.acknowledgement_needed"
ACKNOWLEDGEMENT_REMINDER = "procedures.acknowledgement_reminder"
ACKNOWLEDGEMENT_ESCALATION = "procedures.acknowledgement_escalation"


@transaction.atomic
def acknowledgement_record(*, version: ProcedureVersion, actor):
    """Record that `actor` has read and understood an effective version.

    Only after the person has opened this very version (a view in the access log):
    an acknowledgement vouches for a reading. Idempotent: a second call writes
    nothing and returns (the first record, False); the first returns (the new
    record, True) and writes one Acknowledgement, its history row and an
    "acknowledge" row of the access log. Each new revision asks again.
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
    if not has_opened(user=actor, version=version):
        raise ProcedureError(
            _("Hãy mở và đọc phiên bản này trước khi xác nhận đã đọc."), code="not_opened"
        )
    acknowledgement = Acknowledgement(version=version, user=actor)
    try:
        with transaction.atomic():
            _save(acknowledgement, actor=actor, reason=_("Xác nhận đã đọc"))
    except IntegrityError:
        # A second click raced the first one: the first one's row stands.
        return Acknowledgement.objects.get(version=version, user=actor), False
    AccessLog.objects.create(version=version, user=actor, action=AccessLog.Action.ACKNOWLEDGE)
    return acknowledgement, True


def has_opened(*, user, version) -> bool:
    """Whether the person's view of this version is in the access log (index user, version)."""
    return AccessLog.objects.filter(
        user=user, version=version, action=AccessLog.Action.VIEW
    ).exists()


def access_record(*, version: ProcedureVersion, actor, action: str, attachment=None):
    """Append who viewed, printed or downloaded which revision (AccessLog, append-only).

    Deliberately not wrapped in a transaction: the checks read, and the one INSERT
    commits on its own. On SQLite a transaction begins IMMEDIATE, taking the
    database's write lock for its whole length; here the lock is held for the
    insert only, so readers writing their log rows do not queue behind each other's
    checks (issue 12 point 8; bench/bench_reading.py counts it).
    """
    if action not in AccessLog.Action.values or action == AccessLog.Action.ACKNOWLEDGE:
        raise ProcedureError(_("Thao tác truy cập không hợp lệ."), code="action")
    if not permissions.can_view_version(actor, version):
        _deny()
    if attachment is not None and attachment.version_id != version.pk:
        raise ProcedureError(_("Tệp không thuộc phiên bản này."), code="attachment")
    if action == AccessLog.Action.PRINT and version.state == State.EFFECTIVE:
        return _controlled_copy_record(version=version, actor=actor)
    return AccessLog.objects.create(
        version=version, user=actor, action=action, attachment=attachment
    )


@transaction.atomic
def _controlled_copy_record(*, version: ProcedureVersion, actor) -> AccessLog:
    """The print of an effective version: an access-log row carrying the next copy
    number of this version. The version row is locked so that two prints at once
    get two numbers (the unique constraint backs it)."""
    version = _lock(version)
    last = AccessLog.objects.filter(version=version).aggregate(last=Max("copy_number"))["last"]
    return AccessLog.objects.create(
        version=version, user=actor, action=AccessLog.Action.PRINT, copy_number=(last or 0) + 1
    )


def acknowledgements_request(*, version: ProcedureVersion) -> None:
    """Tell the staff of the departments a newly effective version is distributed to
    that they must read and acknowledge it (an e-mail, after the commit).

    To be called when a version takes effect (version_make_effective and
    versions_apply_scheduled); send_reminders also sends it for versions that took
    effect recently (`acknowledgement_notice`), so a missed call is made good the
    next morning. Idempotent: the notice is keyed by version, nobody gets it twice.
    """
    message = acknowledgement_notice(version=version)
    if message is not None:
        notifications.notify_each([message])


def acknowledgement_notice(*, version: ProcedureVersion):
    """The "read and acknowledge" message of an effective version for those who have
    not acknowledged it, or None."""
    from ..selectors import acknowledgement_missing_users

    if version.state != State.EFFECTIVE:
        return None
    people = list(acknowledgement_missing_users(version=version))
    if not people:
        return None
    return notifications.Message(
        recipients=people,
        kind=ACKNOWLEDGEMENT_NEEDED,
        subject=gettext_lazy("Cần đọc và xác nhận: %(code)s lần ban hành %(rev)s"),
        body=gettext_lazy(
            "%(code)s %(title)s, lần ban hành %(rev)s, có hiệu lực từ ngày %(day)s và được "
            "phân phối đến đơn vị của anh/chị. Hãy mở, đọc và xác nhận đã đọc, hiểu."
        ),
        params={
            "code": version.procedure.code,
            "title": version.title or version.procedure.title,
            "rev": version.revision,
            "day": date_format(version.effective_from, "d/m/Y") if version.effective_from else "",
        },
        url=reverse("procedures:acknowledge", kwargs={
            "code": version.procedure.code, "revision": version.revision}),
        ref=notifications.ref_of(version),
        key=f"{ACKNOWLEDGEMENT_NEEDED}:{version.pk}",
    )
