"""The PDF audit record: plain data in (audits.selectors.audit_report_data), bytes out.

No queries here. Built on qms.pdf: DejaVu Sans (shipped with the project), the
page frame with header, footer and "Trang X/Y", and tables whose header row
repeats on every page.
"""

import datetime

from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from reportlab.graphics.charts.barcharts import VerticalBarChart
from reportlab.graphics.charts.legends import Legend
from reportlab.graphics.shapes import Drawing, String
from reportlab.lib import colors
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.platypus import CondPageBreak, Spacer, Table, TableStyle

from qms import pdf as base
from qms.text import nfc

# A4 width less the margins of qms.pdf.build_pdf.
WIDTH = 174 * mm
# Rows per table chunk: long tables split much faster as page-sized tables,
# each with its own header row.
CHUNK = 40
GRADE_COLOURS = {
    "major": colors.HexColor("#b3261e"),
    "minor": colors.HexColor("#e6842a"),
    "observation": colors.HexColor("#3f7fbf"),
    "opportunity": colors.HexColor("#4a9b5a"),
}


def _day(value) -> str:
    if not value:
        return "—"
    if isinstance(value, datetime.datetime):
        return date_format(timezone.localtime(value), "d/m/Y H:i")
    return date_format(value, "d/m/Y")


FONT, FONT_BOLD, FONT_ITALIC = base.FONT, base.FONT_BOLD, base.FONT_ITALIC


def _styles() -> dict[str, ParagraphStyle]:
    st = base.styles()
    st["Heading2"].spaceBefore = 10
    st["FindingHead"] = ParagraphStyle(
        "audit-FindingHead", parent=st["Normal"], fontName=FONT_BOLD, fontSize=10, leading=13,
        spaceBefore=8,
    )
    st["Body"] = ParagraphStyle("audit-Body", parent=st["Normal"], fontSize=10, leading=13)
    st["Label"] = ParagraphStyle(
        "audit-Label", parent=st["Small"], fontName=FONT_ITALIC, textColor=colors.HexColor("#444444")
    )
    st["Evidence"] = ParagraphStyle("audit-Evidence", parent=st["Body"], fontSize=9, leading=12)
    st["Center"] = ParagraphStyle("audit-Center", parent=st["Body"], alignment=1)
    st["CenterBold"] = ParagraphStyle("audit-CenterBold", parent=st["Center"], fontName=FONT_BOLD)
    return st


def _fits(value, limit: int) -> bool:
    text = str(value)
    return all(len(line) <= limit for line in text.split("\n"))


def _cells(rows, st, *, header: bool, plain=None):
    """Cells as paragraphs in the report's cell styles; with `plain` ({column: the
    characters that fit on one line}), short cells of those columns stay plain
    strings, which reportlab draws without a Paragraph (much faster in long tables)."""
    plain = plain or {}
    result = []
    for i, row in enumerate(rows):
        if header and i == 0:
            result.append([base.para(cell, st["CellBold"]) for cell in row])
            continue
        result.append([
            nfc(str(cell)) if j in plain and _fits(cell, plain[j]) else base.para(cell, st["Cell"])
            for j, cell in enumerate(row)
        ])
    return result


PLAIN_CELLS = TableStyle([
    ("FONTNAME", (0, 1), (-1, -1), FONT),
    ("FONTSIZE", (0, 1), (-1, -1), 9),
    ("LEADING", (0, 1), (-1, -1), 11),
])


def _chunked_table(header, rows, col_widths, st, *, split_in_row: bool = False, plain=None):
    """A long table as several tables of CHUNK rows, each repeating the header."""
    parts = []
    for start in range(0, max(len(rows), 1), CHUNK):
        part = base.table(
            _cells([header, *rows[start:start + CHUNK]], st, header=True, plain=plain), col_widths
        )
        part.setStyle(PLAIN_CELLS)
        if split_in_row:
            # A row taller than a page (a long answer) splits instead of failing.
            part.splitInRow = 24
        parts.append(part)
    return parts


