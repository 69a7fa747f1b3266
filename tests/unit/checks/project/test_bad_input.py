"""Bad input around a project gives a clear finding or a skip: never a crash or a hang."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from rules.checks.project.std407_ruff_settings import tier_tables
from rules.tiers import PRODUCTION
from tests.support.paths import PRODUCTION_STANDARDS
from tests.support.projects import PROJECT_CODES, checked_files, project_findings, write_files

CLEAN_PYPROJECT = (
    '[project]\nname = "app"\nrequires-python = ">=3.12"\ndependencies = ["llm"]\n\n'
    '[dependency-groups]\ndev = ["pytest", "ruff", "ty"]\n\n'
    + "\n".join(
        f"[{name}]\n" + "".join(f"{line}\n" for line in lines)
        for name, lines in tier_tables(PRODUCTION)
    )
)


def _project(root: Path, pyproject: str = CLEAN_PYPROJECT) -> Path:
    files = {"pyproject.toml": pyproject, "uv.lock": "version = 1\n"}
    return write_files(root, {**files, "standards.toml": PRODUCTION_STANDARDS})


def _summary(root: Path) -> list[tuple[str, str, int, str]]:
    summary = []
    for record in project_findings(root, PROJECT_CODES):
        start = record["start"]
        assert isinstance(start, dict)
        summary.append(
            (str(record["path"]), str(record["code"]), start["line"], str(record["message"]))
        )
    return summary


def test_invalid_pyproject_gives_one_finding_at_the_error(tmp_path: Path) -> None:
    root = _project(tmp_path / "app", '[project]\nname = "app\nrequires-python = ">=3.12"\n')
    assert _summary(root) == [
        ("pyproject.toml", "STD503", 2, "invalid TOML: Illegal character '\\n'")
    ]


def test_binary_requirements_file_is_reported_without_being_read(tmp_path: Path) -> None:
    root = _project(tmp_path / "app")
    (root / "requirements.txt").write_bytes(b"\x00\x01\xff\xfe binary \x00" * 100)
    found = project_findings(root, PROJECT_CODES)
    assert [(record["path"], record["code"]) for record in found] == [
        ("pyproject.toml", "STD401"),
        ("requirements.txt", "STD401"),
    ]
    assert found[1]["start"] == found[1]["end"] == {"line": 1, "column": 1}


def test_invalid_yaml_workflow_is_skipped(tmp_path: Path) -> None:
    root = _project(tmp_path / "app")
    workflows = root / ".github" / "workflows"
    workflows.mkdir(parents=True)
    (workflows / "ci.yml").write_text("jobs: [\n  - run: pip install x\n  bad: : :\n")
    (workflows / "ok.yml").write_text(
        "jobs:\n  t:\n    steps:\n      - run: pip install -r requirements.txt\n"
    )
    assert [(path, code) for path, code, _, _ in _summary(root)] == [
        (".github/workflows/ok.yml", "STD402")
    ]


def test_non_utf8_pyproject_and_standards_are_findings(tmp_path: Path) -> None:
    root = _project(tmp_path / "app")
    (root / "standards.toml").write_bytes(b"\x00\x00\x00")
    codes = [(path, code) for path, code, _, _ in _summary(root)]
    # The tier falls back to the default (internal), whose ruff values the pyproject's
    # production ones are not: STD407 says so beside the broken standards.toml.
    assert codes == [("pyproject.toml", "STD407"), ("standards.toml", "STD502")]


@pytest.mark.timeout(60)
@pytest.mark.skipif(not hasattr(os, "symlink"), reason="needs symbolic links")
def test_symlink_loops_neither_hang_nor_crash(tmp_path: Path) -> None:
    root = _project(tmp_path / "app")
    package = root / "src" / "pkg"
    package.mkdir(parents=True)
    (package / "__init__.py").write_text('"""Pkg."""\n')
    (package / "loop").symlink_to(package, target_is_directory=True)
    (root / "requirements.txt").symlink_to(root / "requirements.txt")  # a link to itself
    (root / "Pipfile").symlink_to(root / "missing")  # dangling
    files = sorted(path.relative_to(root).as_posix() for path in checked_files(root))
    assert files == ["pyproject.toml", "src/pkg/__init__.py", "standards.toml"]
    assert _summary(root) == []


def test_walk_skips_virtual_environments_and_ignored_directories(tmp_path: Path) -> None:
    root = _project(tmp_path / "app")
    for folder in (".venv/lib", "env/lib", "generated", "node_modules/x", "src/app"):
        (root / folder).mkdir(parents=True)
        (root / folder / "Bad-Name.py").write_text("")
    (root / "env" / "pyvenv.cfg").write_text("home = /usr\n")
    (root / ".gitignore").write_text("generated/\n")
    files = sorted(path.relative_to(root).as_posix() for path in checked_files(root))
    assert files == ["pyproject.toml", "src/app/Bad-Name.py", "standards.toml"]
