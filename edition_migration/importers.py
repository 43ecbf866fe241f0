"""Reading the organisation's procedure files: .docx, .odt, .txt, .md → text.

Tables become Markdown pipe rows, headings "#" lines, so that one parser finds
the code, the title and the issue date whatever the file's format.
"""

import datetime
import io
import re
from dataclasses import dataclass
from pathlib import PurePath

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from qms.text import fold, nfc

OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"  # a .docx encrypted with a password is an OLE file

_CODE_LINE = re.compile(
    r"(?:^|[|\s])(?:mã\s+số|mã\s+hiệu|ký\s+hiệu|kí\s+hiệu|code)\s*:\s*([^\s|,;]+)",
    re.IGNORECASE | re.MULTILINE,
)
_ISSUED_LINE = re.compile(
    r"(?:ngày\s+ban\s+hành|ngày\s+hiệu\s+lực|effective\s+date|date\s+of\s+issue|issue\s+date)"
    r"\s*:\s*(?:(\d{1,2})[/.-](\d{1,2})[/.-](\d{4})|(\d{4})-(\d{2})-(\d{2}))",
    re.IGNORECASE,
)
_HEADING = re.compile(r"^\s*#+\s*(.+?)\s*#*\s*$")


class ReadError(ValidationError):
    """A file that cannot be read; the message names it."""


@dataclass
class Document:
    text: str
    title: str
    code: str
    issued: datetime.date | None


def _unreadable(name: str) -> ReadError:
    return ReadError(
        _("Không đọc được tệp “%(name)s”: tệp bị hỏng hoặc không đúng định dạng."),
        code="corrupt",
        params={"name": name},
    )


def refuse_protected(name: str, content: bytes) -> None:
    if content.startswith(OLE_MAGIC):
        raise ReadError(
            _("Tệp “%(name)s” được bảo vệ bằng mật khẩu (hoặc là tệp Word 97-2003 .doc); "
              "hãy gỡ mật khẩu hoặc lưu lại dưới dạng .docx rồi nhập lại."),
            code="protected",
            params={"name": name},
        )


def decode_text(content: bytes) -> str:
    """UTF-8 (with or without BOM), UTF-16 with BOM, else cp1258; NFC, Unix line ends."""
    if content.startswith(b"\xef\xbb\xbf"):
        text = content[3:].decode("utf-8")
    elif content.startswith((b"\xff\xfe", b"\xfe\xff")):
        text = content.decode("utf-16")
    else:
        try:
            text = content.decode("utf-8")
        except UnicodeDecodeError:
            text = content.decode("cp1258")
    return nfc(text.replace("\r\n", "\n").replace("\r", "\n"))


def _cell(text: str) -> str:
    return " ".join(nfc(text).split()).replace("|", "/")


def _pipe_rows(rows: list[list[str]]) -> list[str]:
    lines = []
    for i, row in enumerate(rows):
        lines.append("| " + " | ".join(row) + " |")
        if i == 0:
            lines.append("|" + "---|" * len(row))
    return lines


def read_docx(content: bytes) -> str:
    import docx
    from docx.table import Table
    from docx.text.paragraph import Paragraph

    document = docx.Document(io.BytesIO(content))
    lines = []
    for block in document.iter_inner_content():
        if isinstance(block, Paragraph):
            text = nfc(block.text).strip()
            style = (block.style.name if block.style is not None else "") or ""
            level = 0
            if style == "Title":
                level = 1
            elif style.startswith("Heading"):
                digits = style.removeprefix("Heading").strip()
                level = int(digits) if digits.isdigit() else 1
            if text and level:
                lines.append("#" * min(level, 6) + " " + text)
            else:
                lines.append(text)
        elif isinstance(block, Table):
            rows = []
            for row in block.rows:
                cells, previous = [], None
                for cell in row.cells:
                    # Merged cells repeat the same cell object: keep one.
                    if previous is not None and cell._tc is previous:
                        continue
                    previous = cell._tc
                    cells.append(_cell(cell.text))
                rows.append(cells)
            lines.extend(_pipe_rows(rows))
    return "\n".join(lines).strip() + "\n"