def _key_values(pairs, st):
    rows = [[base.para(k, st["CellBold"]), base.para(v, st["Cell"])] for k, v in pairs]
    return base.table(rows, [48 * mm, WIDTH - 48 * mm], header=False)


def _bar_chart(categories, series, labels, *, title: str, colour_keys=None, width=WIDTH,
               height=62 * mm):
    """A bar chart drawn with reportlab.graphics, every label in DejaVu Sans and the
    value axis from zero. `series` is a list of value lists (stacked when several)."""
    drawing = Drawing(width, height)
    chart = VerticalBarChart()
    chart.x, chart.y = 12 * mm, 14 * mm
    chart.width = width - (60 * mm if len(series) > 1 else 20 * mm)
    chart.height = height - 24 * mm
    chart.data = [tuple(s) for s in series]
    chart.categoryAxis.categoryNames = [nfc(c) for c in categories]
    chart.categoryAxis.labels.fontName = FONT
    chart.categoryAxis.labels.fontSize = 7
    chart.categoryAxis.labels.boxAnchor = "n"
    chart.valueAxis.labels.fontName = FONT
    chart.valueAxis.labels.fontSize = 7
    chart.valueAxis.valueMin = 0
    if len(series) > 1:
        peak = max((sum(column) for column in zip(*series, strict=True)), default=0)
    else:
        peak = max(series[0], default=0)
    if peak < 5:
        chart.valueAxis.valueMax = 5
        chart.valueAxis.valueStep = 1
    chart.barLabels.fontName = FONT
    chart.barLabels.fontSize = 7
    if len(series) > 1:
        chart.categoryAxis.style = "stacked"
    else:
        chart.barLabelFormat = "%d"
        chart.barLabels.nudge = 6
    if len(series) > 1:
        for index, (key, _label) in enumerate(labels):
            chart.bars[index].fillColor = GRADE_COLOURS.get(key, colors.grey)
            chart.bars[index].strokeColor = colors.white
    else:
        for index, key in enumerate(colour_keys or ()):
            chart.bars[(0, index)].fillColor = GRADE_COLOURS.get(key, colors.grey)
    drawing.add(chart)
    drawing.add(String(0, height - 6 * mm, nfc(title), fontName=FONT_BOLD, fontSize=9))
    if len(series) > 1:
        legend = Legend()
        legend.fontName = FONT
        legend.fontSize = 7
        legend.x, legend.y = width - 44 * mm, height - 14 * mm
        legend.alignment = "right"
        legend.columnMaximum = len(labels)
        legend.dx = legend.dy = 6
        legend.colorNamePairs = [(GRADE_COLOURS[k], nfc(label)) for k, label in labels]
        drawing.add(legend)
    return drawing


def _identity(data, st, *, number, issued_at, issued_by):
    team = ", ".join(data["team"]) or "—"
    pairs = [
        (_("Số báo cáo"), number),
        (_("Mã cuộc đánh giá"), data["code"]),
        (_("Tên cuộc đánh giá"), data["title"]),
        (_("Chương trình"), data["programme"]),
        (_("Trạng thái"), data["state_label"]),
        (_("Thời gian dự kiến"), f"{_day(data['planned_start'])} – {_day(data['planned_end'])}"),
        (_("Bắt đầu đánh giá"), _started(data)),
        (_("Phát hành báo cáo lần đầu"), _day(data["reported_at"])),
        (_("Kết thúc"), _day(data["closed_at"])),
        (_("Trưởng đoàn đánh giá"), data["lead_auditor"]),
        (_("Thành viên đoàn"), team),
        (_("Người phát hành, thời điểm"), f"{issued_by}, {_day(issued_at)}"),
    ]
    if data["objectives"]:
        pairs.insert(3, (_("Mục tiêu"), data["objectives"]))
    return [base.para(_("1. Thông tin cuộc đánh giá"), st["Heading2"]), _key_values(pairs, st)]


