"""Jupyter notebooks on the command line: code cells checked as one module, findings placed in
their cells, fixes written back into the cells without touching outputs, metadata or layout."""

from __future__ import annotations

import json
from pathlib import Path

from tests.support.cli import EXIT_FINDINGS, run
from tests.support.paths import PRODUCTION_STANDARDS
from tests.support.projects import write_files

MARKDOWN_CELL = {"cell_type": "markdown", "id": "m", "metadata": {}, "source": ["# Fees — café\n"]}
OUTPUT = {"output_type": "stream", "name": "stdout", "text": ["2.5\n"]}
NOTEBOOK: dict[str, object] = {
    "cells": [
        MARKDOWN_CELL,
        {
            "cell_type": "code",
            "execution_count": 1,
            "id": "a",
            "metadata": {},
            "outputs": [],
            "source": ["import math\n", "%matplotlib inline\n"],
        },
        {
            "cell_type": "code",
            "execution_count": 2,
            "id": "b",
            "metadata": {"tags": ["keep"]},
            "outputs": [OUTPUT],
            "source": ["def fee(amount):\n", "    return amount * 0.025\n"],
        },
    ],
    "metadata": {"kernelspec": {"name": "python3", "display_name": "Python 3"}},
    "nbformat": 4,
    "nbformat_minor": 5,
}


def _project(root: Path) -> Path:
    text = json.dumps(NOTEBOOK, indent=1, ensure_ascii=False) + "\n"
    return write_files(root, {"standards.toml": PRODUCTION_STANDARDS, "eval.ipynb": text})


def test_check_places_findings_in_their_cells(tmp_path: Path) -> None:
    project = _project(tmp_path)
    text = run("check", ".", cwd=project)
    assert text.returncode == EXIT_FINDINGS, text.stderr
    assert "eval.ipynb:cell 3:2:21: STD201" in text.stdout
    report = json.loads(run("check", "--format", "json", ".", cwd=project).stdout)
    (finding,) = report["findings"]
    assert (finding["cell"], finding["start"], finding["code"]) == (
        3,
        {"line": 2, "column": 21},
        "STD201",
    )


def test_fix_changes_only_the_cells_it_fixes(tmp_path: Path) -> None:
    project = _project(tmp_path)
    before = (project / "eval.ipynb").read_text(encoding="utf-8")
    result = run("fix", ".", cwd=project)
    assert result.returncode == 0, result.stderr
    written = (project / "eval.ipynb").read_text(encoding="utf-8")
    fixed = json.loads(written)
    assert fixed["cells"][2]["source"] == ["def fee(amount):\n", "    return amount * FEE_RATE\n"]
    assert "FEE_RATE = 0.025\n" in fixed["cells"][1]["source"]
    assert fixed["cells"][1]["source"][-1] == "%matplotlib inline\n"
    assert fixed["cells"][2]["outputs"] == [OUTPUT]
    assert fixed["cells"][0] == MARKDOWN_CELL
    assert fixed["metadata"] == NOTEBOOK["metadata"]
    # the layout is nbformat's, as before: one-space indentation, non-ASCII kept
    assert written.splitlines()[1].startswith(' "cells"')
    assert "café" in written
    assert written != before
    assert run("check", ".", cwd=project).returncode == 0


def test_a_broken_notebook_is_said_so(tmp_path: Path) -> None:
    project = write_files(
        tmp_path, {"standards.toml": PRODUCTION_STANDARDS, "broken.ipynb": "{not json"}
    )
    result = run("check", ".", cwd=project)
    assert "cannot read the notebook" in result.stdout
    assert result.returncode != 0


def test_an_import_a_fix_adds_goes_into_the_first_cell(tmp_path: Path) -> None:
    # the first cell starts with code, so the module's import section is above its marker
    cells = [
        {"cell_type": "code", "metadata": {}, "outputs": [], "source": ["Missing = ValueError\n"]},
        {
            "cell_type": "code",
            "metadata": {},
            "outputs": [],
            "source": ["def find():\n", "    raise Missing(status_code=404)\n"],
        },
    ]
    notebook = {**NOTEBOOK, "cells": cells}
    project = write_files(
        tmp_path,
        {"standards.toml": PRODUCTION_STANDARDS, "api.ipynb": json.dumps(notebook, indent=1)},
    )
    assert run("fix", ".", cwd=project).returncode == 0
    fixed = json.loads((project / "api.ipynb").read_text(encoding="utf-8"))
    assert fixed["cells"][0]["source"] == [
        "from http import HTTPStatus\n",
        "\n",
        "Missing = ValueError\n",
    ]
    assert (
        fixed["cells"][1]["source"][-1] == "    raise Missing(status_code=HTTPStatus.NOT_FOUND)\n"
    )
