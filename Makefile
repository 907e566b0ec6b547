# Hội Tụ — everyday commands. Needs only Python ≥ 3.11, git and make.
#   make run     everything up on embedded defaults with demo data (PORT=8000)
#   make test    the whole suite (DATABASE_URL / REDIS_URL switch it to PostgreSQL / Redis)
#   make lint    ruff and the import layers (lint-imports)
#   make test-services  all but the tests marked `once` (browser, project files,
#                no database used): those whose outcome can depend on the database,
#                broker or cache; CI's second pass, on PostgreSQL + Redis
#   make bench   benchmarks, written to docs/benchmarks.md
#   make messages  refresh and compile the translation catalogues: the project's strings
#                (locale/vi) and its Vietnamese for Wagtail's and Django's (locale/upstream);
#                djangojs.po, the passkey library's script messages, is kept by hand
#                (tests/newsroom/test_translations.py)
#   make clean   remove local data (var/) and build leftovers

PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
# Reinstall only when the dependencies change.
INSTALLED := $(VENV)/.installed
PORT ?= 8000
ADDR ?= 127.0.0.1
PYTEST_ARGS ?=
BENCH_ARGS ?=
MANAGE := $(BIN)/python manage.py
MESSAGES_IGNORE := --ignore=.venv --ignore=var --ignore=tests --ignore=node_modules --ignore=build

.PHONY: install migrate run test test-services lint bench messages clean

install: $(INSTALLED)

$(BIN)/python:
	@$(PYTHON) -c 'import sys; sys.exit(sys.version_info < (3, 11))' || \
		{ echo "Hội Tụ needs Python 3.11 or newer; set PYTHON=/path/to/python3.11 or newer."; exit 1; }
	$(PYTHON) -m venv $(VENV)

$(INSTALLED): pyproject.toml | $(BIN)/python
	@echo "Installing Hội Tụ and its dependencies into $(VENV) (the first time takes a few minutes)..."
	$(BIN)/python -m pip install --quiet --disable-pip-version-check -e '.[dev]'
	@touch $@

migrate: install
	$(MANAGE) migrate --noinput

# Renditions of the demo pictures (AVIF is slow to encode) are queued for the
# worker instead of made here, so the site is up in seconds, not minutes.
run: migrate
	$(MANAGE) seed_demo --no-renditions
	exec $(MANAGE) runstack --port $(PORT) --addr $(ADDR)

test: install
	$(BIN)/python -m pytest $(PYTEST_ARGS)

test-services: install
	$(BIN)/python -m pytest -m "not once" $(PYTEST_ARGS)

lint: install
	$(BIN)/ruff check .
	$(BIN)/lint-imports

bench: install
	$(BIN)/python -m bench $(BENCH_ARGS)

messages: install
	$(MANAGE) makemessages --locale=vi --domain=django --add-location=file $(MESSAGES_IGNORE)
	locale/upstream/refresh $(BIN)/python
	$(MANAGE) compilemessages --locale=vi $(MESSAGES_IGNORE)

clean:
	rm -rf var build .pytest_cache *.egg-info
	find . -path ./$(VENV) -prune -o -name __pycache__ -type d -prune -exec rm -rf {} +
