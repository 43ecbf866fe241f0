"""Reads about procedures that several views, commands and reports share."""

import datetime

from django.db.models import Prefetch, QuerySet
from django.http import Http404
from django.utils import timezone
from guardian.shortcuts import get_objects_for_user

from . import permissions
from .models import (
    Attachment,
    Comment,
    Procedure,
    ProcedureVersion,
    ReviewAssignment,
    Signature,
    State,
)
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


def acknowledgement_required_users(*, version) -> QuerySet:
    """Who must acknowledge a version: the active staff of the departments it is
    distributed to."""
    from django.contrib.auth import get_user_model

    from qms import roles

    return get_user_model().objects.filter(
        is_active=True,
        groups__name=roles.STAFF,
        department__in=version.procedure.distribution.values("pk"),
    )


def acknowledgement_missing_users(*, version) -> QuerySet:
    """Those of them who have not acknowledged it yet."""
    from .models import Acknowledgement

    return acknowledgement_required_users(version=version).exclude(
        pk__in=Acknowledgement.objects.filter(version=version).values("user")
    ).select_related("department").order_by("pk")


def acknowledgement_status_list(*, version, department=None) -> QuerySet:
    """Who must acknowledge a version (active staff of the departments it is
    distributed to) and anyone else who did, each with `acknowledged_at` (or None),
    and the reminders sent about it: `reminder_count` and `last_reminded_at`.
    One query; `department` narrows to one unit."""
    from django.contrib.auth import get_user_model
    from django.db.models import Count, IntegerField, Max, OuterRef, Q, Subquery
    from django.db.models.functions import Coalesce

    from qms import notifications
    from qms.models import Notification

    from .models import Acknowledgement
    from .services.reading import ACKNOWLEDGEMENT_REMINDER

    User = get_user_model()
    acks = Acknowledgement.objects.filter(version=version)
    required = acknowledgement_required_users(version=version).values("pk")
    reminders = (
        Notification.objects.filter(
            ref=notifications.ref_of(version),
            kind=ACKNOWLEDGEMENT_REMINDER,
            status=Notification.Status.SENT,
            recipient=OuterRef("pk"),
        )
        .order_by()
        .values("recipient")
    )
    people = (
        User.objects.filter(Q(pk__in=required) | Q(pk__in=acks.values("user")))
        .select_related("department")
        .annotate(
            acknowledged_at=Subquery(
                acks.filter(user=OuterRef("pk")).values("acknowledged_at")[:1]
            ),
            reminder_count=Coalesce(
                Subquery(reminders.annotate(n=Count("pk")).values("n")[:1],
                         output_field=IntegerField()),
                0,
            ),
            last_reminded_at=Subquery(reminders.annotate(last=Max("sent_at")).values("last")[:1]),
        )
        .order_by("department__name", "last_name", "first_name", "username")
    )
    if department is not None:
        people = people.filter(department=department)
    return people


def acknowledgement_summary(people) -> list[dict]:
    """Per department of a status list: how many have and have not acknowledged
    (computed from the rows already fetched: no query)."""
    by_unit: dict = {}
    for person in people:
        unit = person.department
        row = by_unit.setdefault(unit.pk if unit else None, {
            "department": unit, "done": 0, "missing": 0, "reminders": 0})
        row["done" if person.acknowledged_at else "missing"] += 1
        row["reminders"] += person.reminder_count
    return sorted(by_unit.values(), key=lambda r: str(r["department"] or ""))


def last_acknowledged_version(*, user, version):
    """The latest earlier revision of the same procedure that the user acknowledged,
    or None."""
    from .models import Acknowledgement

    ack = (
        Acknowledgement.objects.filter(
            user=user, version__procedure_id=version.procedure_id,
            version__revision__lt=version.revision,
        )
        .select_related("version")
        .order_by("-version__revision")
        .first()
    )
    return ack.version if ack else None


