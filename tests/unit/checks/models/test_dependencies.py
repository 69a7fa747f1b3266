"""Where a conversion adds pydantic: the file that declares the project's dependencies, with
only the requirement list changed (`[project]`, Poetry, `setup.cfg`, `setup.py`), or a one-line
refusal when the list is computed."""

from __future__ import annotations

from pathlib import Path

import pytest

from rules.checks.models.dependencies import DependencyPlan, pydantic_dependency
from rules.fixes import apply_edits
from tests.support.projects import write_files

SETUP_PY_NO_REQUIREMENTS = """from setuptools import setup

setup(
    name="app",
    packages=["app"],
)
"""
SETUP_PY_MULTILINE = """from setuptools import setup

setup(
    name="app",
    install_requires=[
        "requests>=2",  # HTTP
        "click",
    ],
)
"""
SETUP_PY_VARIABLE = """from setuptools import setup

REQUIRES = ["requests"]

setup(name="app", install_requires=REQUIRES)
"""
SETUP_CFG = """[metadata]
name = app

[options]
packages = find:
# what the package needs at run time
install_requires =
    requests>=2
    click

[flake8]
max-line-length = 100
"""
POETRY = """[tool.poetry]
name = "app"

[tool.poetry.dependencies]
python = "^3.12"
requests = "^2"

[build-system]
requires = ["poetry-core"]
"""

# (files, the file edited, its text after the edit)
ADDED = {
    "setup.py without install_requires gets the keyword": (
        {"setup.py": SETUP_PY_NO_REQUIREMENTS},
        "setup.py",
        SETUP_PY_NO_REQUIREMENTS.replace(
            '    packages=["app"],\n',
            '    packages=["app"],\n    install_requires=["pydantic>=2"],\n',
        ),
    ),
    "setup.py's literal list, one item a line, comments kept": (
        {"setup.py": SETUP_PY_MULTILINE},
        "setup.py",
        SETUP_PY_MULTILINE.replace('"click",\n', '"click",\n        "pydantic>=2",\n'),
    ),
    "setup.py's one-line list": (
        {"setup.py": "from setuptools import setup\nsetup(name='a', install_requires=['x'])\n"},
        "setup.py",
        "from setuptools import setup\nsetup(name='a', install_requires=['x', 'pydantic>=2'])\n",
    ),
    "setup.py's module-level list it names": (
        {"setup.py": SETUP_PY_VARIABLE},
        "setup.py",
        SETUP_PY_VARIABLE.replace('["requests"]', '["requests", "pydantic>=2"]'),
    ),
    "setup.cfg's install_requires, comments and other sections kept": (
        {"setup.cfg": SETUP_CFG},
        "setup.cfg",
        SETUP_CFG.replace("    click\n", "    click\n    pydantic>=2\n"),
    ),
    "setup.cfg with a bare setup.py: the list is in setup.cfg": (
        {"setup.cfg": SETUP_CFG, "setup.py": "from setuptools import setup\n\nsetup()\n"},
        "setup.cfg",
        SETUP_CFG.replace("    click\n", "    click\n    pydantic>=2\n"),
    ),
    "setup.cfg's one-line list, split at `;`": (
        {"setup.cfg": "[metadata]\nname = a\n\n[options]\ninstall_requires = x; y\n"},
        "setup.cfg",
        "[metadata]\nname = a\n\n[options]\ninstall_requires = x; y; pydantic>=2\n",
    ),
    "setup.cfg without the key": (
        {"setup.cfg": "[metadata]\nname = a\n\n[options]\npackages = find:\n"},
        "setup.cfg",
        "[metadata]\nname = a\n\n[options]\ninstall_requires =\n    pydantic>=2\n"
        "packages = find:\n",
    ),
    "setup.cfg without [options]": (
        {"setup.cfg": "[metadata]\nname = a\n"},
        "setup.cfg",
        "[metadata]\nname = a\n\n[options]\ninstall_requires =\n    pydantic>=2\n",
    ),
    "Poetry's dependency table": (
        {"pyproject.toml": POETRY},
        "pyproject.toml",
        POETRY.replace('requests = "^2"\n', 'requests = "^2"\npydantic = ">=2"\n'),
    ),
    "[project] dependencies": (
        {"pyproject.toml": '[project]\nname = "a"\ndependencies = ["x"]\n'},
        "pyproject.toml",
        '[project]\nname = "a"\ndependencies = ["pydantic>=2", "x"]\n',
    ),
    "dynamic dependencies that setup.py lists": (
        {
            "pyproject.toml": '[project]\nname = "a"\ndynamic = ["dependencies"]\n',
            "setup.py": "from setuptools import setup\nsetup(install_requires=['x'])\n",
        },
        "setup.py",
        "from setuptools import setup\nsetup(install_requires=['x', 'pydantic>=2'])\n",
    ),
}

