"""Production differs from development only through the environment: each variable is
parsed in qms/settings/env.py, and the stack's pieces switch on when their variable is
set. Each case imports the settings afresh in a child process, as a server would."""

import json
import os
import subprocess
import sys

from django.conf import settings as django_settings

SECRET = "a-long-random-production-secret-key-for-the-test-0123456789-abcdefghij"
PRINT = """
import json
from django.conf import settings as s
print(json.dumps({
    "caches": s.CACHES["default"], "session": s.SESSION_ENGINE,
    "storage": s.STORAGES["default"], "static": s.STORAGES["staticfiles"]["BACKEND"],
    "broker": s.CELERY_BROKER_URL, "result": s.CELERY_RESULT_BACKEND,
    "eager": s.CELERY_TASK_ALWAYS_EAGER, "databases": sorted(s.DATABASES),
    "replica": s.DATABASES.get("replica", {}).get("HOST"),
    "replica_test": s.DATABASES.get("replica", {}).get("TEST"),
    "routers": s.DATABASE_ROUTERS, "ssl_redirect": s.SECURE_SSL_REDIRECT,
    "secure_cookies": [s.SESSION_COOKIE_SECURE, s.CSRF_COOKIE_SECURE],
    "csrf_origins": s.CSRF_TRUSTED_ORIGINS,
    "daily": str(s.CELERY_BEAT_SCHEDULE["apply-scheduled"]["schedule"]),
    "reminders": str(s.CELERY_BEAT_SCHEDULE["send-reminders"]["schedule"]),
}))
"""
# Variables that the machine or the test run might have set.
STACK = ("REDIS_URL", "DATABASE_URL", "DATABASE_REPLICA_URL", "QMS_S3_BUCKET",
         "QMS_S3_ENDPOINT_URL", "QMS_S3_ACCESS_KEY_ID", "QMS_S3_SECRET_ACCESS_KEY",
         "QMS_S3_REGION", "QMS_S3_ADDRESSING_STYLE", "DJANGO_SECURE_SSL_REDIRECT",
         "DJANGO_SECURE_COOKIES", "DJANGO_CSRF_TRUSTED_ORIGINS", "QMS_DAILY_JOBS_AT",
         "QMS_REMINDERS_AT", "DJANGO_SETTINGS_MODULE",
         # Set by the browser tests' conftest for their own process, never in production.
         "DJANGO_ALLOW_ASYNC_UNSAFE")


def _run(module, code, **variables):
    env = {k: v for k, v in os.environ.items() if k not in STACK}
    env.update(DJANGO_SETTINGS_MODULE=module, DJANGO_SECRET_KEY=SECRET,
               DJANGO_ALLOWED_HOSTS="qms.example.vn", **variables)
    return subprocess.run([sys.executable, "-c", "import django; django.setup()\n" + code],
                          cwd=django_settings.BASE_DIR, env=env, capture_output=True, text=True,
                          timeout=120)


def _settings(module="qms.settings.production", **variables):
    result = _run(module, PRINT, **variables)
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout)


def test_without_the_stack_nothing_else_is_needed():
    found = _settings("qms.settings.base")
    assert found["caches"]["BACKEND"] == "django.core.cache.backends.locmem.LocMemCache"
    assert found["session"] == "django.contrib.sessions.backends.db"
    assert found["storage"] == {"BACKEND": "django.core.files.storage.FileSystemStorage"}
    assert (found["broker"], found["result"], found["eager"]) == ("memory://", None, True)
    assert found["databases"] == ["default"] and found["routers"] == []


def test_the_full_stack_switches_on_from_the_environment():
    found = _settings(
        REDIS_URL="redis://redis:6379/0",
        DATABASE_URL="postgres://qms:pw@db:5432/qms",
        DATABASE_REPLICA_URL="postgres://qms:pw@db-replica:5432/qms",
        QMS_S3_BUCKET="qms-files", QMS_S3_ENDPOINT_URL="http://minio:9000",
        QMS_S3_ACCESS_KEY_ID="qms", QMS_S3_SECRET_ACCESS_KEY="secret-key",
        QMS_S3_REGION="ap-southeast-1",
        DJANGO_CSRF_TRUSTED_ORIGINS="https://qms.example.vn, https://tailieu.example.vn",
        QMS_DAILY_JOBS_AT="02:15", QMS_REMINDERS_AT="07:45",
    )
    assert found["caches"] == {"BACKEND": "django.core.cache.backends.redis.RedisCache",
                               "LOCATION": "redis://redis:6379/0"}
    assert found["session"] == "django.contrib.sessions.backends.cached_db"
    assert (found["broker"], found["result"], found["eager"]) == (
        "redis://redis:6379/0", "redis://redis:6379/0", False)
    assert found["storage"] == {
        "BACKEND": "storages.backends.s3.S3Storage",
        "OPTIONS": {
            "bucket_name": "qms-files", "endpoint_url": "http://minio:9000",
            "access_key": "qms", "secret_key": "secret-key", "region_name": "ap-southeast-1",
            "addressing_style": "path", "signature_version": "s3v4", "default_acl": None,
            "querystring_auth": True, "file_overwrite": True,
        },
    }
    assert found["static"] == "whitenoise.storage.CompressedManifestStaticFilesStorage"
    assert found["databases"] == ["default", "replica"]
    assert found["replica"] == "db-replica" and found["replica_test"]["MIRROR"] == "default"
    assert found["routers"] == ["qms.db_router.ReplicaRouter"]
    assert found["csrf_origins"] == ["https://qms.example.vn", "https://tailieu.example.vn"]
    assert found["ssl_redirect"] is True and found["secure_cookies"] == [True, True]
    assert "<crontab: 15 2 * * * (m/h/dM/MY/d)>" == found["daily"]
    assert "<crontab: 45 7 * * * (m/h/dM/MY/d)>" == found["reminders"]


def test_a_trial_over_plain_http_turns_the_https_settings_off():
    found = _settings(DJANGO_SECURE_SSL_REDIRECT="0", DJANGO_SECURE_COOKIES="0")
    assert found["ssl_redirect"] is False and found["secure_cookies"] == [False, False]


def test_a_badly_written_variable_is_refused_with_its_name():
    result = _run("qms.settings.production", PRINT, QMS_DAILY_JOBS_AT="25:00")
    assert result.returncode != 0
    assert "QMS_DAILY_JOBS_AT must be a time of day HH:MM, not '25:00'." in result.stderr
    result = _run("qms.settings.production", PRINT, QMS_UPLOAD_MAX_MB="twenty")
    assert "QMS_UPLOAD_MAX_MB must be a whole number, not 'twenty'." in result.stderr
    result = _run("qms.settings.production", PRINT, QMS_S3_ADDRESSING_STYLE="sideways")
    assert ("QMS_S3_ADDRESSING_STYLE must be one of ['auto', 'path', 'virtual'], "
            "not 'sideways'.") in result.stderr


def test_the_deployment_checklist_passes_with_the_production_stack():
    env = {"REDIS_URL": "redis://redis:6379/0", "QMS_S3_BUCKET": "qms-files",
           "QMS_S3_ENDPOINT_URL": "http://minio:9000"}
    result = _run("qms.settings.production",
                  "from django.core.management import call_command\n"
                  "call_command('check', deploy=True, fail_level='WARNING')", **env)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "System check identified no issues (0 silenced)."
