"""Excel exports of the register and of a procedure's access log."""

import datetime

import pytest

from procedures import services
from tests.factories import draft, effective
from tests.xlsx import open_workbook, query_count, table

pytestmark = pytest.mark.django_db


@pytest.fixture
def land(people):
    return effective(author=people["officer"], approver=people["approver"], code="QT-TNMT-01",
                     title="Quy trình cấp giấy chứng nhận quyền sử dụng đất")


def test_register_workbook_lists_what_the_page_lists(client, people, land):
    draft(author=people["officer"], code="QT-REG-01")
    draft(author=people["officer_b"], code="QT-QLDT-01")  # another department's
    client.force_login(people["officer"])
    ws = open_workbook(client.get("/register.xlsx")).active
    assert ws["A1"].value == "Sổ đăng ký tài liệu" and ws["A2"].value == "Lọc: tất cả"
    assert ws.freeze_panes == "A6"
    header, rows = table(ws)
    assert header[:4] == ["Mã số", "Tên tài liệu", "Loại", "Đơn vị"]
    assert [r[0].value for r in rows] == ["QT-REG-01", "QT-TNMT-01"]
    row = rows[1]
    assert row[1].value == "Quy trình cấp giấy chứng nhận quyền sử dụng đất"
    assert row[3].value == "Phòng Tài nguyên và Môi trường"
    assert row[6].value == "Đang hiệu lực"
    assert row[8].is_date and row[8].value.date() == land.effective_from
    assert row[9].value.date() == land.next_review_due and row[9].number_format == "DD/MM/YYYY"


def test_register_workbook_follows_the_filter(client, people, land):
    draft(author=people["officer"], code="QT-REG-01")
    client.force_login(people["officer"])
    ws = open_workbook(client.get("/register.xlsx", {"state": "draft"})).active
    assert [r[0].value for r in table(ws)[1]] == ["QT-REG-01"]
    assert ws["A2"].value == "Lọc: Dự thảo"


def test_register_workbook_has_the_pages_permission(client, people, land):
    for who, status in [("staff", 403), ("nobody", 403), ("officer_b", 200), ("admin", 200)]:
        client.force_login(people[who])
        assert client.get("/register.xlsx").status_code == status, who
    client.force_login(people["officer_b"])
    assert table(open_workbook(client.get("/register.xlsx")).active)[1] == []


def test_register_page_links_to_the_workbook_with_its_filter(client, people):
    client.force_login(people["officer"])
    page = client.get("/register/", {"state": "draft"}).content.decode()
    assert 'href="/register.xlsx?state=draft"' in page


def test_register_workbook_query_count_is_the_same_at_2_and_50(client, people):
    for _ in range(2):
        draft(author=people["officer"])
    client.force_login(people["officer"])
    few = query_count(client, "/register.xlsx")
    for _ in range(48):
        draft(author=people["officer"])
    assert query_count(client, "/register.xlsx") == few
    assert len(table(open_workbook(client.get("/register.xlsx")).active)[1]) == 50


def test_access_log_workbook(client, people, land):
    people["staff"].first_name, people["staff"].last_name = "Bình", "Trần"
    people["staff"].save()
    services.access_record(version=land, actor=people["staff"], action="view")
    client.force_login(people["officer"])
    assert 'access-log.xlsx' in client.get("/procedures/QT-TNMT-01/access-log/").content.decode()
    ws = open_workbook(client.get("/procedures/QT-TNMT-01/access-log.xlsx")).active
    assert ws["A1"].value == ("Nhật ký truy cập: QT-TNMT-01 Quy trình cấp giấy chứng nhận "
                              "quyền sử dụng đất")
    header, rows = table(ws)
    assert header == ["Thời điểm", "Người truy cập", "Tên đăng nhập", "Đơn vị", "Mã tài liệu",
                      "Lần ban hành", "Thao tác", "Tệp"]
    staff = next(r for r in rows if r[2].value == "staff")
    assert isinstance(staff[0].value, datetime.datetime)
    assert staff[0].number_format == "DD/MM/YYYY HH:MM"
    assert staff[1].value == "Trần Bình"
    assert staff[3].value == "Phòng Tài nguyên và Môi trường"
    assert ws.freeze_panes == f"A{ws.max_row - len(rows) + 1}"


def test_access_log_workbook_follows_the_filter_and_the_permission(client, people, land):
    services.access_record(version=land, actor=people["staff"], action="view")
    services.access_record(version=land, actor=people["staff"], action="print")
    client.force_login(people["officer"])
    ws = open_workbook(client.get("/procedures/QT-TNMT-01/access-log.xlsx",
                                  {"action": "print"})).active
    assert {r[6].value for r in table(ws)[1]} == {"In bản PDF"}
    for who, status in [("staff", 403), ("officer_b", 403), ("officer2", 200)]:
        client.force_login(people[who])
        assert client.get("/procedures/QT-TNMT-01/access-log.xlsx").status_code == status, who


def test_access_log_workbook_query_count_is_the_same_at_2_and_50(client, people, land):
    for _ in range(2):
        services.access_record(version=land, actor=people["staff"], action="view")
    client.force_login(people["officer"])
    url = "/procedures/QT-TNMT-01/access-log.xlsx"
    few = query_count(client, url)
    for _ in range(48):
        services.access_record(version=land, actor=people["staff"], action="print")
    assert query_count(client, url) == few


def test_acknowledgement_workbook_query_count_is_the_same_at_2_and_50_people(client, people, org,
                                                                             land):
    from qms import roles
    from tests.factories import UserFactory

    def add(n):
        for _ in range(n):
            user = UserFactory(role=roles.STAFF, department=org["a"])
            services.access_record(version=land, actor=user, action="view")
            services.acknowledgement_record(version=land, actor=user)

    add(2)
    client.force_login(people["officer"])
    url = "/procedures/QT-TNMT-01/versions/1/acknowledgements.xlsx"
    few = query_count(client, url)
    add(48)
    assert query_count(client, url) == few
    rows = table(open_workbook(client.get(url))["Từng người"])[1]
    assert sum(1 for r in rows if r[3].value == "Đã đọc") == 50
    assert all(isinstance(r[4].value, datetime.datetime) for r in rows if r[3].value == "Đã đọc")
