"""compose.yaml, the Dockerfile and the Make targets that start the same processes
without Docker. Docker cannot run in the test environment, so these are read and
checked: the keys the Compose specification requires, well-known pinned images, one
application image for web, worker and beat, and settings that qms/settings/env.py
actually reads."""

import os
import re
import subprocess

import pytest
import yaml
from django.conf import settings

ROOT = settings.BASE_DIR
TOP_LEVEL = {"version", "name", "include", "services", "networks", "volumes", "secrets",
             "configs", "models"}
CONDITIONS = {"service_started", "service_healthy", "service_completed_successfully"}
WELL_KNOWN = ("postgres:", "redis:", "minio/minio:", "minio/mc:")
APP_SERVICES = ("migrate", "web", "worker", "beat")


@pytest.fixture(scope="module")
def compose():
    return yaml.safe_load((ROOT / "compose.yaml").read_text(encoding="utf-8"))


def _env_variables() -> set[str]:
    """The names qms/settings/env.py reads."""
    source = (ROOT / "qms" / "settings" / "env.py").read_text(encoding="utf-8")
    return set(re.findall(r'env_\w+\(\s*"([A-Z0-9_]+)"', source))


def test_the_file_follows_the_compose_specification(compose):
    assert set(compose) - TOP_LEVEL == {k for k in compose if k.startswith("x-")}
    assert set(compose["services"]) == {"db", "redis", "minio", "createbuckets", *APP_SERVICES}
    for name, service in compose["services"].items():
        assert "image" in service or "build" in service, name
        for target, condition in service.get("depends_on", {}).items():
            assert target in compose["services"], (name, target)
            assert condition["condition"] in CONDITIONS, (name, target)
            if condition["condition"] == "service_healthy":
                assert "healthcheck" in compose["services"][target], target
            if condition["condition"] == "service_completed_successfully":
                assert compose["services"][target]["restart"] == "no", target
        for volume in service.get("volumes", []):
            source = volume.split(":", 1)[0]
            assert source in compose["volumes"], (name, source)


def test_every_piece_is_a_well_known_image_with_a_pinned_tag(compose):
    for name, service in compose["services"].items():
        if name in APP_SERVICES:
            continue
        image = service["image"]
        assert image.startswith(WELL_KNOWN), image
        assert not image.endswith((":latest", ":")) and ":" in image, image


def test_web_worker_and_beat_run_the_one_application_image(compose):
    services = compose["services"]
    assert {(services[n]["build"], services[n]["image"]) for n in APP_SERVICES} == {
        (".", "qms-app:local")}
    environments = [services[n]["environment"] for n in APP_SERVICES]
    assert all(env == environments[0] for env in environments)
    assert services["web"]["command"][:6] == ["gunicorn", "qms.wsgi", "--workers", "2",
                                              "--bind", "0.0.0.0:8000"]
    # No control socket: nothing written under $HOME, nothing shared between two servers.
    assert services["web"]["command"][-1] == "--no-control-socket"
    assert services["worker"]["command"][:4] == ["celery", "-A", "qms", "worker"]
    assert services["beat"]["command"][:4] == ["celery", "-A", "qms", "beat"]
    assert services["migrate"]["command"] == ["python", "manage.py", "migrate", "--noinput"]
    assert set(services["web"]["depends_on"]) == {"db", "redis", "createbuckets", "migrate"}


def test_the_application_reads_every_setting_compose_gives_it(compose):
    environment = compose["services"]["web"]["environment"]
    assert set(environment) - {"DJANGO_SETTINGS_MODULE"} <= _env_variables()
    for required in ("DJANGO_SECRET_KEY", "DATABASE_URL", "REDIS_URL", "QMS_S3_BUCKET",
                     "QMS_S3_ENDPOINT_URL", "QMS_S3_ACCESS_KEY_ID", "QMS_S3_SECRET_ACCESS_KEY"):
        assert required in environment, required
    assert environment["DJANGO_SETTINGS_MODULE"] == "qms.settings.production"
    # Secrets have no default: compose refuses to start without them.
    assert ":?" in environment["DJANGO_SECRET_KEY"]
    assert ":?" in environment["QMS_S3_SECRET_ACCESS_KEY"]
    assert environment["DATABASE_URL"].startswith("postgres://qms:${POSTGRES_PASSWORD:?")


def test_the_image_is_built_on_python_slim_and_runs_as_a_plain_user():
    dockerfile = (ROOT / "Dockerfile").read_text(encoding="utf-8")
    assert re.search(r"^FROM python:3\.11-slim$", dockerfile, re.M)
    assert "pip install -r requirements.txt" in dockerfile
    assert "manage.py compiletranslations" in dockerfile
    assert "manage.py collectstatic --noinput" in dockerfile
    assert re.search(r"^USER qms$", dockerfile, re.M)
    assert 'CMD ["gunicorn", "qms.wsgi", "--workers", "2"' in dockerfile
    ignored = (ROOT / ".dockerignore").read_text(encoding="utf-8").split()
    assert {".venv", ".git", "db.sqlite3", "media", ".env"} <= set(ignored)


@pytest.mark.parametrize(("target", "expected"), [
    ("serve-prod", "gunicorn qms.wsgi --workers 2 --bind 127.0.0.1:8001"),
    ("worker", "celery -A qms worker --loglevel INFO --concurrency 2"),
    ("beat", "celery -A qms beat --loglevel INFO --schedule /tmp/qms-celerybeat-schedule"),
])
def test_the_make_targets_start_the_same_processes_without_docker(target, expected):
    knobs = {"PROD_BIND", "WEB_WORKERS", "WORKER_CONCURRENCY", "BEAT_SCHEDULE"}
    env = {**{k: v for k, v in os.environ.items() if k not in knobs},
           "DJANGO_SECRET_KEY": "x", "DATABASE_URL": "postgres://h/db",
           "REDIS_URL": "redis://127.0.0.1:6379/0"}
    result = subprocess.run(["make", "--dry-run", target], cwd=ROOT,
                            env=env, capture_output=True, text=True, timeout=60)
    assert result.returncode == 0, result.stderr
    prefix = f"DJANGO_SETTINGS_MODULE=qms.settings.production .venv/bin/{expected}"
    assert [line for line in result.stdout.splitlines() if line.startswith(prefix)] != []


def test_the_readme_names_every_setting():
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    assert sorted(name for name in _env_variables() if f"`{name}`" not in readme) == []