def read_odt(content: bytes) -> str:
    from odf import teletype
    from odf.namespaces import TABLENS, TEXTNS
    from odf.opendocument import load

    document = load(io.BytesIO(content))
    lines = []

    def walk(element):
        for child in element.childNodes:
            qname = getattr(child, "qname", None)
            if qname == (TEXTNS, "h"):
                level = child.getAttribute("outlinelevel") or "1"
                text = nfc(teletype.extractText(child)).strip()
                if text:
                    lines.append("#" * min(int(level), 6) + " " + text)
            elif qname == (TEXTNS, "p"):
                lines.append(nfc(teletype.extractText(child)).strip())
            elif qname == (TEXTNS, "list"):
                for item in child.getElementsByType(_odf_list_item()):
                    for para in item.childNodes:
                        if getattr(para, "qname", None) in ((TEXTNS, "p"), (TEXTNS, "h")):
                            lines.append("- " + nfc(teletype.extractText(para)).strip())
            elif qname == (TABLENS, "table"):
                rows = []
                for row in child.getElementsByType(_odf_table_row()):
                    rows.append(
                        [_cell(teletype.extractText(cell)) for cell in row.childNodes
                         if getattr(cell, "qname", None) == (TABLENS, "table-cell")]
                    )
                lines.extend(_pipe_rows(rows))
            elif qname is not None and child.childNodes:
                walk(child)

    walk(document.text)
    return "\n".join(lines).strip() + "\n"


def _odf_list_item():
    from odf.text import ListItem

    return ListItem


def _odf_table_row():
    from odf.table import TableRow

    return TableRow


def read(name: str, content: bytes, kind: str) -> str:
    """The file's text (NFC). `kind` comes from qms.files.check_upload."""
    try:
        if kind == "docx":
            text = read_docx(content)
        elif kind == "odt":
            text = read_odt(content)
        elif kind in ("txt", "md"):
            text = decode_text(content)
        else:
            raise ReadError(
                _("Tệp “%(name)s”: chỉ nhập được tệp .docx, .odt, .txt hoặc .md."),
                code="kind",
                params={"name": name},
            )
    except ReadError:
        raise
    except Exception as error:  # python-docx, odfpy and lxml raise many kinds
        raise _unreadable(name) from error
    if not text.strip():
        raise ReadError(
            _("Tệp “%(name)s” không có nội dung văn bản."), code="empty", params={"name": name}
        )
    return text


def code_from_name(name: str) -> str:
    stem = PurePath(name.replace("\\", "/")).name.rsplit(".", 1)[0]
    code = re.sub(r"[^A-Z0-9.-]+", "-", fold(stem).upper()).strip("-.")
    return code[:40]


def title_of(text: str) -> str:
    for line in text.splitlines():
        match = _HEADING.match(line)
        if match:
            return match.group(1).strip()
    for line in text.splitlines():
        if line.strip() and not _CODE_LINE.search(line):
            return line.strip().strip("|").strip()
    return ""


def issued_on(text: str) -> datetime.date | None:
    match = _ISSUED_LINE.search(text)
    if not match:
        return None
    d, m, y, y2, m2, d2 = match.groups()
    try:
        if y:
            return datetime.date(int(y), int(m), int(d))
        return datetime.date(int(y2), int(m2), int(d2))
    except ValueError:
        return None


def parse(name: str, content: bytes, kind: str) -> Document:
    text = read(name, content, kind)
    match = _CODE_LINE.search(text)
    code = match.group(1).strip(".:") if match else code_from_name(name)
    return Document(
        text=text, title=title_of(text)[:300], code=nfc(code).upper()[:40], issued=issued_on(text)
    )
