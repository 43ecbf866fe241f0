"""The job framework: a service run as a task, its progress, its outcome, its
failures (retried with backoff only where safe) and its idempotence."""

import datetime
import logging

import pytest
from django.db import transaction
from django.utils import timezone, translation
from kombu.exceptions import OperationalError as QueueUnreachable

from qms.jobs import runner, services
from qms.models import Job

from . import jobtasks

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def fresh_calls(monkeypatch):
    jobtasks.CALLS.clear()
    monkeypatch.setattr(runner.Progress, "interval", 0)  # every step written


@pytest.fixture
def start(django_capture_on_commit_callbacks):
    """Start a job as the application does and let the commit send it (eagerly)."""

    def go(task, actor, **kwargs):
        with django_capture_on_commit_callbacks(execute=True):
            job, created = services.job_start(task=task, actor=actor, **kwargs)
        job.refresh_from_db()
        return job

    return go


def test_a_job_runs_after_commit_and_records_progress_and_outcome(people, start):
    job = start(jobtasks.safe_job, people["officer"], params={"items": 3, "seen": True},
                detail="thử")
    assert job.status == Job.Status.SUCCEEDED
    assert (job.progress_done, job.progress_total, job.percent) == (3, 3, 100)
    assert job.result_summary == "3 mục đã xử lý."
    assert job.result_lines == ["mục 1", "mục 2", "mục 3"]
    assert job.result_url == "/register/"
    assert job.error_message == ""
    assert job.attempts == 1
    assert job.started_by == people["officer"]
    assert job.kind == "tests.safe_job" and job.label == "Công việc thử" and job.detail == "thử"
    assert job.language == "vi"
    assert job.created_at <= job.started_at <= job.finished_at
    # The page saw each step while the job ran, not only the end.
    assert jobtasks.CALLS[0]["seen"] == [(0, 3), (1, 3), (2, 3), (3, 3)]


