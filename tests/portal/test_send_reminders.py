"""`python manage.py send_reminders` (issue 10 point 6): the daily digest, reminders
of what is overdue, escalation to the department head; safe to run twice."""

import datetime
import io

import pytest
from django.core import mail
from django.core.management import CommandError, call_command

from audits import services as audit_services
from qms.models import Notification
from tests.audits.conftest import record
from tests.factories import UserFactory, effective

pytestmark = pytest.mark.django_db

D0 = datetime.date(2026, 3, 2)  # the version takes effect


@pytest.fixture(autouse=True)
def timing(settings):
    settings.QMS_ACK_DUE_DAYS = 7
    settings.QMS_REMINDER_EVERY_DAYS = 7
    settings.QMS_ESCALATE_AFTER_DAYS = 14


@pytest.fixture
def mailboxes(people):
    for user in people.values():
        user.email = f"{user.username}@ubnd.example.vn"
        user.save()
    return people


@pytest.fixture
def land(mailboxes):
    return effective(author=mailboxes["officer"], approver=mailboxes["approver"], code="QT-TNMT-01",
                     title="Quy trình đăng ký đất đai", effective_from=D0)


def run(day: datetime.date) -> str:
    out = io.StringIO()
    mail.outbox.clear()
    call_command("send_reminders", "--date", day.strftime("%d/%m/%Y"), stdout=out)
    return out.getvalue()


def to(user):
    return [m for m in mail.outbox if m.to == [user.email]]


def test_the_notice_comes_in_the_first_digest_and_no_reminder_before_the_due_day(mailboxes, land):
    run(D0 + datetime.timedelta(days=7))
    [message] = to(mailboxes["staff"])
    assert "== Việc mới (1) ==" in message.body
    assert "- Cần đọc và xác nhận: QT-TNMT-01 lần ban hành 1" in message.body
    assert "Nhắc việc" not in message.body
    assert to(mailboxes["approver"]) == []


def test_a_reminder_once_overdue_then_every_week_never_twice_a_day(mailboxes, land):
    staff = mailboxes["staff"]
    run(D0 + datetime.timedelta(days=8))
    [message] = to(staff)
    assert "== Nhắc việc quá hạn (1) ==" in message.body
    assert ("- Nhắc việc: chưa xác nhận đã đọc QT-TNMT-01 lần ban hành 1\n"
            "  QT-TNMT-01 Quy trình đăng ký đất đai, lần ban hành 1: hạn xác nhận đã đọc là ngày "
            "09/03/2026.\n"
            "  http://127.0.0.1:8000/procedures/QT-TNMT-01/versions/1/acknowledge/") in message.body
    output = run(D0 + datetime.timedelta(days=8))
    assert mail.outbox == []
    assert "đã gửi 0 thư tổng hợp" in output
    run(D0 + datetime.timedelta(days=14))  # same week of lateness
    assert to(staff) == []
    run(D0 + datetime.timedelta(days=15))  # a week later
    [again] = to(staff)
    assert "Nhắc việc: chưa xác nhận đã đọc QT-TNMT-01" in again.body
    assert Notification.objects.filter(
        recipient=staff, kind="procedures.acknowledgement_reminder", status="sent").count() == 2


def test_escalation_to_the_head_after_the_delay_naming_who_has_not_read(mailboxes, land, org):
    head = UserFactory(username="head_a", email="head_a@ubnd.example.vn", department=org["a"])
    org["a"].head = head
    org["a"].save()
    run(D0 + datetime.timedelta(days=7 + 13))
    assert to(head) == []
    run(D0 + datetime.timedelta(days=7 + 14))
    [message] = to(head)
    assert "== Báo cáo lãnh đạo đơn vị (1) ==" in message.body
    assert ("- 1 người của Phòng Tài nguyên và Môi trường chưa xác nhận đã đọc QT-TNMT-01 lần ban "
            "hành 1") in message.body
    assert mailboxes["staff"].get_full_name() in message.body
    # The reading page, which a head can open (the status page is the officers').
    assert "  http://127.0.0.1:8000/procedures/QT-TNMT-01/\n" in message.body
    assert to(mailboxes["approver"]) == []  # a named head comes first


def test_nothing_is_reminded_once_read(mailboxes, land):
    from procedures import services

    services.access_record(version=land, actor=mailboxes["staff"], action="view")
    services.acknowledgement_record(version=land, actor=mailboxes["staff"])
    run(D0 + datetime.timedelta(days=30))
    assert to(mailboxes["staff"]) == []


