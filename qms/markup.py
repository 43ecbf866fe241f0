"""The one Markdown renderer of the project: procedure bodies on the page and in PDFs.

Two entry points, one per output, so that limits (nesting depth, length) can be
added in one place:

- `to_html(text)`: sanitised HTML for a page (nh3 removes anything not listed);
- `to_flowables(text, styles)`: reportlab flowables for a PDF — real tables with a
  header row and wrapped cells, lists, headings; never pipes.

Both first call `prepare(text)`, which puts a blank line before a table or a list
glued to the paragraph above it (Python-Markdown needs one; a Word table pasted
under a line of text would otherwise render as pipes).
"""

import re
from html.parser import HTMLParser
from xml.sax.saxutils import escape

import markdown
import nh3
from reportlab.lib import colors
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.platypus import HRFlowable, Paragraph, Spacer

from . import pdf as qpdf
from .text import nfc

# What the light Markdown of a procedure body may produce; everything else is removed.
ALLOWED_TAGS = {
    "p", "br", "hr", "h1", "h2", "h3", "h4", "h5", "h6", "strong", "em", "b", "i", "u",
    "ul", "ol", "li", "blockquote", "pre", "code", "table", "thead", "tbody", "tr", "th",
    "td", "a", "del", "sup", "sub",
}
ALLOWED_ATTRIBUTES = {"a": {"href", "title"}, "th": {"align"}, "td": {"align"}, "ol": {"start"}}
EXTENSIONS = ["tables", "sane_lists", "fenced_code", "nl2br"]

_TABLE_ROW = re.compile(r"^\s*\|")
_LIST_ITEM = re.compile(r"^\s{0,3}(?:[-*+]|\d{1,3}[.)])\s+\S")
_FENCE = re.compile(r"^\s*(```|~~~)")
# Lists and quotes nest at most this deep; deeper markers are kept as text. A line of
# 500 markers ("1. 1. 1. …") made Python-Markdown recurse past Python's limit.
MAX_DEPTH = 8
_MARKER = re.compile(r"[ \t]*(?:[-*+>]|\d{1,9}[.)])(?:[ \t]+|(?=>))")
_NESTED = re.compile(r"^(?:[ \t]*(?:[-*+>]|\d{1,9}[.)])(?:[ \t]+|(?=>))){" + str(MAX_DEPTH + 1) + ",}")
_ESCAPABLE = re.compile(r"([-*+>.)])")


def _bound_nesting(line: str) -> str:
    """The line with its list/quote markers past MAX_DEPTH escaped into plain text."""
    if not _NESTED.match(line):
        return line
    position, depth = 0, 0
    while depth < MAX_DEPTH:
        position = _MARKER.match(line, position).end()
        depth += 1
    return line[:position] + _ESCAPABLE.sub(r"\\\1", line[position:])


def prepare(text: str) -> str:
    """NFC text with a blank line before each table and list that follows a line of
    text directly, and after a table or a list followed directly by a line of text
    (which would otherwise be read as part of the table or of the last item)."""
    lines = nfc(text or "").replace("\r\n", "\n").split("\n")
    out: list[str] = []
    fenced = False
    for line in lines:
        line = _bound_nesting(line)
        is_fence = bool(_FENCE.match(line))
        previous = out[-1] if out else ""
        if not fenced and not is_fence and previous.strip():
            is_table, was_table = bool(_TABLE_ROW.match(line)), bool(_TABLE_ROW.match(previous))
            is_item, was_item = bool(_LIST_ITEM.match(line)), bool(_LIST_ITEM.match(previous))
            starts_block = (is_table and not was_table) or (is_item and not was_item and not was_table)
            ends_block = (was_table and not is_table) or (
                was_item and not is_item and not line.startswith((" ", "\t")) and line.strip())
            if starts_block or ends_block:
                out.append("")
        if is_fence:
            fenced = not fenced
        out.append(line)
    return "\n".join(out)


