# Two commands for a newcomer: `make run` and `make test`.
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
HOST ?= 127.0.0.1:8000
DEMO_PASSWORD ?= demo12345

.PHONY: run test install install-dev browsers migrate seed messages lint bench clean

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
	DJANGO_DEBUG=1 $(PY) manage.py runserver $(HOST)

test: install-dev
	$(PY) -m pytest

lint: $(VENV)/.installed-dev
	$(VENV)/bin/ruff check .

bench: install-dev
	for b in bench/*.py; do $(PY) $$b || exit 1; done

clean:
	rm -rf $(VENV) staticfiles db.sqlite3
