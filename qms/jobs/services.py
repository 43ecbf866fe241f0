"""Starting a job and moving it through its states.

Only these functions change a Job's status (the runner calls them); each re-reads
the row under lock and checks the move against Job.TRANSITIONS, so a late or
repeated message of the broker cannot move a finished job.
"""

import datetime
import functools
import logging
from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from .models import Job

logger = logging.getLogger("qms.jobs")


class JobError(ValidationError):
    """A job refused or failed for a reason the person who started it can act on."""


@dataclass
class JobOutcome:
    """What a job's function returns: a sentence, an optional link and a few lines."""

    summary: str = ""
    url: str = ""
    lines: list[str] = field(default_factory=list)


def job_start(*, task, actor, params: dict | None = None, detail: str = "",
              dedupe_key: str = "", retry_safe: bool | None = None) -> tuple[Job, bool]:
    """Record a job for `task` (a @job_task) and send it to the worker once the
    surrounding transaction commits (at once, in this process, without a broker).

    Returns (job, True); or (the active job, False) when one with the same
    `dedupe_key` is queued or running already: starting twice does not run twice.
    Messages of the job are written in the current language.
    """
    fields = {
        "kind": task.name,
        "label": task.label,
        "detail": detail[:200],
        "params": params or {},
        "dedupe_key": dedupe_key,
        "retry_safe": task.retry_safe if retry_safe is None else retry_safe,
        "started_by": actor,
        "language": translation.get_language() or "vi",
    }
    for _attempt in range(3):
        try:
            with transaction.atomic():
                job = Job.objects.create(**fields)
        except IntegrityError:
            # The partial unique index: an active job holds this key.
            active = Job.objects.filter(dedupe_key=dedupe_key, status__in=Job.ACTIVE).first()
            if active is not None:
                return active, False
            continue  # it finished meanwhile: try again
        transaction.on_commit(functools.partial(_send, task, job))
        return job, True
    raise JobError(_("Không tạo được công việc; hãy thử lại."), code="busy")


def _send(task, job: Job) -> None:
    """Hand the job to the queue; a queue that cannot be reached fails the job with
    the reason instead of leaving it waiting for ever (or raising in the request)."""
    try:
        task.apply_async(args=[str(job.pk)], task_id=str(job.pk))
    except Exception:
        logger.exception("job %s (%s) could not be queued", job.pk, job.kind)
        with translation.override(job.language):
            job_fail(job=job, message=_(
                "Không gửi được công việc tới bộ xử lý nền (hàng đợi không sẵn sàng). "
                "Hãy thử lại sau ít phút hoặc báo quản trị hệ thống."))


def _move(job: Job, status: str, **fields) -> Job | None:
    """Re-read under lock and apply a permitted move; None when it is not permitted."""
    locked = Job.objects.select_for_update().get(pk=job.pk)
    if status not in Job.TRANSITIONS[locked.status]:
        logger.warning("job %s: %s → %s refused", job.pk, locked.status, status)
        return None
    locked.status = status
    for name, value in fields.items():
        setattr(locked, name, value)
    locked.save()
    return locked


@transaction.atomic
def job_claim(*, job: Job) -> Job | None:
    """The worker takes the job: RUNNING, one more attempt. None if it is finished."""
    now = timezone.now()
    return _move(job, Job.Status.RUNNING, attempts=job.attempts + 1,
                 started_at=job.started_at or now, error_message="")


@transaction.atomic
def job_requeue(*, job: Job, message: str) -> Job | None:
    """Back to the queue after a passing fault; the message says when it runs again."""
    return _move(job, Job.Status.QUEUED, error_message=message)


@transaction.atomic
def job_succeed(*, job: Job, outcome: JobOutcome) -> Job | None:
    fields = {"result_summary": outcome.summary, "result_url": outcome.url,
              "result_lines": [str(line) for line in outcome.lines][:200],
              "error_message": "", "finished_at": timezone.now()}
    if job.progress_total is not None:
        fields["progress_done"] = job.progress_total
    return _move(job, Job.Status.SUCCEEDED, **fields)


@transaction.atomic
def job_fail(*, job: Job, message: str) -> Job | None:
    return _move(job, Job.Status.FAILED, error_message=message, finished_at=timezone.now())


def job_report_progress(*, job: Job, done: int, total: int | None) -> None:
    """Write progress and the heartbeat. A plain UPDATE (Job is not history-tracked),
    visible to the page at once unless the caller holds a transaction open."""
    Job.objects.filter(pk=job.pk, status=Job.Status.RUNNING).update(
        progress_done=max(0, done), progress_total=total, updated_at=timezone.now()
    )
    job.progress_done, job.progress_total = max(0, done), total


def jobs_fail_lost(*, stale_after: datetime.timedelta) -> list[Job]:
    """Fail the jobs that gave no sign of life for `stale_after`: a worker that died
    while running one (or a queue that lost it) must not leave it 'running' for ever.

    A job that reports progress moves its heartbeat; one that cannot report for that
    long should say so through a larger QMS_JOB_STALE_MINUTES.
    """
    cutoff = timezone.now() - stale_after
    failed = []
    for job in Job.objects.filter(status__in=Job.ACTIVE, updated_at__lt=cutoff):
        with translation.override(job.language):
            if job.status == Job.Status.RUNNING:
                message = _("Công việc bị gián đoạn: bộ xử lý nền đã dừng khi đang chạy nó. "
                            "Hãy kiểm tra kết quả rồi chạy lại.")
            else:
                message = _("Công việc không được bộ xử lý nền nhận. Hãy chạy lại; nếu vẫn "
                            "vậy, báo quản trị hệ thống.")
            done = job_fail(job=job, message=message)
        if done is not None:
            logger.warning("job %s (%s) given up: no sign of life since %s", job.pk, job.kind,
                           job.updated_at)
            failed.append(done)
    return failed
