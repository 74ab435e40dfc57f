# The two commands: `make run` (set up and start on the embedded default) and `make test`.
SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed-$(shell cat pyproject.toml | cksum | cut -d' ' -f1)
HOST ?= 127.0.0.1
PORT ?= 8000

.PHONY: run setup venv migrate demo messages static test lint smoke bench demo-cycle clean

run: setup
	@echo ""
	@echo "  Open http://$(HOST):$(PORT)/  (Ctrl+C stops the server)"
	@$(PY) manage.py demo_logins 2>/dev/null || true
	@echo ""
	$(PY) manage.py runserver $(HOST):$(PORT)

setup: venv messages migrate demo

venv: $(STAMP)

$(STAMP): pyproject.toml
	@test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e ".[dev]"
	@rm -f $(VENV)/.installed-*
	@touch $(STAMP)

messages: venv
	@if command -v msgfmt >/dev/null; then $(PY) manage.py compilemessages --ignore=.venv -v 0; \
	 else echo "msgfmt not found: using the committed .mo files"; fi

migrate: venv
	$(PY) manage.py migrate --noinput -v 0

demo: migrate
	$(PY) manage.py seed_demo

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
