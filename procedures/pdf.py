"""The printable copy of a procedure version.

Fed with plain data by `selectors.version_print_data`; returns PDF bytes. An
effective version prints as a controlled copy; any other state carries a
watermark saying that the text is not (or no longer) valid.
"""

from html.parser import HTMLParser
from xml.sax.saxutils import escape

from django.utils.translation import gettext as _
from reportlab.lib import colors
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.platypus import HRFlowable, Paragraph, Spacer

from qms import pdf as qpdf
from qms.text import nfc

from .templatetags.procedures_tags import render_markdown

WIDTH = 174 * mm  # A4 minus the 18 mm margins of qms.pdf

INLINE = {"strong": "b", "b": "b", "em": "i", "i": "i", "u": "u", "del": "strike",
          "sup": "super", "sub": "sub"}
HEADINGS = {"h1": "Heading1", "h2": "Heading2", "h3": "Heading3", "h4": "Heading3",
            "h5": "Heading3", "h6": "Heading3"}


class _BodyBuilder(HTMLParser):
    """Sanitised Markdown HTML to reportlab flowables (headings, paragraphs, lists,
    tables, quotes, code); inline bold/italic kept as reportlab markup."""

    def __init__(self, st: dict):
        super().__init__(convert_charrefs=True)
        self.st = st
        self.flow: list = []
        self.buffer: list[str] = []
        self.block = "BodyText"
        self.lists: list[list] = []  # [kind, counter]
        self.table: list | None = None
        self.row: list | None = None
        self.in_pre = False
        self.quote = 0

    # -- helpers
    def _style(self, name):
        style = self.st[name]
        indent = 6 * mm * len(self.lists) + 6 * mm * self.quote
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
        if not text:
            return
        if self.row is not None:
            self.row[-1].append(text)
            return
        if self.lists and self.block == "li":
            kind = self.lists[-1]
            kind[1] += 1
            mark = f"{kind[1]}." if kind[0] == "ol" else "•"
            text = f"{mark} {text}"
            self.flow.append(Paragraph(text, self._style("BodyText")))
            return
        self.flow.append(Paragraph(text, self._style(self.block)))

    # -- parser events
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
            start = int(dict(attrs).get("start") or 1) if tag == "ol" else 1
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
            self.table = []
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
                self.flow.append(Paragraph(text, self._style("Code")))
        elif tag == "blockquote":
            self._flush()
            self.quote = max(0, self.quote - 1)
        elif tag in ("td", "th") and self.row is not None:
            self._flush()
        elif tag == "tr" and self.table is not None and self.row is not None:
            self.table.append(["".join(cell) for cell in self.row])
            self.row = None
        elif tag == "table" and self.table is not None:
            rows, self.table = self.table, None
            if rows:
                columns = max(len(r) for r in rows)
                cells = [
                    [Paragraph(c, self.st["CellBold" if i == 0 else "Cell"]) for c in r]
                    + [""] * (columns - len(r))
                    for i, r in enumerate(rows)
                ]
                self.flow.append(qpdf.table(cells, [WIDTH / columns] * columns))
                self.flow.append(Spacer(1, 3 * mm))

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


def body_flowables(body: str, st: dict) -> list:
    builder = _BodyBuilder(st)
    builder.feed(render_markdown(body))
    return builder.close()


def _styles() -> dict:
    st = qpdf.styles()
    st["Code"] = ParagraphStyle(
        "qms-Code", parent=st["Normal"], fontSize=8.5, leading=11,
        backColor=colors.HexColor("#f3f3f3"), borderPadding=3,
    )
    st["Banner"] = ParagraphStyle(
        "qms-Banner", parent=st["Normal"], fontName=qpdf.FONT_BOLD, fontSize=9,
        textColor=colors.HexColor("#0b5394"),
    )
    return st


def version_pdf(data: dict) -> bytes:
    """The printed copy of a version described by `data` (see version_print_data)."""
    st = _styles()
    controlled = not data["watermark"]
    banner = _("BẢN KIỂM SOÁT") if controlled else _("BẢN KHÔNG KIỂM SOÁT")
    header = _(
        "%(banner)s · %(code)s · Lần ban hành %(rev)s · In ngày %(printed_at)s bởi %(printed_by)s"
    ) % {
        "banner": banner,
        "code": data["code"],
        "rev": data["revision"],
        "printed_at": data["printed_at"],
        "printed_by": data["printed_by"],
    }
    footer = _("%(code)s · Lần ban hành %(rev)s · Hiệu lực từ %(date)s") % {
        "code": data["code"], "rev": data["revision"], "date": data["effective_from"]
    }
    meta = [
        [_("Mã số"), data["code"], _("Lần ban hành"), str(data["revision"])],
        [_("Loại tài liệu"), data["kind"], _("Trạng thái"), data["state"]],
        [_("Đơn vị chủ trì"), data["department"], _("Tiêu chuẩn"), data["edition"]],
        [_("Ngày hiệu lực"), data["effective_from"], _("Hạn xem xét định kỳ"),
         data["next_review_due"]],
    ]
    story = [
        qpdf.para(banner, st["Banner"]),
        qpdf.para(data["title"], st["Title"]),
        qpdf.table(meta, [32 * mm, 55 * mm, 35 * mm, 52 * mm], header=False),
        Spacer(1, 2 * mm),
    ]
    if data.get("decision"):
        # The issuing decision (issue 10, point 3), e.g. "Quyết định ban hành số
        # 125/QĐ-UBND ngày 15/03/2024".
        story.append(qpdf.para(data["decision"], st["Banner"]))
    story.append(Spacer(1, 2 * mm))
    if data["clauses"]:
        story.append(qpdf.para(_("Điều khoản viện dẫn"), st["Heading3"]))
        rows = [[_("Số hiệu"), _("Tên điều khoản")], *[[n, t] for n, t in data["clauses"]]]
        story += [qpdf.table(rows, [25 * mm, WIDTH - 25 * mm]), Spacer(1, 4 * mm)]
    if data["signatures"]:
        story.append(qpdf.para(_("Chữ ký điện tử"), st["Heading3"]))
        rows = [[_("Người ký"), _("Ý nghĩa"), _("Thời điểm")], *data["signatures"]]
        story += [qpdf.table(rows, [70 * mm, 54 * mm, 50 * mm]), Spacer(1, 4 * mm)]
    story.append(HRFlowable(width="100%", thickness=0.8, color=colors.HexColor("#0b5394")))
    story.append(Spacer(1, 2 * mm))
    story += body_flowables(data["body"], st)
    if data["attachments"]:
        story.append(qpdf.para(_("Tệp đính kèm"), st["Heading3"]))
        story += [qpdf.para(f"• {name}", st["BodyText"]) for name in data["attachments"]]
    if data["change_summary"]:
        story.append(qpdf.para(_("Tóm tắt thay đổi"), st["Heading3"]))
        story.append(qpdf.para(data["change_summary"], st["BodyText"]))
    return qpdf.build_pdf(
        story,
        title=nfc(f"{data['code']} {data['title']}"),
        header=header,
        footer=footer,
        watermark=data["watermark"],
        author=data["printed_by"],
    )
