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


# ---------------------------------------------------------------- web application
# (Reads of the web screens. Each returns a queryset already filtered for the user
# with what its page shows joined or prefetched, so a page costs the same number of
# queries at 2 rows and at 50.)


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
            "attachments",
            Prefetch("signatures", queryset=Signature.objects.select_related("signer")),
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


def acknowledgement_pending_list(*, user) -> QuerySet:
    """Effective versions distributed to the user's department that the user has not
    acknowledged yet (staff members only)."""
    if not (permissions.must_acknowledge(user) and permissions.can_view_effective(user)):
        return ProcedureVersion.objects.none()
    return (
        ProcedureVersion.objects.filter(
            state=State.EFFECTIVE, procedure__distribution=user.department_id
        )
        .exclude(acknowledgements__user=user)
        .select_related("procedure__department")
        .order_by("-effective_from", "procedure__code")
    )


def acknowledgement_of(*, user, version):
    """The user's acknowledgement of this version, or None."""
    return version.acknowledgements.filter(user=user).first()


def acknowledgement_status_list(*, version) -> QuerySet:
    """Who must acknowledge a version (active staff of the departments it is
    distributed to) and anyone else who did, each with `acknowledged_at` or None."""
    from django.contrib.auth import get_user_model
    from django.db.models import OuterRef, Q, Subquery

    from qms import roles

    from .models import Acknowledgement

    User = get_user_model()
    acks = Acknowledgement.objects.filter(version=version)
    required = User.objects.filter(
        is_active=True,
        groups__name=roles.STAFF,
        department__in=version.procedure.distribution.values("pk"),
    ).values("pk")
    return (
        User.objects.filter(Q(pk__in=required) | Q(pk__in=acks.values("user")))
        .select_related("department")
        .annotate(
            acknowledged_at=Subquery(
                acks.filter(user=OuterRef("pk")).values("acknowledged_at")[:1]
            )
        )
        .order_by("department__name", "last_name", "first_name", "username")
    )


def access_log_list(*, procedure) -> QuerySet:
    """A procedure's access log, newest first (the caller checked `can_manage`)."""
    from .models import AccessLog

    return (
        AccessLog.objects.filter(version__procedure=procedure)
        .select_related("user__department", "version", "attachment")
        .order_by("-at", "-pk")
    )


def my_drafts_list(*, user) -> QuerySet:
    """Drafts and versions under review written by the user."""
    return (
        version_list(user=user, states=[State.DRAFT, State.IN_REVIEW])
        .filter(author=user)
        .order_by("-updated_at")
    )


def awaiting_signature_list(*, user) -> QuerySet:
    """Versions under review that the user may review or approve (not their own)."""
    if not (user and user.is_active):
        return ProcedureVersion.objects.none()
    if user.is_superuser:
        procedures = Procedure.objects.all()
    else:
        procedures = get_objects_for_user(
            user,
            [f"procedures.{permissions.REVIEW}", f"procedures.{permissions.APPROVE}"],
            klass=Procedure,
            any_perm=True,
            accept_global_perms=False,
        )
    return (
        ProcedureVersion.objects.filter(state=State.IN_REVIEW, procedure__in=procedures)
        .exclude(author=user)
        .select_related("procedure__department", "author")
        .order_by("submitted_at")
    )


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


def procedure_timeline(*, procedure) -> list[dict]:
    """Who changed what and when: the history rows of the procedure and its versions,
    newest first, each with the fields that changed against the row before it."""
    from .diff import history_changes

    rows = list(
        procedure.history.select_related("history_user").order_by("history_date", "history_id")
    )
    entries = history_changes(rows, subject=None)
    version_rows = list(
        ProcedureVersion.history.filter(procedure_id=procedure.pk)
        .select_related("history_user")
        .order_by("id", "history_date", "history_id")
    )
    by_version: dict[int, list] = {}
    for row in version_rows:
        by_version.setdefault(row.id, []).append(row)
    for rows_of_one in by_version.values():
        entries += history_changes(rows_of_one, subject=rows_of_one[-1].revision)
    entries.sort(key=lambda e: (e["date"], e["order"]), reverse=True)
    return entries


def version_print_data(*, version, user, printed_at) -> dict:
    """Plain data for the controlled-copy PDF of a version (no queries in the layout)."""
    from django.utils.formats import date_format
    from django.utils.translation import gettext as _

    def day(value):
        return date_format(value, "d/m/Y") if value else "—"

    def moment(value):
        return date_format(timezone.localtime(value), "d/m/Y H:i") if value else "—"

    watermark = ""
    if version.state in (State.SUPERSEDED, State.OBSOLETE):
        watermark = _("HẾT HIỆU LỰC")
    elif version.state != State.EFFECTIVE:
        watermark = _("DỰ THẢO")
    return {
        "code": version.procedure.code,
        "title": version.procedure.title,
        "kind": version.procedure.get_kind_display(),
        "department": str(version.procedure.department),
        "revision": version.revision,
        "edition": version.edition.name,
        "state": version.get_state_display(),
        "effective_from": day(version.effective_from),
        "next_review_due": day(version.next_review_due),
        "clauses": [(c.number, c.title) for c in version.clauses.all()],
        "body": version.body,
        "change_summary": version.change_summary,
        "attachments": [a.original_name for a in version.attachments.all()],
        "signatures": [
            (s.signer_name, s.get_meaning_display(), moment(s.signed_at)) for s in version.signatures.all()
        ],
        "printed_by": user.get_full_name() or user.get_username(),
        "printed_at": moment(printed_at),
        "watermark": watermark,
        "import_origin": _import_origin_data(version, day, moment),
    }


def _import_origin_data(version, day, moment) -> dict | None:
    """The legacy origin of an imported version, as the controlled copy prints it."""
    origin = ProcedureVersion.import_origin.RelatedObjectDoesNotExist
    try:
        found = version.import_origin
    except origin:
        return None
    return {
        "file_name": found.file_name,
        "sha256": found.file_sha256,
        "imported_by": found.imported_by.get_full_name() or found.imported_by.get_username(),
        "imported_at": moment(found.imported_at),
        "stated_approval": found.stated_approval,
        "stated_revision": found.stated_revision,
        "stated_effective_from": day(found.stated_effective_from),
    }
