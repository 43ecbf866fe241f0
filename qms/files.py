"""Uploaded files: kinds recognised by their content, stored under their SHA-256.

The name a person gives a file is kept for display only; what a file is comes
from its bytes, and where it lives from its hash.
"""

import contextlib
import contextvars
import hashlib
import io
import zipfile
import zlib

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.utils.translation import gettext as _

from .text import nfc

# kind: (extensions, content type)
KINDS = {
    "pdf": ((".pdf",), "application/pdf"),
    "docx": ((".docx",), "application/vnd.openxmlformats-officedocument.wordprocessingml.document"),
    "odt": ((".odt",), "application/vnd.oasis.opendocument.text"),
    "txt": ((".txt",), "text/plain; charset=utf-8"),
    "md": ((".md", ".markdown"), "text/markdown; charset=utf-8"),
    "png": ((".png",), "image/png"),
    "jpeg": ((".jpg", ".jpeg"), "image/jpeg"),
}
DOCUMENT_KINDS = ("pdf", "docx", "odt", "txt", "md")


class UploadError(ValidationError):
    """A refused file; the message names the file and the reason."""


# Members of a zip may not be more than this many (a zip of many tiny parts is a bomb too).
ARCHIVE_MAX_MEMBERS = 5000
# Below this size a member's ratio does not matter (a small XML part compresses well).
RATIO_FLOOR = 1024 * 1024


def check_archive(name: str, content: bytes) -> None:
    """Refuse a zip (.docx, .odt, .xlsx) whose parts would expand past the limits, from
    the sizes its directory states, before any part is read. The declared sizes are
    also what zipfile enforces while reading: a part that lies about its size fails."""
    refused = UploadError(
        _("Tệp “%(name)s” bị từ chối: nội dung giải nén quá lớn so với giới hạn (%(limit)s MB "
          "hoặc gấp %(ratio)s lần kích thước nén)."),
        code="archive",
        params={"name": name, "limit": settings.QMS_ARCHIVE_MAX_BYTES // (1024 * 1024),
                "ratio": settings.QMS_ARCHIVE_MAX_RATIO},
    )
    try:
        with zipfile.ZipFile(io.BytesIO(content)) as archive:
            infos = archive.infolist()
    except (zipfile.BadZipFile, ValueError, OSError, EOFError, NotImplementedError):
        return  # not a readable zip: the kind check refuses it
    if len(infos) > ARCHIVE_MAX_MEMBERS:
        raise refused
    total = 0
    for info in infos:
        total += info.file_size
        ratio_limit = settings.QMS_ARCHIVE_MAX_RATIO * max(info.compress_size, 1)
        if total > settings.QMS_ARCHIVE_MAX_BYTES or (
            info.file_size > RATIO_FLOOR and info.file_size > ratio_limit
        ):
            raise refused


def _zip_names(content: bytes) -> set[str] | None:
    try:
        with zipfile.ZipFile(io.BytesIO(content)) as archive:
            return set(archive.namelist())
    except (zipfile.BadZipFile, ValueError, OSError, EOFError, NotImplementedError):
        return None


def _odt_mimetype(content: bytes) -> bytes:
    try:
        with zipfile.ZipFile(io.BytesIO(content)) as archive:
            info = archive.getinfo("mimetype")
            if info.file_size > 200:
                return b""
            return archive.read(info).strip()
    except (zipfile.BadZipFile, KeyError, ValueError, OSError, EOFError, NotImplementedError,
            RuntimeError, zlib.error):
        return b""


def looks_like_text(content: bytes) -> bool:
    """Text: no NUL byte outside a UTF-16 file, and decodable as UTF-8, UTF-16 or cp1258."""
    if content.startswith((b"\xff\xfe", b"\xfe\xff")):
        try:
            content.decode("utf-16")
            return True
        except UnicodeDecodeError:
            return False
    if b"\x00" in content:
        return False
    for encoding in ("utf-8", "cp1258"):
        try:
            text = content.decode(encoding)
        except UnicodeDecodeError:
            continue
        controls = sum(1 for ch in text if ord(ch) < 32 and ch not in "\r\n\t\f")
        return controls <= len(text) // 100
    return False


def sniff(content: bytes) -> str | None:
    """The kind of a file from its bytes, or None."""
    if content.startswith(b"%PDF-"):
        return "pdf"
    if content.startswith(b"\x89PNG\r\n\x1a\n"):
        return "png"
    if content.startswith(b"\xff\xd8\xff"):
        return "jpeg"
    if content.startswith(b"PK\x03\x04"):
        names = _zip_names(content)
        if names and "word/document.xml" in names:
            return "docx"
        if names and _odt_mimetype(content) == b"application/vnd.oasis.opendocument.text":
            return "odt"
        return None
    if looks_like_text(content):
        return "text"
    return None


