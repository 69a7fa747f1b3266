"""STD407's fix, applied, makes the editor's ruff (the project's settings) report what CI's ruff
(the tier's `--select` / `--ignore` on the command line) reports: checked with the real ruff."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from rules.config import ConfigResolver
from rules.engine import Engine, SourceFile
from rules.fixes import apply_edits
from rules.tiers import PRODUCTION
from tests.support.projects import copy_fixture

RUFF = Path(sys.executable).parent / "ruff"


def _codes(root: Path, *arguments: str) -> set[tuple[str, str, int]]:
    completed = subprocess.run(
        [str(RUFF), "check", "--no-cache", "--output-format", "json", *arguments, "."],
        cwd=root,
        capture_output=True,
        text=True,
        check=False,
    )
    assert completed.returncode in {0, 1}, completed.stderr
    return {
        (item["code"], Path(item["filename"]).relative_to(root).as_posix(), item["location"]["row"])
        for item in json.loads(completed.stdout)
    }


def _ci(root: Path) -> set[tuple[str, str, int]]:
    return _codes(
        root,
        "--select",
        ",".join(PRODUCTION.ruff_select),
        "--ignore",
        ",".join(PRODUCTION.ruff_ignore),
    )


INLINE_WEAK = """\
[tool.ruff]
line-length = 100
lint = { select = ["E", "F"], per-file-ignores = { "tests/**" = ["S101"] } }
"""


@pytest.mark.parametrize("layout", ["tables", "inline"])
def test_the_fixed_settings_make_the_editor_report_what_ci_reports(
    tmp_path: Path, layout: str
) -> None:
    root = copy_fixture("weak_ruff", tmp_path)
    pyproject = root / "pyproject.toml"
    if layout == "inline":  # the same settings, `lint` an inline table of `[tool.ruff]`
        head = pyproject.read_text(encoding="utf-8").split("[tool.ruff]")[0]
        pyproject.write_text(head + INLINE_WEAK, encoding="utf-8")
    ci_before, editor_before = _ci(root), _codes(root)
    assert editor_before != ci_before  # the weak selection hides what CI reports

    text = pyproject.read_text(encoding="utf-8")
    settings = ConfigResolver().settings_for(str(pyproject))
    analysis = Engine().check(
        SourceFile(text=text, settings=settings, path=str(pyproject), project_root=str(root))
    )
    (finding,) = [finding for finding in analysis.findings if finding.code == "STD407"]
    assert finding.fix is not None
    assert finding.fix.edits is not None
    pyproject.write_text(apply_edits(text, finding.fix.edits), encoding="utf-8")

    editor_after = _codes(root)
    assert editor_after == _ci(root) == ci_before
    assert {"B006", "S602", "UP035"} <= {code for code, _path, _line in editor_after}
    # CI honours per-file-ignores, and so does the fixed pyproject: no S101 in the tests.
    assert not any(code == "S101" for code, _path, _line in editor_after)
