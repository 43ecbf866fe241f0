"""Walking the history chains (issue 11, point 10): `verify_integrity` recomputes
every row's hash and link, and the data migrations of each app fill the chain of the
rows written before it existed. See qms/history_chain.py for what is hashed."""

from itertools import islice

from django.apps import apps as global_apps
from django.db import DEFAULT_DB_ALIAS
from django.db.models import Q
from django.utils.translation import gettext as _

from .append_only import bypassed
from .history_chain import (
    anchor,
    canonical_m2m_row,
    compute_row_hash,
    hashed_fields,
    is_chained,
    m2m_fields,
    m2m_models,
    object_column,
    object_key,
)
from .integrity import same

CHUNK = 1000

ALTERED, BROKEN, MISSING_FIRST, UNSEALED = "altered", "broken_link", "missing_first", "unsealed"


def problem_message(kind: str, table: str, obj: str, history_id) -> str:
    messages = {
        ALTERED: _("Bảng %(table)s, đối tượng %(obj)s, dòng lịch sử %(history_id)s: nội "
                   "dung đã bị sửa (mã băm không khớp)."),
        BROKEN: _("Bảng %(table)s, đối tượng %(obj)s, dòng lịch sử %(history_id)s: chuỗi "
                  "bị đứt (dòng lịch sử liền trước đã bị xóa hoặc bị thay)."),
        MISSING_FIRST: _("Bảng %(table)s, đối tượng %(obj)s, dòng lịch sử %(history_id)s: "
                         "thiếu (các) dòng đầu của chuỗi."),
        UNSEALED: _("Bảng %(table)s, đối tượng %(obj)s, dòng lịch sử %(history_id)s: dòng "
                    "không có mã băm (ghi ngoài ứng dụng)."),
    }
    return messages[kind] % {"table": table, "obj": obj, "history_id": history_id}


class _Table:
    """One history table: its columns, in the order they are read."""

    def __init__(self, model, using):
        self.model, self.using = model, using
        self.table = model._meta.db_table
        self.col = object_column(model)
        self.pk = model._meta.pk.attname
        self.fields = hashed_fields(model)
        self.names = [self.pk, "row_hash"] + [f.attname for f in self.fields]
        self.linked = [(m, m2m_fields(m)) for m in m2m_models(model)]

    def rows(self, after=None):
        """Rows ordered by (object, history_id), streamed."""
        manager = self.model._default_manager.db_manager(self.using)
        queryset = manager.order_by(self.col, self.pk)
        if after is not None:
            obj, history_id = after
            queryset = queryset.filter(Q(**{f"{self.col}__gt": obj}) | Q(
                **{self.col: obj, f"{self.pk}__gt": history_id}))
        return queryset.values_list(*self.names)

    def m2m_of(self, history_ids) -> dict:
        """history_id → {m2m table: [canonical rows]} for one chunk (a query per m2m table)."""
        found = {}
        for m2m_model, columns in self.linked:
            name = m2m_model._meta.db_table
            for history_id in history_ids:
                found.setdefault(history_id, {})[name] = []
            attnames = [f.attname for f in columns]
            values = (m2m_model._default_manager.db_manager(self.using)
                      .filter(history_id__in=history_ids).order_by()
                      .values_list("history_id", *attnames))
            for history_id, *rest in values:
                row = dict(zip(attnames, rest, strict=True))
                found[history_id][name].append(canonical_m2m_row(columns, row))
        return found

    def hashes(self, chunk):
        """(history_id, stored row_hash, recomputed row_hash, object, prev_hash)."""
        m2m = self.m2m_of([row[0] for row in chunk])
        for history_id, stored, *rest in chunk:
            values = dict(zip(self.names[2:], rest, strict=True))
            computed = compute_row_hash(self.table, self.fields, values, m2m.get(history_id, {}))
            yield history_id, stored, computed, values[self.col], values["prev_hash"]


def _chunks(iterable, size):
    iterator = iter(iterable)
    while chunk := list(islice(iterator, size)):
        yield chunk


def check_chains(*, using: str = DEFAULT_DB_ALIAS, models=None):
    """Walk every chain; yields (kind, table, object id, history_id) for each mismatch
    and finally returns the counts (use `ChainReport`). Memory stays constant: rows
    are streamed (`iterator()`), m2m rows fetched per chunk."""
    counts = {"tables": 0, "chains": 0, "rows": 0}
    models = models or sorted((m for m in global_apps.get_models() if is_chained(m)),
                              key=lambda m: m._meta.db_table)
    for model in models:
        table = _Table(model, using)
        counts["tables"] += 1
        current, expected = None, None
        for chunk in _chunks(table.rows().iterator(chunk_size=CHUNK), CHUNK):
            for history_id, stored, computed, obj, prev in table.hashes(chunk):
                counts["rows"] += 1
                obj = object_key(obj)
                first = obj != current
                if first:
                    counts["chains"] += 1
                    current, expected = obj, anchor(table.table, obj)
                if not stored:
                    yield UNSEALED, table.table, obj, history_id
                elif not same(stored, computed):
                    yield ALTERED, table.table, obj, history_id
                elif not same(prev, expected):
                    yield (MISSING_FIRST if first else BROKEN), table.table, obj, history_id
                expected = stored
    return counts


class ChainReport:
    """Iterate the problems; `counts` is set once the walk is over."""

    def __init__(self, **kwargs):
        self._walk = check_chains(**kwargs)
        self.counts = None

    def __iter__(self):
        self.counts = yield from self._walk


def fill_chains(app_label):
    """A RunPython function sealing every history row of `app_label` written before the
    chain existed, object by object in history_id order (past the append-only
    triggers: only this migration may update history rows)."""

    def fill(apps, schema_editor):
        connection = schema_editor.connection
        chained = [m for m in apps.get_app_config(app_label).get_models() if is_chained(m)]
        with bypassed(connection):
            for model in chained:
                _fill_table(_Table(model, connection.alias))

    return fill


def _fill_table(table) -> None:
    current = head = after = None
    while chunk := list(table.rows(after)[:CHUNK]):
        m2m = table.m2m_of([row[0] for row in chunk])
        sealed = []
        for history_id, _stored, *rest in chunk:
            values = dict(zip(table.names[2:], rest, strict=True))
            obj = object_key(values[table.col])
            if obj != current:
                current, head = obj, anchor(table.table, obj)
            values["prev_hash"] = head
            row = table.model(**{table.pk: history_id})
            row.prev_hash = head
            row.row_hash = head = compute_row_hash(table.table, table.fields, values,
                                                   m2m.get(history_id, {}))
            sealed.append(row)
        table.model._default_manager.db_manager(table.using).bulk_update(
            sealed, ["prev_hash", "row_hash"], batch_size=500)
        after = (values[table.col], history_id)
