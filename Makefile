# Self-documenting Makefile: every target with a "## " comment is listed by `make help`.
SHELL := /bin/bash
.DEFAULT_GOAL := help

PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
UV := $(BIN)/uv
# Exact versions of every dependency: the same on every machine, so the same figures.
LOCK := requirements.lock
# The stamp records that the venv holds exactly the lock and the project; it is rebuilt
# only when the lock or pyproject.toml changes.
STAMP := $(VENV)/.installed

.PHONY: help install lock figures test lab format clean reader

help: ## List the targets
	@grep -E '^[a-zA-Z_-]+:.*## ' $(MAKEFILE_LIST) | \
		awk 'BEGIN {FS = ":.*## "}; {printf "  %-10s %s\n", $$1, $$2}'

# uv (a wheel from PyPI, at the version the lock pins) installs the lock in seconds
$(UV):
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --disable-pip-version-check "$$(grep '^uv==' $(LOCK))"

$(STAMP): pyproject.toml $(LOCK) | $(UV)
	$(UV) pip sync --quiet --compile-bytecode --python $(BIN)/python $(LOCK)
	$(UV) pip install --quiet --python $(BIN)/python --no-deps -e .
	@touch $(STAMP)

install: $(STAMP) ## Create .venv with exactly the versions of requirements.lock, and the project

lock: | $(UV) ## Re-resolve requirements.lock from pyproject.toml (then make figures, make test)
	$(UV) pip compile pyproject.toml --extra dev --python-version 3.11 \
		--python-platform x86_64-manylinux_2_28 --custom-compile-command "make lock" \
		--quiet -o $(LOCK)

figures: $(STAMP) ## Regenerate every figure, table and rendered notebook from seeds/
	$(BIN)/python -m analysis report --out figures --notebooks-dir notebooks \
		--rules analysis/resources/labour_codes.txt

reader: $(STAMP) ## Retrain the line-role model from benchmarks/pages/ and score it leave-one-source-out
	$(BIN)/python -m benchmarks.line_roles train
	$(BIN)/python -m benchmarks.line_roles

lab: $(STAMP) ## Start JupyterLab on notebooks/ (adds --allow-root when run as root, and says so)
	@if [ "$$(id -u)" = 0 ]; then \
		echo "running as root: starting JupyterLab with --allow-root"; \
		exec $(BIN)/jupyter lab --notebook-dir=notebooks --allow-root; \
	else \
		exec $(BIN)/jupyter lab --notebook-dir=notebooks; \
	fi

test: $(STAMP) ## Run ruff (lint + format check) and pytest, doctests included
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/python -m pytest -n $$($(BIN)/python -c "from analysis.processes import cpu_count; print(cpu_count())") --dist loadfile

format: $(STAMP) ## Apply ruff's fixes and formatting
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .

clean: ## Remove the venv and caches (never seeds/ or figures/)
	rm -rf $(VENV) .pytest_cache .ruff_cache .cache
