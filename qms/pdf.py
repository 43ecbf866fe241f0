"""PDF building blocks shared by every report: Vietnamese fonts, styles, page frame.

Layout code receives plain data (no queries here) and returns bytes.
"""

import io
import re
from collections.abc import Callable, Sequence
from xml.sax.saxutils import escape

from django.conf import settings
from reportlab.lib import colors
from reportlab.lib.enums import TA_CENTER
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle, getSampleStyleSheet
from reportlab.lib.units import mm
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.pdfgen import canvas
from reportlab.platypus import (
    Flowable,
    KeepTogether,
    Paragraph,
    SimpleDocTemplate,
    Table,
    TableStyle,
)

from .text import nfc

FONT = "DejaVuSans"
FONT_BOLD = "DejaVuSans-Bold"
FONT_ITALIC = "DejaVuSans-Oblique"
FONT_BOLD_ITALIC = "DejaVuSans-BoldOblique"


def register_fonts() -> None:
    """Register the shipped DejaVu Sans family once: reportlab's own fonts lack Vietnamese."""
    if FONT in pdfmetrics.getRegisteredFontNames():
        return
    font_dir = settings.QMS_FONT_DIR
    for name in (FONT, FONT_BOLD, FONT_ITALIC, FONT_BOLD_ITALIC):
        pdfmetrics.registerFont(TTFont(name, str(font_dir / f"{name}.ttf")))
    pdfmetrics.registerFontFamily(
        FONT, normal=FONT, bold=FONT_BOLD, italic=FONT_ITALIC, boldItalic=FONT_BOLD_ITALIC
    )


def styles() -> dict[str, ParagraphStyle]:
    register_fonts()
    base = getSampleStyleSheet()
    result = {}
    for name in ("Normal", "BodyText", "Title", "Heading1", "Heading2", "Heading3"):
        result[name] = ParagraphStyle(
            name=f"qms-{name}",
            parent=base[name],
            fontName=FONT_BOLD if name != "Normal" and name != "BodyText" else FONT,
        )
    result["Title"].alignment = TA_CENTER
    result["Small"] = ParagraphStyle("qms-Small", parent=result["Normal"], fontSize=8, leading=10)
    result["Cell"] = ParagraphStyle("qms-Cell", parent=result["Normal"], fontSize=9, leading=11)
    result["CellBold"] = ParagraphStyle("qms-CellBold", parent=result["Cell"], fontName=FONT_BOLD)
    return result


def para(text, style: ParagraphStyle) -> Paragraph:
    """A paragraph of user text: NFC, markup escaped, line breaks kept."""
    safe = escape(nfc(str(text if text is not None else ""))).replace("\n", "<br/>")
    return Paragraph(safe, style)


# A paragraph is laid out again each time it is split across a page, so one huge
# paragraph costs time in the square of its length: long text is cut into paragraphs
# of at most this many characters (at a line break or a space), which keeps a
# PDF's build time in proportion to its text.
PARAGRAPH_CHARS = 2000
_TAG = re.compile(r"(<[^>]*>)")


def split_markup(text: str, size: int = PARAGRAPH_CHARS) -> list[str]:
    """Reportlab paragraph markup cut into pieces of about `size` characters; inline
    tags open at a cut are closed before it and opened again after it."""
    if len(text) <= size:
        return [text]
    chunks: list[str] = []
    current: list[str] = []
    length = 0
    stack: list[tuple[str, str]] = []  # (name, opening tag)

    def cut():
        nonlocal current, length
        chunks.append("".join(current) + "".join(f"</{name}>" for name, _ in reversed(stack)))
        current, length = [tag for _, tag in stack], 0

    for token in _TAG.split(text):
        if not token:
            continue
        if token.startswith("<"):
            if token == "<br/>" and length >= size // 2:
                cut()  # a line break is the best place for a paragraph break
            elif token.startswith("</"):
                if stack:
                    stack.pop()
                current.append(token)
            elif token.endswith("/>"):
                current.append(token)
            else:
                stack.append((token[1:].split()[0].rstrip(">"), token))
                current.append(token)
            continue
        while length + len(token) > size:
            room = size - length
            at = token.rfind(" ", 0, room + 1)
            if at <= 0:
                if length:
                    cut()
                    continue
                at = _entity_safe(token, size)
            current.append(token[:at])
            cut()
            token = token[at:].lstrip(" ")
        current.append(token)
        length += len(token)
    if length or not chunks:
        cut()
    return chunks


