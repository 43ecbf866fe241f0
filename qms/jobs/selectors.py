"""Reads of jobs, filtered by who may see them."""

from django.db.models import QuerySet
from django.http import Http404

from . import permissions
from .models import Job


def job_list(*, user) -> QuerySet[Job]:
    """The jobs a person may see, newest first: their own; every job for administrators."""
    jobs = Job.objects.select_related("started_by").order_by("-created_at")
    if permissions.can_view_all_jobs(user):
        return jobs
    if not (user.is_authenticated and user.is_active):
        return jobs.none()
    return jobs.filter(started_by=user)  # qms_job_owner_idx


def job_get(*, user, pk) -> Job:
    """One job, or 404 when it does not exist or is not the person's to see."""
    job = Job.objects.select_related("started_by").filter(pk=pk).first()
    if job is None or not permissions.can_view_job(user, job):
        raise Http404(pk)
    return job
