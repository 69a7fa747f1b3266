"""The benchmark's inputs and the edits made to them, all derived deterministically.

Inputs are the running interpreter's own stdlib files, written into a scratch workspace so no
configuration of this repository applies to them (the workspace gets a production-tier
`standards.toml` and nothing else). Edits are one-character insertions at lines spread evenly
through the file:

- `valid`: a space before a comment's `#`. The file stays valid Python, the edited statement's
  text changes (so an incremental server must re-check it), nothing else does.
- `broken`: an `(` before the first token of a statement, then its removal on the next edit:
  every other version does not parse (the "half-typed call" state), the next one is clean again.
"""

from __future__ import annotations

import ast
import io
import shutil
import sysconfig
import tokenize
from enum import StrEnum
from pathlib import Path

from pydantic import BaseModel, ConfigDict

SINGLE_FILES = ("argparse", "_pydecimal", "typing")
CONCATENATED_NAME = "stdlib_concat_20k"
# Whole modules, in this order, concatenated: 20,328 lines on CPython 3.12. None of them has a
# `from __future__` import (it must be a module's first statement), so the result is valid Python.
CONCATENATED_MODULES = (
    "ast",
    "dataclasses",
    "enum",
    "pathlib",
    "subprocess",
    "tarfile",
    "zipfile/__init__",
    "collections/__init__",
    "logging/__init__",
    "difflib",
)
FUTURE_IMPORT = "from __future__"
STANDARDS_TOML = '[standards]\nruleset = "python-production"\n'
VALID_INSERT = " "
BROKEN_INSERT = "("
UTF16_UNIT_BYTES = 2
ENCODING = "utf-8"
TARGET = 0.5
# The small file of the start-up sessions: opened right after `initialized`.
STARTUP_MODULE = "bisect"
STARTUP_NAME = "startup_small"
# Packages installed into the interpreter are not its standard library.
SKIPPED_PARTS = frozenset({"site-packages", "__pycache__"})
INDEX_FILES_DIRECTORY = "stdlib"


class EditVariant(StrEnum):
    """How the edits of a run change the file."""

    VALID = "valid"
    BROKEN = "broken"


class EditSite(BaseModel):
    """Where one edit inserts (or removes) its character, in code points and in UTF-16 units."""

    model_config = ConfigDict(frozen=True)

    line: int
    character: int
    utf16_character: int
    text: str
    remove: bool = False  # this edit deletes the character the previous edit inserted


class BenchInput(BaseModel):
    """One file to open in every server."""

    model_config = ConfigDict(frozen=True)

    name: str
    path: Path
    text: str

    @property
    def uri(self) -> str:
        """The file's `file:` URI."""
        return self.path.as_uri()

    @property
    def line_count(self) -> int:
        """How many lines the file has."""
        return self.text.count("\n") + 1


def stdlib_path(module: str) -> Path:
    """The running interpreter's source file of a stdlib module (`pkg/__init__` for packages)."""
    return Path(sysconfig.get_paths()["stdlib"]) / f"{module}.py"


def concatenated_stdlib() -> str:
    """The ~20,000-line module: whole stdlib modules one after another."""
    parts: list[str] = []
    for module in CONCATENATED_MODULES:
        text = stdlib_path(module).read_text(encoding=ENCODING)
        if FUTURE_IMPORT in text:
            message = f"{module} has a __future__ import; it cannot be concatenated"
            raise ValueError(message)
        parts.append(text if text.endswith("\n") else text + "\n")
    text = "".join(parts)
    ast.parse(text)  # proves the concatenation is still valid Python
    return text


def prepare_workspace(workspace: Path, names: list[str]) -> list[BenchInput]:
    """Write the selected inputs into `workspace` and return them in the order given."""
    workspace.mkdir(parents=True, exist_ok=True)
    (workspace / "standards.toml").write_text(STANDARDS_TOML, encoding=ENCODING)
    inputs: list[BenchInput] = []
    for name in names:
        if name == CONCATENATED_NAME:
            text = concatenated_stdlib()
        else:
            text = stdlib_path(name).read_text(encoding=ENCODING)
        path = workspace / f"{name}.py"
        path.write_text(text, encoding=ENCODING)
        inputs.append(BenchInput(name=name, path=path, text=text))
    return inputs


