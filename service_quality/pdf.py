"""PDF records of this app: the yearly dossier report and the management review
record. Plain data in (selectors), bytes out; no queries here.

Same layout rules as the audit record (qms.pdf): DejaVu Sans, header and footer
with "Trang X/Y", tables whose header row repeats on every page, charts drawn
with reportlab.graphics whose every label uses DejaVu Sans and whose value axis
starts at zero.
"""

import datetime
from decimal import Decimal

from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from reportlab.graphics.charts.barcharts import HorizontalBarChart, VerticalBarChart
from reportlab.graphics.charts.legends import Legend
from reportlab.graphics.shapes import Drawing, String
from reportlab.lib import colors
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.platypus import CondPageBreak, KeepTogether, Spacer, Table

from qms import pdf as base
from qms.text import nfc

from .formatting import vn_number, vn_pct

WIDTH = 174 * mm
FONT, FONT_BOLD = base.FONT, base.FONT_BOLD
SPLIT_COLOURS = [colors.HexColor("#2e7d32"), colors.HexColor("#1f6fb2"), colors.HexColor("#c62828")]
LAST_YEAR = colors.HexColor("#9e9e9e")


def _day(value) -> str:
    if not value:
        return "—"
    if isinstance(value, str):
        value = datetime.date.fromisoformat(value[:10])
    if isinstance(value, datetime.datetime):
        return date_format(timezone.localtime(value), "d/m/Y H:i")
    return date_format(value, "d/m/Y")


def _pct(text) -> str:
    return vn_pct(Decimal(text)) if text is not None else "—"


def _styles() -> dict[str, ParagraphStyle]:
    st = base.styles()
    st["Heading2"].spaceBefore = 10
    st["Body"] = ParagraphStyle("sq-Body", parent=st["Normal"], fontSize=10, leading=13)
    st["Center"] = ParagraphStyle("sq-Center", parent=st["Body"], alignment=1)
    st["CenterBold"] = ParagraphStyle("sq-CenterBold", parent=st["Center"], fontName=FONT_BOLD)
    return st


def _fonts(chart) -> None:
    """Every label of a chart in DejaVu Sans (reportlab's default cannot draw Vietnamese)."""
    for axis in (chart.categoryAxis, chart.valueAxis):
        axis.labels.fontName = FONT
        axis.labels.fontSize = 7
    chart.barLabels.fontName = FONT
    chart.barLabels.fontSize = 6
    chart.valueAxis.valueMin = 0


def _legend(drawing, pairs, x, y) -> None:
    legend = Legend()
    legend.fontName = FONT
    legend.fontSize = 7
    legend.x, legend.y = x, y
    legend.alignment = "right"
    legend.columnMaximum = 1
    legend.deltax = 24 * mm
    legend.dx = legend.dy = 6
    legend.colorNamePairs = [(colour, nfc(label)) for colour, label in pairs]
    drawing.add(legend)


def _title(drawing, text, height) -> None:
    drawing.add(String(0, height - 5 * mm, nfc(text), fontName=FONT_BOLD, fontSize=9))


def split_chart(rows) -> Drawing:
    """rows: (name, early, on_time, late): a 100 % bar per field."""
    height = 24 * mm + 7 * mm * max(len(rows), 1)
    drawing = Drawing(WIDTH, height)
    chart = HorizontalBarChart()
    chart.x, chart.y = 48 * mm, 8 * mm
    chart.width, chart.height = WIDTH - 56 * mm, height - 24 * mm
    shares = []
    for _name, *counts in rows:
        total = sum(counts)
        shares.append([c * 100 / total if total else 0 for c in counts])
    chart.data = [tuple(s[i] for s in shares) or (0,) for i in range(3)]
    chart.categoryAxis.categoryNames = [nfc(name) for name, *_c in rows] or [""]
    chart.categoryAxis.style = "stacked"
    chart.categoryAxis.reverseDirection = 1
    _fonts(chart)
    chart.valueAxis.valueMax = 100
    chart.valueAxis.valueStep = 20
    chart.valueAxis.labelTextFormat = "%d %%"
    for i, colour in enumerate(SPLIT_COLOURS):
        chart.bars[i].fillColor = colour
        chart.bars[i].strokeColor = colors.white
    drawing.add(chart)
    _title(drawing, _("Tỷ lệ trước hạn, đúng hạn, trễ hạn theo lĩnh vực"), height)
    _legend(drawing, list(zip(SPLIT_COLOURS, [_("Trước hạn"), _("Đúng hạn"), _("Trễ hạn")],
                              strict=True)), 14 * mm, height - 10 * mm)
    return drawing


