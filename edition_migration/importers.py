"""Reading the organisation's procedure files: .docx, .odt, .txt, .md → Markdown text.

Tables become Markdown tables (header row, cells, merged cells written once, a
blank line around them), headings "#" lines (Word's heading styles, or a short
paragraph all in bold), numbered and bulleted lists "1." and "-" lines, so that
the page and the PDF show the document as it was, and one parser (`header`)
finds the title, code, revision, date and approval whatever the file's format.
"""

import datetime
import io
import re
from dataclasses import dataclass
from pathlib import PurePath

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from qms.codes import code_repair
from qms.dates import is_plausible
from qms.text import fold, nfc

from . import header

OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"  # a .docx encrypted with a password is an OLE file

class ReadError(ValidationError):
    """A file that cannot be read; the message names it."""


@dataclass
class Document:
    text: str
    title: str
    code: str
    issued: datetime.date | None  # the effective date the file states
    revision: int | None = None
    revision_text: str = ""
    approval: str = ""


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
    # NUL never belongs in a text (PostgreSQL refuses it): a file in another encoding
    # (UTF-32) decodes with one between every letter.
    return nfc(text.replace("\r\n", "\n").replace("\r", "\n").replace("\x00", ""))


def _cell(text: str) -> str:
    """One table cell on one line: its paragraphs joined, pipes made harmless."""
    return " ".join(nfc(text).split()).replace("|", "/")


def _pipe_rows(rows: list[list[str]]) -> list[str]:
    """A Markdown table with blank lines around it, every row as wide as the widest
    (a merged cell is written once, the cells it covered left empty)."""
    width = max((len(row) for row in rows), default=0)
    if not width:
        return []
    lines = [""]
    for i, row in enumerate(rows):
        row = row + [""] * (width - len(row))
        lines.append("| " + " | ".join(row) + " |")
        if i == 0:
            lines.append("|" + "---|" * width)
    lines.append("")
    return lines


_WORD_NS = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"


def _docx_list_kind(paragraph) -> str | None:
    """"ol", "ul" or None: Word's list styles, or numbering set on the paragraph."""
    style = (paragraph.style.name if paragraph.style is not None else "") or ""
    if style.startswith("List Number"):
        return "ol"
    if style.startswith("List Bullet") or style.startswith("List Paragraph"):
        return "ul" if style.startswith("List Bullet") else _numbering_kind(paragraph)
    return _numbering_kind(paragraph)


def _numbering_kind(paragraph) -> str | None:
    num_pr = paragraph._p.find(f"{_WORD_NS}pPr/{_WORD_NS}numPr")
    if num_pr is None:
        return None
    try:
        numbering = paragraph.part.numbering_part.element
        num_id = num_pr.find(f"{_WORD_NS}numId").get(f"{_WORD_NS}val")
        level = num_pr.find(f"{_WORD_NS}ilvl")
        level = level.get(f"{_WORD_NS}val") if level is not None else "0"
        num = numbering.find(f"{_WORD_NS}num[@{_WORD_NS}numId='{num_id}']")
        abstract_id = num.find(f"{_WORD_NS}abstractNumId").get(f"{_WORD_NS}val")
        abstract = numbering.find(f"{_WORD_NS}abstractNum[@{_WORD_NS}abstractNumId='{abstract_id}']")
        fmt = abstract.find(f"{_WORD_NS}lvl[@{_WORD_NS}ilvl='{level}']/{_WORD_NS}numFmt")
        return "ul" if fmt is not None and fmt.get(f"{_WORD_NS}val") == "bullet" else "ol"
    except Exception:  # a numbering part python-docx cannot read: still a list
        return "ul"


def _docx_heading_level(paragraph, text: str) -> int:
    style = (paragraph.style.name if paragraph.style is not None else "") or ""
    if style == "Title":
        return 1
    if style.startswith("Heading"):
        digits = style.removeprefix("Heading").strip()
        return int(digits) if digits.isdigit() else 1
    runs = [run for run in paragraph.runs if run.text.strip()]
    # A short paragraph all in bold is a heading the author styled by hand.
    if runs and all(run.bold for run in runs) and len(text) <= 120 and not text.endswith((".", ";", ":")):
        return 2
    return 0


def _docx_table(table) -> list[list[str]]:
    """Rows of cell texts; a cell merged across columns or rows is written once."""
    rows, seen, keep = [], set(), []
    for row in table.rows:
        cells = []
        for cell in row.cells:
            element = cell._tc
            keep.append(element)  # holds the lxml proxy, so that id() stays its own
            if id(element) in seen:
                cells.append("")  # covered by a merged cell already written
                continue
            seen.add(id(element))
            cells.append(_cell(cell.text))
        rows.append(cells)
    return rows


