"""The background jobs of procedures (see qms/jobs/runner.py)."""

from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from qms.jobs.runner import job_task
from qms.jobs.services import JobOutcome

from . import services

# The daily command and this job share it: one run at a time, whoever starts it.
APPLY_SCHEDULED_KEY = "command:apply_scheduled"


@job_task(
    name="procedures.apply_scheduled",
    label=gettext_noop("Cho hiệu lực các phiên bản đã đến ngày hiệu lực"),
    # versions_apply_scheduled is idempotent: one transaction per version, and a
    # version made effective is no longer 'approved', so a second run skips it.
    retry_safe=True,
)
def apply_scheduled(*, job, progress):
    """What `manage.py apply_scheduled` does, started by an administrator from the
    register; the history names that administrator."""
    done = services.versions_apply_scheduled(actor=job.started_by, progress=progress)
    return JobOutcome(
        summary=_("%(n)s phiên bản đã được cho hiệu lực.") % {"n": len(done)},
        url=reverse("procedures:register"),
        lines=[
            _("%(code)s lần ban hành %(rev)s") % {"code": v.procedure.code, "rev": v.revision}
            for v in done
        ],
    )
