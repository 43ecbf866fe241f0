"""Comparing texts and history rows for the officers' pages (no queries here, except
the foreign keys that django-simple-history's diff_against loads for changed fields)."""

import datetime
import difflib
from dataclasses import dataclass

from django.utils import timezone
from django.utils.formats import date_format
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _

# Derived or technical fields: they change with every save and say nothing to a reader.
NOISE_FIELDS = ["lock_version", "content_sha256", "updated_at", "created_at", "search_text"]
# Long texts: the timeline says that they changed; the diff page shows how.
LONG_FIELDS = {"body", "change_summary"}
# Lines of unchanged text kept around each change; longer runs fold into one row.
CONTEXT = 3
# Intraline highlighting compares characters: quadratic, so only for lines up to this.
INTRALINE_MAX = 2000
# History rows of one object this close together, by one person for one reason,
# come from one action (a row and its many-to-many change).
SAME_ACTION = datetime.timedelta(seconds=5)


@dataclass
class Row:
    kind: str  # equal, replace, delete, insert, skip
    left_no: int | None = None
    left: SafeString = mark_safe("")
    right_no: int | None = None
    right: SafeString = mark_safe("")


def _intraline(old: str, new: str) -> tuple[SafeString, SafeString]:
    """The two lines with the changed characters wrapped in <del> and <ins>."""
    if len(old) + len(new) > INTRALINE_MAX:
        return mark_safe(escape(old)), mark_safe(escape(new))
    left, right = [], []
    matcher = difflib.SequenceMatcher(None, old, new, autojunk=False)
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        a, b = escape(old[i1:i2]), escape(new[j1:j2])
        if tag == "equal":
            left.append(a)
            right.append(b)
            continue
        if a:
            left.append(f"<del>{a}</del>")
        if b:
            right.append(f"<ins>{b}</ins>")
    return mark_safe("".join(left)), mark_safe("".join(right))


def side_by_side(old: str, new: str, *, context: int = CONTEXT) -> list[Row]:
    """Rows of a two-column line diff; long unchanged runs become one 'skip' row."""
    a, b = (old or "").splitlines(), (new or "").splitlines()
    rows: list[Row] = []
    matcher = difflib.SequenceMatcher(None, a, b, autojunk=False)
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        if tag == "equal":
            run = [
                Row("equal", i1 + k + 1, mark_safe(escape(a[i1 + k])), j1 + k + 1,
                    mark_safe(escape(b[j1 + k])))
                for k in range(i2 - i1)
            ]
            if len(run) > 2 * context + 1:
                hidden = len(run) - 2 * context
                run = [*run[:context], Row("skip", left_no=hidden), *run[-context:]]
            rows.extend(run)
            continue
        left, right = a[i1:i2], b[j1:j2]
        for k in range(max(len(left), len(right))):
            if k < len(left) and k < len(right):
                old_html, new_html = _intraline(left[k], right[k])
                rows.append(Row("replace", i1 + k + 1, old_html, j1 + k + 1, new_html))
            elif k < len(left):
                rows.append(Row("delete", left_no=i1 + k + 1, left=mark_safe(escape(left[k]))))
            else:
                rows.append(Row("insert", right_no=j1 + k + 1, right=mark_safe(escape(right[k]))))
    return rows


def _show(field, value) -> str:
    if value is None or value == "" or getattr(value, "pk", 0) is None:
        return "—"
    if isinstance(value, list):  # a many-to-many snapshot: [{"owner": obj, "other": obj}]
        owner = field.model._meta.model_name
        names = []
        for item in value:
            other = [v for k, v in item.items() if k != owner][-1:]
            names += [str(getattr(o, "number", o)) for o in other]
        return ", ".join(sorted(names)) or "—"
    if getattr(field, "choices", None):
        return str(dict(field.choices).get(value, value))
    if isinstance(value, datetime.datetime):
        return date_format(timezone.localtime(value), "d/m/Y H:i")
    if isinstance(value, datetime.date):
        return date_format(value, "d/m/Y")
    return str(value)


def _merge(earlier: list, later: list) -> list:
    """One (label, first old, last new) per field, in order of first change."""
    merged = {label: (label, old, new) for label, old, new in earlier}
    for label, old, new in later:
        merged[label] = (label, merged[label][1] if label in merged else old, new)
    return [row for row in merged.values() if row[1] != row[2] or row[1] == ""]


def history_changes(rows, *, subject) -> list[dict]:
    """Timeline entries for the history rows of one object, oldest first in `rows`.

    Each entry: date, order, user, subject (a revision or None for the procedure),
    kind (+ created, ~ changed), reason, and changes as (label, old, new). A
    many-to-many change saved right after its row (same person, same reason) joins
    that row's entry.
    """
    entries = []
    previous = None
    for row in rows:
        changes = []
        if previous is not None:
            delta = row.diff_against(
                previous, excluded_fields=NOISE_FIELDS, foreign_keys_are_objs=True
            )
            for change in delta.changes:
                field = row.instance_type._meta.get_field(change.field)
                label = str(field.verbose_name)
                if change.field in LONG_FIELDS:
                    changes.append((label, "", _("đã sửa")))
                else:
                    changes.append(
                        (label, _show(field, change.old), _show(field, change.new))
                    )
        last = entries[-1] if entries else None
        if (
            last is not None
            and last["reason"] == (row.history_change_reason or "")
            and last["user"] == row.history_user
            and row.history_date - last["date"] < SAME_ACTION
        ):
            last["changes"] = _merge(last["changes"], changes)
        elif previous is None or changes or row.history_change_reason:
            entries.append(
                {
                    "date": row.history_date,
                    "order": row.history_id,
                    "user": row.history_user,
                    "subject": subject,
                    "kind": row.history_type,
                    "reason": row.history_change_reason or "",
                    "changes": changes,
                }
            )
        previous = row
    return entries