def test_overdue_corrective_actions_are_reminded_and_escalated(
        cast, org, started, procedure_a, django_capture_on_commit_callbacks):
    from procedures import services

    owner = cast["owner"]
    owner.email = "owner@ubnd.example.vn"
    owner.save()
    cast["approver"].email = "approver@ubnd.example.vn"
    cast["approver"].save()
    services.access_record(version=procedure_a, actor=owner, action="view")
    services.acknowledgement_record(version=procedure_a, actor=owner)  # nothing else to remind
    with django_capture_on_commit_callbacks(execute=True):
        action = record(started, cast, org).action  # due 30/04/2026
    run(datetime.date(2026, 4, 30))
    [assigned] = to(owner)
    assert assigned.subject == "[ISO 9001] Tổng hợp công việc ngày 30/04/2026 (1 mục)"
    assert "- Hành động khắc phục được giao: " in assigned.body  # the assignment, not late
    assert "Nhắc việc" not in assigned.body
    run(datetime.date(2026, 5, 1))
    [late] = to(owner)
    assert f"- Nhắc việc: hành động khắc phục quá hạn ({started.code}, phát hiện số 1)" in late.body
    assert f"http://127.0.0.1:8000/audits/actions/{action.pk}/answer/" in late.body
    escalated = "- Hành động khắc phục của Phòng Tài nguyên và Môi trường quá hạn từ ngày 30/04/2026"
    run(datetime.date(2026, 5, 13))
    assert not any(escalated in m.body for m in to(cast["approver"]))
    run(datetime.date(2026, 5, 14))  # 14 days late: the department's head (no named head:
    [up] = to(cast["approver"])      # the committee's approver)
    assert (escalated + "\n  ĐG-2026-01, phát hiện số 1: Hồ sơ lưu trữ không đúng thời hạn.\n"
            "  Người chịu trách nhiệm: " + str(owner) + ". Hạn hoàn thành: 30/04/2026.\n\n"
            ) in up.body  # no link: the head is not on the audit
    audit_services.corrective_action_answer(action=action, actor=owner, correction="",
                                            root_cause="Thiếu hướng dẫn.", action_plan="Tập huấn.")
    run(datetime.date(2026, 5, 30))
    assert to(owner) == []
    assert not any("Hành động khắc phục" in m.body for m in to(cast["approver"]))


def test_overdue_periodic_reviews_are_reminded_to_the_procedures_officers(mailboxes):
    effective(author=mailboxes["officer"], approver=mailboxes["approver"], code="QT-OLD-01",
              effective_from=datetime.date(2024, 1, 10))  # review due 10/01/2025
    run(datetime.date(2025, 1, 11))
    for who in ("officer", "officer2"):
        [message] = to(mailboxes[who])
        assert "- Nhắc việc: QT-OLD-01 quá hạn xem xét định kỳ" in message.body
    for who in ("staff", "officer_b", "admin", "approver"):
        assert not any("xem xét định kỳ" in m.body for m in to(mailboxes[who])), who


def test_the_command_says_what_it_did_and_refuses_a_bad_date(mailboxes, land):
    output = run(D0 + datetime.timedelta(days=8))
    assert output.strip() == (
        "Ngày 10/03/2026: 1 nhắc việc và báo cáo được xét; đã gửi 1 thư tổng hợp; 0 người đã nhận "
        "thư hôm nay; 0 người chưa có địa chỉ e-mail; 0 thư gửi lỗi; 0 thông báo không gửi vì "
        "việc đã xong.")
    with pytest.raises(CommandError) as caught:
        call_command("send_reminders", "--date", "31/02/2026")
    assert str(caught.value) == "Ngày không hợp lệ: hãy nhập theo dạng dd/mm/yyyy."


def test_a_failed_sending_makes_the_command_fail_and_the_next_run_sends(mailboxes, land, monkeypatch):
    monkeypatch.setattr(mail.EmailMessage, "send", lambda self, fail_silently=False: 1 / 0)
    with pytest.raises(CommandError) as caught:
        run(D0 + datetime.timedelta(days=8))
    assert str(caught.value) == "Có 1 thư gửi lỗi: xem nhật ký; chạy lại lệnh để gửi lại."
    monkeypatch.undo()
    run(D0 + datetime.timedelta(days=8))
    assert len(to(mailboxes["staff"])) == 1


def test_a_digest_never_asks_for_work_done_before_it_went(
        cast, org, started, django_capture_on_commit_callbacks):
    owner = cast["owner"]
    owner.email = "owner@ubnd.example.vn"
    owner.save()
    for who in ("auditor", "auditor2"):
        cast[who].email = f"{who}@ubnd.example.vn"
        cast[who].save()
    with django_capture_on_commit_callbacks(execute=True):
        action = record(started, cast, org).action
        audit_services.corrective_action_answer(
            action=action, actor=owner, correction="", root_cause="Thiếu hướng dẫn.",
            action_plan="Tập huấn.")
        audit_services.corrective_action_verify(action=action, actor=cast["auditor2"],
                                                effective=True, note="Đạt.")
    output = run(datetime.date(2026, 4, 1))
    # The owner was told of the action and the auditors of the answer; all of it is done.
    assert not any("Hành động khắc phục được giao" in m.body for m in to(owner))
    assert not any("Chờ kiểm tra hiệu lực" in m.body for m in mail.outbox)
    assert "3 thông báo không gửi vì việc đã xong." in output  # 1 owner + 2 auditors
    assert set(Notification.objects.filter(
        kind__in=["audits.action_assigned", "audits.action_to_verify"]
    ).values_list("status", flat=True)) == {"done"}
