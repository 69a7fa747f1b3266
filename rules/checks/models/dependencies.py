"""Whether a project may import pydantic, and the edit of its packaging file that lets it.

A conversion adds `from pydantic import BaseModel`: that import must succeed wherever the
project is installed. A project that does not declare pydantic gets it added in the same fix,
where it declares its dependencies (as `uv add pydantic` or `poetry add pydantic` would):
`[project] dependencies`, `[tool.poetry.dependencies]`, `setup.cfg`'s `[options]
install_requires`, or the `install_requires=` list of `setup.py` (`setup_dependencies`). The
lock file the project keeps must then follow: the fix's title says which command updates it.
Dependencies that are computed (dynamic ones no file holds, a list `setup.py` builds) get no
conversion, with the reason. A folder with no packaging file at all (scripts) is taken as it
is: its environment is not declared.
"""

from __future__ import annotations

import re
from pathlib import Path

from pydantic import BaseModel

from rules.checks.models.setup_dependencies import (
    REQUIREMENT,
    SetupEdit,
    cfg_has_options,
    read_setup_call,
    setup_cfg_edit,
    setup_py_edit,
)
from rules.models import FileEdits, Position, Range, TextEdit
from rules.project_files import (
    normalise_name,
    parse_toml,
    requirement_name,
    string_list,
    table,
    table_headers,
)

PYDANTIC = "pydantic"
PYPROJECT = "pyproject.toml"
SETUP_PY = "setup.py"
SETUP_CFG = "setup.cfg"
DEPENDENCIES_KEY = "dependencies"
POETRY_DEPENDENCIES = "tool.poetry.dependencies"
POETRY_REQUIREMENT = 'pydantic = ">=2"\n'
# The lock files a project may keep, and the command that brings each up to date.
LOCK_COMMANDS = {"uv.lock": "uv lock", "poetry.lock": "poetry lock", "pdm.lock": "pdm lock"}
_DEPENDENCIES_LINE = re.compile(r"^\s*dependencies\s*=\s*\[")
_PROJECT_HEADER = re.compile(r"^\s*\[project\]\s*(#.*)?$")
_TABLE_HEADER = re.compile(r"^\s*\[")


class DependencyPlan(BaseModel):
    """What the project needs for the import: nothing, an edit of one file, or refusal."""

    edit: FileEdits | None = None
    refusal: str | None = None
    declared_in: str = ""
    """Where the edit adds pydantic, for the fix's title (`setup.py`'s `install_requires`)."""
    follow_up: str | None = None
    """The command that brings the project's lock file up to date after the edit."""


def _read(path: Path, texts: dict[str, str]) -> str | None:
    """A file's text: the editor's when it is open, else the disk's (None when missing)."""
    text = texts.get(str(path))
    if text is None and path.is_file():
        text = path.read_text(encoding="utf-8", errors="replace")
    return text


def _follow_up(root: Path) -> str | None:
    commands = [command for name, command in LOCK_COMMANDS.items() if (root / name).is_file()]
    return f"run `{commands[0]}`" if commands else None


def pydantic_dependency(root: Path | None, texts: dict[str, str]) -> DependencyPlan:
    """Whether the project at `root` may import pydantic, and the edit that makes it so."""
    if root is None:
        return DependencyPlan()
    plan = _plan(root, texts)
    if plan.edit is not None:
        plan.follow_up = _follow_up(root)
    return plan


def _plan(root: Path, texts: dict[str, str]) -> DependencyPlan:
    pyproject = root / PYPROJECT
    text = _read(pyproject, texts)
    data = parse_toml(text)
    project = table(data, "project") if data is not None else None
    if text is not None and project is not None:
        if DEPENDENCIES_KEY not in string_list(project.get("dynamic")):
            return _project_plan(pyproject, text, project)
        legacy = _setup_plan(root, texts)
        if legacy is not None:
            return legacy  # setuptools reads dynamic dependencies from setup.py / setup.cfg
        return DependencyPlan(refusal="the project's dependencies are dynamic: add pydantic first")
    poetry = table(data, "tool", "poetry", "dependencies") if data is not None else None
    if text is not None and poetry is not None:
        return _poetry_plan(pyproject, text, poetry)
    return _setup_plan(root, texts) or DependencyPlan()


def _project_plan(pyproject: Path, text: str, project: dict) -> DependencyPlan:
    declared = {
        normalise_name(name)
        for name in map(requirement_name, string_list(project.get(DEPENDENCIES_KEY)))
        if name
    }
    if PYDANTIC in declared:
        return DependencyPlan()
    edit = _added_dependency(text)
    if edit is None:
        return DependencyPlan(refusal="cannot add pydantic to `[project] dependencies`")
    return DependencyPlan(
        edit=FileEdits(path=str(pyproject), edits=[edit]),
        declared_in="`[project] dependencies`",
    )


