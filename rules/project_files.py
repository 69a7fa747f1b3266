"""Shared by the project-shape rules: reading `pyproject.toml`, finding things in TOML text, and
looking at the files around a project without tripping over what a real disk holds (symlink
loops, binary or unreadable files, huge files).

Everything here is pure over its inputs except the `read_*`/`*_exists` helpers, which touch the
file system and never raise.
"""

from __future__ import annotations

import fnmatch
import os
import re
import tomllib
from functools import lru_cache
from pathlib import Path, PurePosixPath

from pydantic import BaseModel, ConfigDict

from rules.models import Position, Range
from rules.source import split_lines, strip_line_break

PYPROJECT = "pyproject.toml"
UV_LOCK = "uv.lock"
STANDARDS_TOML = "standards.toml"
PROJECT_TABLE = "project"
# A configuration file larger than this is not a configuration file anyone edits by hand: it
# is skipped rather than read into memory.
MAX_READ_BYTES = 2_000_000
# How far up from a project the search for its uv workspace root goes (symlinked or very deep
# trees must not make it wander).
MAX_PARENT_LEVELS = 32
# How many bytes of a file are sniffed to decide whether it is text.
SNIFF_BYTES = 8192
_TABLE_HEADER = re.compile(r"^\s*\[(\[)?\s*([^\]]+?)\s*\]\]?\s*(?:#.*)?$")
_REQUIREMENT_NAME = re.compile(r"^\s*([A-Za-z0-9](?:[A-Za-z0-9._-]*[A-Za-z0-9])?)")
_NAME_SEPARATORS = re.compile(r"[-_.]+")
# A UTF-8 character is at most four bytes: a decode error in the window's last three is a
# character the window cut, not binary data.
MAX_CUT_CHARACTER_BYTES = 3
TOOL = "tool"
WORKSPACE = "workspace"
DEPENDENCY_GROUPS = "dependency-groups"

type TomlTable = dict[str, object]


class TableHeader(BaseModel):
    """A `[table]` or `[[array]]` header line of a TOML text."""

    model_config = ConfigDict(frozen=True)

    name: str
    line: int
    start: int
    end: int

    @property
    def range(self) -> Range:
        return Range(
            start=Position(line=self.line, character=self.start),
            end=Position(line=self.line, character=self.end),
        )


@lru_cache(maxsize=32)
def _parsed(text: str) -> TomlTable | None:
    try:
        return tomllib.loads(text)
    except tomllib.TOMLDecodeError:
        return None


def parse_toml(text: str | None) -> TomlTable | None:
    """The TOML document, or None when it is not valid TOML (STD503/STD502 report that)."""
    if text is None:
        return None
    return _parsed(text)


def table(data: object, *keys: str) -> TomlTable | None:
    """The sub-table at `keys`, or None when any step is missing or not a table."""
    current = data
    for key in keys:
        if not isinstance(current, dict):
            return None
        current = current.get(key)
    return current if isinstance(current, dict) else None


def string_list(value: object) -> list[str]:
    """The strings of a TOML array (other items, e.g. include-group tables, left out)."""
    if not isinstance(value, list):
        return []
    return [item for item in value if isinstance(item, str)]


def normalise_name(name: str) -> str:
    """A distribution name in PEP 503 normal form."""
    return _NAME_SEPARATORS.sub("-", name).lower()


def requirement_name(requirement: str) -> str | None:
    """The normalised distribution name of a PEP 508 requirement string."""
    match = _REQUIREMENT_NAME.match(requirement)
    return normalise_name(match.group(1)) if match else None


def table_headers(text: str) -> list[TableHeader]:
    """Every table header of a TOML (or INI) text, names normalised (`[ a . "b" ]` -> `a.b`)."""
    headers = []
    for index, line in enumerate(split_lines(text)):
        match = _TABLE_HEADER.match(strip_line_break(line))
        if match is None:
            continue
        name = ".".join(part.strip().strip('"').strip("'") for part in match.group(2).split("."))
        start = line.index("[")
        end = len(strip_line_break(line).split("#")[0].rstrip())
        headers.append(TableHeader(name=name, line=index, start=start, end=end))
    return headers


def first_header(text: str, name: str) -> TableHeader | None:
    """The first header of table `name` or of one of its sub-tables."""
    for header in table_headers(text):
        if header.name == name or header.name.startswith(f"{name}."):
            return header
    return None


