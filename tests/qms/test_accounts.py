"""Issue 11, point 12: lockout after repeated failures (sign-in and signing password),
password rules, idle sessions, "remember me", password reset by e-mail."""

import re

import pytest
from axes.models import AccessAttempt
from django.contrib.auth.password_validation import validate_password
from django.core import mail
from django.core.exceptions import ValidationError
from django.test import override_settings

from procedures import services as procedure_services
from procedures.models import State
from qms.middleware import LAST_SEEN_KEY
from qms.models import LockoutEvent
from tests.factories import PASSWORD, draft, submit

pytestmark = pytest.mark.django_db

LOCKED = "tạm thời bị khoá vì nhập sai mật khẩu quá 5 lần"


def sign_in(client, username, password, address="127.0.0.1", **extra):
    data = {"username": username, "password": password, **extra}
    return client.post("/accounts/login/", data, REMOTE_ADDR=address)


def test_five_failed_sign_ins_lock_the_account_even_with_the_right_password(client, people):
    for _ in range(4):
        assert "Tên đăng nhập hoặc mật khẩu không đúng." in sign_in(client, "staff", "sai").content.decode()
    fifth = sign_in(client, "staff", "sai")
    assert fifth.status_code == 429 and LOCKED in fifth.content.decode()
    refused = sign_in(client, "staff", PASSWORD)
    assert refused.status_code == 429 and LOCKED in refused.content.decode()
    assert "_auth_user_id" not in client.session
    event = LockoutEvent.objects.get()
    assert event.kind == LockoutEvent.Kind.LOCKED and event.username == "staff" and event.until


def test_failures_from_one_address_lock_that_address_for_every_username(client, people):
    for username in ["a1", "a2", "a3", "a4", "a5"]:
        sign_in(client, username, "sai")
    response = sign_in(client, "officer", PASSWORD)
    assert response.status_code == 429
    other_address = sign_in(client, "officer", PASSWORD, address="10.0.0.9")
    assert other_address.status_code == 302


def test_lockout_ends_after_the_cool_off_and_the_end_is_recorded(client, people):
    for _ in range(5):
        sign_in(client, "staff", "sai")
    AccessAttempt.objects.update(attempt_time="2000-01-01T00:00:00Z")
    assert sign_in(client, "staff", PASSWORD).status_code == 302
    assert list(LockoutEvent.objects.order_by("at").values_list("kind", flat=True)) == ["locked", "ended"]


@pytest.fixture
def routed(people):
    version = draft(author=people["officer"], code="QT-L-01", body="Bước 1.")
    return submit(version, reviewers=[people["officer2"]], approver=people["approver"])


def test_wrong_signing_passwords_lock_the_signer_out(client, people, routed):
    client.force_login(people["officer2"])
    url = "/procedures/QT-L-01/versions/1/return/"
    shown = procedure_services.content_hash(routed)  # the text on the signer's screen
    for _ in range(5):
        client.post(url, {"reason": "Thiếu lưu đồ", "password": "sai", "content_sha256": shown})
    assert AccessAttempt.objects.get(username="officer2").failures_since_start == 5
    response = client.post(url, {"reason": "Thiếu lưu đồ", "password": PASSWORD,
                                 "content_sha256": shown}, follow=True)
    assert LOCKED in response.content.decode()
    routed.refresh_from_db()
    assert routed.state == State.IN_REVIEW
    assert LockoutEvent.objects.filter(username="officer2", kind="locked").count() == 1
    client.logout()
    assert sign_in(client, "officer2", PASSWORD).status_code == 429


def test_password_rules(people):
    for weak in ["Ab-12345", "password123", "1234567890123", "officer2026x"]:
        with pytest.raises(ValidationError):
            validate_password(weak, user=people["officer"])
    validate_password("Quy-trinh-ISO-2015", user=people["officer"])


def test_seed_demo_refuses_a_weak_password(db):
    from django.core.management import CommandError, call_command

    with pytest.raises(CommandError, match="quá ngắn|too short"):
        call_command("seed_demo", "--password", "demo12345")


def _idle(client, seconds):
    session = client.session
    session[LAST_SEEN_KEY] -= seconds
    session.save()


@override_settings(QMS_SESSION_IDLE_MINUTES=30, QMS_STAFF_SESSION_IDLE_MINUTES=480)
def test_idle_sessions_end_after_30_minutes_for_officers_and_8_hours_for_staff(client, people):
    sign_in(client, "officer", PASSWORD, remember="1")
    assert client.get("/").status_code == 200
    assert client.session.get_expiry_age() == 30 * 60
    _idle(client, 31 * 60)
    response = client.get("/", follow=True)
    assert "Phiên làm việc đã hết hạn" in response.content.decode()
    assert response.redirect_chain[-1][0].startswith("/accounts/login/")

    client.logout()
    sign_in(client, "staff", PASSWORD, remember="1")
    client.get("/")
    assert client.session.get_expiry_age() == 480 * 60
    _idle(client, 7 * 60 * 60)
    assert client.get("/").status_code == 200
    _idle(client, 9 * 60 * 60)
    assert client.get("/").status_code == 302


def test_without_remember_me_the_session_ends_with_the_browser(client, people):
    sign_in(client, "staff", PASSWORD)
    client.get("/")
    assert client.session.get_expire_at_browser_close()
    client.logout()
    sign_in(client, "staff", PASSWORD, remember="1")
    client.get("/")
    assert not client.session.get_expire_at_browser_close()


def test_password_reset_by_email(client, people):
    people["staff"].email = "staff@example.vn"
    people["staff"].save()
    page = client.get("/accounts/password_reset/")
    assert "Đặt lại mật khẩu" in page.content.decode()
    response = client.post("/accounts/password_reset/", {"email": "staff@example.vn"}, follow=True)
    assert "Đã gửi hướng dẫn đặt lại mật khẩu" in response.content.decode()
    [message] = mail.outbox
    assert "Đặt lại mật khẩu" in message.subject and "Chào staff," in message.body
    link = re.search(r"http://testserver(/accounts/reset/\S+)", message.body).group(1)
    form_page = client.get(link, follow=True)
    assert "Đặt mật khẩu mới" in form_page.content.decode()
    done = client.post(form_page.redirect_chain[-1][0], {
        "new_password1": "Mat-khau-moi-2026", "new_password2": "Mat-khau-moi-2026",
    }, follow=True)
    assert "Đã đặt mật khẩu mới" in done.content.decode()
    people["staff"].refresh_from_db()
    assert people["staff"].check_password("Mat-khau-moi-2026")


def test_the_administrator_sees_lockouts_and_their_ends(client, people):
    for _ in range(5):
        sign_in(client, "staff", "sai")
    client.force_login(people["admin"])
    page = client.get("/admin/qms/lockoutevent/")
    assert page.status_code == 200 and "staff" in page.content.decode()
    assert client.get("/admin/axes/accessattempt/").status_code == 200