def trend_chart(months) -> Drawing:
    """months: 12 items of (early, on_time, late) or None: stacked columns."""
    height = 62 * mm
    drawing = Drawing(WIDTH, height)
    chart = VerticalBarChart()
    chart.x, chart.y = 14 * mm, 10 * mm
    chart.width, chart.height = WIDTH - 20 * mm, height - 26 * mm
    chart.data = [tuple((m[i] if m else 0) for m in months) for i in range(3)]
    chart.categoryAxis.categoryNames = [f"{i:02d}" for i in range(1, 13)]
    chart.categoryAxis.style = "stacked"
    _fonts(chart)
    for i, colour in enumerate(SPLIT_COLOURS):
        chart.bars[i].fillColor = colour
        chart.bars[i].strokeColor = colors.white
    drawing.add(chart)
    _title(drawing, _("Hồ sơ đã giải quyết theo tháng"), height)
    _legend(drawing, list(zip(SPLIT_COLOURS, [_("Trước hạn"), _("Đúng hạn"), _("Trễ hạn")],
                              strict=True)), 14 * mm, height - 10 * mm)
    return drawing


def compare_chart(pairs, year: int) -> Drawing:
    """pairs: 12 items of (last year's late %, this year's) as Decimal/str or None."""
    height = 62 * mm
    drawing = Drawing(WIDTH, height)
    chart = VerticalBarChart()
    chart.x, chart.y = 14 * mm, 10 * mm
    chart.width, chart.height = WIDTH - 20 * mm, height - 26 * mm
    chart.data = [tuple(float(p[i]) if p[i] is not None else 0 for p in pairs) for i in range(2)]
    chart.categoryAxis.categoryNames = [f"{i:02d}" for i in range(1, 13)]
    _fonts(chart)
    chart.valueAxis.labelTextFormat = "%s %%"
    chart.bars[0].fillColor = LAST_YEAR
    chart.bars[1].fillColor = SPLIT_COLOURS[2]
    drawing.add(chart)
    _title(drawing, _("Tỷ lệ trễ hạn theo tháng: năm %(year)s bên cạnh năm %(last)s") % {
        "year": year, "last": year - 1}, height)
    _legend(drawing, [(LAST_YEAR, str(year - 1)), (SPLIT_COLOURS[2], str(year))],
            14 * mm, height - 10 * mm)
    return drawing


def _figures_table(totals: dict, by_field: list[dict], st):
    header = [_("Lĩnh vực"), _("Tiếp nhận"), _("Đã giải quyết"), _("Trước hạn"), _("Đúng hạn"),
              _("Trễ hạn"), _("Trực tuyến mức độ 3")]
    rows = [header]
    for item in [*by_field, {"name": _("Tổng cộng"), **totals}]:
        rows.append([
            item["name"], vn_number(item["received"]),
            f"{vn_number(item['resolved'])}\n{_pct(item['resolved_pct'])}",
            f"{vn_number(item['early'])}\n{_pct(item['early_pct'])}",
            f"{vn_number(item['on_time'])}\n{_pct(item['on_time_pct'])}",
            f"{vn_number(item['late'])}\n{_pct(item['late_pct'])}",
            vn_number(item["online_level3"]),
        ])
    widths = [44 * mm, 20 * mm, 24 * mm, 22 * mm, 22 * mm, 20 * mm, WIDTH - 152 * mm]
    return base.table(rows, widths)


def _charts_from(timeliness: dict) -> list:
    return [
        CondPageBreak(70 * mm),
        split_chart([(f["name"], f["early"], f["on_time"], f["late"]) for f in timeliness["by_field"]]),
        Spacer(1, 4 * mm),
        trend_chart([(m["early"], m["on_time"], m["late"]) if m["resolved"] is not None else None
                     for m in timeliness["months"]]),
        Spacer(1, 4 * mm),
        compare_chart([(m["previous_late_pct"], m["late_pct"]) for m in timeliness["months"]],
                      timeliness["year"]),
    ]


def _online_line(totals: dict) -> str:
    return _("Tiếp nhận trực tuyến mức độ 3: %(n)s hồ sơ, chỉ tiêu %(t)s, đạt %(p)s chỉ tiêu.") % {
        "n": vn_number(totals["online_level3"]),
        "t": vn_number(totals["online_target"]) if totals["online_target"] is not None else "—",
        "p": _pct(totals["online_target_pct"])}


def build_report_pdf(timeliness: dict, *, scope: str, printed_by: str) -> bytes:
    """The yearly report: totals and fields in a table, then the three charts."""
    st = _styles()
    year, totals = timeliness["year"], timeliness["totals"]
    story = [
        base.para(_("BÁO CÁO KẾT QUẢ GIẢI QUYẾT HỒ SƠ THỦ TỤC HÀNH CHÍNH NĂM %(year)s") % {"year": year},
                  st["Title"]),
        base.para(scope, st["Center"]),
        Spacer(1, 4 * mm),
        _figures_table(totals, timeliness["by_field"], st),
        Spacer(1, 2 * mm),
        base.para(_online_line(totals), st["Body"]),
        *_charts_from(timeliness),
    ]
    return base.build_pdf(
        story, title=_("Kết quả giải quyết hồ sơ năm %(year)s") % {"year": year},
        header=_("Kết quả giải quyết hồ sơ năm %(year)s — %(scope)s") % {"year": year, "scope": scope},
        footer=_("In ngày %(date)s bởi %(who)s") % {"date": _day(timezone.now()), "who": printed_by},
        author=printed_by,
    )


