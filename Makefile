# KKS platform. `make run` for a local demo, `make test` for the whole suite.
PYTHON ?= python3
VENV ?= .venv
PY := $(VENV)/bin/python
PIP := $(VENV)/bin/pip
MANAGE := $(PY) manage.py
HOST ?= 127.0.0.1
PORT ?= 8000

.PHONY: venv system system-test run test lint mutation format bench migrate demo worker clean

# System packages (WeasyPrint's Pango/HarfBuzz, libmagic, fonts; for tests also Chromium and poppler):
# installed through apt when missing and run as root, otherwise a message naming them.
system:
	bash scripts/provision

system-test:
	bash scripts/provision --test

$(VENV)/.installed: requirements.txt
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PIP) install -q --upgrade pip
	$(PIP) install -q -r requirements.txt
	touch $@

venv: $(VENV)/.installed

migrate: venv system
	mkdir -p var/celery/queue var/celery/processed var/celery/control
	$(MANAGE) migrate --noinput

demo: migrate
	$(MANAGE) load_regions
	$(MANAGE) load_framework tatanan/data/kks-2025-r2.yaml --publish
	$(MANAGE) seed_demo

# Serves the app with a background worker on a folder broker (no Redis needed).
run: demo
	@$(MANAGE) seed_demo --print-logins
	@echo "KKS berjalan di http://$(HOST):$(PORT)/"
	@trap 'kill 0' INT TERM EXIT; \
	$(VENV)/bin/celery -A kks worker -B -P solo -l warning & \
	$(MANAGE) runserver $(HOST):$(PORT)

worker: venv
	$(VENV)/bin/celery -A kks worker -l info

test: venv system-test
	DJANGO_ALLOW_ASYNC_UNSAFE=true $(VENV)/bin/pytest -q -p no:cacheprovider

lint: venv
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	$(VENV)/bin/mypy

# Mutation testing (mutmut): tatanan/scoring.py in a scratch copy against its pure tests (minutes), then
# forums/permissions.py with Django ([tool.mutmut] in pyproject.toml; about an hour on two cores). Each prints
# its survivors and kill rate and fails below 95%. See docs/operations.md.
mutation: venv
	bash scripts/mutation scoring
	bash scripts/mutation policy

format: venv
	$(VENV)/bin/ruff format .
	$(VENV)/bin/ruff check --fix .

# National-scale figures (docs/performance.md); needs DATABASE_URL=postgres://... with CREATEDB.
# BENCH_ARGS=--quick for a one-minute run, --keep to keep the kks_bench database, "--history 2" for two
# earlier finished cycles (the issue-11 measurement: make bench BENCH_ARGS="--history 2").
# Without DATABASE_URL it starts the local PostgreSQL and Redis first (.ci/services).
bench: venv
	@if [ -z "$$DATABASE_URL" ]; then eval "$$(bash .ci/services | sed 's/^/export /')"; fi; \
	$(MANAGE) bench $(BENCH_ARGS)

clean:
	rm -rf var
