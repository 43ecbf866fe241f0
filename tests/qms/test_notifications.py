"""The stored outbox and its sending: written after the commit, in the recipient's
language, at once or in one digest a day, never twice; who a department's head is."""

import datetime

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext_lazy

from qms import notifications, roles, services
from qms.models import MailDelivery, Notification, NotificationPreference
from tests.factories import OrgUnitFactory, UserFactory

pytestmark = pytest.mark.django_db

DAY = datetime.date(2026, 5, 4)
SUBJECT = gettext_lazy("Cần đọc và xác nhận: %(code)s lần ban hành %(rev)s")
BODY = gettext_lazy("Hạn xem xét định kỳ %(day)s")


@pytest.fixture
def lan(org):
    return UserFactory(username="lan", first_name="Lan", last_name="Nguyễn Thị",
                       email="lan@ubnd.example.vn", department=org["a"])


@pytest.fixture
def tom(org):
    return UserFactory(username="tom", first_name="Tom", last_name="Lê",
                       email="tom@ubnd.example.vn", department=org["a"])


def _notify(recipients, *, key="", **kwargs):
    values = {
        "recipients": recipients, "kind": "test.event", "subject": SUBJECT, "body": BODY,
        "params": {"code": "QT-01", "rev": 2, "day": "04/05/2026"}, "url": "/inbox/", "key": key,
    }
    values.update(kwargs)
    notifications.notify(**values)


def _prefer(user, delivery, language="vi"):
    services.notification_preference_set(user=user, actor=user, delivery=delivery, language=language)


# ---------------------------------------------------------------- writing


