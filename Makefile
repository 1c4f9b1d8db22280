# The two commands: `make run` serves the register on http://127.0.0.1:8000/ (SQLite,
# records loaded); `make test` runs lint (ruff, import layers), migration check and the
# whole test suite.
# Both create .venv and install on first use; both are safe to run again.

PYTHON ?= python3
VENV   ?= .venv
BIN    := $(VENV)/bin
HOST   ?= 127.0.0.1
PORT   ?= 8000
# The folder of the full official list files (slow tests and benchmarks).
DATA   ?= ../shared/data
# Stamp file: reinstall whenever pyproject.toml changes.
INSTALLED := $(VENV)/.installed

.PHONY: run test test-slow install lint format migrate load serve browser bench bench-match bench-api fuzz clean help

help:
	@echo "make run    install, migrate, load records, serve on http://$(HOST):$(PORT)/ (SQLite)"
	@echo "make test   install, then ruff, lint-imports, makemigrations --check, schema check and pytest"
	@echo "make test-slow the slow tests: import the full official lists (DATA=../shared/data)"
	@echo "make serve  production-style: gunicorn + whitenoise on $(HOST):$(PORT)"
	@echo "make lint   ruff check, format check and the import layers contract (lint-imports)"
	@echo "make browser install Debian's chromium for the browser tests (root)"
	@echo "make bench  import the full official lists (DATA=../shared/data) and print figures"
	@echo "make bench-match screening evaluation: recall, false positives, latency, ours and a baseline"
	@echo "make bench-api the API read benchmark: gunicorn + wrk on a PostgreSQL database (SCALE=base or 1m)"
	@echo "make fuzz   seeded schemathesis run (all checks, 5,000+ cases) against gunicorn, DEBUG off"

$(BIN)/python:
	@$(PYTHON) -c 'import sys; sys.exit(0 if sys.version_info >= (3, 11) else "Python 3.11+ is required (set PYTHON=...)")'
	$(PYTHON) -m venv $(VENV)

$(INSTALLED): pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	@touch $@

install: $(INSTALLED)

migrate: install
	DEBUG=$${DEBUG-1} $(BIN)/python manage.py migrate --noinput

load: migrate
	DEBUG=$${DEBUG-1} $(BIN)/python manage.py load_records

run: load
	DEBUG=$${DEBUG-1} $(BIN)/python manage.py runserver $(HOST):$(PORT)

# Production settings on plain local HTTP: needs SECRET_KEY (50+ random characters).
serve: load
	@test -n "$$SECRET_KEY" || { echo "make serve: set SECRET_KEY (e.g. export SECRET_KEY=\$$(python3 -c 'import secrets; print(secrets.token_urlsafe(50))'))"; exit 1; }
	DEBUG=$${DEBUG-1} $(BIN)/python manage.py collectstatic --noinput --verbosity 0
	DJANGO_SETTINGS_MODULE=config.settings.production ALLOWED_HOSTS=$${ALLOWED_HOSTS-127.0.0.1,localhost} \
	SECURE_SSL_REDIRECT=0 SESSION_COOKIE_SECURE=0 CSRF_COOKIE_SECURE=0 SECURE_HSTS_SECONDS=0 \
	$(BIN)/gunicorn config.wsgi --config config/gunicorn.py --bind $(HOST):$(PORT)

lint: install
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/lint-imports --no-logo

test: lint
	$(BIN)/python manage.py makemigrations --check --dry-run --settings=config.settings.test
	$(BIN)/python -m pytest $(PYTEST_ARGS)

# The slow tests import the full official lists from DATA (default ../shared/data); CI runs
# them after `make test` on each database. A missing folder is an error here, not a skip.
test-slow: install
	@test -d "$(DATA)" || { echo "make test-slow: no folder $(DATA) of official files (set DATA=...)" >&2; exit 1; }
	REGISTER_DATA="$(DATA)" $(BIN)/python -m pytest -m slow $(PYTEST_ARGS)