def _entity_safe(token: str, at: int) -> int:
    """A cut position that does not fall inside an entity such as &amp;."""
    amp = token.rfind("&", max(0, at - 10), at)
    if amp > 0 and ";" not in token[amp:at]:
        return amp
    return at


def paras(text, style: ParagraphStyle) -> list[Paragraph]:
    """User text as paragraphs of bounded length (see PARAGRAPH_CHARS)."""
    safe = escape(nfc(str(text if text is not None else ""))).replace("\n", "<br/>")
    return [Paragraph(chunk, style) for chunk in split_markup(safe)]


def table(rows: Sequence[Sequence], col_widths: Sequence[float], *, header: bool = True) -> Table:
    """A wrapped-cell table whose header row repeats on every page."""
    st = styles()
    body = [
        [cell if not isinstance(cell, str | int | float | type(None)) else
         para(cell, st["CellBold"] if header and i == 0 else st["Cell"]) for cell in row]
        for i, row in enumerate(rows)
    ]
    result = Table(body, colWidths=col_widths, repeatRows=1 if header else 0)
    commands = [
        ("GRID", (0, 0), (-1, -1), 0.4, colors.grey),
        ("VALIGN", (0, 0), (-1, -1), "TOP"),
    ]
    if header:
        commands.append(("BACKGROUND", (0, 0), (-1, 0), colors.HexColor("#dfe7f1")))
    result.setStyle(TableStyle(commands))
    return result


def numbered_canvas(header: str, footer: str, *, watermark: str = "") -> type[canvas.Canvas]:
    """A canvas class that draws the header, the footer with "Trang X/Y" and an
    optional diagonal watermark on each page, once the page count is known."""

    class NumberedCanvas(canvas.Canvas):
        def __init__(self, *args, **kwargs):
            super().__init__(*args, **kwargs)
            self._saved_pages = []

        def showPage(self):
            self._saved_pages.append(dict(self.__dict__))
            self._startPage()

        def save(self):
            total = len(self._saved_pages)
            for number, state in enumerate(self._saved_pages, start=1):
                self.__dict__.update(state)
                self._draw_frame(number, total)
                super().showPage()
            super().save()

        def _draw_frame(self, number: int, total: int):
            width, height = self._pagesize
            self.saveState()
            self.setFont(FONT, 8)
            self.setStrokeColor(colors.grey)
            self.drawString(18 * mm, height - 12 * mm, nfc(header))
            self.line(18 * mm, height - 13.5 * mm, width - 18 * mm, height - 13.5 * mm)
            self.line(18 * mm, 13.5 * mm, width - 18 * mm, 13.5 * mm)
            self.drawString(18 * mm, 9 * mm, nfc(footer))
            self.drawRightString(width - 18 * mm, 9 * mm, f"Trang {number}/{total}")
            if watermark:
                self.setFont(FONT_BOLD, 40)
                self.setFillColor(colors.Color(0.8, 0.1, 0.1, alpha=0.25))
                self.translate(width / 2, height / 2)
                self.rotate(45)
                self.drawCentredString(0, 0, nfc(watermark))
            self.restoreState()

    return NumberedCanvas


def build_pdf(
    story: list,
    *,
    title: str,
    header: str,
    footer: str,
    watermark: str = "",
    author: str = "",
    on_page: Callable | None = None,
) -> bytes:
    """Lay out a story on A4 pages framed by header and footer; return the PDF bytes."""
    register_fonts()
    buffer = io.BytesIO()
    doc = SimpleDocTemplate(
        buffer,
        pagesize=A4,
        leftMargin=18 * mm,
        rightMargin=18 * mm,
        topMargin=20 * mm,
        bottomMargin=20 * mm,
        title=nfc(title),
        author=nfc(author),
    )
    doc.build(
        story,
        canvasmaker=numbered_canvas(header, footer, watermark=watermark),
        **({"onFirstPage": on_page, "onLaterPages": on_page} if on_page else {}),
    )
    return buffer.getvalue()


