"""Importing the one-stop export: good files (CSV, Excel, any column order) and bad
ones, refused whole with the line and the reason of every bad row."""

import io
import json

import openpyxl
import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from service_quality import services
from service_quality.importing import RowsRefused, read_rows
from service_quality.models import COUNT_FIELDS, DossierStat
from service_quality.services.figures import STAT_COLUMNS

from .conftest import csv_bytes, load, row

pytestmark = pytest.mark.django_db

GOOD = [
    row("2024-01", carried=10, received=90, early=60, on_time=20, late=10, overdue=2, l3=5),
    row("2024-02", carried=10, received=50, early=40, on_time=5, late=5, l3=3),
    row("2024-01", "QLDT", "xay-dung", carried=4, received=16, early=10, on_time=4, late=1),
]


def run(tmp_path, content: bytes, name="export.csv", *args):
    path = tmp_path / name
    path.write_bytes(content)
    out = io.StringIO()
    try:
        call_command("import_dossier_stats", str(path), "--format", "json", "--actor", "central",
                     *args, stdout=out)
        error = None
    except CommandError as refused:
        error = str(refused)
    return json.loads(out.getvalue()), error


def test_a_good_csv_is_imported_with_its_lines_balanced(cast, fields, tmp_path):
    result, error = run(tmp_path, csv_bytes(GOOD))
    assert error is None
    assert result == {"file": str(tmp_path / "export.csv"), "imported": 3, "replaced": 0, "errors": []}
    stat = DossierStat.objects.get(year=2024, month=1, field__code="dat-dai")
    assert (stat.carried_over, stat.received, stat.resolved, stat.pending_in_time, stat.pending_overdue,
            stat.apologies, stat.department.code, stat.entered_by.username, stat.source) == (
        10, 90, 90, 8, 2, 10, "tnmt", "central", "import")
    assert stat.history.first().history_user.username == "central"


def test_columns_in_another_order_and_an_excel_file_are_accepted(cast, fields, tmp_path):
    columns = list(reversed(STAT_COLUMNS))
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append([c.upper() for c in columns])  # names in any case
    for r in GOOD:
        sheet.append([int(r[c]) if c in COUNT_FIELDS else r[c] for c in columns])
    buffer = io.BytesIO()
    book.save(buffer)
    result, error = run(tmp_path, buffer.getvalue(), "export.xlsx")
    assert (error, result["imported"]) == (None, 3)
    assert DossierStat.objects.count() == 3


def test_a_semicolon_csv_in_another_order_reads_by_name(cast, fields):
    text = "department;field;period;" + ";".join(COUNT_FIELDS) + "\n"
    text += "tnmt;dat-dai;2024-01;" + ";".join(str(GOOD[0][c]) for c in COUNT_FIELDS) + "\n"
    [(line, values)] = read_rows("x.csv", text.encode("utf-8"), columns=STAT_COLUMNS)
    assert (line, values["period"], values["received"]) == (2, "2024-01", "90")


def bad(**changes):
    rows = [dict(r) for r in GOOD]
    for index_and_column, value in changes.items():
        index, column = index_and_column.split("__")
        rows[int(index)][column] = value
    return rows


@pytest.mark.parametrize("rows, errors", [
    (bad(**{"1__resolved_late": -3, "1__pending_in_time": 18}),
     [{"line": 3, "message": "“giải quyết trễ hạn” không được âm (-3)."}]),
    (bad(**{"0__resolved_early": 120}),
     [{"line": 2, "message": "số đã giải quyết (150) nhiều hơn số phải giải quyết (100 = kỳ trước chuyển "
                             "sang + tiếp nhận mới)."}]),
    (bad(**{"2__pending_in_time": 9}),
     [{"line": 4, "message": "số liệu không cân đối: kỳ trước chuyển sang + tiếp nhận mới = 20, nhưng "
                             "đã giải quyết + đang giải quyết = 24."}]),
    (bad(**{"2__field": "thue"}), [{"line": 4, "message": "không có lĩnh vực mã “thue”."}]),
    (bad(**{"2__department": "xyz"}), [{"line": 4, "message": "không có đơn vị mã “xyz”."}]),
    (bad(**{"1__period": "2024-13"}), [{"line": 3, "message": "kỳ “2024-13” không hợp lệ (YYYY-MM)."}]),
    (bad(**{"1__received": "năm mươi"}),
     [{"line": 3, "message": "“tiếp nhận mới” phải là số nguyên (“năm mươi”)."}]),
    (bad(**{"1__period": "2024-01", "1__carried_over": 10}),
     [{"line": 3, "message": "trùng kỳ 2024-01, đơn vị, lĩnh vực với dòng 2."}]),
    (bad(**{"1__carried_over": 12, "1__pending_in_time": 12}),
     [{"line": 3, "message": "số kỳ trước chuyển sang (12) khác số còn đang giải quyết cuối kỳ 2024-01 (10)."}]),
    (bad(**{"0__received_online_l3": 80, "0__received_online_l4": 20}),
     [{"line": 2, "message": "hồ sơ trực tuyến (100) nhiều hơn hồ sơ tiếp nhận mới (90)."}]),
    (bad(**{"0__apologies": 13}),
     [{"line": 2, "message": "số thư xin lỗi (13) nhiều hơn số hồ sơ trễ hạn, quá hạn (12)."}]),
])
def test_a_bad_row_refuses_the_whole_file_naming_its_line(cast, fields, tmp_path, rows, errors):
    result, error = run(tmp_path, csv_bytes(rows))
    assert result["errors"] == errors
    assert result["imported"] == 0
    assert error == "Tệp bị từ chối (1 lỗi); không dòng nào được nhập."
    assert DossierStat.objects.count() == 0


