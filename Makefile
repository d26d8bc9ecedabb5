# Two commands on a fresh machine: `make demo` and `make test`.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed

.PHONY: demo test lint format clean

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[dev]'
	touch $(STAMP)

demo: $(STAMP)  ## build a ledger from the November 2019 seed paper and show its board
	$(BIN)/ragw demo

test: $(STAMP)  ## every test, including those against a PostgreSQL server the tests start
	$(BIN)/python -m pytest -q

lint: $(STAMP)  ## formatting, lint and types
	$(BIN)/ruff format --check events ledger projections cli tests
	$(BIN)/ruff check events ledger projections cli tests
	$(BIN)/mypy

format: $(STAMP)
	$(BIN)/ruff format events ledger projections cli tests
	$(BIN)/ruff check --fix events ledger projections cli tests

clean:
	rm -rf $(VENV) .pytest_cache .mypy_cache .ruff_cache .hypothesis
