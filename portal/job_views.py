"""The progress page of a background job, its status for the page's script, and the
list of one's jobs (every job, daily ones included, for administrators)."""

from django.core.paginator import Paginator
from django.http import JsonResponse
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache

from qms.jobs import selectors
from qms.jobs.permissions import can_view_all_jobs

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
    return render(request, "portal/job_list.html", {
        "page": page,
        "everyone": can_view_all_jobs(request.user),
        "title": _("Công việc nền"),
    })
