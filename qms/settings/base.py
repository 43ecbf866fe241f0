"""Settings for development and the embedded SQLite default.

Production differs only through the environment (see production.py and env.py).
"""

import datetime

import dj_database_url
from celery.schedules import crontab
from csp.constants import NONE, SELF

from . import env

BASE_DIR = env.BASE_DIR

# A development key; production.py refuses to start without DJANGO_SECRET_KEY.
SECRET_KEY = env.SECRET_KEY or "dev-only-insecure-key-change-me"
DEBUG = env.DEBUG
ALLOWED_HOSTS = env.ALLOWED_HOSTS

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "guardian",
    "simple_history",
    "axes",
    "rest_framework",
    "rest_framework.authtoken",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "qms",
    "procedures",
    "edition_migration",
    "audits",
    "service_quality",
    "portal",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    # LocaleMiddleware, except that only the language switch's cookie chooses English.
    "qms.middleware.LanguageCookieMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
    # Ends a session idle too long, before the sign-in requirement sees the request.
    "qms.middleware.SessionIdleMiddleware",
    "django.contrib.auth.middleware.LoginRequiredMiddleware",
    # Counts a wrong signing password once the view's transaction is over.
    "qms.middleware.SigningFailureMiddleware",
    # The Content-Security-Policy header (settings CONTENT_SECURITY_POLICY).
    "csp.middleware.CSPMiddleware",
    # Turns a lockout flagged during sign-in into the sign-in page with its message.
    "axes.middleware.AxesMiddleware",
    # The project's 404 page even with DEBUG on (Django's technical page otherwise).
    "qms.middleware.NotFoundPageMiddleware",
]

ROOT_URLCONF = "portal.urls"
WSGI_APPLICATION = "qms.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                # The count of the inbox in the header (computed once per request).
                "portal.context_processors.inbox",
            ],
        },
    },
]

if env.DATABASE_URL:
    DATABASES = {"default": dj_database_url.parse(env.DATABASE_URL, conn_max_age=60)}
else:
    DATABASES = {
        "default": {
            "ENGINE": "django.db.backends.sqlite3",
            "NAME": env.SQLITE_PATH,
            # Kept by each gunicorn worker between requests, as PostgreSQL's: no
            # reopening and PRAGMAs on every page (runserver's thread per request
            # opens its own, as before).
            "CONN_MAX_AGE": 60,
            # Writers wait for the lock instead of failing at once. WAL: readers
            # never wait for a writer (the access log's insert on every view) nor a
            # writer for readers; synchronous=NORMAL is durable in WAL mode up to
            # a power cut, which may lose the last commits but never corrupts.
            "OPTIONS": {
                "timeout": 20,
                "transaction_mode": "IMMEDIATE",
                "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
            },
        }
    }

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
AUTH_USER_MODEL = "qms.User"
AUTHENTICATION_BACKENDS = [
    # Refuses a locked-out username or address before any password is checked.
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
    "guardian.backends.ObjectPermissionBackend",
]
# Controlled documents have owners; there is no anonymous reader.
ANONYMOUS_USER_NAME = None
GUARDIAN_RAISE_403 = False

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 10},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

# Brute force (django-axes): after QMS_LOGIN_FAILURE_LIMIT failures for one username,
# or from one address, that username or address is refused for QMS_LOCKOUT_MINUTES.
# A wrong signing password counts as a failed sign-in (qms/lockout.py).
AXES_FAILURE_LIMIT = env.LOGIN_FAILURE_LIMIT
AXES_COOLOFF_TIME = datetime.timedelta(minutes=env.LOCKOUT_MINUTES)
AXES_LOCKOUT_PARAMETERS = ["username", "ip_address"]
AXES_RESET_ON_SUCCESS = True
# The cool-off runs from the lockout: attempts refused meanwhile do not extend it.
AXES_RESET_COOL_OFF_ON_FAILURE_DURING_LOCKOUT = False
AXES_LOCKOUT_CALLABLE = "qms.lockout.lockout_response"
# The client's address, with QMS_PROXY_COUNT proxies of our own in front.
AXES_CLIENT_IP_CALLABLE = "qms.lockout.client_ip"
QMS_PROXY_COUNT = env.PROXY_COUNT
# Content-Security-Policy (django-csp): scripts and styles only from our own static
# files, no inline script, style attribute or event handler anywhere (templates/ has
# none; tests/test_csp.py checks every page); nothing may frame the site.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF],
        "style-src": [SELF],
        "img-src": [SELF, "data:"],
        "font-src": [SELF],
        "connect-src": [SELF],
        "object-src": [NONE],
        "base-uri": [SELF],
        "form-action": [SELF],
        "frame-ancestors": [NONE],
    }
}
# Idle time before a session ends (qms.middleware.SessionIdleMiddleware): short for
# those who sign or administer, a working day for the other staff.
QMS_SESSION_IDLE_MINUTES = env.SESSION_IDLE_MINUTES
QMS_STAFF_SESSION_IDLE_MINUTES = env.STAFF_SESSION_IDLE_MINUTES
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "/"
LOGOUT_REDIRECT_URL = "login"