def _key_values(pairs, st):
    rows = [[base.para(k, st["CellBold"]), base.para(v, st["Cell"])] for k, v in pairs]
    return base.table(rows, [48 * mm, WIDTH - 48 * mm], header=False)


def _list_table(header, rows, widths, st, empty: str):
    if not rows:
        return [base.para(empty, st["Body"])]
    return [base.table([header, *rows], widths)]


def _assessment(objective: dict) -> str:
    """The frozen status and trend, labelled in the reader's language."""
    from .selectors.objectives import STATUS_LABELS, TREND_LABELS

    status = str(STATUS_LABELS.get(objective["status"], objective["status_label"]))
    trend = objective.get("trend")
    return f"{status} ({TREND_LABELS[trend]})" if trend else status


def _inputs(data, st) -> list:
    inputs = data["inputs"]
    story = [base.para(_("2. Đầu vào của cuộc xem xét (thu thập ngày %(date)s)") % {
        "date": _day(inputs.get("gathered_at"))}, st["Heading2"])]
    h3 = st["Heading3"]
    story.append(base.para(_("a) Tình trạng các hành động từ các cuộc xem xét trước"), h3))
    story += _list_table(
        [_("Quyết định"), _("Nội dung"), _("Người thực hiện, hạn"), _("Tình trạng")],
        [[f"{a['review']} / {a['number']}", a["description"], f"{a['owner']}\n{_day(a['due_date'])}",
          f"{a['state_label']}\n{a['done_note']}".strip()] for a in inputs.get("previous_actions", [])],
        [30 * mm, 74 * mm, 36 * mm, WIDTH - 140 * mm], st, _("Chưa có cuộc xem xét trước."))
    story.append(base.para(_("b) Thay đổi của bối cảnh, căn cứ pháp lý và hệ thống tài liệu"), h3))
    story.append(base.para(data["context_changes"] or "—", st["Body"]))
    story += _list_table(
        [_("Mã tài liệu"), _("Tên"), _("Lần ban hành, hiệu lực"), _("Tóm tắt thay đổi")],
        [[v["code"], v["title"], f"{v['revision']} — {_day(v['effective_from'])}", v["change_summary"]]
         for v in inputs.get("document_changes", [])],
        [28 * mm, 60 * mm, 30 * mm, WIDTH - 118 * mm], st, _("Không có tài liệu mới hiệu lực trong kỳ."))
    story.append(base.para(_("c) Mức độ đạt được mục tiêu chất lượng"), h3))
    story += _list_table(
        [_("Năm"), _("Mục tiêu"), _("Phạm vi"), _("Chỉ tiêu"), _("Kết quả"), _("Đánh giá")],
        [[o["year"], o["title"], o["scope"], o["target"], _pct(o["value"]) if o["value"] else "—",
          _assessment(o)]
         for o in inputs.get("objectives", [])],
        [15 * mm, 59 * mm, 30 * mm, 20 * mm, 20 * mm, WIDTH - 144 * mm], st, _("Chưa có mục tiêu."))
    timeliness = inputs.get("timeliness")
    if timeliness:
        story.append(base.para(_("c) Kết quả giải quyết hồ sơ thủ tục hành chính năm %(year)s") % {
            "year": timeliness["year"]}, h3))
        story.append(_figures_table(timeliness["totals"], timeliness["by_field"], st))
        story.append(base.para(_online_line(timeliness["totals"]), st["Body"]))
        story += _charts_from(timeliness)
    satisfaction = inputs.get("satisfaction", {})
    story.append(base.para(_("c) Sự hài lòng của tổ chức, công dân (tỷ lệ hài lòng chung: %(p)s)") % {
        "p": _pct(satisfaction.get("overall"))}, h3))
    story += _list_table(
        [_("Đơn vị, kỳ"), _("Số người"), _("Tiếp cận"), _("Thủ tục"), _("Công chức"), _("Kết quả"),
         _("Góp ý"), _("Chung")],
        [[f"{s['department']}\n{s['period']}", vn_number(s["respondents"]),
          *[_pct(s[g]) for g in ("access_pct", "procedures_pct", "staff_pct", "results_pct", "feedback_pct")],
          _pct(s["overall"])] for s in satisfaction.get("rows", [])],
        [46 * mm, 16 * mm, *[18 * mm] * 6], st, _("Chưa có kết quả khảo sát."))
    story.append(base.para(_("c) Kết quả đánh giá nội bộ"), h3))
    story += _list_table(
        [_("Cuộc đánh giá"), _("Trạng thái"), _("NC nặng"), _("NC nhẹ"), _("Lưu ý"), _("Cải tiến")],
        [[f"{a['code']} {a['title']}", a["state_label"], a["major"], a["minor"], a["observation"],
          a["opportunity"]] for a in inputs.get("audits", [])],
        [78 * mm, 32 * mm, 16 * mm, 16 * mm, 16 * mm, WIDTH - 158 * mm], st,
        _("Không có cuộc đánh giá trong kỳ."))
    story.append(base.para(_("c) Sự không phù hợp và hành động khắc phục"), h3))
    story += _list_table(
        [_("Phát hiện"), _("Đơn vị"), _("Nội dung"), _("Người chịu trách nhiệm, hạn"), _("Trạng thái")],
        [[n["finding"], n["department"], n["statement"], f"{n['owner']}\n{_day(n['due_date'])}",
          n["state_label"] + (" — " + _("quá hạn") if n["overdue"] else "")]
         for n in inputs.get("nonconformities", [])],
        [26 * mm, 30 * mm, 60 * mm, 30 * mm, WIDTH - 146 * mm], st,
        _("Không có điểm không phù hợp trong kỳ."))
    for title, text in (
        (_("d) Sự đầy đủ của nguồn lực"), data["resources"]),
        (_("e) Hiệu lực của các hành động giải quyết rủi ro và cơ hội"), data["risk_actions"]),
    ):
        story += [base.para(title, h3), base.para(text or "—", st["Body"])]
    story.append(base.para(_("f) Các cơ hội cải tiến"), h3))
    lines = [data["improvement_notes"]] if data["improvement_notes"] else []
    lines += [f"{o['finding']} ({o['department']}): {o['statement']}" for o in inputs.get("opportunities", [])]
    story.append(base.para("\n".join(lines) or "—", st["Body"]))
    return story


