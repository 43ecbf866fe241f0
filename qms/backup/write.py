"""Writing a backup archive (`python manage.py backup FILE`).

One consistent snapshot: every table and the list of stored files are read inside
one read-only transaction, so the archive is the database as it stood at one moment
even while people keep working.

- PostgreSQL: `SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY` as the
  first statement: every query of the transaction sees the snapshot taken by its
  first query; commits made meanwhile are invisible, and nothing can be written.
- SQLite: a plain (DEFERRED) read transaction. This project opens its write
  transactions with BEGIN IMMEDIATE (settings: transaction_mode), which would hold
  the write lock for the whole backup; a deferred transaction whose first statement
  is a read holds a read snapshot instead (WAL mode: writers go on, the reader keeps
  seeing the database as of its first read).

Memory stays constant whatever the size of the tables: rows are read in chunks
(`iterator`) and serialised one line at a time straight into the archive; files are
copied in 1 MiB chunks. Only the manifest's list of files (names, sizes, hashes)
is held in memory.

The archive is written under a temporary name in the target folder (mode 0600: it
holds password hashes and API tokens) and linked to its name only when complete;
an existing file is never replaced.

A stored file that no longer matches the SHA-256 recorded with it (or is missing)
fails the backup (exit status 1), naming every such file: an auditor wants the
discrepancy seen and investigated, not copied silently into the archive that would
later be restored as the truth. `include_altered=True` (`--include-altered`) writes
the archive anyway, for keeping the evidence: the manifest then records both hashes
(or that the file is missing), and `verify_integrity` reports the same file after a
restore.
"""

import datetime
import hashlib
import io
import json
import os
import tempfile
import time
import zipfile
from dataclasses import dataclass, field
from pathlib import Path

import django
from django.core.files.storage import default_storage
from django.core.management.base import CommandError
from django.db import DEFAULT_DB_ALIAS, connections, transaction
from django.db.migrations.executor import MigrationExecutor
from django.db.migrations.recorder import MigrationRecorder
from django.utils import timezone
from django.utils.translation import gettext as _

from . import tables

FILE_CHUNK = 1 << 20


@dataclass
class BackupResult:
    path: Path
    rows: dict[str, int] = field(default_factory=dict)
    files: int = 0
    bytes: int = 0
    problems: list[str] = field(default_factory=list)


class _HashingWriter(io.RawIOBase):
    """A binary stream into a zip member that hashes what goes through."""

    def __init__(self, target):
        self.target, self.sha256, self.size = target, hashlib.sha256(), 0

    def writable(self):
        return True

    def write(self, data):
        self.target.write(data)
        self.sha256.update(data)
        self.size += len(data)
        return len(data)


def _member(name: str) -> zipfile.ZipInfo:
    info = zipfile.ZipInfo(name, date_time=time.localtime()[:6])
    info.compress_type = zipfile.ZIP_DEFLATED
    return info


def check_target(value: str) -> Path:
    """The archive's path, checked before any work: its folder exists and may be
    written, and no file (or folder) has that name yet."""
    from qms.commands import output_path

    target = output_path(value)
    if target.exists():
        raise CommandError(_("Tệp %(path)s đã có: bản sao lưu không ghi đè lên tệp nào; hãy chọn "
                             "tên khác.") % {"path": value})
    return target


class _Snapshot:
    """One read-only transaction over the whole database (see the module docstring)."""

    def __init__(self, connection):
        self.connection = connection
        self.atomic = transaction.atomic(using=connection.alias)

    def __enter__(self):
        connection = self.connection
        self.mode = getattr(connection, "transaction_mode", None)
        if connection.vendor == "sqlite":
            connection.ensure_connection()
            connection.transaction_mode = "DEFERRED"
        # Inside a transaction already (a caller's atomic block), that transaction is the
        # snapshot: the isolation level can only be set by a transaction's first statement.
        fresh = not connection.in_atomic_block
        self.atomic.__enter__()
        with connection.cursor() as cursor:
            if connection.vendor == "postgresql" and fresh:
                cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY")
            cursor.execute("SELECT 1 FROM django_migrations LIMIT 1")  # the snapshot starts here
        return self

    def __exit__(self, *exc):
        try:
            # Nothing was written: ending with a rollback says so.
            transaction.set_rollback(True, using=self.connection.alias)
            return self.atomic.__exit__(*exc)
        finally:
            if self.connection.vendor == "sqlite":
                self.connection.transaction_mode = self.mode


def _applied_migrations(connection) -> dict[str, list[str]]:
    applied = {}
    for app, name in sorted(MigrationRecorder(connection).applied_migrations()):
        applied.setdefault(app, []).append(name)
    return applied


def _refuse_unapplied(connection) -> None:
    executor = MigrationExecutor(connection)
    plan = executor.migration_plan(executor.loader.graph.leaf_nodes())
    if plan:
        raise CommandError(_("Cơ sở dữ liệu còn %(n)s migration chưa áp dụng: hãy chạy “python "
                             "manage.py migrate” trước khi sao lưu.") % {"n": len(plan)})