def header_range(text: str, name: str) -> Range:
    """Where to report something about table `name`: its header, else the file's first line."""
    header = first_header(text, name)
    return header.range if header is not None else first_line_range(text)


def first_line_range(text: str | None) -> Range:
    """The first line of a file (an empty range for an empty or binary file)."""
    first = strip_line_break(split_lines(text or "")[0])
    return Range(start=Position(line=0, character=0), end=Position(line=0, character=len(first)))


def table_span(text: str, name: str) -> tuple[int, int] | None:
    """The lines [start, end) of table `name` and its sub-tables, from its first header to the
    next header of another table (blank lines and comments just before that header stay)."""
    headers = table_headers(text)
    lines = split_lines(text)
    start: int | None = None
    for header in headers:
        inside = header.name == name or header.name.startswith(f"{name}.")
        if inside and start is None:
            start = header.line
        elif not inside and start is not None:
            return start, _trim_back(lines, start, header.line)
    return None if start is None else (start, len(lines))


def _trim_back(lines: list[str], start: int, end: int) -> int:
    """Move `end` up over blank and comment lines that introduce the next table."""
    while end - 1 > start and strip_line_break(lines[end - 1]).strip().startswith("#"):
        end -= 1
    return end


def locate_string(text: str, value: str, after_line: int = 0) -> Range | None:
    """The range of the quoted TOML string `value` (quotes included), searching from a line."""
    lines = split_lines(text)
    for quote in ('"', "'"):
        needle = f"{quote}{value}{quote}"
        for index in range(after_line, len(lines)):
            column = lines[index].find(needle)
            if column >= 0:
                return Range(
                    start=Position(line=index, character=column),
                    end=Position(line=index, character=column + len(needle)),
                )
    return None


def is_text(data: bytes) -> bool:
    """Whether bytes look like text (no NUL byte in the first block, valid UTF-8)."""
    head = data[:SNIFF_BYTES]
    if b"\0" in head:
        return False
    try:
        head.decode("utf-8")
    except UnicodeDecodeError as error:
        # A multi-byte character cut by the sniff window is still text.
        return error.start >= len(head) - MAX_CUT_CHARACTER_BYTES
    return True


def read_text_file(path: Path) -> str | None:
    """The text of a regular file, or None if it is missing, unreadable, binary or huge."""
    try:
        if not path.is_file() or path.stat().st_size > MAX_READ_BYTES:
            return None
        data = path.read_bytes()
    except (OSError, RuntimeError):  # RuntimeError: a symlink loop on older Pythons
        return None
    if not is_text(data):
        return None
    return data.decode("utf-8", errors="replace")


def file_exists(path: Path) -> bool:
    """Whether a file exists at `path` (a dangling link or a loop counts as absent)."""
    try:
        return path.is_file()
    except (OSError, RuntimeError):
        return False


def directory_exists(path: Path) -> bool:
    """Whether a directory exists at `path` (one that cannot be looked at counts as absent)."""
    try:
        return path.is_dir()
    except (OSError, RuntimeError):
        return False


def directory_entries(directory: Path) -> list[str]:
    """The names of the regular files directly in `directory` (nothing on error)."""
    try:
        with os.scandir(directory) as entries:
            return sorted(entry.name for entry in entries if _is_file_entry(entry))
    except OSError:
        return []


def _is_file_entry(entry: os.DirEntry[str]) -> bool:
    try:
        return entry.is_file()
    except OSError:
        return False


def file_directory(path: str | None) -> Path | None:
    """The absolute directory of the file at `path` (None for an unsaved buffer)."""
    if path is None:
        return None
    return Path(os.path.abspath(path)).parent


class Workspace(BaseModel):
    """The uv workspace a project belongs to: its root directory and the root's pyproject."""

    model_config = ConfigDict(frozen=True)

    root: str
    pyproject: str


def workspace_root(project_directory: Path) -> Workspace | None:
    """The uv workspace whose `members` include `project_directory`, looking upward.

    A project that is itself a workspace root is its own workspace.
    """
    for level, folder in enumerate((project_directory, *project_directory.parents)):
        if level > MAX_PARENT_LEVELS:
            return None
        text = read_text_file(folder / PYPROJECT)
        workspace = table(parse_toml(text), TOOL, "uv", WORKSPACE)
        if workspace is None:
            continue
        relative = PurePosixPath(project_directory.relative_to(folder).as_posix())
        if folder == project_directory or _is_member(relative, workspace):
            return Workspace(root=str(folder), pyproject=str(folder / PYPROJECT))
    return None