def read_docx(content: bytes) -> str:
    import docx
    from docx.table import Table
    from docx.text.paragraph import Paragraph

    document = docx.Document(io.BytesIO(content))
    lines: list[str] = []
    counters: dict[int, int] = {}
    for block in document.iter_inner_content():
        if isinstance(block, Paragraph):
            text = nfc(block.text).strip()
            if not text:
                lines.append("")
                continue
            kind = _docx_list_kind(block)
            level = _docx_heading_level(block, text) if kind is None else 0
            if kind is not None:
                if lines and lines[-1].strip() and not re.match(r"^(?:- |\d+\. )", lines[-1]):
                    lines.append("")
                if kind == "ol":
                    counters[0] = counters.get(0, 0) + 1
                    lines.append(f"{counters[0]}. {text}")
                else:
                    lines.append(f"- {text}")
                continue
            if counters or (lines and re.match(r"^(?:- |\d+\. )", lines[-1])):
                lines.append("")  # the paragraph after a list stays a paragraph
            counters.clear()
            if level:
                lines.append("#" * min(level, 6) + " " + text)
            else:
                lines.append(text)
        elif isinstance(block, Table):
            counters.clear()
            lines.extend(_pipe_rows(_docx_table(block)))
    return _tidy(lines)


def _tidy(lines: list[str]) -> str:
    """At most one blank line in a row; none at the start or end."""
    out: list[str] = []
    for line in lines:
        if not line.strip() and (not out or not out[-1].strip()):
            continue
        out.append(line.rstrip())
    return "\n".join(out).strip() + "\n"


def read_odt(content: bytes) -> str:
    from odf import teletype
    from odf.namespaces import TABLENS, TEXTNS
    from odf.opendocument import load

    document = load(io.BytesIO(content))
    numbered_styles = _odt_numbered_list_styles(document)
    lines: list[str] = []

    def text_of(element) -> str:
        return " ".join(nfc(teletype.extractText(element)).split())

    def add_list(element, depth=0):
        style = element.getAttribute("stylename") or ""
        ordered = style in numbered_styles
        if lines and lines[-1].strip():
            lines.append("")
        number = 0
        for item in element.childNodes:
            if getattr(item, "qname", None) != (TEXTNS, "list-item"):
                continue
            for child in item.childNodes:
                qname = getattr(child, "qname", None)
                if qname in ((TEXTNS, "p"), (TEXTNS, "h")):
                    number += 1
                    mark = f"{number}." if ordered else "-"
                    lines.append("    " * depth + f"{mark} {text_of(child)}")
                elif qname == (TEXTNS, "list"):
                    add_list(child, depth + 1)
        lines.append("")

    def add_table(element):
        rows = []
        for row in element.getElementsByType(_odf_table_row()):
            cells = []
            for cell in row.childNodes:
                qname = getattr(cell, "qname", None)
                if qname == (TABLENS, "table-cell"):
                    cells.append(_cell(teletype.extractText(cell)))
                    span = int(cell.getAttribute("numbercolumnsspanned") or 1)
                    cells.extend([""] * (span - 1))
                elif qname == (TABLENS, "covered-table-cell"):
                    continue  # counted by the spanning cell
            rows.append(cells)
        lines.extend(_pipe_rows(rows))

    def walk(element):
        for child in element.childNodes:
            qname = getattr(child, "qname", None)
            if qname == (TEXTNS, "h"):
                level = child.getAttribute("outlinelevel") or "1"
                text = text_of(child)
                if text:
                    lines.append("#" * min(int(level), 6) + " " + text)
            elif qname == (TEXTNS, "p"):
                lines.append(text_of(child))
            elif qname == (TEXTNS, "list"):
                add_list(child)
            elif qname == (TABLENS, "table"):
                add_table(child)
            elif qname is not None and child.childNodes:
                walk(child)

    walk(document.text)
    return _tidy(lines)


def _odt_numbered_list_styles(document) -> set[str]:
    """Names of the list styles whose first level is numbered (not bullets)."""
    from odf.namespaces import TEXTNS

    names = set()
    for container in (document.automaticstyles, document.styles):
        for style in container.childNodes:
            if getattr(style, "qname", None) != (TEXTNS, "list-style"):
                continue
            levels = [c for c in style.childNodes if getattr(c, "qname", None) in (
                (TEXTNS, "list-level-style-number"), (TEXTNS, "list-level-style-bullet"))]
            if levels and levels[0].qname == (TEXTNS, "list-level-style-number"):
                names.add(style.getAttribute("name"))
    return names


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
    return code_repair(fold(stem).upper())


def parse(name: str, content: bytes, kind: str) -> Document:
    text = read(name, content, kind)
    found = header.parse(text)
    code = found.code or code_from_name(name)
    if found.effective_from is not None and not is_plausible(found.effective_from):
        raise ReadError(
            _("Tệp “%(name)s” ghi ngày hiệu lực %(day)s không hợp lý; hãy sửa ngày trong tệp "
              "rồi nhập lại."),
            code="date",
            params={"name": name, "day": found.effective_from.strftime("%d/%m/")
                    + str(found.effective_from.year).zfill(4)},
        )
    return Document(
        text=text, title=found.title[:300], code=code_repair(fold(code).upper()) if code else "",
        issued=found.effective_from, revision=found.revision, revision_text=found.revision_text,
        approval=found.approval,
    )