# ---------------------------------------------------------------- official presentation
# Decree 30/2020/NĐ-CP, appendix I: the issuing body top left (its parent body above
# it, in capitals), the national title top right, the place-and-date line under the
# motto, the signature block never alone on a page.

NATIONAL_TITLE = "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM"
MOTTO = "Độc lập - Tự do - Hạnh phúc"


def place_date(day, place: str = "") -> str:
    """ "Nha Trang, ngày 05 tháng 11 năm 2026": days below 10 and the months
    January and February take a leading zero (Decree 30, appendix I, 1.5)."""
    month = f"{day.month:02d}" if day.month < 3 else str(day.month)
    return f"{place or settings.QMS_PLACE}, ngày {day.day:02d} tháng {month} năm {day.year}"


def _official_styles() -> dict[str, ParagraphStyle]:
    st = styles()
    centre = {"alignment": TA_CENTER, "fontSize": 10, "leading": 13}
    return {
        "parent": ParagraphStyle("qms-OffParent", parent=st["Normal"], **centre),
        "body": ParagraphStyle("qms-OffBody", parent=st["Normal"], fontName=FONT_BOLD, **centre),
        "motto": ParagraphStyle("qms-OffMotto", parent=st["Normal"], fontName=FONT_BOLD,
                                alignment=TA_CENTER, fontSize=10.5, leading=13),
        "italic": ParagraphStyle("qms-OffItalic", parent=st["Normal"], fontName=FONT_ITALIC,
                                 alignment=TA_CENTER, fontSize=10, leading=13),
        "number": ParagraphStyle("qms-OffNumber", parent=st["Normal"], alignment=TA_CENTER,
                                 fontSize=10, leading=13),
    }


class _Rule(Flowable):
    """The short centred line under the issuing body and under the motto."""

    def __init__(self, width: float):
        super().__init__()
        self.rule = width

    def wrap(self, available_width, available_height):
        self.width = available_width
        return available_width, 3

    def draw(self):
        start = (self.width - self.rule) / 2
        self.canv.setLineWidth(0.6)
        self.canv.line(start, 1.5, start + self.rule, 1.5)


def official_heading(
    *,
    issuer: str,
    parent: str | None = None,
    number: str = "",
    place_and_date: str = "",
    national: bool = True,
    right: Sequence | None = None,
    width: float = 174 * mm,
) -> Table:
    """The two-column heading of an official document. `issuer` is the body that
    issues it (a department, the audit team), `parent` the body above it
    (settings.QMS_PARENT_BODY by default; "" for none); `number` the "Số: …" line
    under the issuer; on the right the national title and motto (`national`) or the
    flowables of `right`, then `place_and_date`."""
    st = _official_styles()
    parent = settings.QMS_PARENT_BODY if parent is None else parent
    left = []
    if parent:
        left.append(para(parent.upper(), st["parent"]))
    left += [para(issuer.upper(), st["body"]), _Rule(22 * mm)]
    if number:
        left.append(para(number, st["number"]))
    column = []
    if national:
        column += [para(NATIONAL_TITLE, st["body"]), para(MOTTO, st["motto"]), _Rule(48 * mm)]
    column += list(right or [])
    if place_and_date:
        column.append(para(place_and_date, st["italic"]))
    left_width = width * 0.42
    result = Table([[left, column]], colWidths=[left_width, width - left_width])
    result.setStyle(TableStyle([
        ("VALIGN", (0, 0), (-1, -1), "TOP"),
        ("LEFTPADDING", (0, 0), (-1, -1), 0),
        ("RIGHTPADDING", (0, 0), (-1, -1), 0),
    ]))
    return result


def signature_block(preceding: Sequence, columns: Sequence[Sequence], *, width: float = 174 * mm):
    """The signature table kept on one page with `preceding` (the flowables just
    above it, at least the closing paragraph), so that no page starts with the
    signatures alone. `columns` holds, per signer, the flowables of one cell."""
    signatures = Table([list(columns)], colWidths=[width / len(columns)] * len(columns))
    signatures.setStyle(TableStyle([("VALIGN", (0, 0), (-1, -1), "TOP")]))
    return KeepTogether([*preceding, signatures])
