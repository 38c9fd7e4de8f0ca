# Two commands matter: `make serve` (set up and serve the site) and `make test` (every test).
PY      ?= python3
VENV    ?= .venv
BIN     := $(VENV)/bin
STAMP_D := $(VENV)/.docs-installed
STAMP_A := $(VENV)/.all-installed
PYTEST_ARGS ?=
# pip-compile: every transitive package pinned; existing pins are kept unless UPGRADE=1.
LOCK_FLAGS := --quiet --strip-extras --allow-unsafe --no-emit-index-url --no-emit-find-links $(if $(UPGRADE),--upgrade)

.PHONY: help serve build test test-fast test-sbs-all lint lock results check-results notebooks bench bench-quick bench-compare vendor \
	diagrams lighthouse clean

help:
	@echo "make serve        install the site's own dependencies and serve it at http://127.0.0.1:8000"
	@echo "make build        strict build of both languages into site/"
	@echo "make test         install everything, lint, and run every test (PYTEST_ARGS=... to pass pytest options)"
	@echo "make test-sbs-all the side-by-side checks with every broken variant, also those that start TensorFlow workers"
	@echo "make test-fast    the fast tests only (no site build, browser, subprocess or benchmark), under 30 s"
	@echo "make lint         ruff over pvt, hooks, snippets and tests"
	@echo "make lock         re-pin requirements*.txt from requirements*.in (UPGRADE=1 takes newer releases)"
	@echo "make results      regenerate the results store (cached; FORCE=1 reruns all)"
	@echo "make notebooks    regenerate the executed notebooks in docs/notebooks/ (cached; FORCE=1 reruns all)"
	@echo "make check-results  fail if a stored result or notebook no longer matches its inputs"
	@echo "make bench        run the full benchmark (about 20 to 25 minutes on 2 cores; the machine must be quiet)"
	@echo "make bench-quick  check that every benchmark configuration runs (writes outside the store)"
	@echo "make bench-compare OLD=a/bench.json NEW=b/bench.json  how many verdicts two runs share"
	@echo "make vendor       copy Mermaid, Temml's stylesheet and the math font from node_modules into docs/assets/vendor/"
	@echo "make diagrams     render every Mermaid diagram to SVG in docs/results/diagrams/ (Chromium)"
	@echo "make lighthouse   Lighthouse and page weight of every page type into docs/results/page_weight.json"
	@echo "make clean        remove the built site, caches and reports"

$(BIN)/python:
	$(PY) -m venv $(VENV)

$(STAMP_D): requirements-docs.txt pyproject.toml | $(BIN)/python
	$(BIN)/pip install -r requirements-docs.txt
	$(BIN)/pip install --no-deps --no-build-isolation -e .
	touch $@

$(STAMP_A): requirements.txt requirements-docs.txt pyproject.toml | $(BIN)/python
	$(BIN)/pip install -r requirements.txt
	$(BIN)/pip install --no-deps --no-build-isolation -e .
	touch $@ $(STAMP_D)

lock: $(STAMP_A)
	$(BIN)/pip-compile $(LOCK_FLAGS) -o requirements-docs.txt requirements-docs.in
	$(BIN)/pip-compile $(LOCK_FLAGS) -o requirements.txt requirements.in

node_modules/.package-lock.json: package.json package-lock.json
	npm ci --no-audit --no-fund

vendor: node_modules/.package-lock.json | $(BIN)/python
	$(BIN)/python -m pvt.site.vendor_assets

serve: $(STAMP_D) vendor
	$(BIN)/mkdocs serve --dev-addr 127.0.0.1:8000

build: $(STAMP_D) vendor
	$(BIN)/mkdocs build --strict

lint: $(STAMP_A)
	$(BIN)/ruff check .

test: $(STAMP_A) vendor lint
	$(BIN)/python -m pytest $(PYTEST_ARGS)

test-sbs-all: $(STAMP_A)
	SBS_ALL=1 $(BIN)/python -m pytest -m bench tests/test_sbs_*.py $(PYTEST_ARGS)

test-fast: $(STAMP_A)
	$(BIN)/python -m pytest -m fast $(PYTEST_ARGS)

results: $(STAMP_A)
	$(BIN)/python -m pvt.pipeline.results $(if $(FORCE),--force)

check-results: $(STAMP_A)
	$(BIN)/python -m pvt.pipeline.results --check
	$(BIN)/python -m pvt.pipeline.notebooks --check

notebooks: $(STAMP_A)
	$(BIN)/python -m pvt.pipeline.notebooks $(if $(FORCE),--force)

bench: $(STAMP_A)
	$(BIN)/python -m pvt.bench

lighthouse: $(STAMP_D) vendor
	$(BIN)/python -m pvt.site.page_weight

diagrams: $(STAMP_A) vendor
	$(BIN)/python -m pvt.site.diagrams

bench-quick: $(STAMP_A)
	BENCH_MATRIX=1 $(BIN)/python -m pytest tests/test_bench.py -k every_configuration_runs

bench-compare: $(STAMP_A)
	$(BIN)/python -m pvt.bench.compare $(OLD) $(NEW)

clean:
	rm -rf site site-report site-screenshots .pytest_cache .ruff_cache .cache/mkdocs-jupyter
