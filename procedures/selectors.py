"""Reads about procedures that several views, commands and reports share."""

import datetime

from django.db.models import Prefetch, QuerySet
from django.http import Http404
from django.utils import timezone
from guardian.shortcuts import get_objects_for_user

from . import permissions
from .models import Procedure, ProcedureVersion, Signature, State
from .services import content_hash


def procedures_with_drafts_for(user) -> QuerySet:
    """The procedures whose unreleased versions this user may see."""
    if user.is_superuser:
        return Procedure.objects.all()
    return get_objects_for_user(
        user,
        [f"procedures.{p}" for p in permissions.DRAFT_READER_PERMS],
        klass=Procedure,
        any_perm=True,
        accept_global_perms=False,
        with_superuser=True,
    )


def version_list(*, user, states=None) -> QuerySet:
    """Versions the user may see: effective ones for every reader; the others only
    on procedures where the user authors, reviews, approves or publishes."""
    qs = ProcedureVersion.objects.select_related("procedure__department", "edition", "author")
    if not (user and user.is_active):
        return qs.none()
    visible = qs.none()
    if permissions.can_view_effective(user):
        visible = qs.filter(state=State.EFFECTIVE)
    drafts = qs.filter(procedure__in=procedures_with_drafts_for(user))
    visible = visible | drafts
    if states is not None:
        visible = visible.filter(state__in=states)
    return visible


def effective_version_list(*, user) -> QuerySet:
    if not permissions.can_view_effective(user):
        return ProcedureVersion.objects.none()
    return (
        ProcedureVersion.objects.filter(state=State.EFFECTIVE)
        .select_related("procedure__department", "edition", "approved_by")
        .prefetch_related("clauses")
        .order_by("procedure__code")
    )


def effective_version_get(*, user, code: str) -> ProcedureVersion:
    """The current effective version of a procedure, or 404 for a reader who may not
    know it (or when none is effective)."""
    version = (
        effective_version_list(user=user)
        .prefetch_related(
            "attachments",
            Prefetch("signatures", queryset=Signature.objects.select_related("signer")),
        )
        .filter(procedure__code=code)
        .first()
    )
    if version is None:
        raise Http404(code)
    return version


def version_get(*, user, pk: int) -> ProcedureVersion:
    version = version_list(user=user).filter(pk=pk).first()
    if version is None:
        raise Http404(pk)
    return version


def overdue_review_list(*, user, today: datetime.date | None = None) -> QuerySet:
    """Effective versions whose periodic review date has passed (index state, next_review_due)."""
    today = today or timezone.localdate()
    return version_list(user=user, states=[State.EFFECTIVE]).filter(next_review_due__lt=today)


def signature_is_valid(signature: Signature) -> bool:
    """A signature holds while the version's content hashes to what was signed."""
    return signature.content_sha256 == content_hash(signature.version)
