"""Reading a backup archive and checking it before anything is written.

The archive is a zip file:

- `manifest.json`: format and version, when and from which database vendor it was
  written, the applied migrations per app, each table (model, member, rows, size,
  SHA-256 of the member) in the order they are restored, each stored file (storage
  name, size, SHA-256), and `signature_key_check` (see tables.key_check);
- `manifest.hmac`: HMAC-SHA-256 of the manifest's bytes with the signature key
  (qms.integrity): a manifest, hence any member, changed after the backup is refused;
- `data/<app>.<model>.jsonl`: one table, Django JSON Lines, one row a line;
- `files/<storage name>`: each stored file, byte for byte.
"""

import hashlib
import hmac
import json
import stat
import zipfile
import zlib
from pathlib import Path

from django.apps import apps
from django.core.exceptions import SuspiciousFileOperation
from django.core.files.storage import default_storage
from django.core.files.utils import validate_file_name
from django.core.management.base import CommandError
from django.db.migrations.loader import MigrationLoader
from django.db.migrations.recorder import MigrationRecorder
from django.utils.translation import gettext as _

from . import tables
from .write import FILE_CHUNK

READ_ERRORS = (zipfile.BadZipFile, zlib.error, EOFError, OSError, ValueError,
               NotImplementedError, RuntimeError)


def corrupted(detail: str) -> CommandError:
    return CommandError(_("Bản sao lưu bị hỏng hoặc không hợp lệ (%(detail)s). Không có gì được "
                          "ghi.") % {"detail": detail})


