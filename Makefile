# jiancha — two commands set up everything: `make demo` and `make test`.
SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed-stamp
DEMO_DATA ?= demo-data
DEMO_HOME ?= demo-home
export JIANCHA_HOME ?= $(CURDIR)/$(DEMO_HOME)

.PHONY: install sysdeps demo test test-fast test-slow lint bench clean

$(STAMP): pyproject.toml constraints.txt
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -c constraints.txt -e '.[dev,spark]'
	touch $(STAMP)

install: $(STAMP)

# Debian packages the integration tests use: Chromium (web app), LibreOffice and
# CJK fonts (documents), poppler (PDF pages as PNG), PostgreSQL (clue store).
sysdeps:
	@bash scripts/sysdeps.sh

demo: install
	$(BIN)/jiancha synth --out $(DEMO_DATA) --seed 1 --scale 1
	$(BIN)/jiancha --home $(DEMO_HOME) ingest $(DEMO_DATA)/drop
	$(BIN)/jiancha --home $(DEMO_HOME) run
	$(BIN)/jiancha --home $(DEMO_HOME) clues summary
	@echo
	@echo "浏览线索 / browse the clues:  $(BIN)/jiancha --home $(DEMO_HOME) serve"

# The suites in their reduced form (CI): 6 SIGKILL trials per command and store backend, Spark on
# local[2] at scale 1 with one seed, a few fuzz examples per operation.
test: install sysdeps
	$(BIN)/python -m pytest -q -m "not slow"

test-fast: install
	$(BIN)/python -m pytest -q -m "not slow and not browser and not libreoffice"

# The slow suites at full form: 50 SIGKILL trials per command and store backend, the Spark
# equivalence matrix (scales 1 and 3, two seeds), a standalone Spark cluster, longer fuzzing.
test-slow: install sysdeps
	$(BIN)/python -m pytest -q -m slow
	JIANCHA_CRASH_TRIALS=50 $(BIN)/python -m pytest -q tests/crash

lint: install
	$(BIN)/ruff check src tests bench
	$(BIN)/ruff format --check src tests bench

bench: install
	$(BIN)/python bench/ingest.py
	$(BIN)/python bench/models.py
	$(BIN)/python bench/store.py
	$(BIN)/python bench/startup.py

clean:
	rm -rf $(VENV) $(DEMO_DATA) $(DEMO_HOME) .pytest_cache build *.egg-info
