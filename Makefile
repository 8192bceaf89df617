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
# The benches run with OpenBLAS's own choice of kernels: some machines set OPENBLAS_CORETYPE
# (and OPENBLAS_L2_SIZE) for older OpenBLAS builds, which pins NumPy 2.4's OpenBLAS to its
# Haswell kernels (half the float32 speed on an AVX-512 CPU); they are unset here, for these
# commands alone (never for the tests), and bench_national prints the kernel that ran.
BENCH := env -u OPENBLAS_CORETYPE -u OPENBLAS_L2_SIZE $(BIN)/python
bench: install
	$(BENCH) bench/bench_score.py
	$(BENCH) bench/bench_national.py
	$(BENCH) bench/bench_cli.py
	$(BENCH) bench/bench_submit.py
	$(BENCH) bench/bench_export.py
	$(BENCH) bench/bench_load.py
	$(BENCH) bench/bench_dashboard.py
	$(BENCH) bench/bench_unit_reports.py

schema: install
	$(BIN)/samklima schema > instruments/schema.json

clean:
	rm -rf $(VENV) test-artifacts .pytest_cache