# Import the full official lists into a throwaway SQLite file and print the figures
# (docs/benchmarks.md). BENCH_DB is another database URL.
# DEBUG is off, as an import runs in production: with it on, Django keeps the SQL of the last
# 9,000 queries in memory, which the peak-memory figure would count.
# BENCH_SQLITE: each target's throwaway file (a target-specific value below).
BENCH_SQLITE = /tmp/register-bench.sqlite3
BENCH_ENV = DEBUG=0 ALLOWED_HOSTS=localhost SECRET_KEY=bench-only-$$($(BIN)/python -c 'import secrets; print(secrets.token_urlsafe(40))') \
	DATABASE_URL=$${BENCH_DB-sqlite:///$(BENCH_SQLITE)}
bench: install
	rm -f $(BENCH_SQLITE)
	$(BENCH_ENV) $(BIN)/python manage.py migrate --noinput -v0
	$(BENCH_ENV) $(BIN)/python manage.py bench_imports $(DATA)

# The screening evaluation (docs/matching.md): imports the UN and OFAC SDN lists from DATA
# into a throwaway SQLite file unless BENCH_DB names a database that holds them (e.g. the
# 1M-designation benchmark database), then measures recall, false positives and latency.
# DEBUG off, as for `make bench` (with it on, Django keeps every query's SQL in memory).
bench-match: BENCH_SQLITE = /tmp/register-bench-match.sqlite3
bench-match: install
	@test -n "$$BENCH_DB" || rm -f $(BENCH_SQLITE)
	$(BENCH_ENV) $(BIN)/python manage.py migrate --noinput -v0
	$(BENCH_ENV) $(BIN)/python manage.py bench_match $(DATA) $(BENCH_ARGS)
# The API read benchmark (docs/benchmarks.md): builds or reuses the database BENCH_DB (the
# imported lists grown to DESIGNATIONS and TREATIES; 0 keeps the imported counts; SCALE=1m sets
# 1,000,000 and 100,000 and the database register_bench_1m), serves it with gunicorn under the
# production settings and times every read with wrk: DURATION seconds each, CONNECTIONS
# clients. BENCH_ARGS adds options of scripts/bench_api.py (--rebuild, --only, --output ...).
SCALE        ?= base
ifeq ($(SCALE),1m)
DESIGNATIONS ?= 1000000
TREATIES     ?= 100000
endif
DESIGNATIONS ?= 0
TREATIES     ?= 0
DURATION     ?= 10
CONNECTIONS  ?= 8
BENCH_API_DB := postgres://postgres@127.0.0.1:5432/register_bench$(if $(filter base,$(SCALE)),,_$(SCALE))
bench-api: install
	@command -v wrk >/dev/null || { echo "make bench-api: needs wrk (apt-get install -y wrk)" >&2; exit 1; }
	$(BIN)/python scripts/bench_api.py --db "$${BENCH_DB-$(BENCH_API_DB)}" --data "$(DATA)" \
		--designations $(DESIGNATIONS) --treaties $(TREATIES) \
		--duration $(DURATION) --connections $(CONNECTIONS) $(BENCH_ARGS)

# A long, seeded schemathesis run against production settings under gunicorn on a throwaway
# SQLite database (docs/testing.md). FUZZ_SEED and FUZZ_MAX_EXAMPLES change the run.
fuzz: install
	BIN=$(BIN) scripts/fuzz.sh

# The browser tests drive Debian's chromium (no browser download is possible here). Needs root.
# An install cut off earlier leaves dpkg half-configured, and apt-get then refuses everything
# until `dpkg --configure -a` has finished it: that is done first when dpkg reports it.
browser:
	@command -v /usr/bin/chromium >/dev/null || { \
		if [ -n "$$(dpkg --audit 2>/dev/null)" ]; then DEBIAN_FRONTEND=noninteractive dpkg --configure -a; fi; \
		apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium; }

format: install
	$(BIN)/ruff format .
	$(BIN)/ruff check --fix .

clean:
	rm -rf $(VENV) staticfiles .pytest_cache db.sqlite3