LANGUAGE_CODE = "vi"
LANGUAGES = [("vi", "Tiếng Việt"), ("en", "English")]
LOCALE_PATHS = [BASE_DIR / "locale"]
# The choice made with the language switch is remembered for a year.
LANGUAGE_COOKIE_AGE = 365 * 24 * 60 * 60
TIME_ZONE = "Asia/Ho_Chi_Minh"
USE_I18N = True
USE_TZ = True
FORMAT_MODULE_PATH = ["qms.formats"]

STATIC_URL = "static/"
STATIC_ROOT = env.STATIC_ROOT
STATICFILES_DIRS = [BASE_DIR / "static"]
MEDIA_ROOT = env.MEDIA_ROOT
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}

# The key of the electronic signatures' HMAC (qms.integrity). Empty: derived from
# SECRET_KEY. Changing it (or SECRET_KEY when empty) makes every stored signature
# show as not matching: keep it with the backups.
QMS_SIGNATURE_KEY = env.SIGNATURE_KEY
QMS_UPLOAD_MAX_BYTES = env.UPLOAD_MAX_MB * 1024 * 1024
QMS_ARCHIVE_MAX_BYTES = env.ARCHIVE_MAX_MB * 1024 * 1024
QMS_ARCHIVE_MAX_RATIO = env.ARCHIVE_MAX_RATIO
# Uploads are counted while they stream: past QMS_UPLOAD_MAX_BYTES the rest is dropped
# unread and the form refuses the file by its size (qms/uploads.py).
FILE_UPLOAD_HANDLERS = [
    "qms.uploads.LimitedUploadHandler",
    "django.core.files.uploadhandler.MemoryFileUploadHandler",
    "django.core.files.uploadhandler.TemporaryFileUploadHandler",
]
QMS_REVIEW_PERIOD_MONTHS = env.REVIEW_PERIOD_MONTHS
QMS_CENTRAL_OFFICE = env.CENTRAL_OFFICE
QMS_PLACE = env.PLACE
QMS_PARENT_BODY = env.PARENT_BODY
QMS_FONT_DIR = BASE_DIR / "qms" / "fonts"
# How a draft of each kind of document is routed when submitted: "review_and_approval"
# (one or more reviewers sign, then the approver) or "approval_only" (reviewers are
# optional). A kind not listed needs review and approval.
QMS_REVIEW_POLICY = {"form": "approval_only"}

EMAIL_BACKEND = env.EMAIL_BACKEND
EMAIL_HOST = env.EMAIL_HOST or "localhost"
EMAIL_PORT = env.EMAIL_PORT
EMAIL_HOST_USER = env.EMAIL_HOST_USER
EMAIL_HOST_PASSWORD = env.EMAIL_HOST_PASSWORD
EMAIL_USE_TLS = env.EMAIL_USE_TLS
EMAIL_TIMEOUT = 30
DEFAULT_FROM_EMAIL = env.DEFAULT_FROM_EMAIL
EMAIL_SUBJECT_PREFIX = "[ISO 9001] "
QMS_SITE_URL = env.SITE_URL.rstrip("/")
QMS_ACK_DUE_DAYS = env.ACK_DUE_DAYS
QMS_REMINDER_EVERY_DAYS = env.REMINDER_EVERY_DAYS
QMS_ESCALATE_AFTER_DAYS = env.ESCALATE_AFTER_DAYS
QMS_REVIEW_DUE_SOON_DAYS = env.REVIEW_DUE_SOON_DAYS

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": "WARNING"},
}

# History is read, never replayed: a revert would bypass the services.
SIMPLE_HISTORY_REVERT_DISABLED = True

# ── Production stack (issue 14): every piece optional, chosen by the environment ──
# The web processes keep no state of their own: sessions live in the database (read
# through Redis when it is there), files in the storage backend, work in the queue.
if env.REDIS_URL:
    CACHES = {
        "default": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": env.REDIS_URL}
    }
    SESSION_ENGINE = "django.contrib.sessions.backends.cached_db"
else:
    SESSION_ENGINE = "django.contrib.sessions.backends.db"
# A search's first ids and count, under the index's generation (procedures/search):
# per process without Redis.
SEARCH_CACHE_SECONDS = env.SEARCH_CACHE_SECONDS

if env.DATABASE_URL and env.DATABASE_REPLICA_URL:
    DATABASES["replica"] = dj_database_url.parse(env.DATABASE_REPLICA_URL, conn_max_age=60)
    # The tests read the primary through this alias: a replica has no test database.
    DATABASES["replica"]["TEST"] = {"MIRROR": "default"}
    DATABASE_ROUTERS = ["qms.db_router.ReplicaRouter"]

