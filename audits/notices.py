"""The e-mails that audit events send (through qms.notifications, after the commit).
The services call these at the point of the event; send_reminders calls `queue`
in audits/reminders.py for what is overdue."""

from django.urls import reverse
from django.utils.formats import date_format
from django.utils.translation import gettext_lazy as _

from qms import notifications

ACTION_ASSIGNED = "audits.action_assigned"
ACTION_REOPENED = "audits.action_reopened"
ACTION_TO_VERIFY = "audits.action_to_verify"
AUDIT_PLANNED = "audits.audit_planned"


def _params(action) -> dict:
    finding = action.finding
    return {
        "audit": finding.audit.code,
        "number": finding.number,
        "statement": finding.statement,
        "department": finding.department.name,
        "due": date_format(action.due_date, "d/m/Y"),
    }


def action_assigned(action) -> None:
    """The owner of a new corrective action (or its new owner) is told at once."""
    notifications.notify(
        recipients=[action.owner],
        kind=ACTION_ASSIGNED,
        subject=_("Hành động khắc phục được giao: %(audit)s, phát hiện số %(number)s"),
        body=_("%(statement)s\nĐơn vị: %(department)s. Hạn hoàn thành: %(due)s. Hãy nêu nguyên "
               "nhân gốc rễ và hành động khắc phục."),
        params=_params(action),
        url=reverse("audits:action_answer", kwargs={"pk": action.pk}),
        ref=notifications.ref_of(action),
    )


def action_reopened(action, *, note: str) -> None:
    """The effectiveness check found the action not effective: back to its owner."""
    notifications.notify(
        recipients=[action.owner],
        kind=ACTION_REOPENED,
        subject=_("Hành động khắc phục chưa có hiệu lực: %(audit)s, phát hiện số %(number)s"),
        body=_("Kết quả kiểm tra hiệu lực: %(note)s\nHãy trả lời lại trước ngày %(due)s."),
        params={**_params(action), "note": note},
        url=reverse("audits:action_answer", kwargs={"pk": action.pk}),
        ref=notifications.ref_of(action),
    )


def action_to_verify(action, *, answered_by) -> None:
    """The audit team (lead auditor and members, not the one who answered) is told
    that an answered action waits for its effectiveness check."""
    audit = action.finding.audit
    people = [audit.lead_auditor, *audit.team.all()]
    notifications.notify(
        recipients=[p for p in people if p.pk != answered_by.pk],
        kind=ACTION_TO_VERIFY,
        subject=_("Chờ kiểm tra hiệu lực: %(audit)s, phát hiện số %(number)s"),
        body=_("%(department)s đã trả lời hành động khắc phục. Hãy kiểm tra hiệu lực."),
        params=_params(action),
        url=reverse("audits:action_verify", kwargs={"pk": action.pk}),
        ref=notifications.ref_of(action),
    )


def audit_planned(audit, *, team, actor) -> None:
    """The lead auditor and the team members (but the one who planned it) are told
    they are on an audit."""
    notifications.notify(
        recipients=[p for p in team if p.pk != actor.pk],
        kind=AUDIT_PLANNED,
        subject=_("Anh/chị tham gia cuộc đánh giá %(audit)s"),
        body=_("%(title)s\nTrưởng đoàn: %(lead)s. Thời gian dự kiến: %(start)s – %(end)s."),
        params={
            "audit": audit.code,
            "title": audit.title,
            "lead": audit.lead_auditor,
            "start": date_format(audit.planned_start, "d/m/Y"),
            "end": date_format(audit.planned_end, "d/m/Y"),
        },
        url=audit.get_absolute_url(),
        ref=notifications.ref_of(audit),
    )
