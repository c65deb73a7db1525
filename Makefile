# Two commands for a fresh machine with Python 3.11+ and make:
#   make run    a running portal with demo data on http://127.0.0.1:8000 (PORT=8123 make run),
#               served as in production: gunicorn, DEBUG off, compressed and hashed static files
#   make test   the whole test suite (SQLite; PostgreSQL when DATABASE_URL points there)

PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
PORT ?= 8000
HOST ?= 127.0.0.1

.DEFAULT_GOAL := help
.PHONY: help run dev prepare test lint format migrations-check messages lock audit clean validate-html

help:
	@echo "make run     - install, migrate, load the demo data once and serve on http://$(HOST):$(PORT) (gunicorn)"
	@echo "make dev     - the same with Django's auto-reloading development server and DEBUG on"
	@echo "make test    - run the whole test suite"
	@echo "make lint    - ruff check and format check, djlint on the templates"
	@echo "make messages - extract and compile the translation catalogs (needs GNU gettext)"
	@echo "make lock    - re-resolve requirements/*.lock from pyproject.toml"
	@echo "make audit   - check the pinned dependencies for known vulnerabilities (pip-audit)"
	@echo "make validate-html [URL=http://127.0.0.1:8000] - the Nu HTML checker over every public page type"

# The marker files record which lock file was installed, so a changed lock reinstalls.
$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

$(VENV)/.installed-base: requirements/base.lock | $(BIN)/python
	$(BIN)/pip install --quiet -r requirements/base.lock
	@touch $@

$(VENV)/.installed-dev: requirements/dev.lock | $(BIN)/python
	$(BIN)/pip install --quiet -r requirements/dev.lock
	@touch $@ $(VENV)/.installed-base

prepare: $(VENV)/.installed-base
	$(BIN)/python manage.py migrate --noinput
	$(BIN)/python manage.py setup_roles
	$(BIN)/python manage.py load_demo --if-empty

# gunicorn with deploy/gunicorn.conf.py (workers from the core count; WEB_CONCURRENCY=2
# make run for fewer), DEBUG off: the portal's own error pages, static files hashed and
# compressed by collectstatic and served by WhiteNoise with a year-long Cache-Control.
run: prepare
	DEBUG=false $(BIN)/python manage.py collectstatic --noinput --verbosity 0
	@echo "Serving the portal on http://$(HOST):$(PORT)/ (Ctrl-C stops it)"
	DEBUG=false HOST=$(HOST) PORT=$(PORT) $(BIN)/gunicorn --config deploy/gunicorn.conf.py

# For developers: Django's development server, reloading on every code change, DEBUG on.
dev: prepare
	DEBUG=true $(BIN)/python manage.py runserver $(HOST):$(PORT)

# One test process per core; PYTEST_ARGS="-n 0 -x tests/test_search.py" runs serially.
PYTEST_ARGS ?= -n auto
test: $(VENV)/.installed-dev
	$(BIN)/python -m pytest $(PYTEST_ARGS)

lint: $(VENV)/.installed-dev
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/djlint templates places/templates discovery/templates --lint

format: $(VENV)/.installed-dev
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .

migrations-check: $(VENV)/.installed-base
	$(BIN)/python manage.py makemigrations --check --dry-run

messages: $(VENV)/.installed-dev
	$(BIN)/python manage.py makemessages --all --no-obsolete --ignore=.venv --ignore=static/vendor --ignore=tests --ignore=benchmarks --ignore=var
	$(BIN)/python manage.py compile_catalogs

# The Nu HTML checker (npm's vnu-jar, needs Java and npm) over every public page type in
# German and Arabic; without URL it starts `make run` on a free port with fresh demo data.
URL ?=
validate-html:
	bash .ci/validate-html $(URL)

# Resolve the newest versions allowed by pyproject.toml in a scratch environment and pin them.
lock:
	rm -rf .lock-venv && $(PYTHON) -m venv .lock-venv
	.lock-venv/bin/pip install --quiet .
	.lock-venv/bin/pip freeze --exclude-editable | grep -v '^integration-portal' > requirements/base.lock
	.lock-venv/bin/pip install --quiet ".[dev]"
	.lock-venv/bin/pip freeze --exclude-editable | grep -v '^integration-portal' > requirements/dev.lock
	rm -rf .lock-venv build *.egg-info

# Known vulnerabilities of every pinned version, from PyPI's vulnerability data. The lock files
# pin everything, so nothing is resolved (--no-deps, --disable-pip). --strict: a package that
# could not be looked up fails the audit instead of silently counting as clean.
audit: $(VENV)/.installed-dev
	$(BIN)/pip-audit --strict --no-deps --disable-pip --progress-spinner off \
		-r requirements/base.lock -r requirements/dev.lock

clean:
	rm -rf $(VENV) staticfiles
