"""Reading the one-stop system's exports (CSV or Excel .xlsx) into rows by column
name, with the line of the file each row came from. No database here: the
services check and save the rows.
"""

import csv
import datetime
import io
import re
import zipfile
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

from django.utils.translation import gettext as _

from qms.text import nfc

from .exceptions import ServiceQualityError

MAX_ROWS = 100_000
# An .xlsx is a zip archive: refuse one that expands beyond these before reading it.
MAX_UNZIPPED = 200 * 1024 * 1024
MAX_RATIO = 200
PERIOD_RE = re.compile(r"^\s*(\d{4})-(\d{1,2})\s*$")


class FileRefused(ServiceQualityError):
    """A file that cannot be read at all (not a row's fault)."""


@dataclass
class RowError:
    """A refused row: its line in the file (None for a row typed in a form)."""

    line: int | None
    message: str

    def __str__(self):
        if self.line is None:
            return self.message
        return _("Dòng %(line)s: %(message)s") % {"line": self.line, "message": self.message}


class RowsRefused(ServiceQualityError):
    """Rows refused; nothing of the file was saved. `errors` lists RowError."""

    def __init__(self, errors: list[RowError]):
        self.errors = errors
        super().__init__([str(e) for e in errors], code="rows")


def _norm_header(value) -> str:
    return nfc(str(value or "")).strip().lstrip("\ufeff").strip().lower()


def _decode(content: bytes) -> str:
    for encoding in ("utf-8-sig", "cp1258"):
        try:
            return content.decode(encoding)
        except UnicodeDecodeError:
            continue
    raise FileRefused(_("Không đọc được tệp: không phải văn bản UTF-8."), code="encoding")


def _csv_rows(content: bytes):
    text = _decode(content)
    first = text.split("\n", 1)[0]
    delimiter = ";" if first.count(";") > first.count(",") else ","
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    try:
        for row in reader:
            yield reader.line_num, row
    except csv.Error as error:
        raise FileRefused(
            _("Không đọc được tệp CSV (dòng %(line)s): %(error)s"),
            code="csv", params={"line": reader.line_num, "error": str(error)},
        ) from None


def _check_zip(content: bytes) -> None:
    try:
        with zipfile.ZipFile(io.BytesIO(content)) as archive:
            total = sum(info.file_size for info in archive.infolist())
    except (zipfile.BadZipFile, ValueError, OSError):
        raise FileRefused(_("Tệp Excel bị hỏng hoặc không phải .xlsx."), code="xlsx") from None
    if total > MAX_UNZIPPED or total > MAX_RATIO * max(len(content), 1):
        raise FileRefused(_("Tệp Excel giải nén quá lớn, không được đọc."), code="xlsx")


def _cell(value):
    if isinstance(value, datetime.datetime | datetime.date):
        return f"{value.year:04d}-{value.month:02d}"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return "" if value is None else str(value)


def _xlsx_rows(content: bytes):
    import openpyxl

    _check_zip(content)
    try:
        book = openpyxl.load_workbook(io.BytesIO(content), read_only=True, data_only=True)
    except Exception:  # openpyxl raises many kinds on a malformed file
        raise FileRefused(_("Tệp Excel bị hỏng hoặc không phải .xlsx."), code="xlsx") from None
    try:
        sheet = book.worksheets[0]
        for number, row in enumerate(sheet.iter_rows(values_only=True), start=1):
            yield number, [_cell(v) for v in row]
    finally:
        book.close()


def read_rows(name: str, content: bytes, *, columns: tuple[str, ...], optional=()) -> list[tuple[int, dict]]:
    """The file's rows as (line, {column: text}); columns are found by name in the
    first line, in any order. A missing column refuses the file."""
    is_xlsx = name.lower().endswith(".xlsx") or content.startswith(b"PK\x03\x04")
    source = _xlsx_rows(content) if is_xlsx else _csv_rows(content)
    header = None
    rows = []
    for line, cells in source:
        if header is None:
            if not any(str(c).strip() for c in cells):
                continue
            header = [_norm_header(c) for c in cells]
            missing = [c for c in columns if c not in header]
            if missing:
                raise RowsRefused([RowError(line, _("thiếu cột %(columns)s.") % {
                    "columns": ", ".join(missing)})])
            index = {c: header.index(c) for c in (*columns, *optional) if c in header}
            continue
        if not any(str(c).strip() for c in cells):
            continue
        if len(rows) >= MAX_ROWS:
            raise FileRefused(_("Tệp có quá %(max)s dòng."), code="size", params={"max": MAX_ROWS})
        rows.append((line, {c: nfc(str(cells[i]) if i < len(cells) else "").strip()
                            for c, i in index.items()}))
    if header is None:
        raise FileRefused(_("Tệp không có dòng tiêu đề."), code="empty")
    return rows


def parse_period(text: str) -> tuple[int, int] | None:
    match = PERIOD_RE.match(text or "")
    if not match:
        return None
    year, month = int(match.group(1)), int(match.group(2))
    if not (2000 <= year <= 2100 and 1 <= month <= 12):
        return None
    return year, month


def parse_count(text: str) -> int | None:
    """A whole number written plainly ("1256"); None when it is not one."""
    text = (text or "").strip()
    if re.fullmatch(r"-?\d+", text):
        return int(text)
    return None


def parse_percent(text: str) -> Decimal | None:
    text = (text or "").strip().replace(",", ".").rstrip("%").strip()
    try:
        value = Decimal(text)
    except InvalidOperation:
        return None
    return value if value.is_finite() else None
