"""A real Neovim 0.11, with editors/nvim on its 'runtimepath', gives every file the server
handles a file type the standards_lsp client attaches to, and exactly the one the unit test's
record says (tests/support/editors.py, checked without Neovim by tests/unit/test_editor_coverage.py)."""

from __future__ import annotations

import json
import os
import subprocess
from pathlib import Path

import pytest

from tests.e2e.editors_harness import E2E_DIR, EditorPaths, isolated_home, require
from tests.support.editors import NEOVIM_DIRECTORY, NEOVIM_FILETYPES, SAMPLES

# A hang guard: the run takes well under a second.
NEOVIM_TIMEOUT_S = 120


@pytest.mark.e2e
def test_neovim_gives_every_server_file_a_client_filetype(
    editors: EditorPaths, tmp_path: Path
) -> None:
    nvim = require(editors.nvim, "Neovim", editors)
    project = tmp_path / "project"
    paths = {}
    for sample in SAMPLES.values():
        path = project / sample
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text("\n", encoding="utf-8")
        paths[str(path)] = sample
    first_on_runtimepath = f"set runtimepath^={NEOVIM_DIRECTORY}"
    script = f"luafile {E2E_DIR / 'nvim' / 'filetypes.lua'}"
    completed = subprocess.run(
        [
            str(nvim),
            "--headless",
            "--clean",
            "--cmd",
            first_on_runtimepath,
            "-c",
            script,
            "-c",
            "qa!",
        ],
        cwd=project,
        env={**os.environ, **isolated_home(tmp_path), "STANDARDS_LSP_FILES": "\n".join(paths)},
        stdin=subprocess.DEVNULL,
        capture_output=True,
        text=True,
        timeout=NEOVIM_TIMEOUT_S,
        check=False,
    )
    assert completed.returncode == 0, completed.stderr
    result = json.loads(completed.stdout.strip().splitlines()[-1])
    detected = {paths[path]: filetype for path, filetype in result["detected"].items()}
    assert detected == NEOVIM_FILETYPES
    missing = {
        sample: ft for sample, ft in detected.items() if ft not in result["client_filetypes"]
    }
    assert not missing
