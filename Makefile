# Two commands: `make run` (the demo on http://localhost:8501) and `make test` (the whole suite).
PYTHON ?= python3
VENV   ?= .venv
BIN    := $(VENV)/bin
PORT   ?= 8501

.PHONY: run test lint install install-dev reference bench schema clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

$(VENV)/.installed: pyproject.toml | $(BIN)/python
	$(BIN)/pip install --quiet -e .
	touch $@

$(VENV)/.installed-dev: pyproject.toml | $(BIN)/python
	$(BIN)/pip install --quiet -e '.[dev]'
	touch $(VENV)/.installed $@

install: $(VENV)/.installed
install-dev: $(VENV)/.installed-dev

run: install
	$(BIN)/python -m dashboard.serve --server.port $(PORT) --server.headless true --browser.gatherUsageStats false

# The layer contract (import-linter), lint and complexity (ruff), declared dependencies (deptry).
lint: install-dev
	$(BIN)/lint-imports
	$(BIN)/ruff check .
	$(BIN)/deptry .

# The whole suite and the docstring examples in scoring/, after the lint.
test: lint
	mkdir -p test-artifacts
	$(BIN)/python -m pytest --junitxml=test-artifacts/junit.xml $(PYTEST_ARGS)

reference:
	bash tests/reference/run.sh

# Each prints our figure beside its floor from the same run, as a ratio (docs/performance.md).
bench: install
	$(BIN)/python bench/bench_score.py
	$(BIN)/python bench/bench_national.py
	$(BIN)/python bench/bench_cli.py
	$(BIN)/python bench/bench_submit.py
	$(BIN)/python bench/bench_export.py
	$(BIN)/python bench/bench_load.py
	$(BIN)/python bench/bench_dashboard.py
	$(BIN)/python bench/bench_unit_reports.py

schema: install
	$(BIN)/samklima schema > instruments/schema.json

clean:
	rm -rf $(VENV) test-artifacts .pytest_cache
