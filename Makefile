# AL'in portal — the two commands: `make run` and `make test`.
SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
UV := $(VENV)/bin/uv
UV_VERSION := 0.13.9
export DJANGO_SETTINGS_MODULE := alin.settings
# The portal defaults to production (DEBUG off, a real SECRET_KEY required). These targets
# are development tools: they run in development mode unless DEBUG is already set.
export DEBUG ?= true

.PHONY: install run test lint format migrations-check deploy-check worker beat demo requirements chromium clean screenshots bench wrk faults

$(VENV)/bin/activate:
	$(PYTHON) -m venv $(VENV)
	$(VENV)/bin/pip install --quiet --disable-pip-version-check uv==$(UV_VERSION)

$(VENV)/.synced: requirements/dev.txt | $(VENV)/bin/activate
	$(UV) pip sync --quiet --python $(PY) requirements/dev.txt
	@touch $@

install: $(VENV)/.synced

requirements: | $(VENV)/bin/activate  ## re-pin after editing requirements/*.in
	cd requirements && ../$(UV) pip compile --quiet --generate-hashes --python-version 3.11 base.in -o base.txt
	cd requirements && ../$(UV) pip compile --quiet --generate-hashes --python-version 3.11 dev.in -o dev.txt

run: install
	$(PY) manage.py migrate --noinput
	$(PY) manage.py demo
	@echo "Le portail : http://127.0.0.1:8000/  (administration : http://127.0.0.1:8000/admin/)"
	$(PY) manage.py runserver 127.0.0.1:8000

demo: install
	$(PY) manage.py migrate --noinput
	$(PY) manage.py demo

test: install chromium
	$(PY) -m pytest $(PYTEST_ARGS)

# Browser tests use Debian's Chromium (never a downloaded browser). Installed when
# missing and possible (root with apt); otherwise those tests are skipped with the reason.
chromium:
	@if [ -x /usr/bin/chromium ]; then :; \
	elif [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null; then \
		echo "Installation de Chromium (apt)…"; \
		(apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null) \
		|| echo "Chromium n'a pas pu être installé : les tests navigateur seront ignorés."; \
	else echo "Chromium absent : les tests navigateur seront ignorés."; fi

lint: install
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .

format: install
	$(VENV)/bin/ruff check --fix .
	$(VENV)/bin/ruff format .

migrations-check: install
	$(PY) manage.py makemigrations --check --dry-run

deploy-check: install
	DEBUG=false SECRET_KEY=$$(head -c 48 /dev/urandom | base64) ALLOWED_HOSTS=example.org \
		$(PY) manage.py check --deploy --fail-level WARNING

worker: install
	$(VENV)/bin/celery -A alin worker -l info -Q emails,alerts,housekeeping,celery

beat: install
	$(VENV)/bin/celery -A alin beat -l info

clean:
	rm -rf $(VENV) .venv-bench staticfiles .pytest_cache

# Screenshots of the main pages (phone and desktop) into docs/screenshots, from the demo.
screenshots: install chromium
	$(PY) manage.py migrate --noinput
	$(PY) manage.py demo > /dev/null
	$(PY) manage.py runserver 127.0.0.1:8765 --noreload > /tmp/alin-screenshots.log 2>&1 & \
	  pid=$$!; sleep 4; \
	  $(PY) scripts/screenshots.py http://127.0.0.1:8765 docs/screenshots; status=$$?; \
	  kill $$pid; exit $$status

# The benchmark: volume data in PostgreSQL, gunicorn under production settings, wrk for
# each page's capacity (Debian's package, installed when missing and possible), locust
# for the multi-step apply/cancel scenario.
.venv-bench/bin/locust: requirements/bench.txt
	$(PYTHON) -m venv .venv-bench
	.venv-bench/bin/pip install --quiet --disable-pip-version-check uv==$(UV_VERSION)
	.venv-bench/bin/uv pip sync --quiet --python .venv-bench/bin/python requirements/bench.txt

# Faults of issue 20 (Redis refused/hung, worker SIGKILL, SMTP down, PostgreSQL restarted)
# against real processes; writes docs/operations.md. About 15 minutes; uses the alin_faults
# database and a private PostgreSQL cluster (`scripts/faults.py --postgres-only`: that part).
faults: install
	$(PY) scripts/faults.py

wrk:
	@if command -v wrk >/dev/null; then :; \
	elif [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null; then \
		echo "Installation de wrk (apt)…"; \
		apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq wrk >/dev/null; \
	else echo "wrk absent : installez-le (apt-get install wrk)."; exit 1; fi

bench: install .venv-bench/bin/locust wrk
	$(PY) bench/run.py