def _started(data) -> str:
    text = _day(data["started_at"])
    if data.get("started_early"):
        text += "\n" + _("Bắt đầu trước ngày dự kiến %(date)s.") % {"date": _day(data["planned_start"])}
    return text


def _scope(data, st):
    pairs = [
        (_("Đơn vị được đánh giá"), "\n".join(data["departments"]) or "—"),
        (_("Điều khoản ISO 9001:2015"), "\n".join(data["clauses"]) or "—"),
        (_("Quy trình"), "\n".join(data["procedures"]) or "—"),
    ]
    return [base.para(_("2. Phạm vi đánh giá"), st["Heading2"]), _key_values(pairs, st)]


def _summary(data, st):
    grades = data["grades"]
    total = sum(data["by_grade"].values())
    grade_rows = [[label, data["by_grade"][key]] for key, label in grades]
    grade_rows.append([_("Tổng cộng"), total])
    story = [
        CondPageBreak(80 * mm),
        base.para(_("3. Tổng hợp phát hiện"), st["Heading2"]),
        base.table(_cells([[_("Mức độ"), _("Số lượng")], *grade_rows], st, header=True),
                   [120 * mm, WIDTH - 120 * mm]),
        Spacer(1, 4 * mm),
        _bar_chart(
            [label for _key, label in grades],
            [[data["by_grade"][key] for key, _label in grades]],
            [("all", "")],
            title=_("Phát hiện theo mức độ"),
            colour_keys=[key for key, _label in grades],
        ),
        Spacer(1, 4 * mm),
        _bar_chart(
            [_("Điều %(n)s") % {"n": s} for s in data["by_section"]],
            [[data["by_section"][s][key] for s in data["by_section"]] for key, _label in grades],
            grades,
            title=_("Phát hiện theo điều khoản (điều 4–10) và mức độ"),
        ),
        Spacer(1, 4 * mm),
    ]
    short = [_("NC nặng"), _("NC nhẹ"), _("Lưu ý"), _("Cải tiến")]
    header = [_("Điều khoản"), _("Tên điều khoản"), *short, _("Cộng")]
    rows = [
        [number, title, *[counts[key] for key, _l in grades], sum(counts.values())]
        for number, title, counts in data["by_clause"]
    ]
    widths = [20 * mm, WIDTH - 20 * mm - 5 * 16 * mm, *[16 * mm] * 5]
    story.append(base.para(_("Phát hiện theo điều khoản"), st["Heading3"]))
    story.extend(_chunked_table(header, rows, widths, st, plain={0: 9, 2: 6, 3: 6, 4: 6, 5: 6, 6: 6}))
    return story


def _checklist(data, st):
    if not data["checklist"]:
        return []
    header = [_("STT"), _("Nội dung kiểm tra"), _("Kết quả"), _("Ghi chú")]
    rows = [
        [i["position"], i["question"], i["result"],
         "\n".join(filter(None, [i["notes"], _("Cần xem lại: %(why)s") % {"why": i["flag"]}
                                  if i.get("flag") else ""]))]
        for i in data["checklist"]
    ]
    widths = [12 * mm, 84 * mm, 26 * mm, WIDTH - 122 * mm]
    return [
        base.para(_("4. Kết quả kiểm tra theo danh mục"), st["Heading2"]),
        *_chunked_table(header, rows, widths, st, split_in_row=True),
    ]


