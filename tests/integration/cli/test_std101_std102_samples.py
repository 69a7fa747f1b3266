"""Behaviour is preserved: each sample program under `tests/samples/pydantic/` runs its own
checks (asserts and printed output) in a subprocess before and after
`standards-lsp fix --unsafe` converts its dicts to Pydantic models."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from tests.support.cli import run
from tests.support.models import findings
from tests.support.paths import PRODUCTION_STANDARDS, PYDANTIC_SAMPLES

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


@pytest.mark.parametrize(
    "sample", sorted(PYDANTIC_SAMPLES.glob("*.py")), ids=lambda path: path.stem
)
def test_sample_behaves_the_same_after_the_fix(sample: Path, tmp_path: Path) -> None:
    (tmp_path / "standards.toml").write_text(PRODUCTION_STANDARDS, encoding="utf-8")
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
