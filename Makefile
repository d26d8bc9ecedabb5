# Two commands on a fresh machine: `make demo` and `make test`.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed

.PHONY: demo test lint format clean screenshot bench

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[dev]'
	touch $(STAMP)

demo: $(STAMP)  ## build a ledger from the November 2019 seed paper and show its board
	$(BIN)/ragw demo

test: $(STAMP)  ## every test, including those against a PostgreSQL server the tests start
	$(BIN)/python -m pytest -q

bench: $(STAMP)  ## speed and memory as ratios against baselines measured in the same run
	$(BIN)/python -m benchmarks --events $(or $(EVENTS),200000) --postgresql

lint: $(STAMP)  ## formatting, lint and types
	$(BIN)/ruff format --check events ledger projections render cli web tests benchmarks
	$(BIN)/ruff check events ledger projections render cli web tests benchmarks
	$(BIN)/mypy

format: $(STAMP)
	$(BIN)/ruff format events ledger projections render cli web tests benchmarks
	$(BIN)/ruff check --fix events ledger projections render cli web tests benchmarks

screenshot: $(STAMP)  ## docs/paper.png and docs/web-board.png: the demo's paper and board in headless Chromium
	rm -rf .screenshot && mkdir -p .screenshot docs
	$(BIN)/ragw --db .screenshot/ragw.db demo --db .screenshot/ragw.db > /dev/null
	$(BIN)/ragw --db .screenshot/ragw.db pack PRMSC 2019-11-15 --out .screenshot/paper.html
	chromium --headless --no-sandbox --disable-gpu --disable-background-networking \
	    --user-data-dir=.screenshot/profile --hide-scrollbars --window-size=1000,1700 \
	    --screenshot=docs/paper.png "file://$(CURDIR)/.screenshot/paper.html"
	rm -rf .screenshot
	$(BIN)/python -m tests.web.screenshot docs/web-board.png

clean:
	rm -rf $(VENV) .pytest_cache .mypy_cache .ruff_cache .hypothesis
