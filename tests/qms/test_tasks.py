"""The daily jobs: Celery beat entries that run the same management commands as an
operator, each recorded as a job; a command not installed is reported, not skipped."""

import datetime
import logging

import pytest
from django.conf import settings
from django.core.management import get_commands
from django.utils import timezone

from procedures.models import State
from qms import tasks
from qms.celery import app
from qms.jobs.services import job_start
from qms.models import Job
from tests.factories import effective

pytestmark = pytest.mark.django_db


@pytest.fixture
def beat(django_capture_on_commit_callbacks):
    """Send a beat entry as the worker would receive it (eagerly)."""

    def send(name):
        entry = settings.CELERY_BEAT_SCHEDULE[name]
        with django_capture_on_commit_callbacks(execute=True):
            app.tasks[entry["task"]].apply(args=entry.get("args", ()))

    app.loader.import_default_modules()  # what a worker does at start: autodiscovery
    return send


def test_every_beat_entry_names_a_task_the_worker_knows():
    app.loader.import_default_modules()
    names = {entry["task"] for entry in settings.CELERY_BEAT_SCHEDULE.values()}
    assert names == {"qms.start_command", "qms.fail_lost_jobs"}
    assert names <= set(app.tasks)
    commands = [entry["args"][0] for entry in settings.CELERY_BEAT_SCHEDULE.values()
                if entry["task"] == "qms.start_command"]
    assert commands == ["apply_scheduled", "send_reminders", "rebuild_search_index"]
    assert "apply_scheduled" in get_commands()


def test_the_daily_apply_scheduled_runs_the_command_as_a_job_of_the_system(people, beat, monkeypatch):
    tomorrow = timezone.localdate() + datetime.timedelta(days=1)
    version = effective(author=people["officer"], approver=people["approver"], effective_from=tomorrow)
    monkeypatch.setattr(timezone, "localdate", lambda *a, **k: tomorrow)
    beat("apply-scheduled")
    job = Job.objects.get()
    assert (job.kind, job.detail, job.params) == ("qms.run_command", "apply_scheduled",
                                                  {"command": "apply_scheduled"})
    assert job.status == Job.Status.SUCCEEDED
    assert job.started_by.username == "system"
    assert job.result_summary == "1 version(s) made effective."
    assert job.result_lines == [f"{version.procedure.code} rev. 1: effective",
                                "1 version(s) made effective."]
    version.refresh_from_db()
    assert version.state == State.EFFECTIVE
    # Run again (a second beat, a redelivered message): nothing more to do, no harm.
    beat("apply-scheduled")
    second = Job.objects.exclude(pk=job.pk).get()
    assert second.result_summary == "0 version(s) made effective."


def test_a_daily_command_that_is_not_installed_is_reported_as_a_failed_job(people, beat, caplog):
    caplog.set_level(logging.ERROR, logger="qms.jobs")
    with pytest.MonkeyPatch.context() as patch:
        patch.setitem(settings.CELERY_BEAT_SCHEDULE, "missing",
                      {"task": "qms.start_command", "args": ["no_such_command"], "schedule": 60})
        beat("missing")
    job = Job.objects.get()
    assert job.status == Job.Status.FAILED
    assert job.error_message == "Lệnh “no_such_command” chưa được cài đặt trên máy chủ này."
    assert any("no_such_command" in r.getMessage() for r in caplog.records)


def test_a_daily_command_still_running_is_not_started_again(people, beat, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=False):
        running, _created = job_start(task=tasks.run_command, actor=people["admin"],
                                      params={"command": "apply_scheduled"},
                                      dedupe_key="command:apply_scheduled")
    beat("apply-scheduled")
    assert list(Job.objects.values_list("pk", flat=True)) == [running.pk]


def test_the_sweep_of_lost_jobs_uses_the_configured_delay(people, beat, settings, django_capture_on_commit_callbacks):
    settings.QMS_JOB_STALE_MINUTES = 30
    with django_capture_on_commit_callbacks(execute=False):
        old, _c = job_start(task=tasks.run_command, actor=people["admin"], params={"command": "x"})
        new, _c = job_start(task=tasks.run_command, actor=people["admin"], params={"command": "y"})
    Job.objects.filter(pk=old.pk).update(updated_at=timezone.now() - datetime.timedelta(minutes=31))
    Job.objects.filter(pk=new.pk).update(updated_at=timezone.now() - datetime.timedelta(minutes=29))
    beat("fail-lost-jobs")
    assert dict(Job.objects.values_list("pk", "status")) == {old.pk: "failed", new.pk: "queued"}
