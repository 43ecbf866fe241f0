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
