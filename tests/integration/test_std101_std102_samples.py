"""Behaviour is preserved: each sample program under `tests/samples/pydantic/` runs its own
checks (asserts and printed output) in a subprocess before and after
`standards-lsp fix --unsafe` converts its dicts to Pydantic models."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from tests.integration.test_cli import PRODUCTION, run
from tests.unit.dict_model_support import findings

SAMPLES = Path(__file__).resolve().parents[1] / "samples" / "pydantic"
RUN_TIMEOUT = 120
CODES = "STD101,STD102"


def _run_sample(path: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, str(path)],
        cwd=path.parent,
        capture_output=True,
        text=True,
        timeout=RUN_TIMEOUT,
        check=False,
    )


@pytest.mark.parametrize("sample", sorted(SAMPLES.glob("*.py")), ids=lambda path: path.stem)
def test_sample_behaves_the_same_after_the_fix(sample: Path, tmp_path: Path) -> None:
    (tmp_path / "standards.toml").write_text(PRODUCTION, encoding="utf-8")
    program = tmp_path / sample.name
    shutil.copy(sample, program)
    before = _run_sample(program)
    assert before.returncode == 0, before.stderr

    fixed = run("fix", "--unsafe", "--select", CODES, str(tmp_path), cwd=tmp_path)
    assert fixed.returncode in {0, 1}, fixed.stderr
    text = program.read_text(encoding="utf-8")
    assert "(BaseModel):" in text
    assert text.count("from pydantic import") == 1

    after = _run_sample(program)
    assert after.returncode == 0, f"{after.stderr}\n--- fixed program ---\n{text}"
    assert after.stdout == before.stdout

    assert findings(text) == []


PROJECT = SAMPLES.parent / "pydantic_project"


def test_a_project_behaves_the_same_when_callers_are_in_other_modules(tmp_path: Path) -> None:
    """A caller in another module passes a dict held in a variable (validated where it is
    passed) whose `"sub"` is present with None (stays present); a result is merged into a dict
    with `dict.update` (dumped there); pydantic is added to the project's dependencies."""
    project = tmp_path / "project"
    shutil.copytree(PROJECT, project)
    (project / "standards.toml").write_text(PRODUCTION, encoding="utf-8")
    before = _run_sample(project / "run.py")
    assert before.returncode == 0, before.stderr

    fixed = run("fix", "--unsafe", "--select", CODES, str(project / "app"), cwd=project)
    assert fixed.returncode in {0, 1}, fixed.stderr
    assert "(also app/main.py" in fixed.stderr
    tokens = (project / "app" / "tokens.py").read_text(encoding="utf-8")
    main = (project / "app" / "main.py").read_text(encoding="utf-8")
    assert "(BaseModel):" in tokens
    assert "model_validate(payload)" in main
    assert ".model_dump(by_alias=True)" in main
    assert "from app.tokens import " in main
    assert '"pydantic"' in (project / "pyproject.toml").read_text(encoding="utf-8")

    after = _run_sample(project / "run.py")
    assert after.returncode == 0, f"{after.stderr}\n--- tokens ---\n{tokens}\n--- main ---\n{main}"
    assert after.stdout == before.stdout
