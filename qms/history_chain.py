"""Chained history rows (issue 11, point 10).

Every history row (django-simple-history) stores two keyed hashes:

- `row_hash`: HMAC-SHA-256 (qms.integrity, key `QMS_SIGNATURE_KEY`) of a canonical
  serialisation of every column of the row except `history_id` (not known before the
  insert; the order is bound by `prev_hash` instead) and `row_hash` itself: the tracked
  fields, history_date, history_type, history_user_id, history_change_reason,
  prev_hash, plus, for a model with many-to-many history, the rows of its m2m history
  tables that belong to it (so the m2m tables need no columns of their own: adding,
  altering or deleting one of them changes its parent row's hash);
- `prev_hash`: the `row_hash` of the previous history row of the same object (by
  history_id), or, for the object's first row, the object's anchor: a keyed hash of
  (table, object id). A deleted first row is seen because the next one does not start
  at the anchor; a deleted middle row because the link breaks.

The serialisation is the same on SQLite and PostgreSQL: datetimes in UTC ISO 8601 with
microseconds, decimals as strings with the field's decimal places, JSON with sorted
keys, files by name, relations by the related key. Empty values (None, "") are left
out, so adding a nullable column or one with an empty default keeps the old rows valid;
a migration that adds a column with another default, or drops or renames a column of a
history table, must seal that app's rows again (`qms.history_check.fill_chains`).

Rows are sealed as they are written, whichever way simple-history writes them:
`save()` of one row (`create_historical_record`) and the history manager's
`bulk_create` (`bulk_history_create`, i.e. `bulk_create_with_history` and
`bulk_update_with_history`). Reading the newest row of each object costs one query per
row or per batch; on PostgreSQL that same query first takes a transaction-scoped
advisory lock per (table, object id) (function `qms_history_heads`, created by a qms
migration), so that two writers of the same object cannot both link to the same
previous row; SQLite serialises writers anyway.
"""

import datetime
import decimal
import functools
import hashlib
import ipaddress
import json
import types

from django.db import models, router, transaction
from django.utils import timezone
from simple_history import utils as history_utils
from simple_history.models import HistoricalRecords

from .integrity import keyed_hash

UNHASHED = ("row_hash",)
INTEGER_KINDS = {"AutoField", "BigAutoField", "SmallAutoField", "IntegerField",
                 "BigIntegerField", "SmallIntegerField", "PositiveIntegerField",
                 "PositiveSmallIntegerField", "PositiveBigIntegerField"}

HEADS_FUNCTION = """
CREATE OR REPLACE FUNCTION qms_history_heads(tbl text, col text, typ text, objs text[],
                                             keys bigint[])
RETURNS TABLE(obj text, head text) AS $$
BEGIN
  -- Locks in key order (no deadlock between two batches); the query below runs after
  -- them with a fresh snapshot (VOLATILE, READ COMMITTED), so it sees the rows that
  -- the previous holder of a lock committed.
  PERFORM pg_advisory_xact_lock(k) FROM (SELECT DISTINCT unnest(keys) AS k ORDER BY 1) s;
  RETURN QUERY EXECUTE format(
    'SELECT h.%2$I::text, h.row_hash::text FROM %1$I h WHERE h.history_id IN '
    '(SELECT max(history_id) FROM %1$I WHERE %2$I = ANY(CAST($1 AS %3$s[])) GROUP BY %2$I)',
    tbl, col, typ) USING objs;
END $$ LANGUAGE plpgsql VOLATILE
"""
DROP_HEADS_FUNCTION = "DROP FUNCTION IF EXISTS qms_history_heads(text, text, text, text[], bigint[])"


# --- canonical serialisation -------------------------------------------------------

def canonical(field, value):
    """A JSON value that is the same for a value about to be written and for the
    value read back, on SQLite and PostgreSQL."""
    if value is None:
        return None
    if field.is_relation:
        return canonical(field.target_field, value)
    kind = field.get_internal_type()
    if kind == "DateTimeField":
        value = field.to_python(value)
        if value.tzinfo is None:  # what Django does when it writes a naive datetime
            value = timezone.make_aware(value, timezone.get_default_timezone())
        return value.astimezone(datetime.UTC).isoformat(timespec="microseconds")
    if kind == "DateField":
        return field.to_python(value).isoformat()
    if kind == "TimeField":
        return field.to_python(value).isoformat(timespec="microseconds")
    if kind == "DecimalField":
        value = decimal.Decimal(str(value))
        if field.decimal_places is not None:
            value = value.quantize(decimal.Decimal(1).scaleb(-field.decimal_places))
        return format(value, "f")
    if kind in INTEGER_KINDS:
        return int(value)
    if kind == "BooleanField":
        return bool(value)
    if kind == "FloatField":
        return repr(float(value))
    if kind == "JSONField":
        return json.dumps(value, sort_keys=True, ensure_ascii=False)
    if kind == "DurationField":
        return int(value / datetime.timedelta(microseconds=1))
    if kind == "BinaryField":
        return bytes(value).hex()
    if kind == "UUIDField":
        return str(field.to_python(value))
    if kind == "GenericIPAddressField":
        return str(ipaddress.ip_address(value))
    if kind in ("FileField", "ImageField"):
        return str(field.get_prep_value(value) or "")
    return str(value)


