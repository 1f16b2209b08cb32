# Self-documenting Makefile: every target with a "## " comment is listed by `make help`.
SHELL := /bin/bash
.DEFAULT_GOAL := help

PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
# The stamp records that the venv holds the project as pyproject.toml describes it;
# it is rebuilt only when pyproject.toml changes.
STAMP := $(VENV)/.installed

.PHONY: help install figures articles test lint format clean

help: ## List the targets
	@grep -E '^[a-zA-Z_-]+:.*## ' $(MAKEFILE_LIST) | \
		awk 'BEGIN {FS = ":.*## "}; {printf "  %-10s %s\n", $$1, $$2}'

$(STAMP): pyproject.toml
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --disable-pip-version-check -e '.[dev]'
	@touch $(STAMP)

install: $(STAMP) ## Create .venv and install the project (only when pyproject.toml changed)

figures: $(STAMP) ## Regenerate every figure, table and rendered notebook from seeds/
	$(BIN)/python -m analysis report --out figures --notebooks-dir notebooks

test: $(STAMP) ## Run ruff (lint + format check) and pytest, doctests included
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/python -m pytest

format: $(STAMP) ## Apply ruff's fixes and formatting
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .

clean: ## Remove the venv and caches (never seeds/ or figures/)
	rm -rf $(VENV) .pytest_cache .ruff_cache .cache
