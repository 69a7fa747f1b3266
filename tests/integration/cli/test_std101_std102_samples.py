"""Behaviour is preserved: each sample program under `tests/samples/pydantic/` runs its own
checks (asserts and printed output) in a subprocess before and after
`standards-lsp fix --unsafe` converts its dicts to Pydantic models."""

from __future__ import annotations

import configparser
import json
import shutil
import subprocess
import sys
import tomllib
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
    with `dict.update` (dumped there); pydantic is added to the project's dependencies. A map
    of HTTP headers (`cors_headers`) is no record: left as it is. A method's parameter is
    converted with the calls of subclasses in another module (`self._store(...)` there is the
    base class's method): a display becomes the constructor, a name is validated. A result
    read with `.get("k")` in another module reads the field."""
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
    assert "def cors_headers(origin: str) -> dict:" in tokens
    assert 'cors_headers("https://example.org"))' in main
    assert "from app.tokens import " in main
    assert "print(outcome.status, outcome.body)" in main
    assert "print(upload(0).status)" in main
    certificates = (project / "app" / "certificates.py").read_text(encoding="utf-8")
    assert "from app.auth import TokenAuth, TokenData" in certificates, certificates
    assert "self._store(TokenData.model_validate(token_data))" in certificates
    assert "self._store(TokenData(access_token=token, expires_in=3600.0))" in certificates
    assert '"pydantic>=2"' in (project / "pyproject.toml").read_text(encoding="utf-8")

    after = _run_sample(project / "run.py")
    assert after.returncode == 0, f"{after.stderr}\n--- tokens ---\n{tokens}\n--- main ---\n{main}"
    assert after.stdout == before.stdout


# Each refusal sample: the reason `fix --unsafe` gives (None: not a finding at all).
REFUSALS = {
    "caller_sees_mutation": "caller_sees_mutation.py:10 passes `ORDER`: that caller would not see",
    "documented_dict": "`settings` is documented as taking or returning a dict: public API",
    "dynamic_keys": None,  # `row[field]`: the keys are chosen at run time
    "lambda_response": "`handler` is invoked by the AWS Lambda runtime",
    "lists_own_names": "the module lists its own names",
    "looked_up_by_name": "`_delete_bucket` may be called by a computed name: "
    'looked_up_by_name.py:13 `getattr(self, "_delete_%s" % kind)`',
    "override": "another `handle` is defined in override.py:10",
    "public_api": "`label` is in `__all__` (public_api.py:3): public API",
    "type_comment": "`summary` is typed by a type comment (`# type: (str, int) -> Dict[",
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


PACKAGING = PYDANTIC_SAMPLES.parent / "pydantic_packaging"
# A stand-in for setuptools: running setup.py with it prints what `setup()` was given.
FAKE_SETUPTOOLS = (
    "import json\n\n\ndef find_packages(*args, **kwargs):\n    return []\n\n\n"
    "def setup(**options):\n    print(json.dumps(options.get('install_requires', [])))\n"
)


def _packaged_project(layout: str, tmp_path: Path) -> Path:
    """The two-module sample project, packaged as `pydantic_packaging/LAYOUT` packages it."""
    project = tmp_path / "project"
    shutil.copytree(PROJECT, project, ignore=shutil.ignore_patterns("pyproject.toml"))
    shutil.copytree(PACKAGING / layout, project, dirs_exist_ok=True)
    (project / "standards.toml").write_text(PRODUCTION_STANDARDS, encoding="utf-8")
    return project


def _setup_py_requirements(project: Path, tmp_path: Path) -> list[str]:
    """What `setup.py` passes as `install_requires`, by running it."""
    fake = tmp_path / "fake"
    fake.mkdir()
    (fake / "setuptools.py").write_text(FAKE_SETUPTOOLS, encoding="utf-8")
    done = subprocess.run(
        [sys.executable, "setup.py"],
        cwd=project,
        env={"PYTHONPATH": str(fake)},
        capture_output=True,
        text=True,
        timeout=RUN_TIMEOUT,
        check=True,
    )
    return json.loads(done.stdout)


def _setup_cfg_requirements(project: Path, tmp_path: Path) -> list[str]:
    """`[options] install_requires`, split as setuptools splits it (lines, or `;`)."""
    del tmp_path
    parser = configparser.ConfigParser()
    parser.read(project / "setup.cfg", encoding="utf-8")
    value = parser.get("options", "install_requires").strip()
    items = value.splitlines() if "\n" in value else value.split(";")
    return [item.strip() for item in items if item.strip() and not item.startswith("#")]


def _poetry_requirements(project: Path, tmp_path: Path) -> list[str]:
    del tmp_path
    document = tomllib.loads((project / "pyproject.toml").read_text(encoding="utf-8"))
    dependencies = document["tool"]["poetry"]["dependencies"]
    return [f"{name}{spec}" for name, spec in dependencies.items() if name != "python"]


# Each layout: how to read its declared requirements, what they are after the fix, and what
# `fix` says it added.
LAYOUTS = {
    "setup_py": (_setup_py_requirements, ["pydantic>=2"], "setup.py's `install_requires`"),
    "setup_cfg": (
        _setup_cfg_requirements,
        ["typing-extensions>=4", "pydantic>=2"],
        "setup.cfg's `install_requires`",
    ),
    "poetry": (
        _poetry_requirements,
        ["pydantic>=2"],
        "`[tool.poetry.dependencies]`: run `poetry lock`",
    ),
}


@pytest.mark.parametrize("layout", sorted(LAYOUTS))
def test_pydantic_is_declared_where_the_project_declares_its_dependencies(
    layout: str, tmp_path: Path
) -> None:
    """setup.py, setup.cfg and Poetry projects: the conversions are made, pydantic is added to
    the requirement list the packaging tool reads, and the program behaves the same."""
    project = _packaged_project(layout, tmp_path)
    requirements, expected, added_to = LAYOUTS[layout]
    before = _run_sample(project / "run.py")
    assert before.returncode == 0, before.stderr

    fixed = run("fix", "--unsafe", "--select", CODES, str(project / "app"), cwd=project)
    assert fixed.returncode in {0, 1}, fixed.stderr
    assert f"adds pydantic to {added_to}" in fixed.stderr, fixed.stderr
    assert "(BaseModel):" in (project / "app" / "tokens.py").read_text(encoding="utf-8")
    assert requirements(project, tmp_path) == expected

    after = _run_sample(project / "run.py")
    assert after.returncode == 0, after.stderr
    assert after.stdout == before.stdout


def test_a_computed_requirement_list_refuses_the_conversion(tmp_path: Path) -> None:
    """setup.py reads its requirements from a file: nothing changes, and `fix` says why."""
    project = _packaged_project("setup_py_computed", tmp_path)
    originals = {path: path.read_text(encoding="utf-8") for path in project.rglob("*.py")}

    fixed = run("fix", "--unsafe", "--select", CODES, str(project / "app"), cwd=project)
    assert fixed.returncode in {0, 1}, fixed.stderr
    printed = fixed.stderr + fixed.stdout
    assert "not converted: setup.py computes install_requires" in printed, printed
    assert {path: path.read_text(encoding="utf-8") for path in project.rglob("*.py")} == originals