def is_chained(model) -> bool:
    names = {f.name for f in model._meta.concrete_fields}
    return {"row_hash", "prev_hash", "history_id"} <= names


def object_column(model) -> str:
    """The history table's copy of the object's primary key."""
    instance_type = getattr(model, "instance_type", None)
    if instance_type is not None:
        return instance_type._meta.pk.attname
    return "id"


def hashed_fields(model) -> list:
    return [f for f in model._meta.concrete_fields
            if f.attname not in UNHASHED and not f.primary_key]


def m2m_models(model) -> list:
    """The m2m history models whose rows belong to this model's rows (from the model's
    relations, so that it works with migration-state models too)."""
    found = []
    for rel in model._meta.related_objects:
        related = rel.related_model
        if rel.field.name == "history" and related._meta.pk.name == "m2m_history_id":
            found.append(related)
    return sorted(found, key=lambda m: m._meta.db_table)


def m2m_fields(m2m_model) -> list:
    return [f for f in m2m_model._meta.concrete_fields
            if not f.primary_key and f.name != "history"]


def _present(fields, values) -> dict:
    """attname → canonical value, leaving out empty values (None, ""): a column added
    later as nullable or with an empty default does not change the hash of the rows
    written before it."""
    found = {}
    for field in fields:
        value = canonical(field, values[field.attname])
        if value is not None and value != "":
            found[field.attname] = value
    return found


def canonical_m2m_row(fields, values) -> str:
    return json.dumps(_present(fields, values), sort_keys=True, ensure_ascii=False,
                      separators=(",", ":"))


def object_key(value) -> str:
    return str(value)


def anchor(table: str, obj: str) -> str:
    return keyed_hash("history-chain-start", table, obj)


def compute_row_hash(table: str, fields, values: dict, m2m: dict) -> str:
    """`values`: attname → value; `m2m`: m2m table → list of canonical_m2m_row()."""
    payload = json.dumps(
        {"table": table,
         "row": _present(fields, values),
         "m2m": {name: sorted(rows) for name, rows in m2m.items()}},
        sort_keys=True, ensure_ascii=False, separators=(",", ":"))
    return keyed_hash("history-row", payload)


# --- sealing new rows --------------------------------------------------------------

def lock_key(table: str, obj: str) -> int:
    digest = hashlib.blake2b(f"{table}:{obj}".encode(), digest_size=8).digest()
    return int.from_bytes(digest, "big", signed=True)


@functools.cache
def _layout(model):
    """What sealing needs of a (runtime) history model, computed once."""
    col = object_column(model)
    return types.SimpleNamespace(
        table=model._meta.db_table, col=col, column=model._meta.get_field(col).column,
        pk=model._meta.pk.column, fields=hashed_fields(model),
        linked={m._meta.db_table: m2m_fields(m) for m in m2m_models(model)})


def chain_heads(model, objs: list[str], using: str) -> dict[str, str]:
    """The newest stored row_hash of each object: one query, in SQL written out since it
    runs for every history row (the index on the object column serves it). On
    PostgreSQL the query first takes each object's advisory lock for the rest of the
    transaction."""
    from django.db import connections

    connection = connections[using]
    layout = _layout(model)
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            field = model._meta.get_field(layout.col)
            cursor.execute(
                "SELECT obj, head FROM qms_history_heads(%s, %s, %s, %s::text[], %s::bigint[])",
                [layout.table, layout.column, field.db_type(connection), objs,
                 [lock_key(layout.table, obj) for obj in objs]])
            return dict(cursor.fetchall())
        quote = connection.ops.quote_name
        table, column, pk = quote(layout.table), quote(layout.column), quote(layout.pk)
        if len(objs) == 1:
            cursor.execute(f"SELECT row_hash FROM {table} WHERE {column} = %s "
                           f"ORDER BY {pk} DESC LIMIT 1", objs)
            found = cursor.fetchone()
            return {objs[0]: found[0]} if found else {}
        marks = ", ".join(["%s"] * len(objs))
        cursor.execute(
            f"SELECT {column}, row_hash FROM {table} WHERE {pk} IN (SELECT max({pk}) FROM "
            f"{table} WHERE {column} IN ({marks}) GROUP BY {column})", objs)
        return {object_key(obj): head for obj, head in cursor.fetchall()}


