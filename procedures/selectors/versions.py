"""Reads of procedures and their versions: who may see which, the register."""

import datetime

from django.db.models import Prefetch, QuerySet
from django.http import Http404
from django.utils import timezone
from guardian.shortcuts import get_objects_for_user

from qms.integrity import same

from .. import permissions
from ..models import (
    Attachment,
    Comment,
    Procedure,
    ProcedureVersion,
    ReviewAssignment,
    Signature,
    State,
)
from ..services import content_hash, signature_hash


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


def effective_versions(*, user) -> QuerySet:
    """The effective versions the user may read, bare (search narrows and reads its own
    rows: building related rows' joins on every search would cost for nothing)."""
    if not permissions.can_view_effective(user):
        return ProcedureVersion.objects.none()
    return ProcedureVersion.objects.filter(state=State.EFFECTIVE)


def effective_version_list(*, user) -> QuerySet:
    return (
        effective_versions(user=user)
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
    """A signature holds while the keyed hash of the version's content, the signer and
    the meaning is what was stored when it was signed."""
    return _signature_holds(signature, signature.version, {})


def _signature_holds(signature, version, contents: dict) -> bool:
    scheme = signature.scheme
    if scheme not in contents:
        contents[scheme] = content_hash(version, with_title=scheme >= 2)
    expected = signature_hash(
        version, signer_id=signature.signer_id, meaning=signature.meaning, scheme=scheme,
        content=contents[scheme],
    )
    return same(signature.content_sha256, expected)


def signatures_checked(*, version, returns=True) -> list:
    """(signature, holds) for each signature of the version, the content hashed once;
    `returns=False` leaves out the returns (not part of a controlled copy)."""
    contents: dict = {}
    return [
        (s, _signature_holds(s, version, contents))
        for s in version.signatures.all()
        if returns or s.meaning != Signature.Meaning.RETURNED
    ]


def procedure_for_drafts_get(*, user, code: str) -> Procedure:
    """A procedure whose unreleased versions, history and logs this user may read.

    404 for a code the user may not know; PermissionDenied (403) for a reader who
    sees the procedure's effective text but not the officers' pages.
    """
    from django.core.exceptions import PermissionDenied
    from django.utils.translation import gettext as _

    procedure = Procedure.objects.select_related("department", "owner").filter(code=code).first()
    if procedure is None:
        raise Http404(code)
    if permissions.can_view_drafts(user, procedure):
        return procedure
    if permissions.can_view_effective(user) and procedure.versions.filter(
        state=State.EFFECTIVE
    ).exists():
        raise PermissionDenied(_("Trang này chỉ dành cho cán bộ quản lý chất lượng và lãnh đạo."))
    raise Http404(code)


def version_by_revision_get(*, user, code: str, revision: int) -> ProcedureVersion:
    """One revision of a procedure, or 404 where the user may not see it."""
    version = (
        version_list(user=user)
        .select_related("approved_by", "reviewed_by", "withdrawn_by", "procedure__owner")
        .prefetch_related(
            "clauses",
            "distribution",
            "procedure__distribution",
            Prefetch("attachments", queryset=Attachment.objects.select_related("removed_by")),
            Prefetch("signatures", queryset=Signature.objects.select_related("signer")),
            Prefetch(
                "assignments",
                queryset=ReviewAssignment.objects.select_related(
                    "person__department", "signature"
                ),
            ),
            Prefetch(
                "comments", queryset=Comment.objects.select_related("author", "resolved_by")
            ),
        )
        .filter(procedure__code=code, revision=revision)
        .first()
    )
    if version is None:
        raise Http404(code)
    return version


def procedure_versions(*, procedure) -> QuerySet:
    """Every revision of a procedure, newest first (the caller checked the user)."""
    return procedure.versions.select_related("author", "approved_by").order_by("-revision")


def latest_version_for_drafts(*, user, code: str) -> ProcedureVersion | None:
    """The newest revision of a procedure for one of its draft readers, else None."""
    procedure = Procedure.objects.filter(code=code).first()
    if procedure is None or not permissions.can_view_drafts(user, procedure):
        return None
    return procedure.versions.order_by("-revision").first()


def register_list(*, user, query: str = "", state: str = "", department=None) -> QuerySet:
    """The register: procedures the user manages, with the state of their newest
    revision and the dates of their effective one (subqueries, no query per row)."""
    from django.db.models import Exists, OuterRef, Q, Subquery

    from qms.text import fold

    if not permissions.can_use_register(user):
        return Procedure.objects.none()
    newest = ProcedureVersion.objects.filter(procedure=OuterRef("pk")).order_by("-revision")
    current = ProcedureVersion.objects.filter(procedure=OuterRef("pk"), state=State.EFFECTIVE)
    qs = (
        procedures_with_drafts_for(user)
        .select_related("department", "owner")
        .annotate(
            latest_revision=Subquery(newest.values("revision")[:1]),
            latest_state=Subquery(newest.values("state")[:1]),
            effective_revision=Subquery(current.values("revision")[:1]),
            effective_from=Subquery(current.values("effective_from")[:1]),
            next_review_due=Subquery(current.values("next_review_due")[:1]),
        )
        .order_by("code")
    )
    query = (query or "").strip()
    if query:
        folded = fold(query)
        qs = qs.filter(
            Q(code__icontains=query)
            | Exists(
                ProcedureVersion.objects.filter(
                    procedure=OuterRef("pk"), search_text__contains=folded
                )
            )
        )
    if state:
        qs = qs.filter(latest_state=state)
    if department is not None:
        qs = qs.filter(department=department)
    return qs
