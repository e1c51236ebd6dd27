# Fitbud's everyday commands. Needs only Python 3.11+ and make: everything else goes into .venv.
#   make run    install, migrate, seed the demo data and serve on http://localhost:8000
#   make test   install and run the test suite (PYTEST_ARGS="-k auth -x" to narrow it)

PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
# Extras of pyproject.toml to install; CI adds e2e when browser tests exist.
EXTRAS ?= dev
WORKERS ?= 2
BIND ?= 0.0.0.0:8000
PYTEST_ARGS ?=
MESSAGE ?=

comma := ,
# One stamp per set of extras: pip runs again only when pyproject.toml is newer than it.
STAMP := $(VENV)/.installed-$(subst $(comma),-,$(EXTRAS))

export FLASK_APP := wsgi.py
# .env holds the compose stack's settings (production, host names inside Docker);
# local commands take theirs from the shell so the two never mix.
export FLASK_SKIP_DOTENV := 1

.DEFAULT_GOAL := help
.PHONY: help install run test lint migrate upgrade bench bench-data faults contract

help:
	@echo "make run      install, migrate, seed demo data, serve on http://$(BIND) (WORKERS=$(WORKERS))"
	@echo "make test     install and run the tests (PYTEST_ARGS='...' for pytest options)"
	@echo "make lint     ruff check, the import contracts (lint-imports), mypy; CI runs it first"
	@echo "make contract the API as an app developer meets it: SDK generated from the document (no warnings, mypy), schemathesis on every operation"
	@echo "make faults   the fault suite: own PostgreSQL, Redis, gunicorn, worker, killed and stalled (FAULTS_ARGS='-m short')"
	@echo "make migrate  MESSAGE='what changed' [REV_ID=0002]  autogenerate a migration from the models"
	@echo "make upgrade  apply the migrations to DATABASE_URL (default: instance/fitbud.db)"
	@echo "make bench    load benchmark vs a bare-Flask reference (PostgreSQL, Redis, wrk; BENCH_ARGS='--soak')"
	@echo "make bench-data  rebuild the benchmark's data set from scratch (BENCH_DATABASE_URL)"

$(BIN)/python:
	@$(PYTHON) -c 'import sys; sys.exit(sys.version_info < (3, 11))' \
		|| { echo "Fitbud needs Python 3.11 or newer; '$(PYTHON)' is $$($(PYTHON) --version)." >&2; exit 1; }
	$(PYTHON) -m venv $(VENV)

$(STAMP): pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet --disable-pip-version-check -e '.[$(EXTRAS)]'
	@touch $@

install: $(STAMP)

run: install
	$(BIN)/flask db upgrade
	$(BIN)/flask fitbud seed-demo
	@echo "Serving Fitbud on http://localhost:$(lastword $(subst :, ,$(BIND))) (Ctrl-C stops it)"
	$(BIN)/gunicorn --workers $(WORKERS) --bind $(BIND) wsgi:app

test: install
	$(BIN)/python -m pytest $(PYTEST_ARGS)

# The same checks as .ci/run, each failing on a finding: ruff (style, import order, imports at the
# top of modules), import-linter (imports point down; pyproject.toml holds the contracts), mypy
# (services, analytics, jobs and workers; the files are listed in pyproject.toml).
# The fault suite (faults/): starts its own PostgreSQL (initdb + pg_ctl, from /usr/lib/postgresql/*/bin),
# Redis, gunicorn and RQ worker on spare ports, never the machine's, and kills, stops and stalls
# them under load. A few minutes; CI runs the quick subset (-m short).
FAULTS_ARGS ?=

# The API contract (.ci/contract/run.sh): nothing needs to be running; about a minute.
contract: install
	VENV=$(VENV) .ci/contract/run.sh

faults: install
	$(BIN)/python -m pytest faults -p no:cacheprovider $(FAULTS_ARGS)

lint: install
	$(BIN)/ruff check .
	$(BIN)/lint-imports
	$(BIN)/mypy

migrate: install
	@test -n "$(MESSAGE)" || { echo 'Say what changed: make migrate MESSAGE="add goals"' >&2; exit 1; }
	$(BIN)/flask db migrate -m "$(MESSAGE)" $(if $(REV_ID),--rev-id $(REV_ID))

upgrade: install
	$(BIN)/flask db upgrade

# The load benchmark (bench/README.md). Never part of `make test` or CI: it needs minutes, a
# PostgreSQL database of its own, Redis and wrk (Debian: `apt-get install -y wrk`).
BENCH_DATABASE_URL ?= postgresql+psycopg://postgres@127.0.0.1/fitbud_bench
BENCH_REDIS_URL ?= redis://127.0.0.1:6379/9
BENCH_ARGS ?=
export BENCH_DATABASE_URL BENCH_REDIS_URL

bench: install
	@test "$$CI" != "true" || { echo "make bench does not run in CI" >&2; exit 1; }
	@command -v wrk >/dev/null || { echo "make bench needs wrk: apt-get install -y wrk" >&2; exit 1; }
	$(BIN)/python -m bench.build_data --if-empty
	$(BIN)/python -m bench.load $(BENCH_ARGS)

bench-data: install
	$(BIN)/python -m bench.build_data --reset