REFUSED = {
    "setup.py computes the list": (
        {"setup.py": "from setuptools import setup\nsetup(install_requires=open('r').read())\n"},
        "setup.py computes install_requires (`open('r').read()`): add pydantic to it by hand",
    ),
    "setup.py extends the list it names": (
        {
            "setup.py": "from setuptools import setup\nR = ['x']\nR.append('y')\nsetup(install_requires=R)\n"
        },
        "setup.py computes install_requires (`R`)",
    ),
    "setup.py spreads its options": (
        {"setup.py": "from setuptools import setup\nsetup(**OPTIONS)\n"},
        "setup.py passes `**` options to `setup(...)`",
    ),
    "setup.py has no setup call": (
        {"setup.py": "import sys\n"},
        "setup.py has 0 `setup(...)` calls, not one",
    ),
    "setup.cfg reads a file": (
        {"setup.cfg": "[metadata]\nname = a\n[options]\ninstall_requires = file: req.txt\n"},
        "setup.cfg reads install_requires from a file (`file: req.txt`)",
    ),
    "dynamic dependencies no file lists": (
        {"pyproject.toml": '[project]\nname = "a"\ndynamic = ["dependencies"]\n'},
        "the project's dependencies are dynamic",
    ),
}

DECLARED = {
    "setup.py": "from setuptools import setup\nsetup(install_requires=['pydantic>=2.5'])\n",
    "setup.cfg": "[metadata]\nname = a\n[options]\ninstall_requires =\n    Pydantic\n",
    "pyproject.toml": '[tool.poetry.dependencies]\npython = "^3.12"\npydantic = "^2"\n',
}


def _plan(tmp_path: Path, files: dict[str, str]) -> DependencyPlan:
    return pydantic_dependency(write_files(tmp_path, files), {})


@pytest.mark.parametrize("case", sorted(ADDED))
def test_pydantic_is_added_where_the_project_declares_its_dependencies(
    case: str, tmp_path: Path
) -> None:
    files, edited, expected = ADDED[case]
    plan = _plan(tmp_path, files)
    assert plan.refusal is None
    assert plan.edit is not None
    assert Path(plan.edit.path) == tmp_path / edited
    assert apply_edits(files[edited], plan.edit.edits) == expected
    assert plan.declared_in


@pytest.mark.parametrize("case", sorted(REFUSED))
def test_a_computed_list_is_a_refusal_with_its_reason(case: str, tmp_path: Path) -> None:
    files, reason = REFUSED[case]
    plan = _plan(tmp_path, files)
    assert plan.edit is None
    assert plan.refusal is not None
    assert reason in plan.refusal
    assert "\n" not in plan.refusal


@pytest.mark.parametrize("name", sorted(DECLARED))
def test_a_project_that_declares_pydantic_needs_no_edit(name: str, tmp_path: Path) -> None:
    assert _plan(tmp_path, {name: DECLARED[name]}) == DependencyPlan()


@pytest.mark.parametrize(
    ("lock", "command"),
    [("uv.lock", "uv lock"), ("poetry.lock", "poetry lock"), ("pdm.lock", "pdm lock")],
)
def test_the_lock_file_the_project_keeps_is_named(lock: str, command: str, tmp_path: Path) -> None:
    plan = _plan(tmp_path, {"pyproject.toml": POETRY, lock: ""})
    assert plan.follow_up == f"run `{command}`"


def test_without_a_lock_file_there_is_nothing_to_follow(tmp_path: Path) -> None:
    assert _plan(tmp_path, {"setup.py": SETUP_PY_NO_REQUIREMENTS}).follow_up is None


def test_a_setup_cfg_of_tool_settings_only_is_no_packaging(tmp_path: Path) -> None:
    assert _plan(tmp_path, {"setup.cfg": "[flake8]\nmax-line-length = 100\n"}) == DependencyPlan()
