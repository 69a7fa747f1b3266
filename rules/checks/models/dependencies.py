"""Whether a project may import pydantic, and the `pyproject.toml` edit that lets it.

A conversion adds `from pydantic import BaseModel`: that import must succeed wherever the
project is installed. A `[project]` that does not list pydantic in `dependencies` gets it added
in the same fix (as `uv add pydantic` would; `uv lock` must follow); a project whose
dependencies live elsewhere (`setup.py`, `setup.cfg`, dynamic ones) gets no conversion. A folder
with no packaging file at all (scripts) is taken as it is: its environment is not declared.
"""

from __future__ import annotations

import re
from pathlib import Path

from pydantic import BaseModel

from rules.models import FileEdits, Position, Range, TextEdit
from rules.project_files import normalise_name, parse_toml, requirement_name, string_list, table

PYDANTIC = "pydantic"
PYPROJECT = "pyproject.toml"
LEGACY_FILES = ("setup.py", "setup.cfg")
DEPENDENCIES_KEY = "dependencies"
_DEPENDENCIES_LINE = re.compile(r"^\s*dependencies\s*=\s*\[")
_PROJECT_HEADER = re.compile(r"^\s*\[project\]\s*(#.*)?$")
_TABLE_HEADER = re.compile(r"^\s*\[")


class DependencyPlan(BaseModel):
    """What the project needs for the import: nothing, a `pyproject.toml` edit, or refusal."""

    edit: FileEdits | None = None
    refusal: str | None = None


def _pyproject(root: Path, texts: dict[str, str]) -> tuple[str | None, dict | None]:
    """The text of the project's `pyproject.toml` and its `[project]` table."""
    pyproject = root / PYPROJECT
    text = texts.get(str(pyproject))
    if text is None and pyproject.is_file():
        text = pyproject.read_text(encoding="utf-8", errors="replace")
    data = parse_toml(text) if text is not None else None
    return text, (table(data, "project") if data is not None else None)


def pydantic_dependency(root: Path | None, texts: dict[str, str]) -> DependencyPlan:
    """Whether the project at `root` may import pydantic, and the edit that makes it so."""
    if root is None:
        return DependencyPlan()
    pyproject = root / PYPROJECT
    text, project = _pyproject(root, texts)
    if project is None:
        legacy = [name for name in LEGACY_FILES if (root / name).is_file()]
        if legacy:
            return DependencyPlan(
                refusal=f"the project declares its dependencies in {legacy[0]}, not in "
                "`[project]`: add pydantic there first"
            )
        return DependencyPlan()
    assert text is not None  # noqa: S101 - a table was parsed from it
    if DEPENDENCIES_KEY in string_list(project.get("dynamic")):
        return DependencyPlan(refusal="the project's dependencies are dynamic: add pydantic first")
    declared = {
        normalise_name(name)
        for name in map(requirement_name, string_list(project.get(DEPENDENCIES_KEY)))
        if name
    }
    if PYDANTIC in declared:
        return DependencyPlan()
    edit = _added_dependency(text)
    return (
        DependencyPlan(refusal="cannot add pydantic to `[project] dependencies`")
        if edit is None
        else DependencyPlan(edit=FileEdits(path=str(pyproject), edits=[edit]))
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
            return _insert(index, bracket + 1, '"pydantic"')
        if rest and not rest.startswith("#"):  # `dependencies = ["a", ...` on one line
            return _insert(index, bracket + 1, '"pydantic", ')
        indent = _element_indent(lines, index + 1)
        return _insert(index + 1, 0, f'{indent}"pydantic",\n')
    return _insert(header + 1, 0, 'dependencies = ["pydantic"]\n')


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
