"""Reads of the review workflow: the queues, who may be named, where each draft stands, what comes due."""

import datetime

from django.db.models import Prefetch, QuerySet
from django.utils import timezone
from guardian.shortcuts import get_objects_for_user

from .. import permissions
from ..models import (
    Procedure,
    ProcedureVersion,
    ReviewAssignment,
    State,
)
from .versions import procedures_with_drafts_for, version_list


def my_drafts_list(*, user) -> QuerySet:
    """Drafts and versions under review written by the user."""
    return (
        version_list(user=user, states=[State.DRAFT, State.IN_REVIEW])
        .filter(author=user)
        .order_by("-updated_at")
    )


def awaiting_signature_list(*, user) -> QuerySet:
    """Versions under review waiting for this user's signature: where the user is a
    named reviewer who has not signed yet, or the named approver once every reviewer
    of the round has signed. Nobody else sees a draft here, superusers included; a
    person whose permission was withdrawn after being named no longer sees it either.
    Each row carries `queue_role` (reviewer or approver)."""
    from django.db.models import Exists, OuterRef, Subquery

    if not (user and user.is_active):
        return ProcedureVersion.objects.none()
    this_round = ReviewAssignment.objects.filter(
        version=OuterRef("pk"), round=OuterRef("submission_round")
    )
    mine = this_round.filter(person=user, status=ReviewAssignment.Status.PENDING)
    reviews_open = this_round.filter(role=ReviewAssignment.Role.REVIEWER).exclude(
        status=ReviewAssignment.Status.SIGNED
    )
    procedures = get_objects_for_user(
        user,
        [f"procedures.{permissions.REVIEW}", f"procedures.{permissions.APPROVE}"],
        klass=Procedure,
        any_perm=True,
        accept_global_perms=False,
    )
    return (
        ProcedureVersion.objects.filter(state=State.IN_REVIEW, procedure__in=procedures)
        .filter(
            Exists(mine.filter(role=ReviewAssignment.Role.REVIEWER))
            | (Exists(mine.filter(role=ReviewAssignment.Role.APPROVER)) & ~Exists(reviews_open))
        )
        .exclude(author=user)
        .annotate(queue_role=Subquery(mine.values("role")[:1]))
        .select_related("procedure__department", "author")
        .order_by("submitted_at", "pk")
    )


def review_tracking_list(*, user) -> QuerySet:
    """Versions under review of the procedures the user manages (authors, publishers),
    with the assignments of every round (`permissions.round_assignments` picks the
    current one): where each draft stands."""
    if not (user and user.is_active):
        return ProcedureVersion.objects.none()
    if user.is_superuser:
        procedures = Procedure.objects.all()
    else:
        procedures = get_objects_for_user(
            user,
            [f"procedures.{permissions.AUTHOR}", f"procedures.{permissions.PUBLISH}"],
            klass=Procedure,
            any_perm=True,
            accept_global_perms=False,
        )
    return (
        ProcedureVersion.objects.filter(state=State.IN_REVIEW, procedure__in=procedures)
        .select_related("procedure__department", "author")
        .prefetch_related(
            Prefetch("assignments", queryset=ReviewAssignment.objects.select_related("person"))
        )
        .order_by("submitted_at", "pk")
    )


def _users_with(version, perm) -> QuerySet:
    from guardian.shortcuts import get_users_with_perms

    return (
        get_users_with_perms(version.procedure, only_with_perms_in=[perm], with_group_users=True)
        .filter(is_active=True)
        .exclude(pk=version.author_id)
        .select_related("department")
        .order_by("last_name", "first_name", "username")
    )


def eligible_reviewers(*, version) -> QuerySet:
    """The people who may be named reviewers of a version: active, holding the review
    permission on its procedure (directly or through a group), not its author."""
    return _users_with(version, permissions.REVIEW)


def eligible_approvers(*, version) -> QuerySet:
    """The people who may be named approver: approve permission, not the author."""
    return _users_with(version, permissions.APPROVE)


def comment_threads(*, version) -> list[tuple]:
    """The version's comments, each with its answers, oldest first (from the prefetch
    of `version_by_revision_get`: no query of its own)."""
    comments = list(version.comments.all())
    answers: dict[int, list] = {}
    for comment in comments:
        if comment.parent_id:
            answers.setdefault(comment.parent_id, []).append(comment)
    return [(c, answers.get(c.pk, [])) for c in comments if not c.parent_id]


def routing_rounds(*, version) -> list[tuple]:
    """The assignments of each submission round, newest round first (from the prefetch)."""
    rounds: dict[int, list] = {}
    for assignment in version.assignments.all():
        rounds.setdefault(assignment.round, []).append(assignment)
    return sorted(rounds.items(), reverse=True)


def version_distribution(*, version) -> list:
    """The departments a version is distributed to: the ones it proposes, or, for a
    version written before versions carried their own, the procedure's."""
    return list(version.distribution.all()) or list(version.procedure.distribution.all())


def awaiting_publication_list(*, user) -> QuerySet:
    """Approved versions that the user may make effective."""
    if not (user and user.is_active):
        return ProcedureVersion.objects.none()
    if user.is_superuser:
        procedures = Procedure.objects.all()
    else:
        procedures = get_objects_for_user(
            user, f"procedures.{permissions.PUBLISH}", klass=Procedure, accept_global_perms=False
        )
    return (
        ProcedureVersion.objects.filter(state=State.APPROVED, procedure__in=procedures)
        .select_related("procedure__department", "approved_by")
        .order_by("approved_at")
    )


def overdue_review_for_managers(*, user, today: datetime.date | None = None) -> QuerySet:
    """Overdue periodic reviews of the procedures the user manages."""
    today = today or timezone.localdate()
    return (
        ProcedureVersion.objects.filter(
            state=State.EFFECTIVE,
            next_review_due__lt=today,
            procedure__in=procedures_with_drafts_for(user),
        )
        .select_related("procedure__department", "procedure__owner")
        .order_by("next_review_due")
    )


def review_due_list(*, user, today: datetime.date | None = None, within_days: int = 0) -> QuerySet:
    """Effective versions whose periodic review falls due within `within_days` (or is
    past due), on the procedures the user authors: their officers, who start the
    revision. A superuser is nobody's officer here (index state, next_review_due)."""
    if not (user and user.is_active):
        return ProcedureVersion.objects.none()
    today = today or timezone.localdate()
    authored = get_objects_for_user(
        user, f"procedures.{permissions.AUTHOR}", klass=Procedure,
        accept_global_perms=False, with_superuser=False,
    )
    return (
        ProcedureVersion.objects.filter(
            state=State.EFFECTIVE,
            next_review_due__lte=today + datetime.timedelta(days=within_days),
            procedure__in=authored,
        )
        .select_related("procedure__department")
        .order_by("next_review_due", "procedure__code")
    )