def build_review_record(data: dict, *, printed_by: str, watermark: str = "") -> bytes:
    """The management review record (9.3) as PDF bytes."""
    st = _styles()
    participants = "\n".join(filter(None, [", ".join(data["participants"]), data["other_participants"]]))
    story = [
        base.para(_("BIÊN BẢN XEM XÉT CỦA LÃNH ĐẠO"), st["Title"]),
        base.para(_("Hệ thống quản lý chất lượng theo TCVN ISO 9001:2015 — điều 9.3"), st["Center"]),
        base.para(_("Số: %(code)s") % {"code": data["code"]}, st["CenterBold"]),
        Spacer(1, 4 * mm),
        base.para(_("1. Thông tin cuộc họp"), st["Heading2"]),
        _key_values([
            (_("Năm được xem xét"), str(data["year"])),
            (_("Ngày họp"), _day(data["meeting_date"])),
            (_("Chủ trì"), data["chair"]),
            (_("Thành phần tham dự"), participants or "—"),
            (_("Trạng thái"), data["state_label"]),
        ], st),
        *_inputs(data, st),
        base.para(_("3. Đầu ra của cuộc xem xét (quyết định và hành động)"), st["Heading2"]),
        *_list_table(
            [_("STT"), _("Loại"), _("Nội dung"), _("Người thực hiện, hạn"), _("Tình trạng")],
            [[o["number"], o["kind"], o["description"], f"{o['owner']}\n{_day(o['due_date'])}",
              f"{o['state_label']}\n{o['done_note']}".strip()] for o in data["outputs"]],
            [13 * mm, 32 * mm, 67 * mm, 30 * mm, WIDTH - 142 * mm], st, _("Chưa có quyết định.")),
        Spacer(1, 8 * mm),
        KeepTogether([Table(
            [[base.para(_("THƯ KÝ CUỘC HỌP"), st["CenterBold"]), base.para(_("CHỦ TRÌ"), st["CenterBold"])],
             [base.para(_("(Ký, ghi rõ họ tên)"), st["Center"])] * 2,
             [Spacer(1, 22 * mm)] * 2,
             ["", base.para(data["chair"], st["Center"])]],
            colWidths=[WIDTH / 2] * 2)]),
    ]
    return base.build_pdf(
        story, title=_("Biên bản xem xét của lãnh đạo %(code)s") % {"code": data["code"]},
        header=_("Biên bản xem xét của lãnh đạo %(code)s — ngày họp %(date)s") % {
            "code": data["code"], "date": _day(data["meeting_date"])},
        footer=_("In ngày %(date)s bởi %(who)s") % {"date": _day(timezone.now()), "who": printed_by},
        author=printed_by, watermark=watermark,
    )
