# Tasks of this repository: `make help` lists them. Everything goes through uv as `python3 -m uv`
# (only python3 needed); `.ci/run` is what CI runs.
UV := python3 -m uv
RUN := $(UV) run --locked
# Test processes: `make test JOBS=2` on a shared machine.
JOBS ?= auto

.DEFAULT_GOAL := help
.PHONY: help setup lint fix test test-fast e2e docs regenerate generated editors vscode pre-commit ci

help: ## this list
	@grep -E '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | awk -F':.*## ' '{printf "  make %-11s %s\n", $$1, $$2}'

setup: ## the locked environment (.venv), dev tools included
	$(UV) sync --locked

lint: ## the gates: ruff check, ruff format --check, ty check, standards-lsp check .
	$(RUN) ruff check .
	$(RUN) ruff format --check .
	$(RUN) ty check
	$(RUN) standards-lsp check .

fix: ## ruff's safe fixes and formatting (this project's own findings: fix them by hand, see CONTRIBUTING)
	$(RUN) ruff check --fix .
	$(RUN) ruff format .

test: ## the whole suite (the e2e tests skip, saying why, without the editors)
	$(RUN) pytest -n $(JOBS)

test-fast: ## unit and integration tests without the stdlib corpora and the editors
	$(RUN) pytest -n $(JOBS) -m "not corpus" --ignore=tests/e2e

e2e: ## the real-editor tests (after `make editors`)
	$(RUN) pytest -n $(JOBS) tests/e2e

docs: ## regenerate the README's rule table and docs/rules/ from the rules' documentation
	$(RUN) python -m rules.docs

regenerate: ## regenerate the expected outputs (the demo's report, the fixtures' expected.json)
	$(RUN) python -m tests.regenerate

generated: docs regenerate ## both of the above: run after changing a rule, then review the diff

editors: ## install Neovim, code-server and Chromium for the e2e tests, build the extension
	bash editors/install-editors.sh

vscode: ## build the VS Code extension (editors/vscode/standards-lsp.vsix; Node 20+)
	npm --prefix editors/vscode run package

pre-commit: ## run the gates before each commit (installs pre-commit as a uv tool)
	$(UV) tool install --quiet pre-commit
	$(UV) tool run pre-commit install

ci: ## what CI runs, from this checkout: .ci/run
	bash .ci/run
