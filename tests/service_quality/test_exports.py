"""The dossier figures of a year as an Excel workbook."""

import datetime

import pytest

from service_quality import services
from tests.xlsx import open_workbook, query_count, table

from .conftest import load, row

pytestmark = pytest.mark.django_db
URL = "/quality/figures.xlsx?year=2024"


def test_figures_workbook_has_the_rows_of_the_page(client, cast, fields):
    load(cast["central"], [row("2024-01"), row("2024-01", "qldt", "xay-dung", received=50,
                                                early=30)])
    services.period_publish(actor=cast["central"], year=2024, month=1)
    client.force_login(cast["central"])
    assert 'href="/quality/figures.xlsx?year=2024"' in client.get(
        "/quality/figures/?year=2024").content.decode()
    ws = open_workbook(client.get(URL)).active
    assert ws["A1"].value == "Số liệu giải quyết hồ sơ năm 2024" and ws.freeze_panes == "A5"
    header, rows = table(ws)
    assert header[:5] == ["Kỳ", "Đơn vị", "Lĩnh vực", "Kỳ trước chuyển sang", "Tiếp nhận mới"]
    assert [(r[0].value, r[1].value, r[2].value, r[4].value) for r in rows] == [
        ("2024-01", "Phòng Quản lý đô thị", "Xây dựng", 50),
        ("2024-01", "Phòng Tài nguyên và Môi trường", "Đất đai", 100)]
    assert rows[1][13].value == "đã công bố"
    entered = rows[1][-1]
    assert isinstance(entered.value, datetime.datetime) and entered.number_format == "DD/MM/YYYY HH:MM"


def test_figures_workbook_holds_only_the_readers_departments(client, cast, fields):
    load(cast["central"], [row("2024-01"), row("2024-01", "qldt", "xay-dung")])
    client.force_login(cast["officer"])  # department A
    assert [r[1].value for r in table(open_workbook(client.get(URL)).active)[1]] == [
        "Phòng Tài nguyên và Môi trường"]
    client.force_login(cast["staff"])
    assert table(open_workbook(client.get(URL)).active)[1] == []
    client.force_login(cast["nobody"])
    assert client.get(URL).status_code == 403


def test_figures_workbook_query_count_is_the_same_at_2_and_24_rows(client, cast, fields):
    # Nothing left pending at the end of a month: each month carries over 0.
    def month(m):
        return [row(f"2024-{m:02d}", d, f, early=85) for d, f in (("tnmt", "dat-dai"),
                                                                   ("qldt", "xay-dung"))]

    load(cast["central"], month(1))
    client.force_login(cast["central"])
    few = query_count(client, URL)
    load(cast["central"], [r for m in range(2, 13) for r in month(m)])
    assert query_count(client, URL) == few
    assert len(table(open_workbook(client.get(URL)).active)[1]) == 24
