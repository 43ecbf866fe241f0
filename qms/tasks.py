"""The tasks of the ground layer: the daily commands, and the sweep of lost jobs.

Celery beat sends `qms.start_command` with a command's name (CELERY_BEAT_SCHEDULE in
qms/settings/base.py): the same code an operator runs with `manage.py <command>`,
recorded as a job that administrators see at /jobs/. A command that is not
installed fails its job with the reason, and the log says so.
"""

import datetime
import io
import logging

from celery import shared_task
from django.conf import settings
from django.core.management import CommandError, call_command, get_commands
from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from .actors import system_user
from .jobs.runner import job_task
from .jobs.services import JobError, JobOutcome, job_start, jobs_fail_lost

logger = logging.getLogger("qms.jobs")


@job_task(name="qms.run_command", label=gettext_noop("Lệnh định kỳ"), retry_safe=True)
def run_command(*, job, progress, command: str):
    """Run a management command by name and keep the end of what it printed."""
    if command not in get_commands():
        logger.error("daily command %r is not installed: job %s failed", command, job.pk)
        raise JobError(
            _("Lệnh “%(name)s” chưa được cài đặt trên máy chủ này."),
            code="unknown_command", params={"name": command},
        )
    out = io.StringIO()
    progress(0, None)
    try:
        call_command(command, stdout=out, stderr=out)
    except CommandError as error:
        raise JobError(str(error), code="command") from error
    lines = [line for line in out.getvalue().splitlines() if line.strip()]
    return JobOutcome(summary=lines[-1] if lines else _("Hoàn thành."), lines=lines[-50:])


@shared_task(name="qms.start_command")
def start_command(command: str) -> str:
    """Beat's entry for a daily command: one job a command at a time (an active one
    of the same command, e.g. started by hand, is left to finish)."""
    with translation.override(settings.LANGUAGE_CODE):
        job, created = job_start(
            task=run_command, actor=system_user(), params={"command": command},
            detail=command, dedupe_key="command:" + command,
        )
    if not created:
        logger.info("%s: job %s is still active, not started again", command, job.pk)
    return str(job.pk)


@shared_task(name="qms.fail_lost_jobs")
def fail_lost_jobs() -> int:
    stale_after = datetime.timedelta(minutes=settings.QMS_JOB_STALE_MINUTES)
    return len(jobs_fail_lost(stale_after=stale_after))
