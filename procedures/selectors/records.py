"""Reads of a procedure's record: its timeline and the data of a printed copy."""

from django.utils import timezone

from ..models import (
    Comment,
    ProcedureVersion,
    Signature,
    State,
)
from .review import version_distribution
from .versions import signatures_checked


def procedure_timeline(*, procedure) -> list[dict]:
    """Who changed what and when: the history rows of the procedure and its versions,
    newest first, each with the fields that changed against the row before it."""
    from ..diff import history_changes

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
    from ..diff import history_changes

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


def version_print_data(*, version, user, printed_at, copy_number=None) -> dict:
    """Plain data for the controlled-copy PDF of a version (no queries in the layout).
    `copy_number` is the number the access log gave this print (a controlled copy)."""
    from django.utils.formats import date_format
    from django.utils.translation import gettext as _

    def day(value):
        return date_format(value, "d/m/Y") if value else "—"

    def moment(value):
        return date_format(timezone.localtime(value), "d/m/Y H:i") if value else "—"

    signed = [s for s in version.signatures.all() if s.meaning != Signature.Meaning.RETURNED]
    watermark = ""
    if version.state in (State.SUPERSEDED, State.OBSOLETE):
        watermark = _("HẾT HIỆU LỰC")
    elif version.state != State.EFFECTIVE:
        watermark = _("DỰ THẢO")
    return {
        "code": version.procedure.code,
        "title": version.title or version.procedure.title,
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
            (s.signer_name, s.get_meaning_display(), moment(s.signed_at),
             _("Khớp nội dung") if holds else _("Nội dung đã thay đổi sau khi ký"))
            for s, holds in signatures_checked(version=version, returns=False)
        ],
        "decision": (
            _("Quyết định ban hành số %(number)s ngày %(date)s")
            % {"number": version.decision_number, "date": day(version.decision_date)}
            if version.decision_number else ""
        ),
        "distribution": [str(unit) for unit in version_distribution(version=version)],
        "copy_number": copy_number,
        # The date of the copy's place-and-date line: the issuing decision, else the
        # day the version took effect (None for a draft).
        "issued_on": version.decision_date or version.effective_from,
        # The "Soạn thảo / Xem xét / Phê duyệt" table: per step the names, dates and
        # what the signature means.
        "sign_off": _sign_off(version, signed, moment),
        "printed_on": timezone.localtime(printed_at).date(),
        "printed_by": user.get_full_name() or user.get_username(),
        "printed_at": moment(printed_at),
        "watermark": watermark,
        "import_origin": _import_origin_data(version, day, moment),
    }


def _sign_off(version, signed, moment) -> list[dict]:
    from django.utils.translation import gettext as _

    def step(label, meaning):
        rows = [s for s in signed if s.meaning == meaning]
        return {
            "step": label,
            "names": [s.signer_name for s in rows],
            "dates": [moment(s.signed_at) for s in rows],
            "meaning": rows[0].get_meaning_display() if rows else "",
        }

    author = version.author
    return [
        {
            "step": _("Soạn thảo"),
            "names": [author.get_full_name() or author.get_username()],
            "dates": [moment(version.submitted_at or version.created_at)],
            "meaning": _("Đã trình duyệt") if version.submitted_at else "",
        },
        step(_("Xem xét"), Signature.Meaning.REVIEWED),
        step(_("Phê duyệt"), Signature.Meaning.APPROVED),
    ]


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
