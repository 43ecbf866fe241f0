"""The controlled copy (issue 10, point 11): a copy number per print kept in the
access log, the official heading, the distribution and the sign-off table."""

import datetime
import io

import pypdf
import pytest
from django.conf import settings

from procedures import services
from procedures.models import AccessLog
from qms import pdf as qpdf
from tests.factories import approve, effective, make_effective

pytestmark = pytest.mark.django_db


def pdf_text(content: bytes) -> str:
    """The text with its line breaks as spaces: the heading's cells wrap."""
    text = "\n".join(page.extract_text() for page in pypdf.PdfReader(io.BytesIO(content)).pages)
    return " ".join(text.split())


@pytest.fixture
def land(people):
    return effective(author=people["officer"], approver=people["approver"], code="QT-CC-01",
                     title="Quy trình cấp bản sao", body="# Mục đích\n\nCấp bản sao.")


def test_each_print_of_a_controlled_copy_gets_the_next_number(client, people, land):
    client.force_login(people["staff"])
    first = pdf_text(client.get("/procedures/QT-CC-01/pdf/").content)
    client.force_login(people["officer"])
    second = pdf_text(client.get("/procedures/QT-CC-01/versions/1/pdf/").content)
    assert "Bản số: 1" in first and "Bản số: 2" in second
    prints = AccessLog.objects.filter(version=land, action=AccessLog.Action.PRINT).order_by("at", "pk")
    assert [(p.user, p.copy_number) for p in prints] == [(people["staff"], 1), (people["officer"], 2)]


def test_copy_numbers_count_per_version_and_drafts_get_none(people, land):
    new = services.version_start_revision(procedure=land.procedure, actor=people["officer"])
    draft_print = services.access_record(version=new, actor=people["officer"], action="print")
    assert draft_print.copy_number is None
    approve(new, approver=people["approver"])
    make_effective(new, actor=people["officer"])
    new.refresh_from_db()
    assert services.access_record(version=new, actor=people["staff"], action="print").copy_number == 1
    land.refresh_from_db()  # superseded now: an uncontrolled copy
    assert services.access_record(version=land, actor=people["officer"], action="print").copy_number is None


def test_a_view_or_download_carries_no_copy_number(people, land):
    row = services.access_record(version=land, actor=people["staff"], action="view")
    assert row.copy_number is None


def test_copy_shows_heading_distribution_and_sign_off(client, people, land):
    client.force_login(people["staff"])
    text = pdf_text(client.get("/procedures/QT-CC-01/pdf/").content)
    assert settings.QMS_PARENT_BODY in text
    assert land.procedure.department.name.upper() in text
    assert qpdf.place_date(land.decision_date or land.effective_from) in text
    assert "Phân phối:" in text and land.procedure.department.name in text
    for step in ("Soạn thảo", "Xem xét", "Phê duyệt"):
        assert step in text
    assert people["approver"].get_full_name() in text
    assert "Đã ký điện tử: Đã phê duyệt" in text
    # A procedure is not an administrative record: no national title on it.
    assert qpdf.NATIONAL_TITLE not in text


@pytest.mark.parametrize("day, expected", [
    (datetime.date(2026, 11, 5), "Nha Trang, ngày 05 tháng 11 năm 2026"),
    (datetime.date(2026, 2, 14), "Nha Trang, ngày 14 tháng 02 năm 2026"),
    (datetime.date(2026, 3, 1), "Nha Trang, ngày 01 tháng 3 năm 2026"),
])
def test_place_and_date_line_follows_decree_30(settings, day, expected):
    settings.QMS_PLACE = "Nha Trang"
    assert qpdf.place_date(day) == expected


def test_place_comes_from_the_setting(settings):
    settings.QMS_PLACE = "Cam Ranh"
    assert qpdf.place_date(datetime.date(2026, 1, 9)) == "Cam Ranh, ngày 09 tháng 01 năm 2026"


GLUED_BODY = ("# 1. Mục đích\nCác bước xử lý:\n| Bước | Nội dung | Thời hạn |\n|---|---|---|\n"
              "| 1 | Tiếp nhận hồ sơ | 0,5 ngày |\n| 2 | Thẩm định | 10 ngày |\nGhi chú:\n- Hồ sơ đủ\n- Lệ phí đã nộp")


def test_a_glued_table_shows_as_a_table_on_the_page_and_in_the_copy(client, people):
    effective(author=people["officer"], approver=people["approver"], code="QT-CC-02",
              title="Quy trình có bảng", body=GLUED_BODY)
    client.force_login(people["staff"])
    html = client.get("/procedures/QT-CC-02/").content.decode()
    assert "<h1>1. Mục đích</h1>" in html and "<th>Thời hạn</th>" in html
    assert "<td>Tiếp nhận hồ sơ</td>" in html and "<li>Lệ phí đã nộp</li>" in html
    assert "| 1 |" not in html
    text = pdf_text(client.get("/procedures/QT-CC-02/pdf/").content)
    assert "Bước Nội dung Thời hạn" in text and "1 Tiếp nhận hồ sơ 0,5 ngày" in text
    assert "Lệ phí đã nộp" in text and "|" not in text


def test_the_access_log_shows_the_number_of_each_printed_copy(client, people, land):
    client.force_login(people["staff"])
    client.get("/procedures/QT-CC-01/pdf/")
    client.force_login(people["officer"])
    html = client.get("/procedures/QT-CC-01/access-log/").content.decode()
    assert "(bản kiểm soát số 1)" in html and "bản kiểm soát số 2" not in html
