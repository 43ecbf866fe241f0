"""Excel export of findings and corrective actions, of an audit and of a year."""

import datetime

import pytest

from tests.xlsx import open_workbook, query_count, table

from .conftest import close_action, record, reported_with_actions

pytestmark = pytest.mark.django_db


def test_audit_workbook_has_findings_and_attempts(login, cast, org, started):
    major, _minor = reported_with_actions(started, cast, org)
    close_action(major.action, cast)
    client = login(cast["auditor"])
    page = client.get(started.get_absolute_url()).content.decode()
    assert f"/audits/{started.pk}/findings.xlsx" in page
    book = open_workbook(client.get(f"/audits/{started.pk}/findings.xlsx"))
    assert book.sheetnames == ["Phát hiện", "Hành động khắc phục"]
    ws = book["Phát hiện"]
    assert ws["A1"].value == ("Phát hiện và hành động khắc phục: ĐG-2026-01 "
                              "Đánh giá Phòng Tài nguyên và Môi trường")
    header, rows = table(ws)
    assert header[:3] == ["Cuộc đánh giá", "Số", "Mức độ"] and ws.freeze_panes == "A5"
    assert [(r[0].value, r[1].value, r[2].value) for r in rows] == [
        ("ĐG-2026-01", 1, "Điểm không phù hợp nặng"), ("ĐG-2026-01", 2, "Điểm không phù hợp nhẹ"),
        ("ĐG-2026-01", 3, "Điểm cần lưu ý")]
    first = rows[0]
    assert first[7].value == "Không kiểm soát hồ sơ trễ hạn."
    assert first[12].value == datetime.datetime(2026, 4, 30) and first[12].is_date
    assert first[12].number_format == "DD/MM/YYYY"
    assert first[13].value == "Đã đóng" and first[14].is_date
    assert rows[2][11].value is None  # an observation has no action
    _header, attempts = table(book["Hành động khắc phục"])
    assert [(r[1].value, r[2].value, r[4].value, r[9].value) for r in attempts] == [
        (1, 1, "Chưa hướng dẫn công chức.", "Có hiệu lực")]


def test_only_who_sees_the_audit_exports_it(login, cast, org, started):
    record(started, cast, org)
    for who, status in [("auditor2", 200), ("admin", 200), ("stranger", 404), ("staff", 404)]:
        response = login(cast[who]).get(f"/audits/{started.pk}/findings.xlsx")
        assert response.status_code == status, who


def test_year_workbook_holds_the_audits_the_reader_sees(login, cast, org, started):
    record(started, cast, org, statement="Biểu mẫu cũ vẫn được dùng.")
    client = login(cast["auditor"])
    assert "/audits/programmes/2026/findings.xlsx" in client.get("/audits/?year=2026").content.decode()
    ws = open_workbook(client.get("/audits/programmes/2026/findings.xlsx"))["Phát hiện"]
    assert ws["A1"].value == "Phát hiện và hành động khắc phục năm 2026"
    assert [r[7].value for r in table(ws)[1]] == ["Biểu mẫu cũ vẫn được dùng."]
    assert login(cast["stranger"]).get("/audits/programmes/2026/findings.xlsx").status_code == 404
    assert client.get("/audits/programmes/2031/findings.xlsx").status_code == 404


def test_export_query_count_is_the_same_at_2_and_40_findings(login, cast, org, started):
    for _ in range(2):
        record(started, cast, org)
    client = login(cast["auditor"])
    url = f"/audits/{started.pk}/findings.xlsx"
    few = query_count(client, url)
    for _ in range(38):
        record(started, cast, org)
    assert query_count(client, url) == few
    assert len(table(open_workbook(client.get(url))["Phát hiện"])[1]) == 40