def test_a_job_is_not_sent_before_its_transaction_commits(people, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        job, created = services.job_start(task=jobtasks.safe_job, actor=people["officer"])
    assert created and len(callbacks) == 1
    job.refresh_from_db()
    assert job.status == Job.Status.QUEUED and jobtasks.CALLS == []


def test_a_refusal_fails_the_job_with_its_message_and_is_not_retried(people, start):
    job = start(jobtasks.safe_job, people["officer"], params={"fail": "refusal"})
    assert job.status == Job.Status.FAILED
    assert job.error_message == "Hãy nêu lý do hủy bỏ."
    assert job.attempts == 1 and len(jobtasks.CALLS) == 1
    assert job.finished_at is not None


def test_the_messages_are_in_the_language_of_the_person_who_started_it(people, start):
    with translation.override("en"):
        job = start(jobtasks.safe_job, people["officer"], params={"fail": "refusal"})
    assert job.language == "en"
    assert job.error_message == "State the reason for withdrawal."


def test_a_passing_fault_is_retried_with_backoff_when_the_job_is_retry_safe(people, start, caplog):
    caplog.set_level(logging.WARNING, logger="qms.jobs")
    job = start(jobtasks.safe_job, people["officer"],
                params={"fail": "transient", "fail_times": 2, "items": 1})
    assert job.status == Job.Status.SUCCEEDED
    assert job.attempts == 3 and len(jobtasks.CALLS) == 3
    assert [call["attempt"] for call in jobtasks.CALLS] == [1, 2, 3]
    assert job.error_message == ""  # the note of the retry is gone once it succeeds
    # Exponential backoff: 10 s, then 20 s (eager mode runs the retry at once).
    retries = [r.getMessage() for r in caplog.records if "retry" in r.getMessage()]
    assert len(retries) == 2
    assert retries[0].endswith("retry 1 in 10s") and retries[1].endswith("retry 2 in 20s")


def test_the_retry_note_says_when_it_runs_again(people, start, monkeypatch):
    notes = []
    real = services.job_requeue

    def spy(*, job, message):
        notes.append(message)
        return real(job=job, message=message)

    monkeypatch.setattr(runner, "job_requeue", spy)
    start(jobtasks.safe_job, people["officer"], params={"fail": "transient", "fail_times": 1})
    assert notes == ["Lỗi tạm thời (cơ sở dữ liệu hoặc kết nối không sẵn sàng). Tự động thử lại "
                     "sau 10 giây (lần 1/4)."]


def test_a_passing_fault_that_stays_fails_the_job_after_the_last_retry(people, start):
    job = start(jobtasks.safe_job, people["officer"], params={"fail": "transient", "fail_times": 99})
    assert job.status == Job.Status.FAILED
    assert job.attempts == 5 and len(jobtasks.CALLS) == 5  # the run and 4 retries
    assert job.error_message == ("Lỗi tạm thời (cơ sở dữ liệu hoặc kết nối không sẵn sàng) vẫn "
                                 "còn sau 5 lần thử. Hãy chạy lại sau.")


def test_a_passing_fault_is_not_retried_when_running_twice_could_do_harm(people, start):
    job = start(jobtasks.unsafe_job, people["officer"], params={"fail": "transient", "fail_times": 1})
    assert job.status == Job.Status.FAILED
    assert job.attempts == 1 and len(jobtasks.CALLS) == 1
    assert job.error_message == (
        "Lỗi tạm thời (cơ sở dữ liệu hoặc kết nối không sẵn sàng). Công việc không được tự động "
        "chạy lại, vì chạy lại có thể làm một việc hai lần. Hãy kiểm tra kết quả rồi chạy lại.")


def test_an_unexpected_error_fails_the_job_without_showing_the_traceback(people, start, caplog):
    job = start(jobtasks.safe_job, people["officer"], params={"fail": "bug"})
    assert job.status == Job.Status.FAILED and job.attempts == 1
    assert job.error_message == (
        "Lỗi ngoài dự kiến. Chi tiết đã được ghi vào nhật ký hệ thống với mã công việc "
        f"{job.pk}; hãy báo quản trị hệ thống.")
    assert "KeyError" not in job.error_message
    logged = [r for r in caplog.records if r.name == "qms.jobs" and r.exc_info]
    assert len(logged) == 1 and str(job.pk) in logged[0].getMessage()


def test_starting_the_same_work_twice_gives_the_active_job(people, start, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=False):
        first, created = services.job_start(task=jobtasks.safe_job, actor=people["officer"],
                                            dedupe_key="k")
        again, created_again = services.job_start(task=jobtasks.safe_job, actor=people["admin"],
                                                  dedupe_key="k")
        other, created_other = services.job_start(task=jobtasks.safe_job, actor=people["admin"],
                                                  dedupe_key="other")
    assert created and not created_again and created_other
    assert again.pk == first.pk and other.pk != first.pk
    assert Job.objects.count() == 2
    # Once the first has finished, the same key starts a new job.
    Job.objects.filter(pk=first.pk).update(status=Job.Status.SUCCEEDED)
    later = start(jobtasks.safe_job, people["officer"], dedupe_key="k")
    assert later.pk != first.pk and later.status == Job.Status.SUCCEEDED


def test_the_database_holds_one_active_job_per_key(people):
    services.job_start(task=jobtasks.safe_job, actor=people["officer"], dedupe_key="k")
    from django.db import IntegrityError

    with pytest.raises(IntegrityError), transaction.atomic():
        Job.objects.create(kind="x", label="x", dedupe_key="k", started_by=people["admin"],
                           language="vi")
    # Finished jobs and jobs without a key are not held by it.
    Job.objects.create(kind="x", label="x", dedupe_key="k", started_by=people["admin"],
                       language="vi", status=Job.Status.FAILED)
    Job.objects.create(kind="x", label="x", started_by=people["admin"], language="vi")
    Job.objects.create(kind="x", label="x", started_by=people["admin"], language="vi")


def test_a_message_handed_out_again_after_the_job_finished_does_nothing(people, start):
    job = start(jobtasks.safe_job, people["officer"], params={"items": 2})
    assert jobtasks.safe_job.apply(args=[str(job.pk)]).get() == Job.Status.SUCCEEDED
    job.refresh_from_db()
    assert job.attempts == 1 and len(jobtasks.CALLS) == 1


def _interrupted(task, actor):
    """A job whose worker was lost while running it: RUNNING, one attempt made."""
    with transaction.atomic():
        job, _created = services.job_start(task=task, actor=actor)
    services.job_claim(job=Job.objects.get(pk=job.pk))
    return Job.objects.get(pk=job.pk)


def test_a_retry_safe_job_handed_out_again_while_running_runs_again(people, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=False):
        job = _interrupted(jobtasks.safe_job, people["officer"])
    jobtasks.safe_job.apply(args=[str(job.pk)])
    job.refresh_from_db()
    assert job.status == Job.Status.SUCCEEDED and job.attempts == 2


def test_a_job_that_may_not_run_twice_is_failed_as_interrupted(people, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=False):
        job = _interrupted(jobtasks.unsafe_job, people["officer"])
    jobtasks.unsafe_job.apply(args=[str(job.pk)])
    job.refresh_from_db()
    assert job.status == Job.Status.FAILED and jobtasks.CALLS == []
    assert job.error_message == (
        "Công việc bị gián đoạn khi đang chạy và không được tự động chạy lại, vì chạy lại có "
        "thể làm một việc hai lần. Hãy kiểm tra kết quả rồi chạy lại.")


def test_a_queue_that_cannot_be_reached_fails_the_job_with_the_reason(people, start, monkeypatch, caplog):
    def unreachable(*args, **kwargs):
        raise QueueUnreachable("Error 111 connecting to 127.0.0.1:6379. Connection refused.")

    monkeypatch.setattr(jobtasks.safe_job, "apply_async", unreachable)
    job = start(jobtasks.safe_job, people["officer"])
    assert job.status == Job.Status.FAILED and jobtasks.CALLS == []
    assert job.error_message == (
        "Không gửi được công việc tới bộ xử lý nền (hàng đợi không sẵn sàng). Hãy thử lại sau "
        "ít phút hoặc báo quản trị hệ thống.")


def test_a_finished_job_never_moves_again(people, start):
    job = start(jobtasks.safe_job, people["officer"], params={"fail": "refusal"})
    assert services.job_succeed(job=job, outcome=services.JobOutcome(summary="x")) is None
    assert services.job_claim(job=job) is None
    job.refresh_from_db()
    assert job.status == Job.Status.FAILED and job.result_summary == ""


def test_jobs_that_give_no_sign_of_life_are_failed_with_the_reason(people, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=False):
        running = _interrupted(jobtasks.safe_job, people["officer"])
        queued, _c = services.job_start(task=jobtasks.safe_job, actor=people["officer"])
        recent = _interrupted(jobtasks.safe_job, people["admin"])
    an_hour_ago = timezone.now() - datetime.timedelta(hours=1)
    Job.objects.filter(pk__in=[running.pk, queued.pk]).update(updated_at=an_hour_ago)
    failed = services.jobs_fail_lost(stale_after=datetime.timedelta(minutes=30))
    assert {job.pk for job in failed} == {running.pk, queued.pk}
    messages = dict(Job.objects.values_list("pk", "error_message"))
    assert messages[running.pk] == ("Công việc bị gián đoạn: bộ xử lý nền đã dừng khi đang chạy "
                                    "nó. Hãy kiểm tra kết quả rồi chạy lại.")
    assert messages[queued.pk] == ("Công việc không được bộ xử lý nền nhận. Hãy chạy lại; nếu "
                                   "vẫn vậy, báo quản trị hệ thống.")
    assert Job.objects.get(pk=recent.pk).status == Job.Status.RUNNING


def test_progress_is_written_at_most_twice_a_second_but_always_at_the_end(people, monkeypatch):
    monkeypatch.setattr(runner.Progress, "interval", 60)
    job = Job.objects.create(kind="x", label="x", started_by=people["officer"], language="vi",
                             status=Job.Status.RUNNING)
    progress = runner.Progress(job)
    progress(1, 10)
    progress(5, 10)
    assert Job.objects.values_list("progress_done", flat=True).get(pk=job.pk) == 1
    progress(10, 10)
    assert Job.objects.values_list("progress_done", flat=True).get(pk=job.pk) == 10