class Archive:
    """An opened archive whose manifest has been read and authenticated."""

    def __init__(self, path: str):
        source = Path(path)
        try:
            mode = source.stat().st_mode
        except OSError:
            raise CommandError(_("Không tìm thấy tệp %(path)s.") % {"path": path}) from None
        if not stat.S_ISREG(mode):
            raise CommandError(_("%(path)s không phải là một tệp thông thường.") % {"path": path})
        try:
            self.zip = zipfile.ZipFile(source)
        except READ_ERRORS:
            raise CommandError(_("%(path)s không phải là bản sao lưu của hệ thống (không đọc được "
                                 "tệp zip).") % {"path": path}) from None
        try:
            self.manifest = self._manifest()
        except BaseException:
            self.zip.close()
            raise
        self.files = {entry["name"]: entry for entry in self.manifest["files"]}

    def close(self):
        self.zip.close()

    def _read_member(self, name: str, limit: int = 64 << 20) -> bytes:
        try:
            info = self.zip.getinfo(name)
        except KeyError:
            raise corrupted(_("thiếu %(member)s") % {"member": name}) from None
        if info.file_size > limit:
            raise corrupted(_("%(member)s quá lớn") % {"member": name})
        try:
            return self.zip.read(info)
        except READ_ERRORS:
            raise corrupted(_("không đọc được %(member)s") % {"member": name}) from None

    def _manifest(self) -> dict:
        content = self._read_member(tables.MANIFEST)
        try:
            manifest = json.loads(content)
        except ValueError:
            raise corrupted(_("manifest không phải JSON")) from None
        if not isinstance(manifest, dict) or manifest.get("format") != tables.FORMAT:
            raise corrupted(_("không có manifest của bản sao lưu"))
        if manifest.get("version") != tables.VERSION:
            raise CommandError(_("Bản sao lưu có định dạng phiên bản %(found)s; phiên bản phần mềm "
                                 "này chỉ đọc được định dạng %(known)s.") % {
                "found": manifest.get("version"), "known": tables.VERSION})
        expected = self._read_member(tables.HMAC_MEMBER, limit=1024).decode("ascii", "replace").strip()
        if not hmac.compare_digest(expected, tables.manifest_hmac(content)):
            if manifest.get("signature_key_check") != tables.key_check():
                raise CommandError(_(
                    "Không xác thực được bản sao lưu: cài đặt này dùng khóa ký khác với nơi sao lưu "
                    "(QMS_SIGNATURE_KEY hoặc SECRET_KEY), hoặc bản sao lưu đã bị sửa. Với khóa khác, "
                    "mọi chữ ký điện tử sẽ bị coi là sai: hãy đặt đúng khóa rồi khôi phục lại."))
            raise corrupted(_("manifest đã bị sửa sau khi sao lưu"))
        for key, kind in (("migrations", dict), ("tables", list), ("files", list)):
            if not isinstance(manifest.get(key), kind):
                raise corrupted(_("manifest thiếu “%(key)s”") % {"key": key})
        return manifest

    # ------------------------------------------------------------------ checks

    def models(self) -> list[tuple[type, dict]]:
        """(model, table entry) in restore order; refuses a table this code lacks."""
        found = []
        for entry in self.manifest["tables"]:
            try:
                model = apps.get_model(entry["model"])
            except (LookupError, ValueError, KeyError, TypeError):
                raise CommandError(_("Bản sao lưu có bảng %(model)s mà phiên bản phần mềm này không "
                                     "có.") % {"model": entry.get("model")}) from None
            if entry.get("member") != tables.member_name(model):
                raise corrupted(_("bảng %(model)s") % {"model": entry["model"]})
            found.append((model, entry))
        return found

    def check_migrations(self, connection) -> None:
        """The archive's migrations must all be known to this code, and be exactly
        those applied to the database restored to: the rows fit that schema only."""
        archived = {(app, name) for app, names in self.manifest["migrations"].items()
                    for name in names}
        known = set(MigrationLoader(None, ignore_no_migrations=True).disk_migrations)
        unknown = sorted(archived - known)
        if unknown:
            raise CommandError(_(
                "Bản sao lưu được tạo bởi phiên bản phần mềm mới hơn: có %(n)s migration mà phiên "
                "bản này không biết (%(names)s). Hãy cài phiên bản phần mềm đã tạo bản sao lưu.") % {
                "n": len(unknown), "names": ", ".join(f"{a}.{n}" for a, n in unknown[:5])})
        applied = set(MigrationRecorder(connection).applied_migrations())
        missing, extra = sorted(archived - applied), sorted(applied - archived)
        if missing or extra:
            raise CommandError(_(
                "Cơ sở dữ liệu đích phải ở đúng trạng thái migration của bản sao lưu. Chưa áp dụng: "
                "%(missing)s. Áp dụng thêm: %(extra)s. Hãy khôi phục vào cơ sở dữ liệu mới đã chạy "
                "“migrate” bằng đúng phiên bản đã tạo bản sao lưu (sau đó mới nâng cấp).") % {
                "missing": ", ".join(f"{a}.{n}" for a, n in missing[:5]) or "—",
                "extra": ", ".join(f"{a}.{n}" for a, n in extra[:5]) or "—"})

    def _hash_member(self, name: str, size_limit: int | None = None) -> tuple[int, str]:
        digest, size = hashlib.sha256(), 0
        try:
            with self.zip.open(name) as member:
                for chunk in iter(lambda: member.read(FILE_CHUNK), b""):
                    size += len(chunk)
                    if size_limit is not None and size > size_limit:
                        break
                    digest.update(chunk)
        except KeyError:
            raise corrupted(_("thiếu %(member)s") % {"member": name}) from None
        except READ_ERRORS:
            raise corrupted(_("không đọc được %(member)s") % {"member": name}) from None
        return size, digest.hexdigest()

    def verify_members(self) -> None:
        """Every table and every file hashed against the manifest; file names checked
        as storage names (no absolute path, no “..”)."""
        for entry in self.manifest["tables"]:
            size, sha = self._hash_member(entry["member"], entry.get("size"))
            if (size, sha) != (entry.get("size"), entry.get("sha256")):
                raise corrupted(_("bảng %(model)s không khớp với mã SHA-256 trong manifest") % {
                    "model": entry["model"]})
        for name, entry in self.files.items():
            try:
                validate_file_name(name, allow_relative_path=True)
            except (SuspiciousFileOperation, TypeError):
                raise corrupted(_("tên tệp không hợp lệ: %(name)s") % {"name": name}) from None
            if entry.get("missing"):
                continue
            size, sha = self._hash_member(tables.FILES_FOLDER + name, entry.get("size"))
            if (size, sha) != (entry.get("size"), entry.get("sha256")):
                raise CommandError(_("Tệp %(name)s trong bản sao lưu không khớp với mã SHA-256 của "
                                     "nó (bản sao lưu bị hỏng hoặc bị sửa). Không có gì được ghi.") % {
                    "name": name})

    def files_to_write(self) -> list[str]:
        """The files not yet in storage. One already there must be the same bytes
        (names are content hashes); a different file under that name is refused."""
        names = []
        for name, entry in self.files.items():
            if entry.get("missing"):
                continue
            if not default_storage.exists(name):
                names.append(name)
                continue
            digest = hashlib.sha256()
            with default_storage.open(name, "rb") as handle:
                for chunk in iter(lambda: handle.read(FILE_CHUNK), b""):
                    digest.update(chunk)
            if digest.hexdigest() != entry["sha256"]:
                raise CommandError(_("Kho lưu trữ đã có một tệp khác tên %(name)s: hãy khôi phục vào "
                                     "một kho lưu trữ trống.") % {"name": name})
        return names

    def file_matches(self, name: str, recorded: str | None) -> bool:
        """Whether a row may refer to `name` with the SHA-256 it recorded: the file is
        in the archive with those bytes, or declared altered or missing at backup."""
        entry = self.files.get(name)
        if entry is None:
            return False
        if not recorded:
            return True
        return recorded == entry.get("sha256") or recorded in entry.get("recorded_sha256", []) or \
            bool(entry.get("missing"))

    # ------------------------------------------------------------------ reading

    def rows(self, entry: dict):
        """The parsed lines of one table, one at a time."""
        try:
            with self.zip.open(entry["member"]) as member:
                for line in member:
                    if line.strip():
                        yield json.loads(line)
        except READ_ERRORS:
            raise corrupted(_("không đọc được %(member)s") % {"member": entry["member"]}) from None

    def open_file(self, name: str):
        return self.zip.open(tables.FILES_FOLDER + name)
