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
from tests.factories import approve, draft, effective, make_effective

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
    # warm-up: the first page after sign-in fills per-process caches (guardian's content types)
    client.get("/procedures/QT-TNMT-01/access-log/")
    with CaptureQueriesContext(connection) as queries:
        client.get("/procedures/QT-TNMT-01/access-log/")
    log(48)
    with django_assert_num_queries(len(queries)):
        response = client.get("/procedures/QT-TNMT-01/access-log/")
    assert response.context["page"].paginator.count == 50


# ---------------------------------------------------------------- filters (issue 10 point 7)


def _at(entry, day, hour=9):
    """Move a log row to a local moment (the log is append-only for the services)."""
    import datetime as dt

    from qms.append_only import bypassed

    moment = timezone.make_aware(dt.datetime.combine(day, dt.time(hour)))
    with bypassed(connection):  # the database refuses it to everything but the test set-up
        AccessLog.objects.filter(pk=entry.pk).update(at=moment)


@pytest.fixture
def log(people, org, land):
    """Views, a print and an acknowledgement by two people of two departments on two
    revisions and three days."""
    import datetime as dt

    from qms import roles
    from tests.factories import UserFactory

    reader_b = UserFactory(username="reader_b", role=roles.STAFF, department=org["b"])
    first = services.access_record(version=land, actor=people["staff"], action="view")
    _at(first, dt.date(2026, 5, 1))
    printed = services.access_record(version=land, actor=reader_b, action="print")
    _at(printed, dt.date(2026, 5, 2), hour=23)  # late evening, local time
    services.acknowledgement_record(version=land, actor=people["staff"])
    _at(AccessLog.objects.get(action="acknowledge"), dt.date(2026, 5, 2))
    new = services.version_start_revision(procedure=land.procedure, actor=people["officer"])
    approve(new, approver=people["approver"])
    new = make_effective(new, actor=people["officer"])
    second = services.access_record(version=new, actor=reader_b, action="view")
    _at(second, dt.date(2026, 5, 3))
    return {"reader_b": reader_b}


def _rows(client, **params):
    response = client.get("/procedures/QT-TNMT-01/access-log/", params)
    assert response.status_code == 200
    return response, [(e.user.username, e.version.revision, e.action) for e in response.context["page"]]


def test_the_log_separates_views_prints_downloads_and_acknowledgements(client, people, log):
    client.force_login(people["officer"])
    response, rows = _rows(client)
    assert rows == [("reader_b", 2, "view"), ("reader_b", 1, "print"),
                    ("staff", 1, "acknowledge"), ("staff", 1, "view")]
    assert [(v, n) for v, _label, n in response.context["counts"]] == [
        ("view", 2), ("print", 1), ("download", 0), ("acknowledge", 1)]
    assert "Xác nhận đã đọc: 1" in response.content.decode()


def test_the_log_filters_by_person_department_revision_action_and_dates(client, people, org, log):
    client.force_login(people["officer"])
    assert _rows(client, person=log["reader_b"].pk)[1] == [("reader_b", 2, "view"),
                                                          ("reader_b", 1, "print")]
    assert _rows(client, department=org["a"].pk)[1] == [("staff", 1, "acknowledge"),
                                                        ("staff", 1, "view")]
    assert _rows(client, revision=2)[1] == [("reader_b", 2, "view")]
    response, rows = _rows(client, action="print")
    assert rows == [("reader_b", 1, "print")]
    # The counts ignore the action filter: they are the tabs to choose from.
    assert [n for _v, _l, n in response.context["counts"]] == [2, 1, 0, 1]
    assert _rows(client, date_from="02/05/2026", date_to="02/05/2026")[1] == [
        ("reader_b", 1, "print"), ("staff", 1, "acknowledge")]
    assert _rows(client, date_from="03/05/2026")[1] == [("reader_b", 2, "view")]
    assert _rows(client, date_to="01/05/2026", department=org["a"].pk)[1] == [("staff", 1, "view")]


def test_bad_filters_say_why_and_lose_nothing(client, people, log):
    client.force_login(people["officer"])
    response, rows = _rows(client, date_from="31/02/2026", action="erase")
    html = response.content.decode()
    assert "Từ ngày: Ngày không hợp lệ: hãy nhập theo dạng dd/mm/yyyy." in html
    assert "Thao tác: Thao tác đã chọn không tồn tại." in html
    assert len(rows) == 4  # the invalid fields do not filter
    response, rows = _rows(client, date_from="03/05/2026", date_to="01/05/2026")
    assert "“Từ ngày” phải trước hoặc bằng “Đến ngày”." in response.content.decode()
    assert len(rows) == 4
    response, _rows_ = _rows(client, person=people["approver"].pk)  # not in this log
    assert "Người đã chọn không có trong nhật ký này." in response.content.decode()


def test_the_csv_export_keeps_the_filters(client, people, log):
    client.force_login(people["officer"])
    response = client.get("/procedures/QT-TNMT-01/access-log.csv", {"action": "acknowledge"})
    rows = list(csv.reader(io.StringIO(b"".join(response.streaming_content).decode("utf-8-sig"))))
    assert [r[2] for r in rows[1:]] == ["staff"]
    assert rows[1][6] == "Xác nhận đã đọc"
    html = client.get("/procedures/QT-TNMT-01/access-log/", {"action": "print"}).content.decode()
    assert "/procedures/QT-TNMT-01/access-log.csv?action=print" in html


@pytest.mark.parametrize("filters", [{}, {"action": "view", "date_from": "01/01/2020"}])
def test_filtered_log_query_count_does_not_grow(client, people, land, filters,
                                               django_assert_num_queries):
    def add(n):
        for _ in range(n):
            services.access_record(version=land, actor=people["staff"], action="view")

    add(2)
    client.force_login(people["officer"])
    # warm-up: the first page after sign-in fills per-process caches (guardian's content types)
    client.get("/procedures/QT-TNMT-01/access-log/", filters)
    with CaptureQueriesContext(connection) as queries:
        client.get("/procedures/QT-TNMT-01/access-log/", filters)
    add(48)
    with django_assert_num_queries(len(queries)):
        response = client.get("/procedures/QT-TNMT-01/access-log/", filters)
    assert response.context["page"].paginator.count == 50


def test_a_print_that_fails_to_build_is_not_logged(client, people, monkeypatch):
    version = effective(author=people["officer"], approver=people["approver"], code="QT-LOG-01")
    client.force_login(people["staff"])
    client.raise_request_exception = False

    def broken(data):
        raise RuntimeError("layout failed")

    monkeypatch.setattr("procedures.views.version_pdf", broken)
    response = client.get(f"/procedures/{version.procedure.code}/pdf/")
    assert response.status_code == 500
    assert not AccessLog.objects.filter(action=AccessLog.Action.PRINT).exists()
    monkeypatch.undo()
    assert client.get(f"/procedures/{version.procedure.code}/pdf/").status_code == 200
    assert AccessLog.objects.filter(action=AccessLog.Action.PRINT).count() == 1


def test_a_page_that_fails_to_render_is_not_logged(client, people, monkeypatch):
    version = effective(author=people["officer"], approver=people["approver"], code="QT-LOG-02")
    client.force_login(people["staff"])
    client.raise_request_exception = False

    def broken(*args, **kwargs):
        raise RuntimeError("template failed")

    monkeypatch.setattr("procedures.views.render", broken)
    assert client.get(f"/procedures/{version.procedure.code}/").status_code == 500
    assert not AccessLog.objects.filter(action=AccessLog.Action.VIEW).exists()
