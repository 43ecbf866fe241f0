"""Pages that start a procedures job; its progress is followed at /jobs/<id>/."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from qms.jobs.services import job_start

from . import permissions, tasks
from .views import once


@require_POST
@once
def apply_scheduled_start(request):
    """An administrator makes effective now what the daily job would at night."""
    if not permissions.can_run_scheduled_jobs(request.user):
        raise PermissionDenied(_("Chỉ quản trị hệ thống được chạy việc này."))
    job, created = job_start(task=tasks.apply_scheduled, actor=request.user,
                             dedupe_key=tasks.APPLY_SCHEDULED_KEY)
    if not created:
        messages.info(request, _("Việc này đang chạy; đây là trang theo dõi của nó."))
    request.form_done = True
    return redirect(job)
