"""What send_reminders asks of audits, each day: a reminder to the owner of each
open corrective action past its due date, and past QMS_ESCALATE_AFTER_DAYS the
escalation to the head of the audited department. Keys per period: running twice
the same day writes nothing twice."""

import datetime

from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext_lazy as _

from qms import notifications
from qms.notifications import Message

from . import notices
from .models import ActionState, CorrectiveAction

ACTION_REMINDER = "audits.action_reminder"
ACTION_ESCALATION = "audits.action_escalation"
# The notifications whose link is an item of the recipient's inbox (see
# audits/inbox.py): once the item is gone, the work is done.
TASK_KINDS = frozenset({
    notices.ACTION_ASSIGNED, notices.ACTION_REOPENED, notices.ACTION_TO_VERIFY,
    notices.AUDIT_PLANNED, ACTION_REMINDER,
})


def queue(*, today: datetime.date | None = None) -> int:
    today = today or timezone.localdate()
    actions = list(
        CorrectiveAction.objects.filter(state=ActionState.OPEN, due_date__lt=today)
        .select_related("finding__audit__programme", "finding__department", "owner")
        .order_by("due_date", "pk")
    )
    heads = notifications.department_heads({a.finding.department_id for a in actions})
    messages = []
    for action in actions:
        days_overdue = (today - action.due_date).days
        ref = notifications.ref_of(action)
        url = reverse("audits:action_answer", kwargs={"pk": action.pk})
        params = {
            "audit": action.finding.audit.code,
            "number": action.finding.number,
            "statement": action.finding.statement,
            "department": action.finding.department.name,
            "owner": action.owner,
            "due": date_format(action.due_date, "d/m/Y"),
        }
        messages.append(Message(
            recipients=[action.owner], kind=ACTION_REMINDER, category="reminder",
            subject=_("Nhắc việc: hành động khắc phục quá hạn (%(audit)s, phát hiện số %(number)s)"),
            body=_("%(statement)s\nHạn hoàn thành: %(due)s."),
            params=params, url=url, ref=ref,
            key=notifications.reminder_key(ACTION_REMINDER, ref, days_overdue=days_overdue),
        ))
        escalation = notifications.escalation_key(ACTION_ESCALATION, ref, days_overdue=days_overdue)
        if escalation is not None:
            messages.append(Message(
                recipients=heads.get(action.finding.department_id, []), kind=ACTION_ESCALATION,
                category="escalation",
                subject=_("Hành động khắc phục của %(department)s quá hạn từ ngày %(due)s"),
                body=_("%(audit)s, phát hiện số %(number)s: %(statement)s\n"
                       "Người chịu trách nhiệm: %(owner)s. Hạn hoàn thành: %(due)s."),
                # No link: a head is not on the audit and may not open it; the
                # message says everything (finding, owner, date).
                params=params, url="", ref=ref, key=escalation,
            ))
    notifications.notify_each(messages, after_commit=False)
    return len(messages)
