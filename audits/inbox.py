"""What audits put in a person's inbox (see qms/inbox.py):

- corrective actions assigned to the person and waiting for their answer, from the
  day they are assigned (not only once overdue), due on the action's date;
- answered actions waiting for the person's effectiveness check (lead auditor or
  team member of the audit, and not the one who answered);
- audits the person leads or is on, while planned or in progress.

Read from the models' fields (state, owner, team), so an item disappears as soon
as the work changes the record.
"""

import datetime

from django.db.models import Prefetch, Q
from django.urls import reverse
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from qms.inbox import InboxItem, count_querysets

from .models import ActionAttempt, ActionState, Audit, AuditState, CorrectiveAction

ACTION = "audits.action"
VERIFICATION = "audits.verification"
AUDIT = "audits.audit"

KINDS = {
    ACTION: gettext_lazy("Hành động khắc phục được giao cho tôi"),
    VERIFICATION: gettext_lazy("Hành động khắc phục chờ tôi kiểm tra hiệu lực"),
    AUDIT: gettext_lazy("Cuộc đánh giá tôi tham gia"),
}
OPEN_AUDIT_STATES = (AuditState.PLANNED, AuditState.IN_PROGRESS)


def _active(user) -> bool:
    return bool(user and user.is_authenticated and user.is_active)


def _day(value) -> str:
    return date_format(value, "d/m/Y") if value else ""


def assigned_actions(user):
    return CorrectiveAction.objects.filter(owner=user, state=ActionState.OPEN)


def actions_to_verify(user):
    on_audit = Q(finding__audit__lead_auditor=user) | Q(finding__audit__team=user)
    # Nobody checks the attempt they answered themselves (at most one is pending).
    own = ActionAttempt.objects.filter(result=ActionAttempt.Result.PENDING, answered_by=user)
    return (
        CorrectiveAction.objects.filter(on_audit, state=ActionState.ANSWERED)
        .exclude(pk__in=own.values("action"))
        .distinct()
    )


def my_open_audits(user):
    return (
        Audit.objects.filter(Q(lead_auditor=user) | Q(team=user), state__in=OPEN_AUDIT_STATES)
        .distinct()
    )


def _finding_title(action) -> str:
    statement = action.finding.statement
    if len(statement) > 90:
        statement = statement[:89] + "…"
    return _("%(audit)s, phát hiện số %(number)s — %(statement)s") % {
        "audit": action.finding.audit.code, "number": action.finding.number, "statement": statement,
    }


def inbox_items(*, user, today: datetime.date | None = None) -> list[InboxItem]:
    if not _active(user):
        return []
    related = ("finding__audit__programme", "finding__department")
    items = []
    for action in assigned_actions(user).select_related(*related).order_by("due_date", "pk"):
        items.append(InboxItem(
            kind=ACTION,
            title=_finding_title(action),
            url=reverse("audits:action_answer", kwargs={"pk": action.pk}),
            due=action.due_date,
            detail=_("%(department)s — hạn hoàn thành %(day)s") % {
                "department": action.finding.department.name, "day": _day(action.due_date)},
        ))
    pending = Prefetch(
        "attempts",
        queryset=ActionAttempt.objects.filter(result=ActionAttempt.Result.PENDING)
        .select_related("answered_by"),
        to_attr="pending_attempts",
    )
    for action in actions_to_verify(user).select_related(*related).prefetch_related(pending) \
            .order_by("pk"):
        attempt = action.pending_attempts[0] if action.pending_attempts else None
        items.append(InboxItem(
            kind=VERIFICATION,
            title=_finding_title(action),
            url=reverse("audits:action_verify", kwargs={"pk": action.pk}),
            due=None,
            detail=_("Trả lời bởi %(who)s — %(department)s") % {
                "who": attempt.answered_by if attempt else "—",
                "department": action.finding.department.name},
        ))
    for audit in my_open_audits(user).select_related("programme").order_by("planned_start", "pk"):
        planned = audit.state == AuditState.PLANNED
        items.append(InboxItem(
            kind=AUDIT,
            title=str(audit),
            url=audit.get_absolute_url(),
            due=audit.planned_start if planned else audit.planned_end,
            detail=(_("%(state)s — bắt đầu ngày %(day)s") if planned
                    else _("%(state)s — kết thúc ngày %(day)s")) % {
                "state": AuditState(audit.state).label,
                "day": _day(audit.planned_start if planned else audit.planned_end)},
        ))
    return items


def inbox_querysets(*, user, today: datetime.date | None = None) -> list:
    """What the inbox counts: one queryset per kind (portal counts them in one query)."""
    if not _active(user):
        return []
    return [assigned_actions(user), actions_to_verify(user), my_open_audits(user)]


def inbox_count(*, user, today: datetime.date | None = None) -> int:
    """One query, whatever the number of items."""
    return count_querysets(inbox_querysets(user=user, today=today))
