"""The audit part of a person's dashboard: open actions they own or follow,
overdue ones first, and the open audits they are on."""

import datetime

from django.db.models import Q, QuerySet
from django.utils import timezone
from guardian.shortcuts import get_objects_for_user

from .. import permissions
from ..models import ActionState, Audit, AuditState, CorrectiveAction
from .access import _active, visible_audits


def followed_actions(user) -> QuerySet:
    """Open corrective actions the user owns or follows: theirs, their department's
    (answer permission), and those of audits they conduct."""
    qs = CorrectiveAction.objects.exclude(state=ActionState.CLOSED)
    if not _active(user):
        return qs.none()
    if user.is_superuser:
        return qs
    answerable = get_objects_for_user(
        user, f"audits.{permissions.ANSWER}", klass=CorrectiveAction, accept_global_perms=False
    )
    conducted = get_objects_for_user(
        user, f"audits.{permissions.CONDUCT}", klass=Audit, accept_global_perms=False
    )
    return qs.filter(
        Q(owner=user) | Q(pk__in=answerable.values("pk")) | Q(finding__audit__in=conducted.values("pk"))
    )


def overdue_action_list(*, user, today: datetime.date | None = None) -> QuerySet:
    """Open actions past their due date (index state, due_date), oldest first."""
    today = today or timezone.localdate()
    return (
        followed_actions(user)
        .filter(due_date__lt=today)
        .select_related("finding__audit__programme", "finding__department", "owner")
        .order_by("due_date", "pk")
    )


def my_audit_list(*, user) -> QuerySet:
    """Audits not yet closed that the user leads or is on."""
    if not _active(user):
        return Audit.objects.none()
    return (
        Audit.objects.exclude(state=AuditState.CLOSED)
        .filter(Q(lead_auditor=user) | Q(team=user))
        .select_related("programme")
        .distinct()
        .order_by("planned_start", "pk")
    )


def dashboard(*, user, today: datetime.date | None = None, limit: int = 10) -> dict | None:
    """The audit part of a dashboard, or None for someone with no audit role or grant."""
    if not _active(user):
        return None
    overdue = list(overdue_action_list(user=user, today=today)[: limit + 1])
    audits = list(my_audit_list(user=user)[: limit + 1])
    auditor = permissions.is_auditor(user)
    if not (overdue or audits or auditor or visible_audits(user).exists()):
        return None
    return {
        "overdue": overdue[:limit],
        "overdue_more": len(overdue) > limit,
        "audits": audits[:limit],
        "audits_more": len(audits) > limit,
        "today": today or timezone.localdate(),
    }
