# The two commands of the README: `make run` and `make test`.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
PORT ?= 8000
STAMP := $(VENV)/.installed

.PHONY: run test lint install

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)

$(STAMP): pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[test]'
	touch $(STAMP)

install: $(STAMP)

# The development settings file var/jospar.env (DEBUG on, a generated SECRET_KEY) is written
# once; every `jospar` command reads it for what the environment does not set, so the README's
# console examples work as typed in a new shell.
run: $(STAMP)
	$(BIN)/python -m jospar.lib.localenv
	$(BIN)/jospar migrate --no-input
	$(BIN)/jospar load_demo
	@echo "jospar worker runs beside the server (large exports, e-mail); both stop with Ctrl+C"
	$(BIN)/jospar worker & worker=$$!; trap 'kill $$worker 2>/dev/null; wait $$worker' EXIT INT TERM; \
	$(BIN)/jospar runserver 127.0.0.1:$(PORT)

# The tests keep Python's compiled modules (__pycache__, ignored by git) even where the
# environment turns that off (PYTHONDONTWRITEBYTECODE): each of the test processes would
# otherwise compile the whole project and rewrite every test module again, run after run.
test: $(STAMP)
	PYTHONDONTWRITEBYTECODE= $(BIN)/pytest $(PYTEST_ARGS)

lint: $(STAMP)
	$(BIN)/ruff check .
