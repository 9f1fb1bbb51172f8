# Two commands for a fresh machine: `make run` and `make test`. Everything else is a helper.
SHELL := /bin/bash
.DEFAULT_GOAL := help

PORT ?= 8000
VENV := .venv
PY := $(VENV)/bin/python
# Django 6 needs Python 3.12+. Prefer 3.13, then 3.12: on PATH, then in pyenv's versions.
PYTHON ?= $(shell for c in python3.13 python3.12 $$(ls -d $${PYENV_ROOT:-$$HOME/.pyenv}/versions/3.1[32]*/bin/python3 2>/dev/null | sort -r) python3; do \
	  if command -v $$c >/dev/null 2>&1 && $$c -c 'import sys; sys.exit(sys.version_info < (3, 12))' 2>/dev/null; then echo $$c; break; fi; done)

.PHONY: help run test setup deps static lint bench bench-web clean

help:
	@echo "make run   - set up and serve the portal on http://127.0.0.1:$(PORT) (SQLite, in-process tasks, demo data)"
	@echo "make test  - set up, check (ruff, import contracts, mypy, migrations) and run every test"
	@echo "             (PostgreSQL/Redis when DATABASE_URL/CELERY_BROKER_URL are set)"

$(VENV)/.installed: pyproject.toml
	@if [ -z "$(PYTHON)" ]; then \
	  echo "Python 3.12 or newer is needed (Django 6). Install python3.13 or python3.12, e.g."; \
	  echo "  apt-get install python3.13 python3.13-venv   or   pyenv install 3.13"; exit 1; fi
	@echo "Using $(PYTHON) ($$($(PYTHON) --version))"
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e '.[dev]'
	@touch $@

node_modules/.installed: package.json package-lock.json
	@command -v npm >/dev/null || { echo "npm is needed for the front-end libraries: apt-get install npm"; exit 1; }
	npm ci --no-audit --no-fund --loglevel=error
	@touch $@

deps: $(VENV)/.installed node_modules/.installed

# The embedded default is a development server: DEBUG on unless the environment says otherwise.
run setup bench: export DEBUG ?= 1

# var/.env: DEBUG=1 and a random key for any manage.py command in this folder afterwards
# (createsuperuser, shell, seed_demo); never read in production (itsm_pmo/devenv.py).
setup: deps
	@mkdir -p var
	$(PY) -m itsm_pmo.devenv var/.env
	$(PY) manage.py migrate --noinput

run: setup
	$(PY) manage.py seed_demo
	$(PY) manage.py runserver 127.0.0.1:$(PORT)

# Tests run with DEBUG off (as in production) but over plain HTTP, with a throwaway key.
TEST_ENV = HTTPS=0 DEBUG=0 SECRET_KEY=$${SECRET_KEY:-$$($(PY) -c 'import secrets; print(secrets.token_urlsafe(50))')}

test: deps lint
	@mkdir -p var test-artifacts
	@if [ -z "$$DATABASE_URL" ]; then echo "make test: DATABASE_URL unset - using SQLite"; else echo "make test: database $${DATABASE_URL%%\?*}"; fi
	@if [ -z "$$CELERY_BROKER_URL" ]; then echo "make test: CELERY_BROKER_URL unset - tasks run in-process; worker tests are skipped"; else echo "make test: broker $$CELERY_BROKER_URL"; fi
	$(TEST_ENV) $(PY) manage.py makemigrations --check --dry-run
	$(TEST_ENV) $(PY) -m pytest $(PYTEST_ARGS)

bench: setup
	$(PY) -m bench $(BENCH_ARGS)

# Production static files (the image build does the same): hashed, compressed names and the
# manifest under staticfiles/; once it is there the server refers to and serves those names.
static: export DEBUG ?= 1
static: deps
	STATIC_HASHED=1 $(PY) manage.py collectstatic --noinput

# The load benchmark (docs/performance.md): gunicorn, a Celery worker and wrk on a PostgreSQL
# database of its own (itsm_pmo_benchweb), e.g. make bench-web BENCH_WEB_ARGS="--duration 5".
bench-web: deps
	$(PY) -m bench web $(BENCH_WEB_ARGS)

# What the tests do not check but the test run does (pre-commit runs the first three too):
# lint and format, the import contracts between the apps, and the types of the rule modules.
lint: $(VENV)/.installed
	$(PY) -m ruff check .
	$(PY) -m ruff format --check .
	$(VENV)/bin/lint-imports
	$(TEST_ENV) $(PY) -m mypy

clean:
	rm -rf $(VENV) node_modules var test-artifacts staticfiles
