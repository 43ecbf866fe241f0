"""Read and understood (issue 10 point 7): acknowledging only after opening, what
changed since the revision last acknowledged, who has and has not read per
department with the reminders sent (CSV and Excel)."""

import csv
import datetime
import io

import pytest
from django.core import mail
from django.db import connection
from django.test.utils import CaptureQueriesContext
from openpyxl import load_workbook

from procedures import selectors, services
from procedures.exceptions import ProcedureError
from procedures.models import AccessLog, Acknowledgement
from qms import roles
from qms.models import Notification
from tests.factories import UserFactory, approve, effective, make_effective

pytestmark = pytest.mark.django_db

ACK = "/procedures/QT-TNMT-01/versions/{rev}/acknowledge/"


@pytest.fixture
def land(people):
    return effective(author=people["officer"], approver=people["approver"], code="QT-TNMT-01",
                     body="Bước 1: tiếp nhận hồ sơ.\nBước 2: thẩm định.",
                     change_summary="Ban hành lần đầu.")


def revise(version, people, *, body, summary):
    new = services.version_start_revision(procedure=version.procedure, actor=people["officer"])
    services.version_update(version=new, actor=people["officer"], body=body, change_summary=summary)
    approve(new, approver=people["approver"])
    return make_effective(new, actor=people["officer"])


def view(version, user):
    services.access_record(version=version, actor=user, action="view")


# ---------------------------------------------------------------- the rule


def test_acknowledging_without_opening_is_refused(people, land):
    with pytest.raises(ProcedureError) as caught:
        services.acknowledgement_record(version=land, actor=people["staff"])
    assert caught.value.messages == ["Hãy mở và đọc phiên bản này trước khi xác nhận đã đọc."]
    assert not Acknowledgement.objects.exists()


def test_a_print_or_a_view_of_another_revision_is_not_an_opening(people, land):
    view(land, people["staff"])
    new = revise(land, people, body="Bước 1: tiếp nhận.", summary="Rút gọn bước 1.")
    services.access_record(version=new, actor=people["staff"], action="print")
    with pytest.raises(ProcedureError) as caught:
        services.acknowledgement_record(version=new, actor=people["staff"])
    assert caught.value.messages == ["Hãy mở và đọc phiên bản này trước khi xác nhận đã đọc."]
    view(new, people["staff"])
    _ack, created = services.acknowledgement_record(version=new, actor=people["staff"])
    assert created


def test_acknowledging_writes_an_acknowledge_row_in_the_access_log(people, land):
    view(land, people["staff"])
    services.acknowledgement_record(version=land, actor=people["staff"])
    services.acknowledgement_record(version=land, actor=people["staff"])  # idempotent
    assert list(AccessLog.objects.order_by("pk").values_list("action", flat=True)) == [
        "view", "acknowledge"]


def test_acknowledge_is_not_an_action_a_caller_may_log_by_hand(people, land):
    with pytest.raises(ProcedureError) as caught:
        services.access_record(version=land, actor=people["staff"], action="acknowledge")
    assert caught.value.messages == ["Thao tác truy cập không hợp lệ."]


# ---------------------------------------------------------------- the page


def test_the_page_asks_to_open_first_then_offers_the_button(client, people, land):
    client.force_login(people["staff"])
    html = client.get(ACK.format(rev=1)).content.decode()
    assert "Bạn chưa mở phiên bản này." in html
    assert 'name="acknowledge"' not in html
    assert not AccessLog.objects.exists()  # the acknowledgement page is not a reading
    assert "Xem thay đổi và xác nhận đã đọc" in client.get("/procedures/QT-TNMT-01/").content.decode()
    html = client.get(ACK.format(rev=1)).content.decode()
    assert "Bạn chưa mở phiên bản này." not in html
    assert 'name="acknowledge"' in html
    assert "Bạn chưa xác nhận đọc lần ban hành nào trước đây" in html
    assert "Ban hành lần đầu." in html


def test_a_post_before_opening_says_why_and_records_nothing(client, people, land):
    client.force_login(people["staff"])
    response = client.post(ACK.format(rev=1), follow=True)
    assert [str(m) for m in response.context["messages"]] == [
        "Hãy mở và đọc phiên bản này trước khi xác nhận đã đọc."]
    assert response.redirect_chain == [(ACK.format(rev=1), 302)]
    assert not Acknowledgement.objects.exists()


def test_the_page_shows_what_changed_since_the_revision_last_acknowledged(client, people, land):
    staff = people["staff"]
    view(land, staff)
    services.acknowledgement_record(version=land, actor=staff)
    second = revise(land, people, body="Bước 1: tiếp nhận hồ sơ.\nBước 2: thẩm định.",
                    summary="Sửa biểu mẫu kèm theo.")
    third = revise(second, people, body="Bước 1: tiếp nhận hồ sơ trực tuyến.\nBước 2: thẩm định.",
                   summary="Tiếp nhận trực tuyến.")
    client.force_login(staff)
    response = client.get(ACK.format(rev=3))
    assert response.context["since"] == land
    assert [v.revision for v in response.context["revisions"]] == [2, 3]
    html = response.content.decode()
    assert "So với lần ban hành 1, bạn đã xác nhận đọc ngày" in html
    assert "Sửa biểu mẫu kèm theo." in html and "Tiếp nhận trực tuyến." in html
    assert "Ban hành lần đầu." not in html  # acknowledged already
    kinds = [row.kind for row in response.context["rows"]]
    assert kinds == ["replace", "equal"]
    assert "<ins> trực tuyến</ins>" in html
    assert third.revision == 3


