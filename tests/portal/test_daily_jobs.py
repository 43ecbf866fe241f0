"""The daily reminders and digests as Celery beat sends them: the same command as an
operator's `send_reminders`, recorded as a job, safe to run twice, a failure reported
with its reason."""

import datetime

import pytest
from django.conf import settings
from django.core import mail
from django.utils import timezone

from qms.celery import app
from qms.models import Job
from tests.factories import effective

pytestmark = pytest.mark.django_db
DAY = datetime.date(2025, 1, 11)  # the day after the periodic review fell due


@pytest.fixture
def overdue_review(people, monkeypatch):
    for user in people.values():
        user.email = f"{user.username}@ubnd.example.vn"
        user.save()
    effective(author=people["officer"], approver=people["approver"], code="QT-OLD-01",
              effective_from=datetime.date(2024, 1, 10))  # review due 10/01/2025
    monkeypatch.setattr(timezone, "localdate", lambda *a, **k: DAY)
    mail.outbox.clear()


def beat(name, capture):
    app.loader.import_default_modules()
    entry = settings.CELERY_BEAT_SCHEDULE[name]
    with capture(execute=True):
        app.tasks[entry["task"]].apply(args=entry.get("args", ()))


def test_the_daily_reminders_send_the_periodic_review_alerts_once(
        people, overdue_review, django_capture_on_commit_callbacks):
    beat("send-reminders", django_capture_on_commit_callbacks)
    job = Job.objects.get()
    assert (job.detail, job.status, job.started_by.username) == (
        "send_reminders", Job.Status.SUCCEEDED, "system")
    assert job.result_summary.startswith("Ngày 11/01/2025:") and "0 thư gửi lỗi" in job.result_summary
    officers = [m for m in mail.outbox if m.to == [people["officer"].email]]
    assert len(officers) == 1 and "QT-OLD-01" in officers[0].body
    sent = len(mail.outbox)
    beat("send-reminders", django_capture_on_commit_callbacks)
    assert Job.objects.filter(status=Job.Status.SUCCEEDED).count() == 2
    assert len(mail.outbox) == sent  # nothing sent twice


def test_a_failed_sending_is_reported_on_the_job_with_the_reason(
        people, overdue_review, monkeypatch, django_capture_on_commit_callbacks):
    monkeypatch.setattr(mail.EmailMessage, "send", lambda self, fail_silently=False: 1 / 0)
    beat("send-reminders", django_capture_on_commit_callbacks)
    job = Job.objects.get()
    assert job.status == Job.Status.FAILED
    assert job.error_message.startswith("Có ") and job.error_message.endswith(
        "thư gửi lỗi: xem nhật ký; chạy lại lệnh để gửi lại.")


def test_an_administrator_runs_a_daily_command_now_from_the_jobs_page(
        client, people, overdue_review, django_capture_on_commit_callbacks):
    client.force_login(people["admin"])
    page = client.get("/jobs/").content.decode()
    assert 'action="/jobs/run/send_reminders/"' in page and "Gửi nhắc việc và thư tổng hợp" in page
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post("/jobs/run/send_reminders/")
    job = Job.objects.get()
    assert response.status_code == 302 and response["Location"] == f"/jobs/{job.pk}/"
    assert (job.kind, job.started_by, job.status) == (
        "qms.run_command", people["admin"], Job.Status.SUCCEEDED)
    assert any("QT-OLD-01" in m.body for m in mail.outbox)


def test_rebuilding_the_search_index_runs_the_command_or_says_it_is_missing(
        client, people, django_capture_on_commit_callbacks):
    from django.core.management import get_commands

    client.force_login(people["admin"])
    with django_capture_on_commit_callbacks(execute=True):
        client.post("/jobs/run/rebuild_search_index/")
    job = Job.objects.get()
    if "rebuild_search_index" in get_commands():
        assert job.status == Job.Status.SUCCEEDED
    else:
        assert job.status == Job.Status.FAILED
        assert job.error_message == "Lệnh “rebuild_search_index” chưa được cài đặt trên máy chủ này."


def test_only_administrators_run_daily_commands_and_only_those(client, people):
    client.force_login(people["officer"])
    assert client.post("/jobs/run/send_reminders/").status_code == 403
    assert "daily-commands" not in client.get("/jobs/").content.decode()
    client.force_login(people["admin"])
    assert client.post("/jobs/run/flush/").status_code == 404
    assert client.get("/jobs/run/send_reminders/").status_code == 405
    assert not Job.objects.exists()
