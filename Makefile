# Two commands: `make run` (the app on SQLite with demo data) and `make test` (the whole suite).
# `make package` checks the built wheel the way a council installs it (scripts/check_package.sh).
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
HOST ?= 127.0.0.1
PORT ?= 5000
export FLASK_APP := inspect_ready
export HOST PORT

.PHONY: run reset-demo test lint package benchmark vendor clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

$(VENV)/.installed-run: pyproject.toml | $(BIN)/python
	$(BIN)/pip install --quiet -e .
	touch $@

$(VENV)/.installed-dev: pyproject.toml | $(BIN)/python
	$(BIN)/pip install --quiet -e '.[dev]'
	touch $(VENV)/.installed-run $@

# The job consumer (Annex A imports) runs beside the web server and stops with it; it makes
# its own app from the same environment (inspect_ready/worker.py), so both use one queue.
run: $(VENV)/.installed-run
	$(BIN)/flask setup-demo
	BIN=$(BIN) scripts/run_demo.sh

# Start again from a fresh demo: the development database emptied and the demo loaded anew.
reset-demo: $(VENV)/.installed-run
	$(BIN)/flask reset-demo --yes

test: $(VENV)/.installed-dev lint
	scripts/run_tests.sh $(PYTEST_ARGS)

lint: $(VENV)/.installed-dev
	$(BIN)/lint-imports
	$(BIN)/ruff check .

package:
	scripts/check_package.sh

benchmark: $(VENV)/.installed-dev
	$(BIN)/python benchmarks/score_benchmark.py
	$(BIN)/python benchmarks/annex_a_benchmark.py
	$(BIN)/python benchmarks/pages_benchmark.py
	$(BIN)/python benchmarks/load_benchmark.py
	$(BIN)/python benchmarks/exports_benchmark.py
	$(BIN)/python benchmarks/self_evaluation_benchmark.py

vendor:
	scripts/vendor_assets.sh

clean:
	rm -rf $(VENV) instance .pytest_cache
