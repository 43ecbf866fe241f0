"""Job tasks for the tests of the job framework: each does what its params say, and
counts its calls in CALLS so that a test can tell a retry from a single run."""

from django.db import OperationalError
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from qms.jobs.runner import job_task
from qms.jobs.services import JobError, JobOutcome
from qms.models import Job

CALLS: list[dict] = []


def _behave(job, progress, *, items=0, fail=None, fail_times=0, seen=None):
    CALLS.append({"job": str(job.pk), "attempt": job.attempts})
    if fail == "transient" and len(CALLS) <= fail_times:
        raise OperationalError("server closed the connection unexpectedly")
    if fail == "refusal":
        raise JobError(_("Hãy nêu lý do hủy bỏ."), code="test")
    if fail == "bug":
        raise KeyError("bug")
    for done in range(items + 1):
        progress(done, items)
        if seen is not None:
            # What the progress page would read at this moment.
            row = Job.objects.get(pk=job.pk)
            CALLS[-1].setdefault("seen", []).append((row.progress_done, row.progress_total))
    return JobOutcome(summary=f"{items} mục đã xử lý.", url="/register/",
                      lines=[f"mục {n}" for n in range(1, items + 1)])


@job_task(name="tests.safe_job", label=gettext_noop("Công việc thử"), retry_safe=True)
def safe_job(*, job, progress, **params):
    return _behave(job, progress, **params)


@job_task(name="tests.unsafe_job", label=gettext_noop("Công việc thử"), retry_safe=False)
def unsafe_job(*, job, progress, **params):
    return _behave(job, progress, **params)