def test_acknowledging_returns_to_the_page_and_logs_no_second_view(client, people, land):
    client.force_login(people["staff"])
    client.get("/procedures/QT-TNMT-01/")
    response = client.post(ACK.format(rev=1), follow=True)
    assert [str(m) for m in response.context["messages"]] == [
        "Đã ghi nhận: bạn đã đọc QT-TNMT-01 lần ban hành 1."]
    assert response.redirect_chain == [(ACK.format(rev=1), 302)]
    assert "Bạn đã xác nhận đọc phiên bản này lúc" in response.content.decode()
    assert list(AccessLog.objects.order_by("pk").values_list("action", flat=True)) == [
        "view", "acknowledge"]


def test_a_redirect_is_counted_once(client, people, land):
    client.force_login(people["staff"])
    # Lower-case code: one redirect, one view.
    assert client.get("/procedures/qt-tnmt-01/", follow=True).status_code == 200
    assert AccessLog.objects.filter(action="view").count() == 1
    # A reader sent from the officers' page to the reading page: one view.
    response = client.get("/procedures/QT-TNMT-01/versions/1/", follow=True)
    assert response.redirect_chain == [("/procedures/QT-TNMT-01/", 302)]
    assert AccessLog.objects.filter(action="view").count() == 2


def test_the_dashboard_list_links_to_the_acknowledgement_page(client, people, land):
    client.force_login(people["staff"])
    html = client.get("/acknowledgements/").content.decode()
    assert f'href="{ACK.format(rev=1)}"' in html
    assert "<form" not in html.split("<table", 1)[1]  # no blind one-click acknowledgement


# ---------------------------------------------------------------- the notice


def test_the_notice_goes_to_the_staff_who_have_not_read(people, org, land,
                                                       django_capture_on_commit_callbacks):
    other = UserFactory(username="staff2", role=roles.STAFF, department=org["a"])
    UserFactory(username="staff_b", role=roles.STAFF, department=org["b"])  # not distributed
    view(land, people["staff"])
    services.acknowledgement_record(version=land, actor=people["staff"])
    with django_capture_on_commit_callbacks(execute=True):
        services.acknowledgements_request(version=land)
        services.acknowledgements_request(version=land)  # idempotent
    [row] = Notification.objects.all()
    assert row.recipient == other
    assert row.subject == "Cần đọc và xác nhận: QT-TNMT-01 lần ban hành 1"
    assert row.url == ACK.format(rev=1)
    assert row.ref == f"procedures.procedureversion:{land.pk}"


# ---------------------------------------------------------------- who has read


@pytest.fixture
def readers(people, org, land):
    """staff (A) read it; staff2 (A) was reminded twice; staff_b (B) is in a second
    distributed department and has not read it."""
    from qms.models import MailDelivery

    land.procedure.distribution.add(org["b"])
    staff2 = UserFactory(username="staff2", first_name="Bình", last_name="Trần",
                         role=roles.STAFF, department=org["a"])
    staff_b = UserFactory(username="staff_b", first_name="Cúc", last_name="Lê",
                          role=roles.STAFF, department=org["b"])
    view(land, people["staff"])
    services.acknowledgement_record(version=land, actor=people["staff"])
    delivery = MailDelivery.objects.create(recipient=staff2, kind="digest", day=datetime.date(2026, 5, 4),
                                           address="x@x.vn", subject="s", status="sent")
    for n in range(2):
        Notification.objects.create(
            recipient=staff2, kind="procedures.acknowledgement_reminder", category="reminder",
            subject="s", ref=f"procedures.procedureversion:{land.pk}", key=f"r{n}",
            status="sent", sent_at=datetime.datetime(2026, 5, 4 + n, 8, 0, tzinfo=datetime.UTC),
            delivery=delivery,
        )
    return {"staff2": staff2, "staff_b": staff_b}


def test_status_per_department_with_the_reminders_sent(client, people, org, readers, land):
    client.force_login(people["officer"])
    response = client.get("/procedures/QT-TNMT-01/versions/1/acknowledgements/")
    rows = {p.username: (p.acknowledged_at is not None, p.reminder_count)
            for p in response.context["people"]}
    assert rows == {"staff": (True, 0), "staff2": (False, 2), "staff_b": (False, 0)}
    summary = [(str(r["department"]), r["done"], r["missing"], r["reminders"])
               for r in response.context["summary"]]
    assert summary == [("Phòng Quản lý đô thị", 0, 1, 0), ("Phòng Tài nguyên và Môi trường", 1, 1, 2)]
    assert "2 lần, gần nhất 05/05/2026" in response.content.decode()
    narrowed = client.get("/procedures/QT-TNMT-01/versions/1/acknowledgements/",
                          {"department": org["b"].pk})
    assert [p.username for p in narrowed.context["people"]] == ["staff_b"]
    bad = client.get("/procedures/QT-TNMT-01/versions/1/acknowledgements/", {"department": "999999"})
    assert bad.status_code == 200
    assert "Đơn vị đã chọn không tồn tại." in bad.content.decode()


