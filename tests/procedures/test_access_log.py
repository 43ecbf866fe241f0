"""Every view, print and download of a version is logged; officers export it."""

import csv
import io

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from procedures import services
from procedures.exceptions import ProcedureError
from procedures.models import AccessLog
from tests.factories import draft, effective

pytestmark = pytest.mark.django_db

PDF_BYTES = b"%PDF-1.4\n%%EOF\n"


@pytest.fixture
def land(people):
    return effective(author=people["officer"], approver=people["approver"], code="QT-TNMT-01")


def test_view_print_and_download_are_recorded_with_the_revision(client, people):
    version = draft(author=people["officer"], code="QT-LOG-01")
    attachment = services.attachment_add(version=version, actor=people["officer"],
                                         name="a.pdf", content=PDF_BYTES)
    client.force_login(people["officer2"])
    client.get("/procedures/QT-LOG-01/versions/1/")
    client.get("/procedures/QT-LOG-01/versions/1/pdf/")
    client.get(f"/procedures/QT-LOG-01/versions/1/attachments/{attachment.pk}/")
    rows = list(AccessLog.objects.order_by("pk").values_list("user__username", "version__revision",
                                                             "action", "attachment"))
    assert rows == [("officer2", 1, "view", None), ("officer2", 1, "print", None),
                    ("officer2", 1, "download", attachment.pk)]


def test_access_record_refuses_what_the_reader_may_not_see(people):
    version = draft(author=people["officer"])
    with pytest.raises(ProcedureError) as excinfo:
        services.access_record(version=version, actor=people["staff"], action="view")
    assert excinfo.value.messages == ["Bạn không có quyền thực hiện thao tác này."]
    with pytest.raises(ProcedureError) as excinfo:
        services.access_record(version=version, actor=people["officer"], action="erase")
    assert excinfo.value.messages == ["Thao tác truy cập không hợp lệ."]
    assert not AccessLog.objects.exists()


def test_refused_views_are_not_logged(client, people):
    draft(author=people["officer"], code="QT-LOG-02")
    client.force_login(people["staff"])
    assert client.get("/procedures/QT-LOG-02/versions/1/").status_code == 404
    assert not AccessLog.objects.exists()


def test_officer_reads_the_log(client, people, land):
    services.access_record(version=land, actor=people["staff"], action="view")
    client.force_login(people["officer"])
    response = client.get("/procedures/QT-TNMT-01/access-log/")
    [entry] = response.context["page"]
    assert entry.user == people["staff"]
    assert people["staff"].get_full_name() in response.content.decode()


def test_csv_export_is_utf8_with_bom_and_local_dates(client, people, land):
    services.access_record(version=land, actor=people["staff"], action="print")
    client.force_login(people["officer"])
    response = client.get("/procedures/QT-TNMT-01/access-log.csv")
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert 'filename="nhat-ky-truy-cap-QT-TNMT-01.csv"' in response["Content-Disposition"]
    content = b"".join(response.streaming_content)
    assert content.startswith(b"\xef\xbb\xbf")
    rows = list(csv.reader(io.StringIO(content.decode("utf-8-sig"))))
    assert rows[0] == ["Thời điểm", "Người truy cập", "Tên đăng nhập", "Đơn vị", "Mã tài liệu",
                       "Lần ban hành", "Thao tác", "Tệp"]
    entry = AccessLog.objects.get()
    assert rows[1] == [
        timezone.localtime(entry.at).strftime("%d/%m/%Y %H:%M"),
        people["staff"].get_full_name(), "staff", "Phòng Tài nguyên và Môi trường",
        "QT-TNMT-01", "1", "In bản PDF", "",
    ]


def test_csv_cells_cannot_run_as_formulas(client, people, land):
    # The family name leads the full name (Vietnamese order): the cell starts with "=".
    people["staff"].last_name = "=HYPERLINK(1)"
    people["staff"].save()
    services.access_record(version=land, actor=people["staff"], action="view")
    client.force_login(people["officer"])
    content = b"".join(client.get("/procedures/QT-TNMT-01/access-log.csv").streaming_content)
    assert "'=HYPERLINK(1)" in content.decode("utf-8-sig")


def test_only_the_procedures_officers_read_the_log(client, people, land):
    for who, status in [("staff", 403), ("approver", 403), ("officer_b", 403),
                        ("auditor", 403), ("nobody", 404), ("officer2", 200), ("admin", 200)]:
        client.force_login(people[who])
        assert client.get("/procedures/QT-TNMT-01/access-log/").status_code == status, who
        assert client.get("/procedures/QT-TNMT-01/access-log.csv").status_code == status, who


def test_log_page_query_count_does_not_grow(client, people, land, django_assert_num_queries):
    def log(n):
        for _ in range(n):
            services.access_record(version=land, actor=people["staff"], action="view")

    log(2)
    client.force_login(people["officer"])
    with CaptureQueriesContext(connection) as queries:
        client.get("/procedures/QT-TNMT-01/access-log/")
    log(48)
    with django_assert_num_queries(len(queries)):
        response = client.get("/procedures/QT-TNMT-01/access-log/")
    assert response.context["page"].paginator.count == 50