def _write_table(archive, model, result, files, using) -> dict:
    """Serialise one table into its member; collect its file names on the way."""
    member = tables.member_name(model)
    columns = tables.file_fields(model)
    recorded = tables.recorded_sha256_field(model)
    counter = {"rows": 0}

    def rows():
        for obj in model._base_manager.using(using).order_by("pk").iterator(chunk_size=tables.CHUNK):
            counter["rows"] += 1
            for column in columns:
                name = getattr(obj, column)
                name = getattr(name, "name", name)
                if name:
                    files.setdefault(name, set()).add(getattr(obj, recorded) if recorded else None)
            yield obj

    with archive.open(_member(member), "w", force_zip64=True) as raw:
        writer = _HashingWriter(raw)
        buffered = io.BufferedWriter(writer, buffer_size=1 << 16)
        text = io.TextIOWrapper(buffered, encoding="utf-8", newline="\n")
        tables.Serializer().serialize(rows(), stream=text,
                                      use_natural_primary_keys=model in tables.NATURAL)
        text.flush()
        text.detach()
        buffered.flush()
    result.rows[model._meta.label] = counter["rows"]
    return {"model": model._meta.label_lower, "member": member, "rows": counter["rows"],
            "size": writer.size, "sha256": writer.sha256.hexdigest()}


def _write_file(archive, name: str, recorded: set) -> tuple[dict, str | None]:
    """Copy one stored file into the archive; its manifest entry and the problem
    found with it (None when it matches what its rows recorded)."""
    entry = {"name": name}
    try:
        source = default_storage.open(name, "rb")
    except (FileNotFoundError, OSError):
        entry["missing"] = True
        return entry, _("%(name)s: tệp không còn trong kho lưu trữ.") % {"name": name}
    with source, archive.open(_member(tables.FILES_FOLDER + name), "w", force_zip64=True) as target:
        writer = _HashingWriter(target)
        for chunk in iter(lambda: source.read(FILE_CHUNK), b""):
            writer.write(chunk)
    entry.update(size=writer.size, sha256=writer.sha256.hexdigest())
    expected = {sha for sha in recorded if sha}
    if expected and expected != {entry["sha256"]}:
        entry["recorded_sha256"] = sorted(expected)
        return entry, _("%(name)s: SHA-256 hiện tại %(actual)s khác với mã đã ghi %(expected)s.") % {
            "name": name, "actual": entry["sha256"], "expected": ", ".join(sorted(expected))}
    return entry, None


def backup_write(*, path: str, include_altered: bool = False, using: str = DEFAULT_DB_ALIAS,
                 progress=None) -> BackupResult:
    """Write the archive at `path` (checked first; see the module docstring).
    Raises CommandError when the path is refused, when migrations are pending, or
    when a stored file is altered or missing (unless `include_altered`); nothing is
    left at `path` then."""
    target = check_target(path)
    connection = connections[using]
    _refuse_unapplied(connection)
    result = BackupResult(path=target)
    handle, temporary = tempfile.mkstemp(dir=target.parent, prefix=f".{target.name}.",
                                         suffix=".partial")
    try:
        with os.fdopen(handle, "wb") as stream, zipfile.ZipFile(
                stream, "w", compression=zipfile.ZIP_DEFLATED, compresslevel=6) as archive:
            manifest = {"format": tables.FORMAT, "version": tables.VERSION,
                        "django": django.get_version(), "database": connection.vendor,
                        "signature_key_check": tables.key_check()}
            files: dict[str, set] = {}
            with _Snapshot(connection):
                manifest["created_at"] = timezone.now().isoformat()
                manifest["migrations"] = _applied_migrations(connection)
                manifest["tables"] = []
                for model in tables.backed_up_models():
                    manifest["tables"].append(_write_table(archive, model, result, files, using))
                    if progress:
                        progress(model._meta.label, result.rows[model._meta.label])
                manifest["files"] = []
                for name in sorted(files):
                    entry, problem = _write_file(archive, name, files[name])
                    manifest["files"].append(entry)
                    result.files += 1
                    result.bytes += entry.get("size", 0)
                    if problem:
                        result.problems.append(problem)
            if result.problems and not include_altered:
                raise CommandError("\n".join([
                    _("Sao lưu bị dừng: %(n)s tệp lưu trữ không khớp với mã SHA-256 đã ghi hoặc đã "
                      "mất. Không có bản sao lưu nào được ghi.") % {"n": len(result.problems)},
                    *result.problems,
                    _("Hãy điều tra và khôi phục các tệp này; hoặc chạy lại với --include-altered để "
                      "vẫn ghi bản sao lưu (các sai lệch được ghi trong manifest)."),
                ]))
            manifest["rows"] = sum(result.rows.values())
            content = json.dumps(manifest, ensure_ascii=False, indent=1).encode()
            archive.writestr(tables.MANIFEST, content)
            archive.writestr(tables.HMAC_MEMBER, tables.manifest_hmac(content))
        _publish(Path(temporary), target)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise
    return result


def _publish(temporary: Path, target: Path) -> None:
    """Give the finished archive its name, never replacing a file that appeared
    meanwhile (a hard link fails when the name exists)."""
    try:
        os.link(temporary, target)
    except FileExistsError:
        raise CommandError(_("Tệp %(path)s đã có: bản sao lưu không ghi đè lên tệp nào; hãy chọn "
                             "tên khác.") % {"path": target}) from None
    except OSError:  # a file system without hard links
        if target.exists():
            raise CommandError(_("Tệp %(path)s đã có: bản sao lưu không ghi đè lên tệp nào; hãy "
                                 "chọn tên khác.") % {"path": target}) from None
        os.replace(temporary, target)
        return
    temporary.unlink()


def created_at_display(manifest: dict) -> str:
    try:
        moment = datetime.datetime.fromisoformat(manifest["created_at"])
    except (KeyError, TypeError, ValueError):
        return "?"
    return timezone.localtime(moment).strftime("%d/%m/%Y %H:%M:%S")