def _is_member(relative: PurePosixPath, workspace: TomlTable) -> bool:
    def matches(pattern: str) -> bool:
        pattern = pattern.rstrip("/")
        return fnmatch.fnmatch(relative.as_posix(), pattern) or relative.as_posix() == pattern

    members = string_list(workspace.get("members"))
    excluded = string_list(workspace.get("exclude"))
    return any(map(matches, members)) and not any(map(matches, excluded))


def project_root(pyproject_path: str | None) -> Path | None:
    """The root of the project a `pyproject.toml` belongs to: its uv workspace root if it is a
    member of one, else its own directory."""
    directory = file_directory(pyproject_path)
    if directory is None:
        return None
    workspace = workspace_root(directory)
    return Path(workspace.root) if workspace is not None else directory


def is_project(data: TomlTable | None) -> bool:
    """Whether a parsed pyproject declares a project (or a uv workspace) at all."""
    return table(data, PROJECT_TABLE) is not None or (
        table(data, TOOL, "uv", WORKSPACE) is not None
    )


class Dependency(BaseModel):
    """A requirement string of a pyproject, the table it is declared in and its name."""

    model_config = ConfigDict(frozen=True)

    requirement: str
    name: str
    table: str
    # Poetry declares a dependency as a key of its table (`fastapi = "^0.110"`), not a string
    is_key: bool = False


POETRY = "poetry"
# Poetry's dependency tables: `[tool.poetry.dependencies]`, the legacy dev table, and groups.
_POETRY_TABLES = ("dependencies", "dev-dependencies")


def _poetry_dependencies(data: TomlTable | None) -> list[Dependency]:
    poetry = table(data, TOOL, POETRY) or {}
    tables = [(f"{TOOL}.{POETRY}.{name}", poetry.get(name)) for name in _POETRY_TABLES]
    groups = table(poetry, "group") or {}
    tables.extend(
        (
            f"{TOOL}.{POETRY}.group.{group}.dependencies",
            (table(groups, group) or {}).get("dependencies"),
        )
        for group in groups
    )
    found = []
    for table_name, value in tables:
        if isinstance(value, dict):
            found.extend(
                Dependency(requirement=key, name=normalise_name(key), table=table_name, is_key=True)
                for key in value
                if isinstance(key, str) and key != "python"
            )
    return found


def declared_dependencies(data: TomlTable | None) -> list[Dependency]:
    """Every requirement a pyproject declares: runtime, optional, dependency groups and uv's
    legacy dev-dependencies."""
    sources: list[tuple[str, object]] = []
    project = table(data, PROJECT_TABLE) or {}
    sources.append((PROJECT_TABLE, project.get("dependencies")))
    optional = table(project, "optional-dependencies") or {}
    sources.extend((f"{PROJECT_TABLE}.optional-dependencies", value) for value in optional.values())
    groups = table(data, DEPENDENCY_GROUPS) or {}
    sources.extend((DEPENDENCY_GROUPS, value) for value in groups.values())
    sources.append(("tool.uv", (table(data, TOOL, "uv") or {}).get("dev-dependencies")))
    found = []
    for table_name, value in sources:
        for requirement in string_list(value):
            name = requirement_name(requirement)
            if name is not None:
                found.append(Dependency(requirement=requirement, name=name, table=table_name))
    found.extend(_poetry_dependencies(data))
    return found


def dependency_range(text: str, dependency: Dependency) -> Range:
    """Where a dependency is written: its string, else the header of its table."""
    header = first_header(text, dependency.table)
    after = header.line if header is not None else 0
    if dependency.is_key:
        return _locate_key(text, dependency.requirement, after) or header_range(
            text, dependency.table
        )
    located = locate_string(text, dependency.requirement, after) or locate_string(
        text, dependency.requirement
    )
    return located or header_range(text, dependency.table)


def _locate_key(text: str, key: str, after_line: int) -> Range | None:
    """The range of the key `key` (bare or quoted) at the start of a line, from a line on."""
    pattern = re.compile(rf"^\s*([\"']?){re.escape(key)}\1\s*=")
    lines = split_lines(text)
    for index in range(after_line, len(lines)):
        match = pattern.match(lines[index])
        if match is not None:
            start = len(lines[index]) - len(lines[index].lstrip())
            end = start + len(key) + 2 * len(match.group(1))
            return Range(
                start=Position(line=index, character=start),
                end=Position(line=index, character=end),
            )
    return None