def startup_input(workspace: Path) -> BenchInput:
    """The small stdlib file the start-up sessions open, written into `workspace`."""
    text = stdlib_path(STARTUP_MODULE).read_text(encoding=ENCODING)
    path = workspace / f"{STARTUP_NAME}.py"
    path.write_text(text, encoding=ENCODING)
    return BenchInput(name=STARTUP_NAME, path=path, text=text)


def prepare_index_workspace(workspace: Path, name: str, count: int) -> BenchInput:
    """A workspace of the input `name` and `count` standard library files for our index to work
    through while the input is edited: the stdlib in path order under `stdlib/`, then again under
    `stdlib-2/`... until `count` (it has about 1,700 files)."""
    (bench_input,) = prepare_workspace(workspace, [name])
    stdlib = Path(sysconfig.get_paths()["stdlib"])
    files = sorted(
        path for path in stdlib.rglob("*.py") if not SKIPPED_PARTS.intersection(path.parts)
    )
    for index in range(count):
        source = files[index % len(files)]
        round_number = index // len(files)
        folder = INDEX_FILES_DIRECTORY + (f"-{round_number + 1}" if round_number else "")
        target = workspace / folder / source.relative_to(stdlib)
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(source, target)
    return bench_input


def _utf16_column(line_text: str, character: int) -> int:
    return len(line_text[:character].encode("utf-16-le")) // UTF16_UNIT_BYTES


def _site(lines: list[str], line: int, character: int, text: str) -> EditSite:
    return EditSite(
        line=line,
        character=character,
        utf16_character=_utf16_column(lines[line], character),
        text=text,
    )


def _comment_starts(text: str) -> dict[int, int]:
    """0-based line -> column of the `#` of the comment on that line (real comments only)."""
    starts: dict[int, int] = {}
    for token in tokenize.generate_tokens(io.StringIO(text).readline):
        if token.type == tokenize.COMMENT:
            starts.setdefault(token.start[0] - 1, token.start[1])
    return starts


_LOGICAL_LINE_ENDS = {tokenize.NEWLINE, tokenize.INDENT, tokenize.DEDENT, tokenize.ENCODING}
_SKIPPED_TOKENS = {tokenize.NL, tokenize.COMMENT}


def _statement_starts(text: str) -> dict[int, int]:
    """0-based line -> column of the first token of a statement starting on that line."""
    starts: dict[int, int] = {}
    previous = tokenize.ENCODING
    for token in tokenize.generate_tokens(io.StringIO(text).readline):
        if token.type in _SKIPPED_TOKENS:
            continue
        if previous in _LOGICAL_LINE_ENDS and token.type == tokenize.NAME:
            starts.setdefault(token.start[0] - 1, token.start[1])
        previous = token.type
    return starts


def _spread(candidates: dict[int, int], line_count: int, count: int) -> list[int]:
    """`count` distinct candidate lines, each the nearest unused one to an evenly spaced target."""
    available = sorted(candidates)
    chosen: list[int] = []
    for index in range(count):
        if not available:
            break
        target = (index + TARGET) * line_count / count
        nearest = min(available, key=lambda line: abs(line - target))
        available.remove(nearest)
        chosen.append(nearest)
    return chosen


def edit_sites(bench_input: BenchInput, variant: EditVariant, count: int) -> list[EditSite]:
    """The `count` one-character edits of a variant, in the order they are made."""
    text = bench_input.text
    lines = text.splitlines(keepends=True)
    if variant is EditVariant.VALID:
        starts = _comment_starts(text)
        return [
            _site(lines, line, starts[line], VALID_INSERT)
            for line in _spread(starts, len(lines), count)
        ]
    starts = _statement_starts(text)
    sites: list[EditSite] = []
    for line in _spread(starts, len(lines), (count + 1) // 2):
        opened = _site(lines, line, starts[line], BROKEN_INSERT)
        sites.extend([opened, opened.model_copy(update={"remove": True})])
    return sites[:count]
