"""The gap report as an Excel workbook."""

import pytest

from edition_migration import services
from qms import roles
from tests.factories import OrgUnitFactory, UserFactory, draft
from tests.xlsx import open_workbook, query_count, table

pytestmark = pytest.mark.django_db
URL = "/migration/gap/?format=xlsx"
JUSTIFICATION = "UBND thành phố không thiết kế, phát triển sản phẩm hay dịch vụ mới."


@pytest.fixture
def central(org):
    vp = OrgUnitFactory(code="vp", name="Văn phòng HĐND và UBND", parent=org["root"])
    return UserFactory(username="central", role=roles.QUALITY_OFFICER, department=vp,
                       first_name="An", last_name="Lê")


def test_gap_workbook_lists_each_clause_with_its_status(client, people, central):
    draft(author=people["officer"], code="QT-TNMT-90", year=2015, clauses=("6.1",))
    decision = services.requirement_not_applicable(actor=central, number="8.3",
                                                   justification=JUSTIFICATION)
    client.force_login(central)
    assert 'href="?format=xlsx"' in client.get("/migration/gap/").content.decode()
    book = open_workbook(client.get(URL))
    assert book.sheetnames == ["Điều khoản", "Thông tin dạng văn bản"]
    ws = book["Điều khoản"]
    assert ws["A1"].value == "Báo cáo khoảng cách so với TCVN ISO 9001:2015"
    header, rows = table(ws)
    assert header[:4] == ["Điều khoản", "Tên điều khoản", "Yêu cầu mới", "Tình trạng"]
    assert ws.freeze_panes == "A6"
    by_number = {r[0].value: r for r in rows}
    assert by_number["6.1"][3].value == "Một phần" and by_number["6.1"][4].value == "QT-TNMT-90"
    na = by_number["8.3"]
    assert na[3].value == "Không áp dụng" and na[5].value == JUSTIFICATION
    assert na[6].value == "Lê An"
    assert na[7].is_date and na[7].value.date() == decision.decided_at.date()
    assert by_number["4.1"][1].value == "Hiểu tổ chức và bối cảnh của tổ chức"
    _header, documented = table(book["Thông tin dạng văn bản"])
    assert documented and {r[3].value for r in documented} <= {"Có", "Thiếu"}


def test_gap_workbook_needs_report_access(client, people):
    for who, status in [("staff", 403), ("officer", 200)]:
        client.force_login(people[who])
        assert client.get(URL).status_code == status, who


def test_gap_workbook_query_count_is_the_same_at_2_and_20_procedures(client, people):
    for _ in range(2):
        draft(author=people["officer"], year=2015, clauses=("7.5.3",))
    client.force_login(people["officer"])
    few = query_count(client, URL)
    for _ in range(18):
        draft(author=people["officer"], year=2015, clauses=("7.5.3",))
    assert query_count(client, URL) == few
