# The two commands: `make run` and `make test`. Everything else is what they need.
PYTHON ?= python3.11
VENV   := .venv
BIN    := $(VENV)/bin
UV     := $(BIN)/uv
LOCK   := requirements/dev.lock
STAMP  := $(VENV)/.deps-$(shell cat $(LOCK) pyproject.toml 2>/dev/null | sha1sum | cut -c1-12)

.PHONY: run test bench setup system-deps deps migrate messages lint lock clean

run: setup migrate
	$(BIN)/python manage.py seed_demo
	./scripts/run-local.sh

test: export DJANGO_SETTINGS_MODULE = handson.settings.test
test: setup
	WITH_BROWSER=1 ./scripts/system-deps.sh
	$(BIN)/ruff check .
	$(BIN)/python manage.py makemigrations --check --dry-run -v0
	$(BIN)/python -m pytest $(PYTEST_ARGS)

bench: setup migrate
	$(BIN)/python -m benchmarks $(BENCH_ARGS)

setup: system-deps deps messages

system-deps:
	./scripts/system-deps.sh

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)

$(UV): $(BIN)/python
	$(BIN)/pip install --quiet uv==0.13.8

$(STAMP): $(UV) $(LOCK)
	$(UV) pip sync --quiet --python $(BIN)/python $(LOCK)
	rm -f $(VENV)/.deps-* && touch $(STAMP)

deps: $(STAMP)

messages: deps
	$(BIN)/python manage.py compilemessages --ignore=.venv -v0

migrate: deps
	mkdir -p var/broker/queue var/broker/processed
	$(BIN)/python manage.py migrate --noinput -v0

lint: deps
	$(BIN)/ruff check .

lock: $(UV)
	$(UV) pip compile pyproject.toml -o requirements/base.lock --python-version 3.11 -q
	$(UV) pip compile pyproject.toml --extra dev -o requirements/dev.lock --python-version 3.11 -q

clean:
	rm -rf $(VENV) var staticfiles .pytest_cache
