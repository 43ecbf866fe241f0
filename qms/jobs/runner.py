"""@job_task: a service run as a Celery task that reports progress and records its
outcome on its qms.Job.

    @job_task(name="procedures.apply_scheduled", label=gettext_noop("…"), retry_safe=True)
    def apply_scheduled(*, job, progress, **params) -> JobOutcome: …

    job, created = job_start(task=apply_scheduled, actor=user, params={…})

The function receives the job, a `progress(done, total)` callable and the job's
params (JSON: ids and codes, not objects). It runs in the language of the person
who started it, so its messages and the refusals of the services it calls are in
that language.

What happens when it goes wrong:
- a ValidationError or PermissionDenied (a service's refusal): the job fails with
  that message; no retry, the same input would be refused again;
- a passing fault (database or network unreachable, time-out: `retry_for`): retried
  with exponential backoff up to `max_retries` when the job is retry-safe, that is
  when running it again does no harm; otherwise the job fails saying so;
- anything else: the job fails with a general message naming the job's id; the
  traceback goes to the log, never to the page.

A message handed out twice (a worker lost after it started: tasks are acknowledged
late) finds its job finished and does nothing, or running: it runs again only if
retry-safe, otherwise the job fails as interrupted.
"""

import logging
import time

from celery import Task, shared_task
from celery.utils.time import get_exponential_backoff_interval
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import InterfaceError, OperationalError
from django.utils import translation
from django.utils.translation import gettext as _

from .models import Job
from .services import (
    JobOutcome,
    job_claim,
    job_fail,
    job_report_progress,
    job_requeue,
    job_succeed,
)

logger = logging.getLogger("qms.jobs")

# Faults that may pass by themselves. Narrow on purpose: retrying a bug only repeats it.
TRANSIENT_ERRORS = (OperationalError, InterfaceError, ConnectionError, TimeoutError)


class JobTask(Task):
    """Base of the tasks made by @job_task (attributes set there)."""

    label = ""
    retry_safe = False
    retry_for = TRANSIENT_ERRORS
    max_retries = 4
    retry_backoff = 10  # seconds; 10, 20, 40, 80 (each capped by retry_backoff_max)
    retry_backoff_max = 600
    # Acknowledged when done: a lost worker's job is handed out again (see above).
    acks_late = True
    reject_on_worker_lost = True
    job_function = None


class Progress:
    """`progress(done, total=None)`, given to a job's function. Writes at most twice
    a second, and always the last step."""

    interval = 0.5

    def __init__(self, job: Job):
        self.job = job
        self._written_at = 0.0

    def __call__(self, done: int, total: int | None = None) -> None:
        total = self.job.progress_total if total is None else total
        now = time.monotonic()
        if now - self._written_at < self.interval and done != total:
            return
        self._written_at = now
        job_report_progress(job=self.job, done=done, total=total)


def job_task(*, name: str, label: str, retry_safe: bool = False, retry_for=None,
             max_retries: int = 4, **options):
    """Make `func(*, job, progress, **params) -> JobOutcome | None` a job task."""

    def decorate(func):
        def run(self, job_id):
            return run_job(self, job_id)

        run.__name__, run.__doc__ = func.__name__, func.__doc__
        return shared_task(
            bind=True, base=JobTask, name=name, label=label, retry_safe=retry_safe,
            retry_for=tuple(retry_for or TRANSIENT_ERRORS), max_retries=max_retries,
            job_function=staticmethod(func), **options,
        )(run)

    return decorate


def _refusal_text(error) -> str:
    if isinstance(error, ValidationError):
        return " ".join(error.messages)
    return str(error) or _("Bạn không có quyền thực hiện việc này.")


def run_job(task: JobTask, job_id: str):
    """The body of every job task (see the module's docstring)."""
    job = Job.objects.filter(pk=job_id).first()
    if job is None:
        # The transaction that recorded it rolled back after sending: nothing to do.
        logger.warning("job %s not found: not run", job_id)
        return None
    if job.status not in Job.ACTIVE:
        return job.status  # handed out again after it finished
    with translation.override(job.language):
        if job.status == Job.Status.RUNNING and not job.retry_safe:
            job_fail(job=job, message=_(
                "Công việc bị gián đoạn khi đang chạy và không được tự động chạy lại, vì chạy "
                "lại có thể làm một việc hai lần. Hãy kiểm tra kết quả rồi chạy lại."))
            return Job.Status.FAILED
        claimed = job_claim(job=job)
        if claimed is None:
            return job.status
        return _execute(task, claimed)


def _execute(task: JobTask, job: Job):
    try:
        outcome = task.job_function(job=job, progress=Progress(job), **job.params)
    except (ValidationError, PermissionDenied) as error:
        job_fail(job=job, message=_refusal_text(error))
        return Job.Status.FAILED
    except task.retry_for as error:
        retries = task.request.retries
        if job.retry_safe and retries < task.max_retries:
            countdown = get_exponential_backoff_interval(
                factor=task.retry_backoff, retries=retries,
                maximum=task.retry_backoff_max, full_jitter=False,
            )
            logger.warning("job %s: passing fault %r, retry %s in %ss", job.pk, error,
                           retries + 1, countdown)
            job_requeue(job=job, message=_(
                "Lỗi tạm thời (cơ sở dữ liệu hoặc kết nối không sẵn sàng). Tự động thử lại "
                "sau %(seconds)s giây (lần %(attempt)s/%(max)s).") % {
                "seconds": countdown, "attempt": retries + 1, "max": task.max_retries})
            raise task.retry(exc=error, countdown=countdown) from error
        logger.warning("job %s: passing fault %r, not retried", job.pk, error)
        if job.retry_safe:
            message = _("Lỗi tạm thời (cơ sở dữ liệu hoặc kết nối không sẵn sàng) vẫn còn "
                        "sau %(n)s lần thử. Hãy chạy lại sau.") % {"n": retries + 1}
        else:
            message = _("Lỗi tạm thời (cơ sở dữ liệu hoặc kết nối không sẵn sàng). Công việc "
                        "không được tự động chạy lại, vì chạy lại có thể làm một việc hai lần. "
                        "Hãy kiểm tra kết quả rồi chạy lại.")
        job_fail(job=job, message=message)
        return Job.Status.FAILED
    except Exception:
        logger.exception("job %s (%s) failed", job.pk, job.kind)
        job_fail(job=job, message=_(
            "Lỗi ngoài dự kiến. Chi tiết đã được ghi vào nhật ký hệ thống với mã công việc "
            "%(id)s; hãy báo quản trị hệ thống.") % {"id": job.pk})
        return Job.Status.FAILED
    job_succeed(job=job, outcome=outcome or JobOutcome(summary=_("Hoàn thành.")))
    return Job.Status.SUCCEEDED
