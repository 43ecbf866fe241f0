"""The progress page of a background job, its status for the page's script, the
list of one's jobs (every job, daily ones included, for administrators), and the
administrators' "run now" of a daily command."""

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import Http404, JsonResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from qms import tasks
from qms.jobs import selectors
from qms.jobs.permissions import can_view_all_jobs
from qms.jobs.services import job_start

# What the "run now" buttons say; a daily command not named here shows its name.
COMMAND_LABELS = {
    "apply_scheduled": gettext_lazy("Cho hiệu lực các phiên bản đã đến ngày"),
    "send_reminders": gettext_lazy("Gửi nhắc việc và thư tổng hợp"),
    "rebuild_search_index": gettext_lazy("Dựng lại chỉ mục tìm kiếm"),
}


def daily_commands() -> list[str]:
    """The commands Celery beat runs every day (qms/settings/base.py), in its order."""
    return [entry["args"][0] for entry in settings.CELERY_BEAT_SCHEDULE.values()
            if entry["task"] == "qms.start_command"]

PAGE_SIZE = 25


@never_cache
def job_detail(request, pk):
    job = selectors.job_get(user=request.user, pk=pk)
    return render(request, "portal/job_detail.html", {"job": job})


@never_cache
def job_status(request, pk):
    """What the page's script polls (static/js/jobs.js): small, never cached."""
    job = selectors.job_get(user=request.user, pk=pk)
    return JsonResponse({
        "status": job.status,
        "status_label": job.get_status_display(),
        "active": job.is_active,
        "done": job.progress_done,
        "total": job.progress_total,
        "percent": job.percent,
        "message": job.error_message,
        "summary": job.result_summary,
    })


def job_list(request):
    jobs = selectors.job_list(user=request.user)
    page = Paginator(jobs, PAGE_SIZE).get_page(request.GET.get("page"))
    everyone = can_view_all_jobs(request.user)
    return render(request, "portal/job_list.html", {
        "page": page,
        "everyone": everyone,
        "commands": [(c, COMMAND_LABELS.get(c, c)) for c in daily_commands()] if everyone else [],
        "title": _("Công việc nền"),
    })


@require_POST
def command_start(request, command):
    """An administrator runs a daily command now, as the night would: the same job,
    one at a time (a run still active, by beat or by hand, is the one shown)."""
    if not can_view_all_jobs(request.user):
        raise PermissionDenied(_("Chỉ quản trị hệ thống được chạy việc này."))
    if command not in daily_commands():
        raise Http404(command)
    job, created = job_start(task=tasks.run_command, actor=request.user,
                             params={"command": command}, detail=command,
                             dedupe_key="command:" + command)
    if not created:
        messages.info(request, _("Việc này đang chạy; đây là trang theo dõi của nó."))
    return redirect(job)
