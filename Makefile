# Two commands matter: `make serve` (set up and serve the site) and `make test` (every test).
PY      ?= python3
VENV    ?= .venv
BIN     := $(VENV)/bin
STAMP_D := $(VENV)/.docs-installed
STAMP_A := $(VENV)/.all-installed

.PHONY: serve build test results check-results notebooks bench bench-quick vendor clean help

help:
	@echo "make serve    install the site's own dependencies and serve it at http://127.0.0.1:8000"
	@echo "make build    strict build of both languages into site/"
	@echo "make test     install everything and run every test"
	@echo "make results  regenerate the results store (cached; FORCE=1 reruns all)"
	@echo "make notebooks  regenerate the executed notebooks in docs/notebooks/ (cached; FORCE=1 reruns all)"
	@echo "make check-results  fail if a stored result or notebook no longer matches its inputs"
	@echo "make bench    run the full benchmark (about 8 minutes on 2 cores)"

$(BIN)/python:
	$(PY) -m venv $(VENV)

$(STAMP_D): requirements-docs.txt | $(BIN)/python
	$(BIN)/pip install -r requirements-docs.txt
	touch $@

$(STAMP_A): requirements.txt requirements-docs.txt | $(BIN)/python
	$(BIN)/pip install -r requirements.txt
	touch $@ $(STAMP_D)

node_modules/.package-lock.json: package.json package-lock.json
	npm ci --no-audit --no-fund

vendor: node_modules/.package-lock.json
	$(BIN)/python scripts/vendor_assets.py

serve: $(STAMP_D) vendor
	$(BIN)/mkdocs serve --dev-addr 127.0.0.1:8000

build: $(STAMP_D) vendor
	$(BIN)/mkdocs build --strict

results: $(STAMP_A)
	$(BIN)/python scripts/results.py $(if $(FORCE),--force)

check-results: $(STAMP_A)
	$(BIN)/python scripts/results.py --check
	$(BIN)/python scripts/notebooks.py --check

notebooks: $(STAMP_A)
	$(BIN)/python scripts/notebooks.py $(if $(FORCE),--force)

bench: $(STAMP_A)
	$(BIN)/python scripts/bench

lighthouse: $(STAMP_D) vendor
	$(BIN)/python scripts/page_weight.py

bench-quick: $(STAMP_A)
	$(BIN)/python scripts/bench --quick

test: $(STAMP_A) vendor
	$(BIN)/python -m pytest

clean:
	rm -rf site .pytest_cache