def to_html(text: str) -> str:
    """Markdown to HTML, sanitised by nh3: a body can never inject a script."""
    try:
        html = markdown.markdown(prepare(text), extensions=EXTENSIONS, output_format="html")
    except RecursionError:  # a construct we did not foresee: show the text as it is
        html = "<p>" + escape(nfc(text)).replace("\n", "<br>") + "</p>"
    return nh3.clean(
        html,
        tags=ALLOWED_TAGS,
        attributes=ALLOWED_ATTRIBUTES,
        attribute_filter=_attribute_filter,
        url_schemes={"http", "https", "mailto"},
        link_rel="noopener noreferrer",
    )


def _attribute_filter(tag, attribute, value):
    """`<ol start>` only as a small number: anything else is dropped."""
    if attribute == "start":
        return value if value.isdigit() and len(value) <= 6 else None
    return value


def to_flowables(text: str, styles: dict | None = None, *, width: float = 174 * mm) -> list:
    """Markdown to reportlab flowables (the same HTML as the page, laid out for print)."""
    builder = _FlowableBuilder(styles or pdf_styles(), width)
    builder.feed(to_html(text))
    return builder.close()


def pdf_styles() -> dict:
    st = qpdf.styles()
    st.setdefault("Code", ParagraphStyle(
        "qms-Code", parent=st["Normal"], fontSize=8.5, leading=11,
        backColor=colors.HexColor("#f3f3f3"), borderPadding=3,
    ))
    return st


INLINE = {"strong": "b", "b": "b", "em": "i", "i": "i", "u": "u", "del": "strike",
          "sup": "super", "sub": "sub"}
HEADINGS = {"h1": "Heading1", "h2": "Heading2", "h3": "Heading3", "h4": "Heading3",
            "h5": "Heading3", "h6": "Heading3"}


