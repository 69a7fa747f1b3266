"""Neovim 0.11 (headless) applies the server's quick fixes through its built-in LSP client,
configured by the project's own editors/nvim/lsp/standards_lsp.lua, which finds the server in
the project's .venv as it would for a user."""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

import pytest
from pydantic import BaseModel

from tests.e2e.editors_harness import (
    E2E_DIR,
    REPO_ROOT,
    EditorPaths,
    FixCase,
    artifacts_dir,
    assert_fixed,
    case_named,
    isolated_home,
    load_cases,
    require,
    require_rule,
    write_project,
)

# A hang guard: a run takes about a second; a wedged editor or server must not stall CI.
NEOVIM_TIMEOUT_S = 120
SCRIPTS = E2E_DIR / "nvim"
FIX_ON_SAVE_CASE = "std201-extract-constant"
RENAME_CASE = "std201-extract-constant"
NEW_NAME = "FEE_RATE"


class NeovimRun(BaseModel):
    """What code_action.lua saw (written as JSON)."""

    attached: bool
    diagnostic_seen: bool
    action_titles: list[str]
    chosen_titles: list[str]
    resolved: bool
    applied: bool
    remaining_codes: list[str]
    error: str | None


class FixOnSaveRun(BaseModel):
    """What fix_on_save.lua saw (written as JSON)."""

    attached: bool
    diagnostic_seen: bool
    written: bool
    remaining_codes: list[str]
    error: str | None


class RenameRun(BaseModel):
    """What rename_after_extract.lua saw (written as JSON)."""

    attached: bool
    diagnostic_seen: bool
    chosen_title: str | None
    prompt_default: str | None
    renamed: bool
    remaining_codes: list[str]
    error: str | None


def run_neovim(
    nvim: Path, script: str, case: FixCase, source_file: Path, extra: dict[str, str] | None = None
) -> str:
    """Runs one scenario script of tests/e2e/nvim/ on `source_file`; returns the JSON it wrote."""
    scratch = source_file.parent.parent  # the test's tmp_path: the project is one level down
    result_file = scratch / f"{script}.json"
    env = {
        **os.environ,
        **isolated_home(scratch),
        "STANDARDS_E2E_REPO": str(REPO_ROOT),
        "STANDARDS_E2E_FILE": str(source_file),
        "STANDARDS_E2E_CODE": case.code,
        "STANDARDS_E2E_TITLE_PREFIX": case.title_prefix,
        "STANDARDS_E2E_RESULT": str(result_file),
        **(extra or {}),
    }
    subprocess.run(
        [str(nvim), "--headless", "--clean", "-u", str(SCRIPTS / f"{script}.lua")],
        env=env,
        cwd=source_file.parent,
        stdin=subprocess.DEVNULL,
        timeout=NEOVIM_TIMEOUT_S,
        check=True,
    )
    return result_file.read_text()


def lsp_log(tmp_path: Path) -> str:
    log = tmp_path / "xdg" / "state" / "nvim" / "lsp.log"
    return log.read_text() if log.is_file() else "(no lsp.log)"


@pytest.mark.e2e
@pytest.mark.parametrize("case", load_cases(), ids=lambda case: case.name)
def test_neovim_applies_quick_fix(
    case: FixCase, editors: EditorPaths, server: Path, tmp_path: Path
) -> None:
    nvim = require(editors.nvim, "Neovim 0.11", editors)
    require_rule(server, case.code)

    fixed_file = write_project(tmp_path / "project", case, server)
    run = NeovimRun.model_validate_json(run_neovim(nvim, "code_action", case, fixed_file))
    shutil.copy(fixed_file, artifacts_dir(f"neovim-{case.name}") / case.file)

    assert run.error is None, f"{run.error}\n--- lsp.log ---\n{lsp_log(tmp_path)}"
    assert run.diagnostic_seen
    assert run.chosen_titles
    assert all(title.startswith(case.title_prefix) for title in run.chosen_titles)
    assert run.applied
    assert case.code not in run.remaining_codes
    assert_fixed(fixed_file.read_text(), case)


@pytest.mark.e2e
def test_neovim_fix_all_on_save(editors: EditorPaths, server: Path, tmp_path: Path) -> None:
    case = case_named(FIX_ON_SAVE_CASE)
    nvim = require(editors.nvim, "Neovim 0.11", editors)
    require_rule(server, case.code)

    fixed_file = write_project(tmp_path / "project", case, server)
    run = FixOnSaveRun.model_validate_json(run_neovim(nvim, "fix_on_save", case, fixed_file))

    assert run.error is None, f"{run.error}\n--- lsp.log ---\n{lsp_log(tmp_path)}"
    assert run.diagnostic_seen
    assert run.written
    assert case.code not in run.remaining_codes
    assert_fixed(fixed_file.read_text(), case)


@pytest.mark.e2e
def test_neovim_renames_after_extract(editors: EditorPaths, server: Path, tmp_path: Path) -> None:
    case = case_named(RENAME_CASE)
    nvim = require(editors.nvim, "Neovim 0.11", editors)
    require_rule(server, case.code)

    fixed_file = write_project(tmp_path / "project", case, server)
    extra = {"STANDARDS_E2E_NEW_NAME": NEW_NAME}
    recorded = run_neovim(nvim, "rename_after_extract", case, fixed_file, extra)
    run = RenameRun.model_validate_json(recorded)

    assert run.error is None, f"{run.error}\n--- lsp.log ---\n{lsp_log(tmp_path)}"
    assert run.chosen_title is not None
    assert run.chosen_title.startswith(case.title_prefix)
    assert run.prompt_default == "CALCULATE_FEE_RATE"  # the prompt was on the new constant
    assert run.renamed
    assert case.code not in run.remaining_codes
    assert case.expected is not None
    assert fixed_file.read_text() == case.expected.replace("CALCULATE_FEE_RATE", NEW_NAME)