def revisions_since(*, version, since) -> list:
    """The released revisions after `since` (a version, or None for all) up to
    `version`, oldest first: their change summaries tell what changed since."""
    qs = ProcedureVersion.objects.filter(
        procedure_id=version.procedure_id, revision__lte=version.revision
    ).exclude(state__in=[State.DRAFT, State.IN_REVIEW, State.APPROVED])
    if since is not None:
        qs = qs.filter(revision__gt=since.revision)
    return list(qs.order_by("revision"))


def access_log_list(*, procedure, person=None, department=None, revision=None, action=None,
                    date_from=None, date_to=None) -> QuerySet:
    """A procedure's access log, newest first, filtered by person, department (of
    the person), revision, action and local dates (both ends included). The caller
    checked `can_manage`."""
    from .models import AccessLog

    qs = AccessLog.objects.filter(version__procedure=procedure)
    if person is not None:
        qs = qs.filter(user=person)
    if department is not None:
        qs = qs.filter(user__department=department)
    if revision is not None:
        qs = qs.filter(version__revision=revision)
    if action:
        qs = qs.filter(action=action)
    if date_from is not None:
        qs = qs.filter(at__gte=_local_midnight(date_from))
    if date_to is not None:
        qs = qs.filter(at__lt=_local_midnight(date_to + datetime.timedelta(days=1)))
    return qs.select_related("user__department", "version", "attachment").order_by("-at", "-pk")


def _local_midnight(day: datetime.date) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time.min))


def access_log_counts(queryset) -> dict[str, int]:
    """How many views, prints, downloads and acknowledgements a (filtered) log holds:
    one query."""
    from django.db.models import Count, Q

    from .models import AccessLog

    return queryset.order_by().aggregate(**{
        value: Count("pk", filter=Q(action=value)) for value in AccessLog.Action.values
    })


def access_log_people(*, procedure) -> QuerySet:
    """The people who appear in a procedure's access log (the person filter)."""
    from django.contrib.auth import get_user_model

    from .models import AccessLog

    return (
        get_user_model().objects.filter(
            pk__in=AccessLog.objects.filter(version__procedure=procedure).values("user")
        )
        .order_by("last_name", "first_name", "username")
    )


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
    revisions = {}
    for rows_of_one in by_version.values():
        revisions[rows_of_one[-1].id] = rows_of_one[-1].revision
        entries += history_changes(rows_of_one, subject=rows_of_one[-1].revision)
    entries += _comment_entries(revisions)
    entries.sort(key=lambda e: (e["date"], e["order"]), reverse=True)
    return entries


def _comment_entries(revisions: dict) -> list[dict]:
    """Timeline entries of the comments on these versions (id -> revision): each
    comment, answer and resolution with its text."""
    from .diff import history_changes

    rows = list(
        Comment.history.filter(version_id__in=list(revisions))
        .select_related("history_user")
        .order_by("id", "history_date", "history_id")
    )
    by_comment: dict[int, list] = {}
    for row in rows:
        by_comment.setdefault(row.id, []).append(row)
    entries = []
    body_label = str(Comment._meta.get_field("body").verbose_name)
    quote_label = str(Comment._meta.get_field("quote").verbose_name)
    for rows_of_one in by_comment.values():
        first = rows_of_one[0]
        found = history_changes(rows_of_one, subject=revisions[first.version_id])
        if found and found[0]["kind"] == "+":
            if first.quote:
                found[0]["changes"].append((quote_label, "", first.quote))
            found[0]["changes"].append((body_label, "", first.body))
        entries += found
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
        "attachments": [a.original_name for a in version.current_attachments],
        # What vouches for the printed text: review and approval signatures (a draft's
        # returns are part of its history, not of the copy).
        "signatures": [
            (s.signer_name, s.get_meaning_display(), moment(s.signed_at))
            for s in version.signatures.all()
            if s.meaning != Signature.Meaning.RETURNED
        ],
        "decision": (
            _("Quyết định ban hành số %(number)s ngày %(date)s")
            % {"number": version.decision_number, "date": day(version.decision_date)}
            if version.decision_number else ""
        ),
        "distribution": [str(unit) for unit in version_distribution(version=version)],
        "printed_by": user.get_full_name() or user.get_username(),
        "printed_at": moment(printed_at),
        "watermark": watermark,
    }