class _FlowableBuilder(HTMLParser):
    """Sanitised HTML (from `to_html`) to flowables: headings, paragraphs, lists,
    tables, quotes, code; inline bold/italic kept as reportlab markup."""

    def __init__(self, st: dict, width: float):
        super().__init__(convert_charrefs=True)
        self.st = st
        self.width = width
        self.flow: list = []
        self.buffer: list[str] = []
        self.block = "BodyText"
        self.lists: list[list] = []  # [kind, counter]
        self.table: list | None = None
        self.header_rows = 0
        self.row: list | None = None
        self.in_head = False
        self.in_pre = False
        self.quote = 0

    def _style(self, name):
        style = self.st[name]
        # Indentation stops at MAX_DEPTH levels: deeper raw HTML lists still fit the page.
        indent = 6 * mm * min(len(self.lists) + self.quote, MAX_DEPTH)
        if indent or self.quote:
            style = ParagraphStyle(
                f"{style.name}-{len(self.lists)}-{self.quote}",
                parent=style,
                leftIndent=indent,
                textColor=colors.HexColor("#444444") if self.quote else style.textColor,
            )
        return style

    def _flush(self):
        text = "".join(self.buffer).strip()
        self.buffer = []
        if text.endswith("<br/>"):
            text = text[: -len("<br/>")].rstrip()
        if not text:
            return
        if self.row is not None:
            self.row[-1].append(text)
            return
        if self.lists and self.block == "li":
            kind = self.lists[-1]
            kind[1] += 1
            mark = f"{kind[1]}." if kind[0] == "ol" else "•"
            style = self._style("BodyText")
            style = ParagraphStyle(f"{style.name}-li", parent=style, bulletIndent=style.leftIndent,
                                   leftIndent=style.leftIndent + 6 * mm)
            first, *rest = qpdf.split_markup(text)
            self.flow.append(Paragraph(first, style, bulletText=mark))
            self.flow.extend(Paragraph(chunk, style) for chunk in rest)
            return
        style = self._style(self.block)
        self.flow.extend(Paragraph(chunk, style) for chunk in qpdf.split_markup(text))

    def handle_starttag(self, tag, attrs):
        if tag in INLINE:
            self.buffer.append(f"<{INLINE[tag]}>")
        elif tag == "code" and not self.in_pre:
            self.buffer.append('<font backColor="#eeeeee">')
        elif tag == "br":
            self.buffer.append("<br/>")
        elif tag in HEADINGS or tag == "p":
            self._flush()
            self.block = HEADINGS.get(tag, "BodyText") if self.block != "li" else "li"
        elif tag in ("ul", "ol"):
            self._flush()
            start = dict(attrs).get("start") or "1"
            start = int(start) if tag == "ol" and start.isdigit() and len(start) <= 6 else 1
            self.lists.append([tag, start - 1])
        elif tag == "li":
            self._flush()
            self.block = "li"
        elif tag == "pre":
            self._flush()
            self.in_pre = True
        elif tag == "blockquote":
            self._flush()
            self.quote += 1
        elif tag == "hr":
            self._flush()
            self.flow.append(HRFlowable(width="100%", thickness=0.5, color=colors.grey))
        elif tag == "table":
            self._flush()
            self.table, self.header_rows = [], 0
        elif tag == "thead":
            self.in_head = True
        elif tag == "tr" and self.table is not None:
            self.row = []
        elif tag in ("td", "th") and self.row is not None:
            self.buffer = []
            self.row.append([])

    def handle_endtag(self, tag):
        if tag in INLINE:
            self.buffer.append(f"</{INLINE[tag]}>")
        elif tag == "code" and not self.in_pre:
            self.buffer.append("</font>")
        elif tag in HEADINGS or tag == "p":
            self._flush()
            if self.block != "li":
                self.block = "BodyText"
        elif tag == "li":
            self._flush()
            self.block = "li" if self.lists else "BodyText"
        elif tag in ("ul", "ol"):
            self._flush()
            if self.lists:
                self.lists.pop()
            self.block = "li" if self.lists else "BodyText"
        elif tag == "pre":
            text = "".join(self.buffer).rstrip("\n").replace("\n", "<br/>")
            self.buffer = []
            self.in_pre = False
            if text:
                style = self._style("Code")
                self.flow.extend(Paragraph(chunk, style) for chunk in qpdf.split_markup(text))
        elif tag == "blockquote":
            self._flush()
            self.quote = max(0, self.quote - 1)
        elif tag == "thead":
            self.in_head = False
        elif tag in ("td", "th") and self.row is not None:
            self._flush()
        elif tag == "tr" and self.table is not None and self.row is not None:
            self.table.append(["<br/>".join(cell) for cell in self.row])
            self.header_rows += self.in_head
            self.row = None
        elif tag == "table" and self.table is not None:
            rows, self.table = self.table, None
            if rows:
                self.flow.append(self._table(rows))
                self.flow.append(Spacer(1, 3 * mm))

    def _table(self, rows):
        columns = max(len(r) for r in rows)
        header = self.header_rows > 0
        cells = [
            [Paragraph(c, self.st["CellBold" if header and i == 0 else "Cell"]) for c in r]
            + [""] * (columns - len(r))
            for i, r in enumerate(rows)
        ]
        return qpdf.table(cells, _column_widths(rows, columns, self.width), header=header)

    def handle_data(self, data):
        text = escape(data)
        if self.in_pre:
            text = text.replace(" ", "&nbsp;")
        elif not self.buffer or self.buffer[-1].endswith("<br/>"):
            text = text.lstrip("\n")
        self.buffer.append(text if self.in_pre else text.replace("\n", " "))

    def close(self):
        super().close()
        self._flush()
        return self.flow


def _column_widths(rows, columns: int, width: float) -> list[float]:
    """Widths in proportion to the longest text of each column (a step number stays
    narrow, a description gets room), none under 12 mm."""
    plain = re.compile(r"<[^>]+>")
    longest = [1] * columns
    for row in rows:
        for i, cell in enumerate(row):
            longest[i] = max(longest[i], min(len(plain.sub("", cell)), 60))
    total = sum(longest)
    widths = [max(12 * mm, width * n / total) for n in longest]
    scale = width / sum(widths)
    return [w * scale for w in widths]
