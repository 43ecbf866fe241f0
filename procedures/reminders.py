"""What send_reminders asks of procedures, each day:

- the notice "read and acknowledge" for versions that took effect in the last
  QMS_ACK_DUE_DAYS days (idempotent: normally already sent when they took effect);
- a reminder to each person who has not acknowledged a version QMS_ACK_DUE_DAYS
  after it took effect, and, past QMS_ESCALATE_AFTER_DAYS more, one message to the
  head of their department naming them;
- a reminder to the officers of a procedure whose periodic review is past due, and
  the escalation to the head of the owning department.

Every message has a key per period (qms.notifications.reminder_key): running twice
the same day writes nothing twice.
"""

import datetime
from collections import defaultdict

from django.conf import settings
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext_lazy as _
from guardian.shortcuts import get_users_with_perms

from qms import notifications
from qms.notifications import Message

from . import notices, permissions, selectors, services
from .models import ProcedureVersion, State
from .services.reading import (
    ACKNOWLEDGEMENT_ESCALATION,
    ACKNOWLEDGEMENT_NEEDED,
    ACKNOWLEDGEMENT_REMINDER,
)

REVIEW_REMINDER = "procedures.review_reminder"
REVIEW_ESCALATION = "procedures.review_escalation"
# The notifications whose link is an item of the recipient's inbox (see
# procedures/inbox.py): once the item is gone, the work is done.
TASK_KINDS = frozenset({
    ACKNOWLEDGEMENT_NEEDED, ACKNOWLEDGEMENT_REMINDER, REVIEW_REMINDER,
    notices.REVIEW_REQUESTED, notices.APPROVAL_REQUESTED,
})


def _day(value) -> str:
    return date_format(value, "d/m/Y") if value else ""


def _params(version, **extra) -> dict:
    return {"code": version.procedure.code, "title": version.title or version.procedure.title,
            "rev": version.revision, **extra}


def queue(*, today: datetime.date | None = None) -> int:
    """Write today's notices, reminders and escalations about procedures. Returns how
    many messages were offered (already-sent keys are skipped by the outbox)."""
    today = today or timezone.localdate()
    messages = (
        _recent_acknowledgement_notices(today)
        + _acknowledgement_reminders(today)
        + _review_reminders(today)
    )
    notifications.notify_each(messages, after_commit=False)
    return len(messages)


def _recent_acknowledgement_notices(today) -> list[Message]:
    since = today - datetime.timedelta(days=settings.QMS_ACK_DUE_DAYS)
    versions = ProcedureVersion.objects.filter(
        state=State.EFFECTIVE, effective_from__gte=since, effective_from__lte=today
    ).select_related("procedure")
    notices = (services.acknowledgement_notice(version=v) for v in versions)
    return [n for n in notices if n is not None]


def _acknowledgement_reminders(today) -> list[Message]:
    cutoff = today - datetime.timedelta(days=settings.QMS_ACK_DUE_DAYS)
    versions = ProcedureVersion.objects.filter(
        state=State.EFFECTIVE, effective_from__lt=cutoff
    ).select_related("procedure").order_by("procedure__code")
    messages = []
    for version in versions:
        due = version.effective_from + datetime.timedelta(days=settings.QMS_ACK_DUE_DAYS)
        days_overdue = (today - due).days
        missing = list(selectors.acknowledgement_missing_users(version=version))
        if not missing:
            continue
        ref = notifications.ref_of(version)
        url = reverse("procedures:acknowledge", kwargs={
            "code": version.procedure.code, "revision": version.revision})
        params = _params(version, due=_day(due))
        key = notifications.reminder_key(ACKNOWLEDGEMENT_REMINDER, ref, days_overdue=days_overdue)
        messages.append(Message(
            recipients=missing, kind=ACKNOWLEDGEMENT_REMINDER, category="reminder",
            subject=_("Nhắc việc: chưa xác nhận đã đọc %(code)s lần ban hành %(rev)s"),
            body=_("%(code)s %(title)s, lần ban hành %(rev)s: hạn xác nhận đã đọc là ngày %(due)s."),
            params=params, url=url, ref=ref, key=key,
        ))
        escalation = notifications.escalation_key(
            ACKNOWLEDGEMENT_ESCALATION, ref, days_overdue=days_overdue)
        if escalation is None:
            continue
        by_unit = defaultdict(list)
        for person in missing:
            by_unit[person.department_id].append(person)
        heads = notifications.department_heads(by_unit)
        for unit_id, people in by_unit.items():
            messages.append(Message(
                recipients=heads.get(unit_id, []), kind=ACKNOWLEDGEMENT_ESCALATION,
                category="escalation",
                subject=_("%(count)s người của %(unit)s chưa xác nhận đã đọc %(code)s lần ban hành %(rev)s"),
                body=_("Hạn xác nhận đã đọc %(code)s %(title)s là ngày %(due)s. Chưa xác nhận: %(names)s."),
                params={**params, "count": len(people), "unit": people[0].department,
                        "names": notifications.names(people)},
                # The reading page: a head may not manage the procedure (the status
                # page is its officers'); the message names who has not read.
                url=version.procedure.get_absolute_url(),
                ref=ref, key=f"{escalation}:{unit_id}",
            ))
    return messages


def _review_reminders(today) -> list[Message]:
    versions = ProcedureVersion.objects.filter(
        state=State.EFFECTIVE, next_review_due__lt=today
    ).select_related("procedure__department").order_by("next_review_due")
    messages = []
    heads = notifications.department_heads({v.procedure.department_id for v in versions})
    for version in versions:
        days_overdue = (today - version.next_review_due).days
        ref = notifications.ref_of(version)
        officers = get_users_with_perms(
            version.procedure, only_with_perms_in=[permissions.AUTHOR], with_superusers=False,
        )
        params = _params(version, due=_day(version.next_review_due))
        url = reverse("procedures:version", kwargs={
            "code": version.procedure.code, "revision": version.revision})
        messages.append(Message(
            recipients=list(officers), kind=REVIEW_REMINDER, category="reminder",
            subject=_("Nhắc việc: %(code)s quá hạn xem xét định kỳ"),
            body=_("%(code)s %(title)s, lần ban hành %(rev)s: hạn xem xét định kỳ là ngày %(due)s. "
                   "Hãy xem xét và, nếu cần, soạn lần ban hành mới."),
            params=params, url=url, ref=ref,
            key=notifications.reminder_key(REVIEW_REMINDER, ref, days_overdue=days_overdue),
        ))
        escalation = notifications.escalation_key(REVIEW_ESCALATION, ref, days_overdue=days_overdue)
        if escalation is not None:
            messages.append(Message(
                recipients=heads.get(version.procedure.department_id, []), kind=REVIEW_ESCALATION,
                category="escalation",
                subject=_("%(code)s quá hạn xem xét định kỳ từ ngày %(due)s"),
                body=_("%(code)s %(title)s, lần ban hành %(rev)s, của %(unit)s chưa được xem xét "
                       "định kỳ (hạn %(due)s)."),
                params={**params, "unit": version.procedure.department}, url=url, ref=ref,
                key=escalation,
            ))
    return messages