def _findings(data, st):
    story = [base.para(_("5. Các phát hiện"), st["Heading2"])]
    if not data["findings"]:
        story.append(base.para(_("Không có phát hiện."), st["Body"]))
        return story
    for f in data["findings"]:
        # Single-style paragraphs: reportlab breaks them into lines several times
        # faster than one paragraph with inline markup. The conditional page break
        # keeps a heading from being the last line of a page, without the double
        # layout that KeepTogether costs.
        head = _("Phát hiện số %(number)s — %(grade)s — điều khoản %(clause)s %(title)s") % {
            "number": f["number"], "grade": f["grade_label"], "clause": f["clause"],
            "title": f["clause_title"],
        }
        meta = [_("Đơn vị: %(department)s") % {"department": f["department"]}]
        if f["procedure"]:
            meta.append(_("Quy trình: %(procedure)s") % {"procedure": f["procedure"]})
        if f["action_state"]:
            meta.append(_("Hành động khắc phục: %(state)s") % {"state": f["action_state"]})
        if f.get("revision", 1) > 1:
            meta.append(_("Lần sửa %(revision)s (%(who)s, %(when)s): %(reason)s") % {
                "revision": f["revision"], "who": f["revised_by"], "when": _day(f["revised_at"]),
                "reason": f["revision_reason"]})
        for attachment in f["attachments"]:
            meta.append(_("Tệp đính kèm: %(name)s (SHA-256 %(sha)s…)") % {
                "name": attachment["name"], "sha": attachment["sha256"][:16]})
        story.append(CondPageBreak(24 * mm))
        story.append(base.para(head, st["FindingHead"]))
        story.append(base.para("\n".join(meta), st["Label"]))
        story.extend(base.paras(f["statement"], st["Body"]))
        if f["evidence"]:
            story.extend(base.paras(_("Bằng chứng: %(text)s") % {"text": f["evidence"]}, st["Evidence"]))
    return story


def _attempt_cells(a, attempt) -> tuple[str, str]:
    """The answer of one attempt, and its check (the action's state on its last attempt)."""
    answer = "\n".join(filter(None, [
        _("Lần %(number)s — %(who)s, %(when)s") % {
            "number": attempt["number"], "who": attempt["answered_by"],
            "when": _day(attempt["answered_at"])},
        _("Khắc phục: %(text)s") % {"text": attempt["correction"]} if attempt["correction"] else "",
        _("Nguyên nhân: %(text)s") % {"text": attempt["root_cause"]},
        _("Hành động: %(text)s") % {"text": attempt["action_plan"]},
        _("Bằng chứng: %(text)s") % {"text": attempt["evidence"]} if attempt["evidence"] else "",
    ]))
    last = attempt is a["attempts"][-1]
    if attempt["result"] == "pending":
        check = a["state_label"] if last else attempt["result_label"]
    else:
        check = "\n".join([
            a["state_label"] if last and a["state"] == "closed" else attempt["result_label"],
            attempt["verification_note"],
            _("Người kiểm tra: %(who)s, %(when)s") % {
                "who": attempt["verified_by"], "when": _day(attempt["verified_at"])},
        ])
        if last and a["state"] == "open":
            check += "\n" + a["state_label"]
    return answer, check


def _actions(data, st):
    story = [base.para(_("6. Hành động khắc phục"), st["Heading2"])]
    if not data["actions"]:
        story.append(base.para(_("Không có điểm không phù hợp cần khắc phục."), st["Body"]))
        return story
    header = [_("Phát hiện"), _("Người chịu trách nhiệm, hạn"), _("Nguyên nhân, hành động khắc phục"),
              _("Trạng thái, kiểm tra hiệu lực")]
    rows = []
    for a in data["actions"]:
        responsible = f"{a['owner']}\n{_day(a['due_date'])}"
        if not a["attempts"]:
            rows.append([a["finding"], responsible, _("(chưa trả lời)"), a["state_label"]])
            continue
        for attempt in a["attempts"]:
            answer, check = _attempt_cells(a, attempt)
            label = a["finding"] if attempt["number"] == 1 else _("%(finding)s (lần %(number)s)") % {
                "finding": a["finding"], "number": attempt["number"]}
            rows.append([label, responsible if attempt["number"] == 1 else "", answer, check])
    widths = [18 * mm, 38 * mm, 72 * mm, WIDTH - 128 * mm]
    story.extend(_chunked_table(header, rows, widths, st, split_in_row=True,
                                plain={0: 8, 1: 20, 2: 36, 3: 24}))
    return story