def seal(model, rows, using: str) -> None:
    """Set prev_hash and row_hash of history rows about to be inserted, in their order.
    A row may carry `_chain_m2m` (m2m table → unsaved m2m history rows)."""
    rows = [row for row in rows if not row.row_hash]
    if not rows:
        return
    layout = _layout(model)
    objs = sorted({object_key(getattr(row, layout.col)) for row in rows})
    heads = {}
    for start in range(0, len(objs), 500):  # within SQLite's limit of parameters
        heads.update(chain_heads(model, objs[start:start + 500], using))
    for row in rows:
        obj = object_key(getattr(row, layout.col))
        row.prev_hash = heads[obj] if obj in heads else anchor(layout.table, obj)
        pending = getattr(row, "_chain_m2m", {})
        m2m = {name: [canonical_m2m_row(columns, {f.attname: getattr(r, f.attname)
                                                   for f in columns})
                      for r in pending.get(name, [])]
               for name, columns in layout.linked.items()}
        values = {f.attname: getattr(row, f.attname) for f in layout.fields}
        row.row_hash = compute_row_hash(layout.table, layout.fields, values, m2m)
        heads[obj] = row.row_hash


class ChainManager(models.Manager):
    """The history model's manager: `bulk_create` (simple-history's
    `bulk_history_create`) seals the rows first."""

    def bulk_create(self, objs, *args, **kwargs):
        objs = list(objs)
        using = self._db or router.db_for_write(self.model)
        with transaction.atomic(using=using, savepoint=False):
            seal(self.model, objs, using)
            return super().bulk_create(objs, *args, **kwargs)


class ChainedHistory(models.Model):
    """Abstract base of every history model (through ChainedHistoricalRecords)."""

    prev_hash = models.CharField(max_length=64, default="", editable=False)
    row_hash = models.CharField(max_length=64, default="", editable=False)

    objects = ChainManager()

    class Meta:
        abstract = True

    def save(self, *args, **kwargs):
        if not self._state.adding or self.row_hash:
            return super().save(*args, **kwargs)
        using = kwargs.get("using") or router.db_for_write(type(self), instance=self)
        with transaction.atomic(using=using, savepoint=False):
            seal(type(self), [self], using)
            return super().save(*args, **kwargs)


class ChainedHistoricalRecords(HistoricalRecords):
    """`HistoricalRecords` whose rows are chained: the one declaration every tracked
    model uses (`history = ChainedHistoricalRecords(...)`)."""

    def __init__(self, *args, bases=(), **kwargs):
        super().__init__(*args, bases=[ChainedHistory, *bases], **kwargs)

    def create_historical_record(self, instance, history_type, using=None):
        # One transaction for the row and its m2m rows, so that the advisory lock
        # holds until both are written (no extra query inside a transaction).
        db = using or router.db_for_write(type(instance), instance=instance)
        with transaction.atomic(using=db, savepoint=False):
            super().create_historical_record(instance, history_type, using=using)

    def create_historical_record_m2ms(self, history_instance, instance):
        """Insert the m2m rows collected (and hashed into the parent row) before the
        parent row was saved; see `collect_m2m_rows`."""
        from simple_history.signals import (
            post_create_historical_m2m_records,
            pre_create_historical_m2m_records,
        )

        collected = getattr(history_instance, "_chain_m2m", {})
        for field in history_instance._history_m2m_fields:
            m2m_model = self.m2m_models[field]
            rows = collected.get(m2m_model._meta.db_table, [])
            for row in rows:
                row.history = history_instance
            pre_create_historical_m2m_records.send(
                sender=m2m_model, rows=rows, history_instance=history_instance,
                instance=instance, field=field)
            created = m2m_model.objects.bulk_create(rows)
            post_create_historical_m2m_records.send(
                sender=m2m_model, created_rows=created, history_instance=history_instance,
                instance=instance, field=field)


def collect_m2m_rows(sender, instance, history_instance, **kwargs) -> None:
    """pre_create_historical_record receiver: read the object's m2m rows now (the
    query simple-history would make after saving the parent row), so that the parent
    row's hash covers them."""
    if not issubclass(sender, ChainedHistory) or not getattr(
            history_instance, "_history_m2m_fields", None):
        return
    collected = {}
    for field in history_instance._history_m2m_fields:
        m2m_model = HistoricalRecords.m2m_models[field]
        through = getattr(instance, field.name).through
        columns = [f.attname for f in through._meta.concrete_fields]
        name = history_utils.get_m2m_field_name(field)
        rows = through.objects.filter(**{name: instance}).values_list(*columns)
        collected[m2m_model._meta.db_table] = [
            m2m_model(**dict(zip(columns, row, strict=True))) for row in rows]
    history_instance._chain_m2m = collected
