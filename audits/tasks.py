"""The background jobs of audits (see qms/jobs/runner.py): building and issuing the
signed PDF audit record, which takes seconds for a large audit."""

import datetime

from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from qms.jobs.runner import job_task
from qms.jobs.services import JobOutcome

from . import services
from .models import Audit


@job_task(
    name="audits.issue_report",
    label=gettext_noop("Phát hành báo cáo đánh giá"),
    # The signature's moment identifies the report: a second run finds the report it
    # issued and issues no other (audit_report_issue_signed).
    retry_safe=True,
)
def issue_report(*, job, progress, audit_id: int, signed_at: str, note: str = "",
                 content_sha256: str | None = None):
    # content_sha256: the report content the signer was shown; checked again here, so
    # that a finding changed between the signature and the job is not issued unseen.
    progress(0, None)
    audit = Audit.objects.select_related("programme", "lead_auditor").get(pk=audit_id)
    report = services.audit_report_issue_signed(
        audit=audit, actor=job.started_by, note=note,
        signed_at=datetime.datetime.fromisoformat(signed_at), shown_sha256=content_sha256,
    )
    return JobOutcome(
        summary=_("Đã ký và phát hành báo cáo %(number)s.") % {"number": report.number},
        url=audit.get_absolute_url(),
    )