def test_nothing_is_written_before_the_commit_and_nothing_after_a_rollback(
        lan, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        _notify([lan])
        assert not Notification.objects.exists()
    assert len(callbacks) == 1
    with pytest.raises(RuntimeError), django_capture_on_commit_callbacks(execute=True):
        with transaction.atomic():
            _notify([lan])
            raise RuntimeError("the service failed")
    assert not Notification.objects.exists()


def test_one_row_per_active_recipient_rendered_in_vietnamese_by_default(
        lan, tom, org, django_capture_on_commit_callbacks):
    gone = UserFactory(username="gone", email="gone@x.vn", department=org["a"], is_active=False)
    with django_capture_on_commit_callbacks(execute=True):
        _notify([lan, lan, tom, gone, None])
    rows = list(Notification.objects.order_by("recipient__username").values_list(
        "recipient__username", "subject", "body", "status"))
    assert rows == [
        ("lan", "Cần đọc và xác nhận: QT-01 lần ban hành 2", "Hạn xem xét định kỳ 04/05/2026",
         "pending"),
        ("tom", "Cần đọc và xác nhận: QT-01 lần ban hành 2", "Hạn xem xét định kỳ 04/05/2026",
         "pending"),
    ]
    assert mail.outbox == []  # the daily digest is the default


def test_a_person_who_chose_english_reads_english(lan, tom, django_capture_on_commit_callbacks):
    _prefer(tom, "digest", "en")
    with django_capture_on_commit_callbacks(execute=True):
        _notify([lan, tom])
    subjects = dict(Notification.objects.values_list("recipient__username", "subject"))
    assert subjects == {"lan": "Cần đọc và xác nhận: QT-01 lần ban hành 2",
                        "tom": "To read and acknowledge: QT-01 rev. 2"}
    assert Notification.objects.get(recipient=tom).body == "Periodic review due 04/05/2026"


def test_a_key_makes_the_event_once_per_person(lan, tom, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        _notify([lan], key="k1")
    with django_capture_on_commit_callbacks(execute=True):
        _notify([lan, tom], key="k1")
        _notify([lan], key="k2")
    assert sorted(Notification.objects.values_list("recipient__username", "key")) == [
        ("lan", "k1"), ("lan", "k2"), ("tom", "k1")]


# ---------------------------------------------------------------- immediate


def test_immediate_choice_sends_each_event_at_once(lan, tom, django_capture_on_commit_callbacks):
    _prefer(lan, "immediate")
    with django_capture_on_commit_callbacks(execute=True):
        _notify([lan, tom])
    [message] = mail.outbox
    assert message.to == ["lan@ubnd.example.vn"]
    assert message.subject == "[ISO 9001] Cần đọc và xác nhận: QT-01 lần ban hành 2"
    assert message.body.startswith("Kính gửi Nguyễn Thị Lan,\n\nCần đọc và xác nhận: QT-01 lần ban hành 2\n")
    assert "Xem và thực hiện tại: http://127.0.0.1:8000/inbox/" in message.body
    assert "http://127.0.0.1:8000/accounts/notifications/" in message.body
    sent = Notification.objects.get(recipient=lan)
    assert (sent.status, sent.delivery.kind, sent.delivery.status) == ("sent", "immediate", "sent")
    assert Notification.objects.get(recipient=tom).status == "pending"


def test_an_immediate_mail_that_fails_waits_for_the_digest(
        lan, monkeypatch, django_capture_on_commit_callbacks):
    _prefer(lan, "immediate")

    def broken(self, fail_silently=False):
        raise OSError("SMTP down")

    monkeypatch.setattr(mail.EmailMessage, "send", broken)
    with django_capture_on_commit_callbacks(execute=True):
        _notify([lan])  # the service's request does not fail
    row = Notification.objects.get()
    assert (row.status, row.delivery) == ("pending", None)
    assert MailDelivery.objects.get().status == "failed"
    monkeypatch.undo()
    assert notifications.send_digests(today=DAY).sent == 1
    assert len(mail.outbox) == 1


# ---------------------------------------------------------------- digests


def test_one_digest_a_person_a_day_with_everything_pending(lan, tom, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        _notify([lan, tom])
        _notify([lan], subject=gettext_lazy("Việc mới"), body="", params={})
        _notify([lan], kind="test.reminder", category="reminder", subject="Nhắc: QT-02",
                params={}, body="")
    result = notifications.send_digests(today=DAY)
    assert (result.sent, result.already_sent_today) == (2, 0)
    by_person = {m.to[0]: m for m in mail.outbox}
    message = by_person["lan@ubnd.example.vn"]
    assert message.subject == "[ISO 9001] Tổng hợp công việc ngày 04/05/2026 (3 mục)"
    body = message.body
    assert body.index("== Việc mới (2) ==") < body.index("== Nhắc việc quá hạn (1) ==")
    assert "- Cần đọc và xác nhận: QT-01 lần ban hành 2\n  Hạn xem xét định kỳ 04/05/2026\n" \
           "  http://127.0.0.1:8000/inbox/" in body
    assert "- Nhắc: QT-02" in body
    assert "Mọi việc đang chờ anh/chị: http://127.0.0.1:8000/inbox/" in body
    assert set(Notification.objects.values_list("status", flat=True)) == {"sent"}


def test_running_twice_the_same_day_sends_nothing_twice(lan, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        _notify([lan])
    assert notifications.send_digests(today=DAY).sent == 1
    with django_capture_on_commit_callbacks(execute=True):
        _notify([lan], key="later")  # comes in after today's digest
    again = notifications.send_digests(today=DAY)
    assert (again.sent, again.already_sent_today) == (0, 1)
    assert len(mail.outbox) == 1
    assert Notification.objects.get(key="later").status == "pending"
    assert notifications.send_digests(today=DAY + datetime.timedelta(days=1)).sent == 1
    assert len(mail.outbox) == 2


def test_a_digest_in_english_for_who_chose_it(lan, django_capture_on_commit_callbacks):
    _prefer(lan, "digest", "en")
    with django_capture_on_commit_callbacks(execute=True):
        _notify([lan])
    notifications.send_digests(today=DAY)
    [message] = mail.outbox
    assert message.subject == "[ISO 9001] Your work on 04/05/2026 (1 item)"
    assert message.body.startswith("Dear Nguyễn Thị Lan,")
    assert "== New work (1) ==" in message.body


def test_people_without_an_address_are_counted_and_not_sent(org, django_capture_on_commit_callbacks):
    nomail = UserFactory(username="nomail", email="", department=org["a"])
    with django_capture_on_commit_callbacks(execute=True):
        _notify([nomail])
    result = notifications.send_digests(today=DAY)
    assert (result.sent, result.no_address) == (0, 1)
    assert Notification.objects.get().status == "skipped"
    assert mail.outbox == []


def test_a_failed_digest_is_sent_again_by_the_next_run(lan, monkeypatch,
                                                       django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        _notify([lan])
    monkeypatch.setattr(mail.EmailMessage, "send", lambda self, fail_silently=False: 1 / 0)
    assert notifications.send_digests(today=DAY).failed == 1
    assert Notification.objects.get().status == "pending"
    monkeypatch.undo()
    assert notifications.send_digests(today=DAY).sent == 1
    assert list(MailDelivery.objects.order_by("pk").values_list("status", flat=True)) == [
        "failed", "sent"]


# ---------------------------------------------------------------- reminder periods


def test_reminders_come_every_period_and_escalations_after_the_delay(settings):
    settings.QMS_REMINDER_EVERY_DAYS = 7
    settings.QMS_ESCALATE_AFTER_DAYS = 14
    key = notifications.reminder_key
    assert [key("k", "r", days_overdue=d) for d in (1, 7, 8, 14, 15)] == [
        "k:r:0", "k:r:0", "k:r:1", "k:r:1", "k:r:2"]
    up = notifications.escalation_key
    assert [up("e", "r", days_overdue=d) for d in (13, 14, 20, 21)] == [
        None, "e:r:0", "e:r:0", "e:r:1"]


def test_names_are_cut_after_the_limit(org):
    people = [UserFactory(first_name="A", last_name=f"Lê {n}", department=org["a"]) for n in range(4)]
    assert notifications.names(people, limit=2) == "Lê 0 A, Lê 1 A và 2 người khác"
    assert notifications.names(people[:2], limit=2) == "Lê 0 A, Lê 1 A"


# ---------------------------------------------------------------- heads


def test_a_named_head_receives_the_escalations_of_the_unit(org, people):
    head = UserFactory(username="head", department=org["a"])
    org["a"].head = head
    org["a"].save()
    assert notifications.department_heads([org["a"].pk]) == {org["a"].pk: [head]}


def test_without_a_named_head_the_units_approvers_then_the_parents(org, people):
    own = UserFactory(username="approver_b", role=roles.APPROVER, department=org["b"])
    heads = notifications.department_heads([org["a"].pk, org["b"].pk, org["root"].pk])
    # A has no head and no approver: the committee's approver; B has its own.
    assert heads == {org["a"].pk: [people["approver"]], org["b"].pk: [own],
                     org["root"].pk: [people["approver"]]}


def test_an_inactive_head_is_passed_over_and_a_lonely_unit_has_nobody(org, people):
    org["a"].head = UserFactory(username="old_head", department=org["a"], is_active=False)
    org["a"].save()
    lonely = OrgUnitFactory(code="lonely", name="Đơn vị độc lập")
    heads = notifications.department_heads([org["a"].pk, lonely.pk])
    assert heads == {org["a"].pk: [people["approver"]], lonely.pk: []}


# ---------------------------------------------------------------- preferences


def test_a_person_sets_their_own_preference_with_history(lan):
    preference = services.notification_preference_set(
        user=lan, actor=lan, delivery="immediate", language="en")
    assert (preference.delivery, preference.language) == ("immediate", "en")
    again = services.notification_preference_set(
        user=lan, actor=lan, delivery="immediate", language="en")
    assert again.pk == preference.pk
    history = list(NotificationPreference.history.values_list("history_user__username",
                                                              "history_change_reason"))
    assert history == [("lan", "Đổi cách nhận thông báo")]


def test_nobody_else_sets_it_and_bad_values_are_refused(lan, tom, people):
    with pytest.raises(PermissionDenied):
        services.notification_preference_set(user=lan, actor=tom, delivery="digest", language="vi")
    services.notification_preference_set(user=lan, actor=people["admin"], delivery="digest",
                                         language="vi")
    with pytest.raises(ValidationError) as caught:
        services.notification_preference_set(user=lan, actor=lan, delivery="hourly", language="vi")
    assert caught.value.messages == ["Cách nhận thư không hợp lệ."]
    with pytest.raises(ValidationError) as caught:
        services.notification_preference_set(user=lan, actor=lan, delivery="digest", language="fr")
    assert caught.value.messages == ["Ngôn ngữ không hợp lệ."]


def test_the_preferences_page(client, lan):
    client.force_login(lan)
    page = client.get("/accounts/notifications/")
    assert page.status_code == 200
    html = page.content.decode()
    assert "lan@ubnd.example.vn" in html and "Một thư tổng hợp mỗi ngày" in html
    response = client.post("/accounts/notifications/", {"delivery": "immediate", "language": "vi"},
                           follow=True)
    assert [str(m) for m in response.context["messages"]] == ["Đã lưu cách nhận thông báo."]
    assert notifications.preference_of(lan).delivery == "immediate"
    bad = client.post("/accounts/notifications/", {"delivery": "weekly", "language": "vi"})
    assert bad.status_code == 200
    assert "Cách nhận thư không hợp lệ." in bad.content.decode()
    assert notifications.preference_of(lan).delivery == "immediate"


def test_the_preferences_page_asks_for_an_address_when_there_is_none(client, org):
    nomail = UserFactory(username="nomail", email="", department=org["a"])
    client.force_login(nomail)
    assert "chưa có địa chỉ e-mail" in client.get("/accounts/notifications/").content.decode()


def test_a_subject_is_one_line_whatever_its_values(lan, django_capture_on_commit_callbacks):
    _prefer(lan, "immediate")
    with django_capture_on_commit_callbacks(execute=True):
        _notify([lan], params={"code": "QT-01\r\nBcc: x@evil.example", "rev": 2, "day": "x"})
    row = Notification.objects.get()
    assert row.subject == "Cần đọc và xác nhận: QT-01 Bcc: x@evil.example lần ban hành 2"
    [message] = mail.outbox
    assert message.to == ["lan@ubnd.example.vn"] and message.bcc == []


def test_a_task_done_before_the_digest_is_not_sent(lan, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        _notify([lan], kind="task", url="/done/")
        _notify([lan], kind="task", url="/open/", subject="Còn việc", params={}, body="")
        _notify([lan], kind="news", url="/done/", subject="Tin", params={}, body="")
    result = notifications.send_digests(today=DAY, open_urls=lambda user: {"/open/"},
                                        task_kinds={"task"})
    assert (result.sent, result.done_before) == (1, 1)
    [message] = mail.outbox
    assert "- Còn việc" in message.body and "- Tin" in message.body
    assert "Cần đọc và xác nhận" not in message.body
    assert Notification.objects.get(url="/done/", kind="task").status == "done"


def test_nothing_is_sent_when_all_the_work_is_done(lan, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        _notify([lan], kind="task", url="/done/")
    result = notifications.send_digests(today=DAY, open_urls=lambda user: set(),
                                        task_kinds={"task"})
    assert (result.sent, result.nothing_left, result.done_before) == (0, 1, 1)
    assert mail.outbox == [] and not MailDelivery.objects.exists()
