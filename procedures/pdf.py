"""The printable copy of a procedure version.

Fed with plain data by `selectors.version_print_data`; returns PDF bytes. An
effective version prints as a controlled copy; any other state carries a
watermark saying that the text is not (or no longer) valid.
"""

from django.utils.translation import gettext as _
from reportlab.lib import colors
from reportlab.lib.enums import TA_CENTER
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.platypus import HRFlowable, KeepTogether, Spacer

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
    st["Mark"] = ParagraphStyle(
        "qms-Mark", parent=st["Normal"], fontName=qpdf.FONT_BOLD, fontSize=11, leading=14,
        alignment=TA_CENTER, textColor=colors.HexColor("#b3261e"),
    )
    st["MarkNo"] = ParagraphStyle("qms-MarkNo", parent=st["Mark"], fontSize=10, textColor=colors.black)
    st["Banner"] = ParagraphStyle(
        "qms-Banner", parent=st["Normal"], fontName=qpdf.FONT_BOLD, fontSize=9,
        textColor=colors.HexColor("#0b5394"),
    )
    return st


def _copy_mark(data: dict, st: dict, controlled: bool) -> list:
    """The top-right mark: a controlled copy and its number, or an uncontrolled one."""
    if not controlled:
        return [qpdf.para(_("BẢN KHÔNG KIỂM SOÁT"), st["Mark"])]
    mark = [qpdf.para(_("BẢN KIỂM SOÁT"), st["Mark"])]
    if data.get("copy_number"):
        mark.append(qpdf.para(_("Bản số: %(number)s") % {"number": data["copy_number"]}, st["MarkNo"]))
    return mark


def sign_off_table(rows: list[dict], st: dict):
    """"Soạn thảo / Xem xét / Phê duyệt": one column per step with the names, the
    dates and what the electronic signature means; kept on one page."""
    columns = [row["step"] for row in rows]
    body = [
        [_("Họ và tên"), *["\n".join(r["names"]) or "—" for r in rows]],
        [_("Ngày ký"), *["\n".join(r["dates"]) or "—" for r in rows]],
        [_("Chữ ký"), *[
            _("Đã ký điện tử: %(meaning)s") % {"meaning": r["meaning"]} if r["meaning"] else "—"
            for r in rows
        ]],
    ]
    step_width = (WIDTH - 28 * mm) / len(columns)
    table = qpdf.table([["", *columns], *body], [28 * mm, *[step_width] * len(columns)])
    return KeepTogether([qpdf.para(_("Soạn thảo, xem xét, phê duyệt"), st["Heading3"]), table])


def version_pdf(data: dict) -> bytes:
    """The printed copy of a version described by `data` (see version_print_data)."""
    st = _styles()
    controlled = not data["watermark"]
    banner = _("BẢN KIỂM SOÁT") if controlled else _("BẢN KHÔNG KIỂM SOÁT")
    if controlled and data.get("copy_number"):
        banner = _("BẢN KIỂM SOÁT SỐ %(number)s") % {"number": data["copy_number"]}
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
    issued_on = data.get("issued_on")
    story = [
        qpdf.official_heading(
            issuer=data["department"], national=False, right=_copy_mark(data, st, controlled),
            place_and_date=qpdf.place_date(issued_on) if issued_on else "",
        ),
        Spacer(1, 5 * mm),
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
    if data.get("distribution"):
        story.append(qpdf.para(
            _("Phân phối: %(units)s") % {"units": "; ".join(data["distribution"])}, st["BodyText"]))
    story += [sign_off_table(data["sign_off"], st), Spacer(1, 4 * mm)]
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
