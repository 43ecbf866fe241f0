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
        ("closed_by",),
        {"departments", "clauses", "procedures", "team"},
    ),
    "item": (
        ChecklistItem.history.model,
        lambda audit: Q(audit_id=audit.pk),
        ("answered_by",),
        set(),
    ),
    "finding": (
        Finding.history.model,
        lambda audit: Q(audit_id=audit.pk),
        ("clause", "department", "procedure_version__procedure", "revised_by"),
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
        ("action__finding", "verified_by"),
        set(),
    ),
    "report": (
        AuditReport.history.model,
        lambda audit: Q(audit_id=audit.pk),
        (),
        {"file"},
    ),
}
# The related records joined above are those a change can name (a changed owner,
# verifier, clause…) and those that name the object; a change of another one
# still shows, at the cost of a query.
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
        .values_list("kind", "history_id", "history_date", "id")
        for kind, (model, scope, _joins, _skip) in KINDS.items()
    ]
    page = list(
        parts[0].union(*parts[1:], all=True).order_by("-history_date", "-history_id")[
            offset: offset + limit + 1
        ]
    )
    more = len(page) > limit
    page = page[:limit]
    objects: dict[str, set[int]] = {kind: set() for kind in KINDS}
    for kind, _history_id, _date, object_id in page:
        objects[kind].add(object_id)
    rows = {}
    for kind, (model, _scope, joins, _skip) in KINDS.items():
        rows[kind] = _rows_of(model, joins, objects[kind])
    entries = []
    for kind, history_id, _date, _object_id in page:
        row, before = rows[kind][history_id]
        entries.append(_entry(kind, row, before, audit))
    return entries, more


def _rows_of(model, joins, object_ids) -> dict:
    """{history id: (row, the previous row of the same object)} for every row of
    these objects (an object changes a few times). One query whatever the page
    holds (an empty page asks for an id that does not exist), so that the page's
    query count does not depend on its content."""
    found, last_of = {}, {}
    for row in (
        model.objects.filter(id__in=object_ids or [0])
        .select_related("history_user", *joins)
        .order_by("id", "history_date", "history_id")
    ):
        found[row.history_id] = (row, last_of.get(row.id))
        last_of[row.id] = row
    return found


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
