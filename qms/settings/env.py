"""Every environment variable the project reads, parsed in one place."""

import os
from pathlib import Path

from django.core.exceptions import ImproperlyConfigured


def env_str(name: str, default: str = "") -> str:
    return os.environ.get(name, default)


def env_bool(name: str, default: bool = False) -> bool:
    value = os.environ.get(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_int(name: str, default: int) -> int:
    value = os.environ.get(name)
    if value in (None, ""):
        return default
    try:
        return int(value)
    except ValueError:
        raise ImproperlyConfigured(f"{name} must be a whole number, not {value!r}.") from None


def env_list(name: str, default: list[str]) -> list[str]:
    value = os.environ.get(name)
    if not value:
        return default
    return [item.strip() for item in value.split(",") if item.strip()]


BASE_DIR = Path(__file__).resolve().parent.parent.parent

SECRET_KEY = env_str("DJANGO_SECRET_KEY")
SIGNATURE_KEY = env_str("QMS_SIGNATURE_KEY")
DEBUG = env_bool("DJANGO_DEBUG", False)
ALLOWED_HOSTS = env_list("DJANGO_ALLOWED_HOSTS", ["127.0.0.1", "localhost"])
DATABASE_URL = env_str("DATABASE_URL")
SQLITE_PATH = env_str("SQLITE_PATH", str(BASE_DIR / "db.sqlite3"))
MEDIA_ROOT = env_str("MEDIA_ROOT", str(BASE_DIR / "media"))
STATIC_ROOT = env_str("STATIC_ROOT", str(BASE_DIR / "staticfiles"))
UPLOAD_MAX_MB = env_int("QMS_UPLOAD_MAX_MB", 20)
# An archive (.docx, .odt, .xlsx) whose parts expand past this size, or past this ratio
# of their compressed size, is refused before it is expanded (a zip bomb).
ARCHIVE_MAX_MB = env_int("QMS_ARCHIVE_MAX_MB", 100)
ARCHIVE_MAX_RATIO = env_int("QMS_ARCHIVE_MAX_RATIO", 100)
REVIEW_PERIOD_MONTHS = env_int("QMS_REVIEW_PERIOD_MONTHS", 12)
# The code of the unit that runs the quality system for the whole committee.
CENTRAL_OFFICE = env_str("QMS_CENTRAL_OFFICE", "vp")
# The official documents' heading (Decree 30/2020/NĐ-CP): the place in the
# place-and-date line, and the body the issuing departments belong to.
PLACE = env_str("QMS_PLACE", "Nha Trang")
PARENT_BODY = env_str("QMS_PARENT_BODY", "UBND THÀNH PHỐ NHA TRANG")

# E-mail: the console backend unless an SMTP host is given (or a backend named).
EMAIL_HOST = env_str("DJANGO_EMAIL_HOST")
EMAIL_BACKEND = env_str(
    "DJANGO_EMAIL_BACKEND",
    "django.core.mail.backends.smtp.EmailBackend"
    if EMAIL_HOST
    else "django.core.mail.backends.console.EmailBackend",
)
EMAIL_PORT = env_int("DJANGO_EMAIL_PORT", 25)
EMAIL_HOST_USER = env_str("DJANGO_EMAIL_HOST_USER")
EMAIL_HOST_PASSWORD = env_str("DJANGO_EMAIL_HOST_PASSWORD")
EMAIL_USE_TLS = env_bool("DJANGO_EMAIL_USE_TLS", False)
DEFAULT_FROM_EMAIL = env_str("DJANGO_DEFAULT_FROM_EMAIL", "iso9001@localhost")
# The address the links in e-mails start with.
SITE_URL = env_str("QMS_SITE_URL", "http://127.0.0.1:8000")
# Reminders (send_reminders): an acknowledgement is due this many days after the
# version takes effect; an overdue item is reminded every REMINDER_EVERY_DAYS and
# escalated to the department head once ESCALATE_AFTER_DAYS overdue.
ACK_DUE_DAYS = env_int("QMS_ACK_DUE_DAYS", 7)
REMINDER_EVERY_DAYS = env_int("QMS_REMINDER_EVERY_DAYS", 7)
ESCALATE_AFTER_DAYS = env_int("QMS_ESCALATE_AFTER_DAYS", 14)
# The inbox shows periodic reviews this many days before they fall due.
REVIEW_DUE_SOON_DAYS = env_int("QMS_REVIEW_DUE_SOON_DAYS", 30)

def env_choice(name: str, default: str, choices: set[str]) -> str:
    value = os.environ.get(name) or default
    if value not in choices:
        raise ImproperlyConfigured(f"{name} must be one of {sorted(choices)}, not {value!r}.")
    return value


def env_time(name: str, default: str) -> tuple[int, int]:
    """A time of day written HH:MM, as (hour, minute)."""
    value = os.environ.get(name) or default
    hour, _, minute = value.partition(":")
    try:
        hour, minute = int(hour), int(minute)
    except ValueError:
        hour = minute = -1
    if not (0 <= hour < 24 and 0 <= minute < 60):
        raise ImproperlyConfigured(f"{name} must be a time of day HH:MM, not {value!r}.")
    return hour, minute


# Production stack (issue 14). With none of these set, `make run` and the tests
# need nothing but Python: SQLite, files on disk, tasks run in the calling process.
# Redis: the cache, the sessions' cache and the Celery broker and result store.
REDIS_URL = env_str("REDIS_URL")
# A read replica of DATABASE_URL for search and reports (see qms/db_router.py).
DATABASE_REPLICA_URL = env_str("DATABASE_REPLICA_URL")
# S3-compatible object storage (MinIO, Ceph, AWS…) for uploads and issued PDFs.
S3_BUCKET = env_str("QMS_S3_BUCKET")
S3_ENDPOINT_URL = env_str("QMS_S3_ENDPOINT_URL")
S3_ACCESS_KEY_ID = env_str("QMS_S3_ACCESS_KEY_ID")
S3_SECRET_ACCESS_KEY = env_str("QMS_S3_SECRET_ACCESS_KEY")
S3_REGION = env_str("QMS_S3_REGION", "us-east-1")
# MinIO serves buckets under the path (http://minio:9000/bucket/key).
S3_ADDRESSING_STYLE = env_choice("QMS_S3_ADDRESSING_STYLE", "path", {"path", "virtual", "auto"})
# Behind a TLS-terminating proxy these stay on; a trial over plain HTTP turns them off.
SECURE_SSL_REDIRECT = env_bool("DJANGO_SECURE_SSL_REDIRECT", True)
SECURE_COOKIES = env_bool("DJANGO_SECURE_COOKIES", True)
CSRF_TRUSTED_ORIGINS = env_list("DJANGO_CSRF_TRUSTED_ORIGINS", [])
# Background work: when the daily jobs run, and when a silent job counts as lost.
DAILY_JOBS_AT = env_time("QMS_DAILY_JOBS_AT", "01:30")
REMINDERS_AT = env_time("QMS_REMINDERS_AT", "07:00")
JOB_STALE_MINUTES = env_int("QMS_JOB_STALE_MINUTES", 30)
# Search: how long the first ids of a search stay cached (0: never cached). A change to
# the index makes them unreachable at once, whatever this says (procedures/search).
SEARCH_CACHE_SECONDS = env_int("QMS_SEARCH_CACHE_SECONDS", 600)
# Accounts (issue 11): failed sign-ins (or signing passwords) before a lockout, per
# username and per address; how long the lockout lasts; idle time before a session
# ends, for those who sign or administer and for the other staff.
LOGIN_FAILURE_LIMIT = env_int("QMS_LOGIN_FAILURE_LIMIT", 5)
LOCKOUT_MINUTES = env_int("QMS_LOCKOUT_MINUTES", 30)
SESSION_IDLE_MINUTES = env_int("QMS_SESSION_IDLE_MINUTES", 30)
STAFF_SESSION_IDLE_MINUTES = env_int("QMS_STAFF_SESSION_IDLE_MINUTES", 8 * 60)
# How many reverse proxies of our own stand in front of the web process: the client's
# address is then the entry that many places from the end of X-Forwarded-For (each
# proxy appends the address it saw). 0: the connection's address.
PROXY_COUNT = env_int("QMS_PROXY_COUNT", 0)
