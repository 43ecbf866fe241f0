"""Who may see a job: the person who started it, and administrators (who also see
the daily jobs that the system runs). Deny by default."""


def can_view_all_jobs(user) -> bool:
    return bool(user.is_active and user.is_superuser)


def can_view_job(user, job) -> bool:
    if not (user.is_authenticated and user.is_active):
        return False
    return can_view_all_jobs(user) or job.started_by_id == user.pk
