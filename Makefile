# Two commands for a newcomer: `make run` and `make test`.
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
HOST ?= 127.0.0.1:8000
DEMO_PASSWORD ?= demo-iso-9001
# `make run` serves with debug off, as users see it; `make run DEBUG=1` for Django's
# debug pages. With debug off WhiteNoise serves the collected static files.
DEBUG ?= 0

.PHONY: run test install install-dev browsers migrate seed messages lint bench clean \
	serve-prod worker beat prod-env

$(PY):
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip

$(VENV)/.installed: $(PY) requirements.txt
	$(PY) -m pip install --quiet -r requirements.txt
	touch $@

$(VENV)/.installed-dev: $(VENV)/.installed requirements-dev.txt
	$(PY) -m pip install --quiet -r requirements-dev.txt
	touch $@

install: $(VENV)/.installed messages

install-dev: $(VENV)/.installed-dev messages browsers

# Compile the .po catalogues (pure Python: no gettext tools needed).
messages: $(VENV)/.installed
	$(PY) manage.py compiletranslations

# The browser tests drive Debian's Chromium; install it when it is missing.
browsers:
	@command -v chromium >/dev/null 2>&1 || bash .ci/install-chromium || \
	  echo "Chromium could not be installed: the browser tests will be skipped."

migrate: install
	$(PY) manage.py migrate --noinput

seed: migrate
	$(PY) manage.py seed_demo --password $(DEMO_PASSWORD)

run: seed
	$(PY) manage.py collectstatic --noinput --verbosity 0
	DJANGO_DEBUG=$(DEBUG) $(PY) manage.py runserver $(HOST)

test: install-dev
	$(PY) -m pytest

lint: $(VENV)/.installed-dev
	$(VENV)/bin/ruff check .

bench: install-dev
	for b in bench/*.py; do $(PY) $$b || exit 1; done

clean:
	rm -rf $(VENV) staticfiles db.sqlite3

# ── The production processes without Docker (README, "Without Docker") ──────────
# The same processes as compose.yaml, against the local PostgreSQL and Redis; every
# setting comes from the environment (DJANGO_SECRET_KEY, DATABASE_URL, REDIS_URL,
# and QMS_S3_* for object storage). Run each target in its own terminal.
PROD := DJANGO_SETTINGS_MODULE=qms.settings.production
PROD_BIND ?= 127.0.0.1:8001
WEB_WORKERS ?= 2
WORKER_CONCURRENCY ?= 2
BEAT_SCHEDULE ?= /tmp/qms-celerybeat-schedule

prod-env:
	@test -n "$$DJANGO_SECRET_KEY" || { echo "Set DJANGO_SECRET_KEY (a long random string)."; exit 2; }
	@test -n "$$DATABASE_URL" || { echo "Set DATABASE_URL (postgres://…)."; exit 2; }
	@test -n "$$REDIS_URL" || { echo "Set REDIS_URL (redis://127.0.0.1:6379/0)."; exit 2; }

serve-prod: install prod-env
	$(PROD) $(PY) manage.py migrate --noinput
	$(PROD) $(PY) manage.py collectstatic --noinput --verbosity 0
	$(PROD) $(VENV)/bin/gunicorn qms.wsgi --workers $(WEB_WORKERS) --bind $(PROD_BIND) --access-logfile - --no-control-socket

worker: install prod-env
	$(PROD) $(VENV)/bin/celery -A qms worker --loglevel INFO --concurrency $(WORKER_CONCURRENCY)

beat: install prod-env
	$(PROD) $(VENV)/bin/celery -A qms beat --loglevel INFO --schedule $(BEAT_SCHEDULE)
