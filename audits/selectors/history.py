"""The history of an audit and of everything in it, newest first: the audit, its
checklist answers, findings, corrective actions, their attempts and the issued
reports, each entry with who, when, why and what changed (simple-history's
`diff_against` against the previous record of the same object).

A fixed number of queries per page whatever the audit's size: one UNION over the
history tables picks the page (indexed on each table's foreign key to the audit
or finding), then one query per kind of record fetches the rows of the page with
the earlier rows of the same objects, their people and related records joined.
"""

import datetime
from dataclasses import dataclass, field

from django.db.models import CharField, Q, Value
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from simple_history.models import DeletedObject

from ..models import ActionAttempt, Audit, AuditReport, ChecklistItem, CorrectiveAction, Finding

# Kinds of record: the history model, how its rows of one audit are found, what
# is joined to name the object and show the changed values, and what is not worth
# showing as a change.
KINDS = {
    "audit": (
        Audit.history.model,
        lambda audit: Q(id=audit.pk),
        ("programme", "lead_auditor", "closed_by", "created_by"),
        {"departments", "clauses", "procedures", "team"},
    ),
    "item": (
        ChecklistItem.history.model,
        lambda audit: Q(audit_id=audit.pk),
        ("answered_by", "clause", "procedure_version__procedure"),
        set(),
    ),
    "finding": (
        Finding.history.model,
        lambda audit: Q(audit_id=audit.pk),
        ("clause", "department", "procedure_version__procedure", "recorded_by", "revised_by",
         "checklist_item"),
        set(),
    ),
    "action": (
        CorrectiveAction.history.model,
        lambda audit: Q(finding__audit_id=audit.pk),
        ("finding", "owner"),
        set(),
    ),
    "attempt": (
        ActionAttempt.history.model,
        lambda audit: Q(action__finding__audit_id=audit.pk),
        ("action__finding", "answered_by", "verified_by"),
        set(),
    ),
    "report": (
        AuditReport.history.model,
        lambda audit: Q(audit_id=audit.pk),
        ("issued_by",),
        {"file"},
    ),
}
TEXT_LIMIT = 300


@dataclass
class Change:
    label: str
    old: str
    new: str


@dataclass
class Entry:
    kind: str
    when: object
    who: object
    reason: str
    created: bool
    subject: str
    link: str
    changes: list[Change] = field(default_factory=list)


def audit_history(*, audit: Audit, limit: int, offset: int = 0) -> tuple[list[Entry], bool]:
    """One page of the audit's history, newest first, and whether older entries exist."""
    parts = [
        model.objects.filter(scope(audit))
        .order_by()  # a part of a UNION has no order of its own
        .annotate(kind=Value(kind, output_field=CharField()))
        .values_list("kind", "history_id", "history_date")
        for kind, (model, scope, _joins, _skip) in KINDS.items()
    ]
    page = list(
        parts[0].union(*parts[1:], all=True).order_by("-history_date", "-history_id")[
            offset: offset + limit + 1
        ]
    )
    more = len(page) > limit
    page = page[:limit]
    wanted: dict[str, set[int]] = {kind: set() for kind in KINDS}
    for kind, history_id, _date in page:
        wanted[kind].add(history_id)
    rows = {}
    previous = {}
    for kind, (model, scope, joins, _skip) in KINDS.items():
        rows[kind], previous[kind] = _rows_with_previous(model, scope(audit), joins, wanted[kind])
    entries = []
    for kind, history_id, _date in page:
        row = rows[kind][history_id]
        entries.append(_entry(kind, row, previous[kind].get(history_id), audit))
    return entries, more


def _rows_with_previous(model, scope, joins, history_ids):
    """The rows with these history ids and, for each, the previous row of the same
    object. One query whatever the page holds (an empty page asks for nothing that
    exists), so that the page's query count does not depend on its content."""
    # Every row of the objects on the page, in order: the page rows and their
    # predecessors (and later rows, which are few: an object changes a few times).
    candidates = list(
        model.objects.filter(scope)
        .filter(id__in=model.objects.filter(history_id__in=history_ids or [0]).values("id"))
        .select_related("history_user", *joins)
        .order_by("id", "history_date", "history_id")
    )
    rows, previous, last_of = {}, {}, {}
    for row in candidates:
        if row.history_id in history_ids:
            rows[row.history_id] = row
            if row.id in last_of:
                previous[row.history_id] = last_of[row.id]
        last_of[row.id] = row
    return rows, previous


def _entry(kind, row, before, audit) -> Entry:
    subject, link = _subject(kind, row, audit)
    entry = Entry(
        kind=kind,
        when=row.history_date,
        who=row.history_user,
        reason=row.history_change_reason or row.get_history_type_display(),
        created=row.history_type == "+",
        subject=subject,
        link=link,
    )
    if before is not None and row.history_type == "~":
        _model, _scope, _joins, skip = KINDS[kind]
        delta = row.diff_against(before, excluded_fields=skip, foreign_keys_are_objs=True)
        for change in delta.changes:
            meta = row._meta.get_field(change.field)
            entry.changes.append(Change(
                label=str(meta.verbose_name),
                old=_shown(meta, change.old),
                new=_shown(meta, change.new),
            ))
    return entry


def _subject(kind, row, audit) -> tuple[str, str]:
    page = reverse("audits:detail", kwargs={"pk": audit.pk})
    if kind == "audit":
        return audit.code, page
    if kind == "item":
        return _("Mục kiểm tra số %(position)s") % {"position": row.position}, page + "#checklist"
    if kind == "finding":
        return (_("Phát hiện số %(number)s") % {"number": row.number},
                f"{page}?n={row.number}#finding-{row.number}")
    if kind == "action":
        number = row.finding.number
        return (_("Hành động khắc phục — phát hiện số %(number)s") % {"number": number},
                f"{page}?n={number}#action-{row.id}")
    if kind == "attempt":
        number = row.action.finding.number
        return (_("Lần khắc phục %(attempt)s — phát hiện số %(number)s") % {
                    "attempt": row.number, "number": number},
                f"{page}?n={number}#attempt-{row.id}")
    return row.number, page + "#reports"


def _shown(meta, value) -> str:
    """A value as the history shows it: labels for choices, names for records,
    dd/mm/yyyy for dates, long texts cut."""
    if value is None or value == "" or (isinstance(value, DeletedObject) and value.pk is None):
        return "—"
    if getattr(meta, "choices", None):
        return str(dict(meta.flatchoices).get(value, value))
    if isinstance(value, datetime.datetime):
        return date_format(timezone.localtime(value), "d/m/Y H:i")
    if isinstance(value, datetime.date):
        return date_format(value, "d/m/Y")
    if hasattr(value, "get_full_name"):
        return value.get_full_name() or value.get_username()
    text = str(value)
    return text if len(text) <= TEXT_LIMIT else text[: TEXT_LIMIT - 1] + "…"