def check_upload(name: str, content: bytes, *, allowed=DOCUMENT_KINDS) -> str:
    """The kind of an uploaded file; refuses what is empty, too large, of a kind not
    allowed, or whose content does not match its name."""
    limit = settings.QMS_UPLOAD_MAX_BYTES
    if not content:
        raise UploadError(_("Tệp “%(name)s” rỗng."), code="empty", params={"name": name})
    if len(content) > limit:
        raise UploadError(
            _("Tệp “%(name)s” lớn hơn giới hạn %(limit)s MB."),
            code="too_large",
            params={"name": name, "limit": limit // (1024 * 1024)},
        )
    extension = "." + name.rsplit(".", 1)[-1].lower() if "." in name else ""
    by_name = next((kind for kind, (exts, _ct) in KINDS.items() if extension in exts), None)
    if by_name not in allowed:
        raise UploadError(
            _("Tệp “%(name)s” không thuộc loại được phép (%(kinds)s)."),
            code="kind",
            params={"name": name, "kinds": ", ".join(k.upper() for k in allowed)},
        )
    if content.startswith(b"PK"):
        check_archive(name, content)
    found = sniff(content)
    if found == "text" and by_name in ("txt", "md"):
        return by_name
    if found != by_name:
        raise UploadError(
            _("Nội dung tệp “%(name)s” không đúng với loại %(kind)s."),
            code="content",
            params={"name": name, "kind": by_name.upper()},
        )
    return by_name


def validate_upload_size(upload) -> None:
    """A form field validator: refuses an upload past QMS_UPLOAD_MAX_BYTES by the size
    counted while it streamed (qms/uploads.py), before anything reads it."""
    limit = settings.QMS_UPLOAD_MAX_BYTES
    if upload is not None and getattr(upload, "size", 0) and upload.size > limit:
        raise UploadError(
            _("Tệp “%(name)s” lớn hơn giới hạn %(limit)s MB."),
            code="too_large",
            params={"name": upload.name, "limit": limit // (1024 * 1024)},
        )


def sha256_of(content: bytes) -> str:
    return hashlib.sha256(content).hexdigest()


class StoredFileAltered(Exception):
    """A stored file whose bytes no longer match the SHA-256 recorded when it was stored."""


def open_verified(name: str, sha256: str):
    """Open a stored file for sending, after checking its SHA-256 against the one
    recorded (read in chunks, then rewound). Raises FileNotFoundError when it is gone
    and StoredFileAltered when it changed: an altered file is never sent."""
    handle = default_storage.open(name, "rb")
    digest = hashlib.sha256()
    for chunk in iter(lambda: handle.read(1 << 20), b""):
        digest.update(chunk)
    if digest.hexdigest() != sha256:
        handle.close()
        raise StoredFileAltered(name)
    handle.seek(0)
    return handle


def altered_file_response(request, name: str):
    """The page a reader gets instead of an altered file (409), and a log line for
    the administrator (`verify_integrity` lists every such file)."""
    import logging

    from django.shortcuts import render

    logging.getLogger("qms.security").error("stored file %s does not match its SHA-256", name)
    return render(request, "qms/file_altered.html", {"name": name}, status=409)


# Names stored for the first time inside `removed_on_failure()` (None outside it).
_new_names: contextvars.ContextVar = contextvars.ContextVar("qms_new_files", default=None)


def store(content: bytes, kind: str, *, folder: str = "attachments") -> str:
    """Save the bytes under folder/ab/<sha256>.<ext> (once) and return the storage name."""
    digest = sha256_of(content)
    name = f"{folder}/{digest[:2]}/{digest}{KINDS[kind][0][0]}"
    if not default_storage.exists(name):
        saved = default_storage.save(name, ContentFile(content))
        assert saved == name, saved  # same hash, same name: never a renamed copy
        if (new := _new_names.get()) is not None:
            new.append(name)
    return name


def _referenced(name: str) -> bool:
    from django.apps import apps

    from .models import StoredFile

    return any(model.objects.filter(file=name).exists() for model in apps.get_models()
               if issubclass(model, StoredFile))


@contextlib.contextmanager
def removed_on_failure():
    """Around a transaction that stores files: when it fails (after its rollback), the
    files it stored for the first time and that no row refers to are deleted, so a
    refused import leaves nothing in storage. Put it outside the `atomic` block."""
    new = []
    token = _new_names.set(new)
    try:
        yield
    except BaseException:
        for name in new:
            if not _referenced(name):
                default_storage.delete(name)
        raise
    finally:
        _new_names.reset(token)


def content_type(kind: str) -> str:
    return KINDS[kind][1]


def stored_file_fields(*, name: str, content: bytes, kind: str, folder: str) -> dict:
    """Store checked bytes and return the fields of a `qms.models.StoredFile` row.

    Stored before the row is committed, under its hash: a rolled-back upload leaves
    at most an unreferenced copy, which the next identical upload reuses.
    """
    return {
        "file": store(content, kind, folder=folder),
        "original_name": nfc(name)[:255],
        "content_type": content_type(kind),
        "size": len(content),
        "sha256": sha256_of(content),
    }