if env.S3_BUCKET:
    STORAGES["default"] = {
        "BACKEND": "storages.backends.s3.S3Storage",
        "OPTIONS": {
            "bucket_name": env.S3_BUCKET,
            "endpoint_url": env.S3_ENDPOINT_URL or None,
            # Unset keys leave boto3 its own chain (instance role, ~/.aws).
            "access_key": env.S3_ACCESS_KEY_ID or None,
            "secret_key": env.S3_SECRET_ACCESS_KEY or None,
            "region_name": env.S3_REGION,
            "addressing_style": env.S3_ADDRESSING_STYLE,
            "signature_version": "s3v4",
            # Private bucket: files are served through views that check permissions.
            "default_acl": None,
            "querystring_auth": True,
            # Names are content hashes (qms/files.py): the same name is the same bytes,
            # so a concurrent identical upload overwrites rather than renames.
            "file_overwrite": True,
        },
    }

# Background work (qms/celery.py, qms/jobs/). Without REDIS_URL every task runs at
# once in the calling process, so `make run` and the tests need no broker.
CELERY_BROKER_URL = env.REDIS_URL or "memory://"
CELERY_RESULT_BACKEND = env.REDIS_URL or None
CELERY_TASK_ALWAYS_EAGER = not env.REDIS_URL
# Eager retries run at once (no wait) only when errors do not propagate; a job's
# errors are recorded on its Job row anyway (qms/jobs/runner.py).
CELERY_TASK_EAGER_PROPAGATES = False
# A job's outcome is its qms.Job row; Celery's own results are not needed.
CELERY_TASK_IGNORE_RESULT = True
CELERY_RESULT_EXPIRES = 24 * 60 * 60
CELERY_TIMEZONE = TIME_ZONE
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
# A job acknowledged late is handed out again after this if its worker vanished: it
# must exceed the longest job.
CELERY_BROKER_TRANSPORT_OPTIONS = {"visibility_timeout": 6 * 60 * 60}
_DAILY_HOUR, _DAILY_MINUTE = env.DAILY_JOBS_AT
_REMINDERS_HOUR, _REMINDERS_MINUTE = env.REMINDERS_AT
# The daily jobs: the same management commands an operator runs by hand, each
# recorded as a qms.Job (see qms/tasks.py). A command not installed yet is
# reported as a failed job, not skipped in silence.
CELERY_BEAT_SCHEDULE = {
    "apply-scheduled": {
        "task": "qms.start_command",
        "schedule": crontab(hour=_DAILY_HOUR, minute=_DAILY_MINUTE),
        "args": ["apply_scheduled"],
    },
    "send-reminders": {
        "task": "qms.start_command",
        "schedule": crontab(hour=_REMINDERS_HOUR, minute=_REMINDERS_MINUTE),
        "args": ["send_reminders"],
    },
    "rebuild-search-index": {
        "task": "qms.start_command",
        "schedule": crontab(hour=(_DAILY_HOUR + 1) % 24, minute=_DAILY_MINUTE),
        "args": ["rebuild_search_index"],
    },
    "fail-lost-jobs": {"task": "qms.fail_lost_jobs", "schedule": 5 * 60.0},
}
QMS_JOB_STALE_MINUTES = env.JOB_STALE_MINUTES

# ── REST API under /api/v1/ (portal/api_urls.py; README "API") ───────────────────
# Systems send `Authorization: Token …` (tokens from `manage.py drf_create_token`),
# the browser its session. Every view checks the same permission functions as the
# pages; error bodies follow Accept-Language (qms.middleware, QMS_API_PREFIX).
QMS_API_PREFIX = "/api/"
REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "rest_framework.authentication.TokenAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["qms.api_access.IsActiveUser"],
    "DEFAULT_PAGINATION_CLASS": "qms.api_access.Pagination",
    "DEFAULT_RENDERER_CLASSES": ["rest_framework.renderers.JSONRenderer"],
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "EXCEPTION_HANDLER": "qms.api_access.exception_handler",
}
SPECTACULAR_SETTINGS = {
    "TITLE": "ISO 9001 QMS API",
    "DESCRIPTION": "Effective procedures, versions, clause catalogues, audits and dossier figures.",
    "VERSION": "1",
    "SERVE_INCLUDE_SCHEMA": False,
    # The schema and its docs page, like every API address, for signed-in callers only.
    "SERVE_PERMISSIONS": ["qms.api_access.IsActiveUser"],
    # The docs page's scripts come from drf-spectacular-sidecar (no CDN).
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    "COMPONENT_SPLIT_REQUEST": True,
    # portal/api_urls.py's <id:…> converter: digits that fit a 64-bit integer.
    "PATH_CONVERTER_OVERRIDES": {
        "id": {"type": "integer", "minimum": 0, "maximum": 999_999_999_999_999_999},
    },
    "ENUM_NAME_OVERRIDES": {
        "VersionStateEnum": "procedures.models.State",
        "AuditStateEnum": "audits.models.AuditState",
        "ActionStateEnum": "audits.models.ActionState",
        "ProcedureKindEnum": "procedures.models.Procedure.Kind",
        "CorrespondenceKindEnum": "qms.models.ClauseCorrespondence.Kind",
    },
}