def test_status_csv(client, people, readers, land):
    client.force_login(people["officer"])
    response = client.get("/procedures/QT-TNMT-01/versions/1/acknowledgements.csv")
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert 'filename="xac-nhan-da-doc-QT-TNMT-01-lan-1.csv"' in response["Content-Disposition"]
    content = b"".join(response.streaming_content).decode("utf-8-sig")
    rows = list(csv.reader(io.StringIO(content)))
    assert rows[0] == ["Đơn vị", "Họ tên", "Tên đăng nhập", "Trạng thái", "Đã xác nhận lúc",
                       "Số lần đã nhắc", "Lần nhắc gần nhất"]
    by_user = {r[2]: r for r in rows[1:]}
    assert by_user["staff2"] == ["Phòng Tài nguyên và Môi trường", "Trần Bình", "staff2", "Chưa đọc",
                                 "", "2", "05/05/2026 15:00"]
    assert by_user["staff"][3] == "Đã đọc" and by_user["staff"][4] != ""


def test_status_excel_opens_with_both_sheets_and_real_dates(client, people, readers, land):
    people["staff"].last_name = "=HYPERLINK(1)"  # never a formula in the workbook
    people["staff"].save()
    client.force_login(people["officer"])
    response = client.get("/procedures/QT-TNMT-01/versions/1/acknowledgements.xlsx")
    assert response["Content-Type"] == (
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
    book = load_workbook(io.BytesIO(response.content))
    assert book.sheetnames == ["Theo đơn vị", "Từng người"]
    summary = book["Theo đơn vị"]
    assert summary["A1"].value == "Xác nhận đã đọc: QT-TNMT-01 Quy trình kiểm soát tài liệu"
    assert summary["A6"].value == "Đơn vị" and summary["B6"].value == "Đã đọc"
    assert [[c.value for c in row] for row in summary.iter_rows(min_row=7)] == [
        ["Phòng Quản lý đô thị", 0, 1, 0], ["Phòng Tài nguyên và Môi trường", 1, 1, 2]]
    sheet = book["Từng người"]
    rows = {row[2].value: row for row in sheet.iter_rows(min_row=7)}
    staff2 = rows["staff2"]
    assert [c.value for c in staff2[:6]] == ["Phòng Tài nguyên và Môi trường", "Trần Bình",
                                             "staff2", "Chưa đọc", None, 2]
    assert staff2[6].value == datetime.datetime(2026, 5, 5, 15, 0)  # local time (UTC+7)
    assert staff2[6].number_format == "DD/MM/YYYY HH:MM"
    staff = rows["staff"]
    assert staff[1].value.startswith("=HYPERLINK(1)") and staff[1].data_type == "s"
    assert isinstance(staff[4].value, datetime.datetime)


def test_only_the_procedures_officers_see_and_export_who_has_read(client, people, land):
    urls = [f"/procedures/QT-TNMT-01/versions/1/acknowledgements{suffix}"
            for suffix in ("/", ".csv", ".xlsx")]
    for who, status in [("staff", 403), ("approver", 403), ("officer_b", 403),
                        ("nobody", 404), ("officer2", 200), ("admin", 200)]:
        client.force_login(people[who])
        for url in urls:
            assert client.get(url).status_code == status, (who, url)


def test_status_query_count_is_the_same_at_2_and_50_people(client, people, org, land,
                                                           django_assert_num_queries):
    def add(n):
        for _ in range(n):
            user = UserFactory(role=roles.STAFF, department=org["a"])
            view(land, user)
            services.acknowledgement_record(version=land, actor=user)

    add(1)
    client.force_login(people["officer"])
    url = "/procedures/QT-TNMT-01/versions/1/acknowledgements/"
    # warm-up: the first page after sign-in fills per-process caches (guardian's content types)
    client.get(url)
    with CaptureQueriesContext(connection) as queries:
        client.get(url)
    add(48)
    with django_assert_num_queries(len(queries)):
        response = client.get(url)
    assert len(response.context["people"]) == 50
    assert len(mail.outbox) == 0


def test_selectors_last_acknowledged_and_revisions_since(people, land):
    staff = people["staff"]
    assert selectors.last_acknowledged_version(user=staff, version=land) is None
    assert selectors.revisions_since(version=land, since=None) == [land]
    view(land, staff)
    services.acknowledgement_record(version=land, actor=staff)
    second = revise(land, people, body="Mới.", summary="Đổi.")
    assert selectors.last_acknowledged_version(user=staff, version=second) == land
    land.refresh_from_db()
    assert selectors.revisions_since(version=second, since=land) == [second]
