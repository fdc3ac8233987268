# mesohair — see README.md. `make demo` and `make test` are the quick start.
SHELL := /bin/bash
PYTHON ?= $(shell command -v python3.12 2>/dev/null)
VENV := .venv
BIN := $(VENV)/bin
PORT ?= 8000

.PHONY: install dev demo demo-reset test lint bench-imaging clean

install: $(VENV)/.installed

$(VENV)/.installed: pyproject.toml
	@if [ -z "$(PYTHON)" ] || ! "$(PYTHON)" -c 'import sys; sys.exit(sys.version_info[:2] != (3, 12))'; then \
	  echo "mesohair needs Python 3.12 (python3.12 not found on PATH; see README prerequisites)." >&2; exit 1; fi
	"$(PYTHON)" -m venv $(VENV)
	$(BIN)/python -m pip install -q --upgrade pip
	$(BIN)/python -m pip install -q -e .
	@touch $@

dev: $(VENV)/.dev-installed

$(VENV)/.dev-installed: $(VENV)/.installed
	$(BIN)/python -m pip install -q -e '.[dev]'
	@touch $@

demo: install
	$(BIN)/mesohair demo --port $(PORT)

demo-reset: install
	rm -rf var/mesohair.sqlite3 var/mesohair.sqlite3-* var/media
	$(BIN)/mesohair demo --port $(PORT)

test: dev
	./scripts/test.sh

lint: dev
	$(BIN)/ruff check mesohair tests bench
	$(BIN)/mypy mesohair/clinical mesohair/imaging

bench-imaging: dev
	$(BIN)/python bench/imaging_bench.py

clean:
	rm -rf $(VENV) .pytest_cache .mypy_cache .ruff_cache .hypothesis