def _poetry_plan(pyproject: Path, text: str, dependencies: dict) -> DependencyPlan:
    """`pydantic = ">=2"` added at the end of `[tool.poetry.dependencies]`."""
    if PYDANTIC in {normalise_name(name) for name in dependencies}:
        return DependencyPlan()
    headers = table_headers(text)
    header = next((found for found in headers if found.name == POETRY_DEPENDENCIES), None)
    if header is None:  # an inline table (`poetry = {dependencies = ...}`): no line of its own
        return DependencyPlan(refusal="cannot add pydantic to `[tool.poetry.dependencies]`")
    lines = text.splitlines(keepends=True)
    end = next((found.line for found in headers if found.line > header.line), len(lines))
    last = max(
        (index for index in range(header.line, end) if lines[index].strip()),
        default=header.line,
    )
    prefix = "" if lines[last].endswith("\n") else "\n"
    at = Position(line=last + 1, character=0) if not prefix else _end_of(lines, last)
    edit = TextEdit(range=Range(start=at, end=at), new_text=prefix + POETRY_REQUIREMENT)
    return DependencyPlan(
        edit=FileEdits(path=str(pyproject), edits=[edit]),
        declared_in="`[tool.poetry.dependencies]`",
    )


def _end_of(lines: list[str], index: int) -> Position:
    return Position(line=index, character=len(lines[index]))


def _setup_plan(root: Path, texts: dict[str, str]) -> DependencyPlan | None:
    """The plan for a setuptools project configured by `setup.py` and/or `setup.cfg` (None
    when neither holds packaging metadata). `setup.py`'s keyword wins over `setup.cfg`, as in
    setuptools; with neither naming install_requires, `[options]` gets it when present."""
    setup_py = _read(root / SETUP_PY, texts)
    setup_cfg = _read(root / SETUP_CFG, texts)
    if setup_py is not None:
        call = read_setup_call(setup_py)
        if call.refusal is not None or call.has_keyword or call.spreads:
            return _setup_file_plan(root / SETUP_PY, setup_py_edit(setup_py))
    if setup_cfg is not None and (setup_py is None or cfg_has_options(setup_cfg)):
        if setup_py is None and not _setuptools_cfg(setup_cfg):
            return None  # a setup.cfg holding only tool settings (flake8, pytest) packages nothing
        return _setup_file_plan(root / SETUP_CFG, setup_cfg_edit(setup_cfg))
    if setup_py is not None:
        return _setup_file_plan(root / SETUP_PY, setup_py_edit(setup_py))
    return None


def _setuptools_cfg(text: str) -> bool:
    return any(header.name in {"metadata", "options"} for header in table_headers(text))


def _setup_file_plan(path: Path, edit: SetupEdit) -> DependencyPlan:
    if edit.refusal is not None:
        return DependencyPlan(refusal=edit.refusal)
    if edit.declared or not edit.edits:
        return DependencyPlan()
    return DependencyPlan(
        edit=FileEdits(path=str(path), edits=edit.edits),
        declared_in=f"{path.name}'s `install_requires`",
    )


def _added_dependency(text: str) -> TextEdit | None:
    """The edit adding `"pydantic"` to `[project] dependencies` (the key added when missing)."""
    lines = text.splitlines(keepends=True)
    header = next((index for index, line in enumerate(lines) if _PROJECT_HEADER.match(line)), None)
    if header is None:
        return None
    end = next(
        (index for index in range(header + 1, len(lines)) if _TABLE_HEADER.match(lines[index])),
        len(lines),
    )
    for index in range(header + 1, end):
        line = lines[index]
        if not _DEPENDENCIES_LINE.match(line):
            continue
        bracket = line.index("[")
        rest = line[bracket + 1 :].strip()
        if rest.startswith("]"):  # `dependencies = []`
            return _insert(index, bracket + 1, f'"{REQUIREMENT}"')
        if rest and not rest.startswith("#"):  # `dependencies = ["a", ...` on one line
            return _insert(index, bracket + 1, f'"{REQUIREMENT}", ')
        indent = _element_indent(lines, index + 1)
        return _insert(index + 1, 0, f'{indent}"{REQUIREMENT}",\n')
    return _insert(header + 1, 0, f'dependencies = ["{REQUIREMENT}"]\n')


def _element_indent(lines: list[str], index: int) -> str:
    if index < len(lines):
        line = lines[index]
        stripped = line.lstrip()
        if stripped and not stripped.startswith("]"):
            return line[: len(line) - len(stripped)]
    return "    "


def _insert(line: int, character: int, new_text: str) -> TextEdit:
    start = Position(line=line, character=character)
    return TextEdit(range=Range(start=start, end=start), new_text=new_text)