def test_a_missing_column_is_named_on_line_1(cast, fields, tmp_path):
    columns = [c for c in STAT_COLUMNS if c != "received"]
    result, _error = run(tmp_path, csv_bytes(GOOD, columns=columns))
    assert result["errors"] == [{"line": 1, "message": "thiếu cột received."}]
    assert DossierStat.objects.count() == 0


def test_a_period_already_imported_is_refused_unless_replaced(cast, fields, tmp_path):
    load(cast["central"], GOOD[:1])
    result, _error = run(tmp_path, csv_bytes(GOOD))
    assert result["errors"] == [{"line": 2, "message": "số liệu kỳ 2024-01 của Phòng Tài nguyên và Môi "
                                                       "trường, lĩnh vực Đất đai đã có (trùng kỳ)."}]
    assert DossierStat.objects.count() == 1
    corrected = bad(**{"0__resolved_late": 9, "0__resolved_early": 61})
    result, error = run(tmp_path, csv_bytes(corrected), "export.csv", "--replace")
    assert (error, result["imported"], result["replaced"]) == (None, 2, 1)
    assert DossierStat.objects.get(year=2024, month=1, field__code="dat-dai").resolved_late == 9


def test_a_month_whose_next_month_is_stored_must_carry_into_it(cast, fields):
    load(cast["central"], [GOOD[1]])  # February: carried over 10
    with pytest.raises(RowsRefused) as refused:
        load(cast["central"], [row("2024-01", carried=0, received=90, early=60, on_time=20, late=5)])
    assert refused.value.messages == [
        "Dòng 2: kỳ 2024-02 đã nhập với số chuyển sang 10, khác số còn đang giải quyết cuối kỳ này (5)."]


def test_an_officer_imports_only_the_rows_of_their_department(cast, fields):
    with pytest.raises(RowsRefused) as refused:
        load(cast["officer"], GOOD)
    assert refused.value.messages == [
        "Dòng 4: bạn không được nhập số liệu của Phòng Quản lý đô thị."]
    assert load(cast["officer"], GOOD[:2]).created == 2


def test_staff_may_not_import(cast, fields):
    with pytest.raises(Exception, match="Bạn không có quyền thực hiện thao tác này."):
        load(cast["staff"], GOOD)


def test_a_published_month_is_locked(cast, fields):
    load(cast["central"], GOOD[:1])
    services.period_publish(actor=cast["central"], year=2024, month=1)
    with pytest.raises(RowsRefused) as refused:
        load(cast["central"], [GOOD[1], GOOD[2]])
    assert refused.value.messages == [
        "Dòng 3: kỳ 2024-01 đã được công bố; cần rút lại công bố trước khi sửa số liệu."]
    services.period_withdraw(actor=cast["central"], year=2024, month=1, reason="Đính chính số liệu")
    assert load(cast["central"], [GOOD[1], GOOD[2]]).created == 2


def test_a_broken_excel_file_and_an_unknown_actor_are_clear_refusals(cast, fields, tmp_path):
    result, error = run(tmp_path, b"PK\x03\x04 not really a zip", "export.xlsx")
    assert result["errors"] == [{"line": None, "message": "Tệp Excel bị hỏng hoặc không phải .xlsx."}]
    path = tmp_path / "x.csv"
    path.write_bytes(csv_bytes(GOOD))
    with pytest.raises(CommandError, match="Không có người dùng đang hoạt động “ghost”."):
        call_command("import_dossier_stats", str(path), "--actor", "ghost")
    with pytest.raises(CommandError, match="Không tìm thấy tệp"):
        call_command("import_dossier_stats", str(tmp_path / "none.csv"), "--actor", "central")


def test_text_output_names_the_lines_on_stderr(cast, fields, tmp_path):
    path = tmp_path / "x.csv"
    path.write_bytes(csv_bytes(bad(**{"2__field": "thue"})))
    err = io.StringIO()
    with pytest.raises(CommandError):
        call_command("import_dossier_stats", str(path), "--actor", "central", stderr=err)
    assert err.getvalue().strip() == "Dòng 4: không có lĩnh vực mã “thue”."


def test_a_correction_in_the_form_keeps_the_carry_over(cast, fields):
    load(cast["central"], GOOD[:2])
    january = DossierStat.objects.get(year=2024, month=1, field__code="dat-dai")
    counts = {name: getattr(january, name) for name in COUNT_FIELDS}
    # 2 more resolved late would leave 8 pending, but February carried over 10.
    with pytest.raises(RowsRefused) as refused:
        services.stat_save(actor=cast["officer"], department=january.department, field=january.field,
                           year=2024, month=1, stat=january,
                           counts={**counts, "resolved_late": 12, "pending_in_time": 6})
    assert refused.value.messages == [
        "Kỳ 2024-02 đã nhập với số chuyển sang 10, khác số còn đang giải quyết cuối kỳ này (8)."]
    # moving 2 from early to late keeps the pending: accepted, with its history
    services.stat_save(actor=cast["officer"], department=january.department, field=january.field,
                       year=2024, month=1, stat=january,
                       counts={**counts, "resolved_early": 58, "resolved_late": 12, "apologies": 12})
    january.refresh_from_db()
    assert (january.resolved_early, january.resolved_late, january.source) == (58, 12, "form")
    assert january.history.first().history_change_reason == "Sửa số liệu trên biểu mẫu"
    with pytest.raises(Exception, match="Bạn không có quyền thực hiện thao tác này."):
        services.stat_save(actor=cast["officer_b"], department=january.department, field=january.field,
                           year=2024, month=1, stat=january, counts=counts)
