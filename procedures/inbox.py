"""What procedures put in a person's inbox (see qms/inbox.py):

- drafts waiting for the person's review or approval (`awaiting_signature_list`);
- effective versions distributed to the person's department that they have not
  acknowledged yet, due QMS_ACK_DUE_DAYS after the version took effect;
- periodic reviews of the procedures they author, from QMS_REVIEW_DUE_SOON_DAYS
  before the date, until a new revision takes effect (which sets the next date).

Each item disappears when its work is done, because each list is the state of the
records, not a list of messages.
"""

import datetime

from django.conf import settings
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from qms import roles
from qms.inbox import InboxItem, count_querysets

from . import selectors
from .models import ProcedureVersion

SIGNATURE = "procedures.signature"
ACKNOWLEDGEMENT = "procedures.acknowledgement"
PERIODIC_REVIEW = "procedures.periodic_review"

# The groups of the inbox page, in this order.
KINDS = {
    SIGNATURE: gettext_lazy("Dự thảo chờ tôi xem xét, phê duyệt"),
    ACKNOWLEDGEMENT: gettext_lazy("Phiên bản mới cần đọc và xác nhận"),
    PERIODIC_REVIEW: gettext_lazy("Tài liệu đến hạn xem xét định kỳ"),
}


def _day(value) -> str:
    return date_format(value, "d/m/Y") if value else ""


def _title(version) -> str:
    return _("%(code)s lần ban hành %(rev)s — %(title)s") % {
        "code": version.procedure.code, "rev": version.revision, "title": version.title or version.procedure.title,
    }


def _signatures(user):
    # Reviewers and approvers are named among the quality officers and approvers (the
    # services grant the permissions by role): for anyone else the header's count on
    # every page skips building this query (about 10 ms of Python).
    if not (user.is_superuser or roles.has_role(user, roles.QUALITY_OFFICER)
            or roles.has_role(user, roles.APPROVER)):
        return ProcedureVersion.objects.none()
    return selectors.awaiting_signature_list(user=user)


def _reviews(user, today):
    if not roles.has_role(user, roles.QUALITY_OFFICER):  # authors are officers
        return ProcedureVersion.objects.none()
    return selectors.review_due_list(
        user=user, today=today, within_days=settings.QMS_REVIEW_DUE_SOON_DAYS
    )


def acknowledgement_due(version) -> datetime.date | None:
    if version.effective_from is None:
        return None
    return version.effective_from + datetime.timedelta(days=settings.QMS_ACK_DUE_DAYS)


def inbox_items(*, user, today: datetime.date | None = None) -> list[InboxItem]:
    today = today or timezone.localdate()
    items = []
    for version in _signatures(user):
        items.append(InboxItem(
            kind=SIGNATURE,
            title=_title(version),
            url=reverse("procedures:version", kwargs={
                "code": version.procedure.code, "revision": version.revision}),
            due=None,
            detail=_("Trình bởi %(who)s ngày %(day)s") % {
                "who": version.author, "day": _day(version.submitted_at and timezone.localtime(
                    version.submitted_at).date())},
        ))
    for version in selectors.acknowledgement_pending_list(user=user):
        items.append(InboxItem(
            kind=ACKNOWLEDGEMENT,
            title=_title(version),
            url=reverse("procedures:acknowledge", kwargs={
                "code": version.procedure.code, "revision": version.revision}),
            due=acknowledgement_due(version),
            detail=_("Hiệu lực từ ngày %(day)s") % {"day": _day(version.effective_from)},
        ))
    for version in _reviews(user, today):
        due = version.next_review_due
        items.append(InboxItem(
            kind=PERIODIC_REVIEW,
            title=_title(version),
            url=reverse("procedures:version", kwargs={
                "code": version.procedure.code, "revision": version.revision}),
            due=due,
            detail=(_("Quá hạn xem xét định kỳ từ ngày %(day)s") if due < today
                    else _("Hạn xem xét định kỳ %(day)s")) % {"day": _day(due)},
        ))
    return items


def inbox_querysets(*, user, today: datetime.date | None = None) -> list:
    """What the inbox counts: one queryset per kind (portal counts them in one query)."""
    today = today or timezone.localdate()
    return [
        _signatures(user),
        selectors.acknowledgement_pending_list(user=user),
        _reviews(user, today),
    ]


def inbox_count(*, user, today: datetime.date | None = None) -> int:
    """One query (after guardian's cached look-ups), whatever the number of items."""
    return count_querysets(inbox_querysets(user=user, today=today))
