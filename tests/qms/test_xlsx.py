"""The workbook layout every export shares (qms/xlsx.py)."""

import datetime
import io
import unicodedata
from decimal import Decimal

from django.utils import timezone
from openpyxl import load_workbook

from qms.xlsx import MAX_WIDTH, Sheet, workbook_bytes


def _book(**kwargs):
    return load_workbook(io.BytesIO(workbook_bytes([Sheet(**kwargs)])))


def test_header_bold_frozen_below_it_and_filtered():
    ws = _book(title="Danh sách", heading=["Tiêu đề", "Lọc: tất cả"],
               header=["Mã số", "Tên"], rows=[["QT-01", "Quy trình"]]).active
    assert [c.value for c in ws[4]] == ["Mã số", "Tên"]
    assert ws["A4"].font.b and ws["A1"].font.b and not ws["A2"].font.b
    assert ws.freeze_panes == "A5"
    assert ws.auto_filter.ref == "A4:B5"
    assert ws["A4"].font.name == ws["A2"].font.name == "Calibri"


def test_printed_landscape_as_wide_as_the_page_with_the_header_on_each_page():
    ws = _book(title="T", heading=["Tiêu đề"], header=["Mã số"], rows=[["QT-01"]]).active
    assert ws.page_setup.orientation == "landscape"
    assert ws.sheet_properties.pageSetUpPr.fitToPage
    assert (ws.page_setup.fitToWidth, ws.page_setup.fitToHeight) == (1, 0)
    assert ws.print_title_rows == "$3:$3"


def test_dates_are_dates_and_moments_local_times():
    moment = timezone.make_aware(datetime.datetime(2026, 5, 5, 8, 0), datetime.UTC)
    ws = _book(title="T", header=["Ngày", "Lúc", "Số"],
               rows=[[datetime.date(2026, 3, 1), moment, Decimal("12.5")]]).active
    assert ws["A2"].value == datetime.datetime(2026, 3, 1) and ws["A2"].is_date
    assert ws["A2"].number_format == "DD/MM/YYYY"
    assert ws["B2"].value == datetime.datetime(2026, 5, 5, 15, 0)  # Asia/Ho_Chi_Minh
    assert ws["B2"].number_format == "DD/MM/YYYY HH:MM"
    assert ws["C2"].value == 12.5


def test_widths_fit_vietnamese_text_and_long_text_wraps():
    long = "Quy trình giải quyết thủ tục hành chính " * 4
    decomposed = unicodedata.normalize("NFD", "Phòng Tài nguyên và Môi trường")
    ws = _book(title="T", header=["Đơn vị", "Ghi chú", "Số"],
               rows=[[decomposed, long, 1]]).active
    # NFD text is stored as NFC and measured in characters, not code points.
    assert ws["A2"].value == "Phòng Tài nguyên và Môi trường"
    assert ws.column_dimensions["A"].width == len("Phòng Tài nguyên và Môi trường") + 2
    assert ws.column_dimensions["B"].width == MAX_WIDTH and ws["B2"].alignment.wrap_text
    assert ws.column_dimensions["C"].width == 8


def test_a_long_header_wraps_instead_of_widening_a_column_of_numbers():
    ws = _book(title="T", header=["Trong đó trực tuyến mức độ 3"], rows=[[12]]).active
    assert ws.column_dimensions["A"].width == 14 + 2 + 2
    assert ws["A1"].alignment.wrap_text and ws.row_dimensions[1].height == 30  # two lines


def test_text_never_becomes_a_formula_and_bad_sheet_titles_are_cleaned():
    book = _book(title="Đánh giá 1/2026: [nội bộ] và rất dài quá mức", header=["A"],
                 rows=[["=HYPERLINK(\"x\")"], ["+1"]])
    ws = book.active
    assert ws.title == "Đánh giá 1 2026   nội bộ  và rấ"
    assert ws["A2"].data_type == "s" and ws["A2"].value == "=HYPERLINK(\"x\")"


def test_an_empty_list_still_has_its_header():
    ws = _book(title="T", header=["Mã số"], rows=[]).active
    assert ws["A1"].value == "Mã số" and ws.freeze_panes == "A2"
