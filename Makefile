# The two commands: `make run` (set up and start on the embedded default) and `make test`.
SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed-$(shell cat pyproject.toml | cksum | cut -d' ' -f1)
HOST ?= 127.0.0.1
PORT ?= 8000

.PHONY: run setup venv migrate demo messages static test lint smoke bench demo-cycle clean

# Links printed by `make run` and in the demo's e-mails use HOST and PORT unless SITE_URL is set.
SITE_URL ?= http://$(HOST):$(PORT)
RUN_ENV := SITE_URL=$(SITE_URL)

run: setup
	@echo "[5/5] Starting the server: open $(SITE_URL)/  (Ctrl+C stops it; demo e-mails are in var/mail/)"
	@$(RUN_ENV) $(PY) manage.py demo_logins 2>/dev/null || true
	@echo ""
	@$(RUN_ENV) $(PY) manage.py runserver $(HOST):$(PORT)

setup: venv messages migrate demo

# Python is checked (3.11+) before .venv is made; a .venv of a wrong or broken Python is made again.
venv:
	@echo "[1/5] Python and .venv"
	@scripts/ensure_venv.sh "$(PYTHON)" "$(VENV)"
	@$(MAKE) --no-print-directory $(STAMP)

$(STAMP): pyproject.toml
	@echo "  installing the project into $(VENV) (first time: a few minutes)"
	@$(PY) -m pip install --quiet --disable-pip-version-check --upgrade pip
	@$(PY) -m pip install --quiet --disable-pip-version-check -e ".[dev]"
	@rm -f $(VENV)/.installed-*
	@touch $(STAMP)

messages: venv
	@echo "[2/5] Translations"
	@if command -v msgfmt >/dev/null; then $(PY) manage.py compilemessages --ignore=.venv -v 0; \
	 else echo "  msgfmt not found: using the committed .mo files"; fi

migrate: venv
	@echo "[3/5] Database (migrations)"
	@$(PY) manage.py migrate --noinput -v 0

demo: migrate
	@echo "[4/5] Demo data (first time: about 3 minutes; its e-mails go to var/mail/)"
	@$(RUN_ENV) LOG_LEVEL=$${LOG_LEVEL:-WARNING} $(PY) manage.py seed_demo

static: venv
	$(PY) manage.py collectstatic --noinput -v 0

lint: venv
	$(VENV)/bin/ruff check .
	$(VENV)/bin/lint-imports --no-cache

# The whole suite: PostgreSQL and Redis when DATABASE_URL / REDIS_URL are set, else SQLite.
test: venv messages lint
	$(VENV)/bin/pytest $(PYTEST_ARGS)

# Embedded-default smoke tests (no environment: SQLite, tasks in-process).
smoke: venv messages
	env -u DATABASE_URL -u REDIS_URL $(VENV)/bin/pytest -m smoke $(PYTEST_ARGS)

bench: venv
	$(PY) benchmarks/run_all.py

demo-cycle: migrate
	$(PY) manage.py demo_cycle --out var/demo-cycle

clean:
	rm -rf $(VENV) var
