"""Restoring a backup archive into an empty installation (`python manage.py restore FILE`).

Everything is checked before anything is written: the archive (its manifest
authenticated with the signature key, every table and file against its SHA-256),
the migrations (the archive's, all known to this code and exactly those applied
here), and that the installation is empty (`tables.holds_records`: no person, no
history, nothing naming a person; what migrations create by themselves — content
types, permissions, roles, catalogues — is replaced by the archive's rows).

Then one transaction, past the append-only triggers (`qms.append_only.bypassed`):
the rows migrations created are deleted (content types and permissions are kept and
matched by natural key), every table is inserted with its own ids exactly as read
(raw inserts: no `save()`, no signal, no history row, no `auto_now` stamp),
references and row counts are checked, PostgreSQL sequences are moved past the
restored ids, and the files are written to storage. Any failure rolls the
transaction back and deletes the files this restore wrote: the database and the
storage are left as they were.
"""

from dataclasses import dataclass, field

from django.contrib.contenttypes.models import ContentType
from django.core.files import File
from django.core.files.storage import default_storage
from django.core.management.base import CommandError
from django.core.management.color import no_style
from django.core.serializers.base import DeserializationError
from django.core.serializers.python import Deserializer
from django.db import DEFAULT_DB_ALIAS, DatabaseError, connections, transaction
from django.utils.translation import gettext as _

from ..append_only import bypassed
from . import tables
from .archive import Archive, corrupted

BATCH = 500


@dataclass
class RestoreResult:
    manifest: dict
    rows: dict[str, int] = field(default_factory=dict)
    files_written: int = 0
    files_present: int = 0
    files_missing: list[str] = field(default_factory=list)


def refuse_unless_empty(connection, models) -> None:
    """Refuses an installation already in use (see tables.holds_records)."""
    used = [model._meta.label for model in models if tables.holds_records(model)
            and model._base_manager.using(connection.alias).exists()]
    if used:
        raise CommandError(_(
            "Cài đặt này đã có dữ liệu (%(tables)s): chỉ khôi phục vào một cài đặt trống (cơ sở dữ "
            "liệu mới, đã chạy “migrate”, chưa có người dùng). Không có gì được ghi.") % {
            "tables": ", ".join(used[:5]) + ("…" if len(used) > 5 else "")})


class _Loader:
    """Inserts one table's rows, in batches, exactly as read."""

    def __init__(self, archive: Archive, connection):
        self.archive = archive
        self.connection = connection
        self.using = connection.alias
        self.natural = tables.NaturalKeys(self.using)
        self.unmatched_files = []

    def load(self, model, entry) -> int:
        label = entry["model"]

        def parsed():
            for row in self.archive.rows(entry):
                if not isinstance(row, dict) or row.get("model") != label or \
                        not isinstance(row.get("fields"), dict):
                    raise corrupted(_("bảng %(model)s") % {"model": label})
                yield self.natural.resolve(model, row)

        count, batch = 0, []
        for item in Deserializer(parsed(), using=self.using):
            obj = item.object
            count += 1
            if model in tables.NATURAL:
                # Matched by natural key to the row migrate made (or a new one).
                obj.save_base(raw=True, using=self.using)
                continue
            self._check_files(model, obj)
            batch.append(obj)
            if len(batch) >= BATCH:
                self._insert(model, batch)
                batch = []
        if batch:
            self._insert(model, batch)
        if count != entry.get("rows"):
            raise corrupted(_("bảng %(model)s có %(found)s dòng, manifest ghi %(rows)s") % {
                "model": label, "found": count, "rows": entry.get("rows")})
        return count

    def _insert(self, model, objs) -> None:
        fields = [f for f in model._meta.local_concrete_fields if not f.generated]
        size = self.connection.ops.bulk_batch_size(fields, objs) or len(objs)
        for start in range(0, len(objs), size):
            # raw: the values as they are (auto_now fields are not stamped again).
            model._base_manager._insert(objs[start:start + size], fields=fields,
                                        using=self.using, raw=True)

    def _check_files(self, model, obj) -> None:
        columns = tables.file_fields(model)
        if not columns:
            return
        recorded_field = tables.recorded_sha256_field(model)
        recorded = getattr(obj, recorded_field) if recorded_field else None
        for column in columns:
            name = getattr(obj, column)
            name = getattr(name, "name", name)
            if name and not self.archive.file_matches(name, recorded):
                self.unmatched_files.append(f"{model._meta.label} {obj.pk}: {name}")


def _clear(connection, models) -> None:
    """Delete the rows migrate created (catalogues, roles…): the archive's rows, with
    their own ids, replace them. Foreign keys are checked at commit (deferred)."""
    with connection.cursor() as cursor:
        for model in models:
            if model not in tables.NATURAL:
                cursor.execute(f"DELETE FROM {connection.ops.quote_name(model._meta.db_table)}")


def _reset_sequences(connection, models) -> None:
    statements = connection.ops.sequence_reset_sql(no_style(), models)
    with connection.cursor() as cursor:
        for sql in statements:
            cursor.execute(sql)


def _write_files(archive: Archive, names, written: list) -> None:
    for name in names:
        with archive.open_file(name) as member:
            saved = default_storage.save(name, File(member, name=name))
        written.append(saved)
        if saved != name:
            raise CommandError(_("Kho lưu trữ đổi tên tệp %(name)s thành %(saved)s: hãy khôi phục "
                                 "vào một kho lưu trữ trống.") % {"name": name, "saved": saved})


def restore_read(*, path: str, using: str = DEFAULT_DB_ALIAS, progress=None) -> RestoreResult:
    """Restore the archive at `path` (see the module docstring). Raises CommandError
    with the reason when anything is refused or fails; nothing is changed then."""
    connection = connections[using]
    archive = Archive(path)
    try:
        models = archive.models()
        archive.check_migrations(connection)
        refuse_unless_empty(connection, [model for model, _entry in models])
        archive.verify_members()
        to_write = archive.files_to_write()
        result = RestoreResult(manifest=archive.manifest)
        result.files_missing = [n for n, e in archive.files.items() if e.get("missing")]
        result.files_present = len(archive.files) - len(to_write) - len(result.files_missing)
        written = []
        try:
            with transaction.atomic(using=using), bypassed(connection):
                _clear(connection, [model for model, _entry in models])
                loader = _Loader(archive, connection)
                for model, entry in models:
                    result.rows[model._meta.label] = loader.load(model, entry)
                    if progress:
                        progress(model._meta.label, result.rows[model._meta.label])
                if loader.unmatched_files:
                    raise CommandError(_(
                        "Các dòng sau trỏ tới tệp không có trong bản sao lưu, hoặc có mã SHA-256 "
                        "khác: %(rows)s. Không có gì được ghi.") % {
                        "rows": "; ".join(loader.unmatched_files[:5])})
                connection.check_constraints()
                _reset_sequences(connection, [model for model, _entry in models])
                _write_files(archive, to_write, written)
            result.files_written = len(written)
        except BaseException as error:
            for name in written:
                default_storage.delete(name)
            if isinstance(error, (DatabaseError, DeserializationError, OSError)):
                raise CommandError(_("Khôi phục thất bại, không có gì thay đổi: %(reason)s") % {
                    "reason": error}) from error
            raise
    finally:
        archive.close()
        ContentType.objects.clear_cache()
    return result
