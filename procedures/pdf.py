"""The printable copy of a procedure version.

Fed with plain data by `selectors.version_print_data`; returns PDF bytes. An
effective version prints as a controlled copy; any other state carries a
watermark saying that the text is not (or no longer) valid.
"""

from django.utils.translation import gettext as _
from reportlab.lib import colors
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.platypus import HRFlowable, Spacer

from qms import markup
from qms import pdf as qpdf
from qms.text import nfc

WIDTH = 174 * mm  # A4 minus the 18 mm margins of qms.pdf

def body_flowables(body: str, st: dict) -> list:
    """The body as flowables, through the project's one renderer (qms.markup)."""
    return markup.to_flowables(body, st, width=WIDTH)


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
    origin = data.get("import_origin")
    if origin:
        story.append(qpdf.para(_("Nhập từ hệ thống cũ"), st["Heading3"]))
        rows = [
            [_("Tệp gốc"), origin["file_name"]],
            [_("SHA-256 của tệp"), origin["sha256"]],
            [_("Người nhập, thời điểm"), "{}, {}".format(origin["imported_by"], origin["imported_at"])],
            [_("Phê duyệt ghi trong tệp"), origin["stated_approval"] or _("tệp không ghi")],
        ]
        story += [qpdf.table(rows, [45 * mm, WIDTH - 45 * mm], header=False), Spacer(1, 4 * mm)]
    if data["signatures"]:
        story.append(qpdf.para(_("Chữ ký điện tử"), st["Heading3"]))
        rows = [[_("Người ký"), _("Ý nghĩa"), _("Thời điểm"), _("Hiệu lực chữ ký")],
                *data["signatures"]]
        story += [qpdf.table(rows, [55 * mm, 38 * mm, 33 * mm, 48 * mm]), Spacer(1, 4 * mm)]
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