def _lead_signature(data, st, signature):
    """The lead auditor's column: the electronic signature of this issue (name, date
    and time, meaning) in a box, or the name alone on a record not signed (a preview)."""
    if not signature:
        return [Spacer(1, 16 * mm), base.para(data["lead_auditor"], st["Center"])]
    box = Table([
        [base.para(signature["name"], st["CenterBold"])],
        [base.para(_("Ngày ký: %(when)s") % {"when": _day(signature["signed_at"])}, st["Center"])],
        [base.para(_("Ý nghĩa: %(meaning)s") % {"meaning": signature["meaning"]}, st["Center"])],
    ], colWidths=[WIDTH / 3 - 6 * mm])
    box.setStyle(TableStyle([
        ("BOX", (0, 0), (-1, -1), 0.8, colors.HexColor("#1f5f9f")),
        ("TOPPADDING", (0, 0), (-1, -1), 2),
        ("BOTTOMPADDING", (0, 0), (-1, -1), 2),
    ]))
    return [Spacer(1, 2 * mm), box]


def _signatures(data, st, signature=None):
    lead_note = _("(Đã ký điện tử)") if signature else _("(Chưa ký — bản xem trước)")
    columns = [
        [base.para(_("TRƯỞNG ĐOÀN ĐÁNH GIÁ"), st["CenterBold"]), base.para(lead_note, st["Center"]),
         *_lead_signature(data, st, signature)],
        *[[base.para(title, st["CenterBold"]), base.para(_("(Ký, ghi rõ họ tên)"), st["Center"]),
           Spacer(1, 22 * mm)]
          for title in (_("ĐẠI DIỆN ĐƠN VỊ ĐƯỢC ĐÁNH GIÁ"), _("LÃNH ĐẠO PHÊ DUYỆT"))],
    ]
    closing = _("Báo cáo gồm %(findings)s phát hiện và %(actions)s hành động khắc phục nêu trên.") % {
        "findings": len(data["findings"]), "actions": len(data["actions"])}
    # Decree 30: the signatures never start a page alone; they stay with the
    # heading and the closing sentence above them.
    return [Spacer(1, 8 * mm), base.signature_block(
        [base.para(_("7. Xác nhận"), st["Heading2"]), base.para(closing, st["Body"]),
         Spacer(1, 3 * mm)],
        columns, width=WIDTH,
    )]


def build_audit_report(
    data: dict,
    *,
    number: str,
    issued_at: datetime.datetime,
    issued_by: str,
    watermark: str = "",
    signature: dict | None = None,
) -> bytes:
    """The audit record as PDF bytes. `signature` ({name, signed_at, meaning}) is the
    lead auditor's electronic signature of this issue, shown in the signature
    block; without it the block says the record is not signed."""
    st = _styles()
    story = [
        base.official_heading(
            issuer=_("Đoàn đánh giá nội bộ"), number=_("Số: %(number)s") % {"number": number},
            place_and_date=base.place_date(timezone.localtime(issued_at).date()), width=WIDTH,
        ),
        Spacer(1, 6 * mm),
        base.para(_("BÁO CÁO ĐÁNH GIÁ NỘI BỘ"), st["Title"]),
        base.para(_("Hệ thống quản lý chất lượng theo TCVN ISO 9001:2015"), st["Center"]),
        Spacer(1, 4 * mm),
        *_identity(data, st, number=number, issued_at=issued_at, issued_by=issued_by),
        *_scope(data, st),
        *_summary(data, st),
        *_checklist(data, st),
        *_findings(data, st),
        *_actions(data, st),
        *_signatures(data, st, signature),
    ]
    header = _("Báo cáo đánh giá nội bộ ISO 9001:2015 — %(code)s %(title)s") % {
        "code": data["code"], "title": data["title"]}
    if len(header) > 110:
        header = header[:109] + "…"
    footer = _("Số báo cáo %(number)s — phát hành %(date)s") % {
        "number": number, "date": _day(issued_at)}
    return base.build_pdf(
        story,
        title=_("Báo cáo đánh giá nội bộ %(number)s") % {"number": number},
        header=header,
        footer=footer,
        watermark=watermark,
        author=issued_by,
    )
