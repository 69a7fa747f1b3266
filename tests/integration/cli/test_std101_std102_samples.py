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
from tests.support.paths import PRODUCTION_STANDARDS, PYDANTIC_REFUSED, PYDANTIC_SAMPLES

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


PROJECT = PYDANTIC_SAMPLES.parent / "pydantic_project"


def test_a_project_behaves_the_same_when_callers_are_in_other_modules(tmp_path: Path) -> None:
    """A caller in another module passes a dict held in a variable (validated where it is
    passed) whose `"sub"` is present with None (stays present); a result is merged into a dict
    with `dict.update` (dumped there); pydantic is added to the project's dependencies."""
    project = tmp_path / "project"
    shutil.copytree(PROJECT, project)
    (project / "standards.toml").write_text(PRODUCTION_STANDARDS, encoding="utf-8")
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


# Each refusal sample: the reason `fix --unsafe` gives (None: not a finding at all).
REFUSALS = {
    "caller_sees_mutation": "caller_sees_mutation.py:10 passes `ORDER`: that caller would not see",
    "documented_dict": "`settings` is documented as taking or returning a dict: public API",
    "dynamic_keys": None,  # `row[field]`: the keys are chosen at run time
    "lambda_response": "`handler` is invoked by the AWS Lambda runtime",
    "override": "another `handle` is defined in override.py:10",
    "public_api": "`label` is in `__all__` (public_api.py:3): public API",
}


@pytest.mark.parametrize("name", sorted(REFUSALS))
def test_a_refused_conversion_leaves_the_program_as_it_was(name: str, tmp_path: Path) -> None:
    """Where a use cannot keep its behaviour, `fix --unsafe` changes nothing and says why; the
    program runs as before."""
    assert sorted(path.stem for path in PYDANTIC_REFUSED.glob("*.py")) == sorted(REFUSALS)
    (tmp_path / "standards.toml").write_text(PRODUCTION_STANDARDS, encoding="utf-8")
    program = tmp_path / f"{name}.py"
    shutil.copy(PYDANTIC_REFUSED / program.name, program)
    original = program.read_text(encoding="utf-8")
    before = _run_sample(program)
    assert before.returncode == 0, before.stderr

    fixed = run("fix", "--unsafe", "--select", CODES, str(tmp_path), cwd=tmp_path)
    assert fixed.returncode in {0, 1}, fixed.stderr
    assert program.read_text(encoding="utf-8") == original
    reason = REFUSALS[name]
    if reason is None:
        assert findings(original) == []
    else:
        assert "not converted: " in fixed.stderr + fixed.stdout
        assert reason in fixed.stderr + fixed.stdout, fixed.stderr + fixed.stdout

    after = _run_sample(program)
    assert after.returncode == 0, after.stderr
    assert after.stdout == before.stdout
