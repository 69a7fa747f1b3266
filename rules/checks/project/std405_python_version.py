"""STD405: `requires-python` missing or admitting Python < 3.12, or `.python-version` < 3.12."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import PurePosixPath

from rules.models import (
    Finding,
    Fix,
    Position,
    Range,
    RuleDoc,
    RuleExample,
    Safety,
    Severity,
    TextEdit,
    TierSeverities,
)
from rules.project_files import (
    PROJECT_TABLE,
    PYPROJECT,
    first_header,
    header_range,
    locate_string,
    parse_toml,
    table,
)
from rules.registry import register
from rules.rule import FileContext, FileRule
from rules.source import split_lines, strip_line_break

PYTHON_VERSION_FILE = ".python-version"
MINIMUM = (3, 12)
MINIMUM_TEXT = "3.12"
REQUIRES_PYTHON = "requires-python"
REQUIRES_PYTHON_VALUE = f'">={MINIMUM_TEXT}"'
_CLAUSE = re.compile(r"^\s*(===|==|~=|!=|<=|>=|<|>)\s*([0-9][0-9.*]*)\s*$")
_VERSION_IN_FILE = re.compile(r"(?<![\d.])(\d+)\.(\d+)(?:\.\d+)?")
_LOWER_BOUNDS = frozenset({">=", ">", "==", "===", "~="})
STD405 = "STD405"


def _version(text: str) -> tuple[int, ...]:
    return tuple(int(part) for part in text.split(".") if part.isdigit())


def admits_older(specifier: str) -> bool:
    """Whether a `requires-python` specifier admits some Python older than 3.12.

    Only the lower bounds matter: the highest of them must be 3.12 or newer. A specifier
    without a lower bound (or one this reader cannot parse) admits anything.
    """
    lower: tuple[int, ...] | None = None
    for clause in specifier.split(","):
        if not clause.strip():
            continue
        match = _CLAUSE.match(clause)
        if match is None:
            return True
        operator, version = match.groups()
        if operator in _LOWER_BOUNDS:
            bound = _version(version.replace("*", ""))
            lower = bound if lower is None else max(lower, bound)
    return lower is None or lower[: len(MINIMUM)] < MINIMUM


@register
class PythonVersion(FileRule):
    code = STD405
    name = "python-version"
    summary = "requires-python missing or admits Python < 3.12; .python-version older than 3.12"
    severities = TierSeverities(
        production=Severity.ERROR, internal=Severity.ERROR, prototype=Severity.WARNING
    )
    patterns = (PYPROJECT, PYTHON_VERSION_FILE)
    fix_title = 'Set requires-python = ">=3.12"'
    doc = RuleDoc(
        what=(
            "Flags a `[project]` table without `requires-python`, a `requires-python` whose "
            "lower bound is below 3.12 (`>=3.9`, `^3.8`-style ranges, no lower bound at all), and "
            "a `.python-version` naming a Python older than 3.12."
        ),
        why=(
            "The standard's runtime is Python 3.12+. A lower `requires-python` lets uv resolve "
            "dependencies for Pythons the project never runs on (and pick older versions for "
            "them); `.python-version` decides the interpreter uv installs."
        ),
        bad=[
            RuleExample(
                source='[project]\nname = "svc"\nrequires-python = ">=3.9"\n',
                path=PYPROJECT,
                expected_codes=[STD405],
                fixed='[project]\nname = "svc"\nrequires-python = ">=3.12"\n',
            ),
            RuleExample(
                source='[project]\nname = "svc"\nversion = "0.1.0"\n',
                path=PYPROJECT,
                expected_codes=[STD405],
                fixed='[project]\nrequires-python = ">=3.12"\nname = "svc"\nversion = "0.1.0"\n',
            ),
            RuleExample(
                source="3.11\n",
                path=PYTHON_VERSION_FILE,
                expected_codes=[STD405],
                fixed="3.12\n",
            ),
        ],
        good=[
            RuleExample(
                source='[project]\nname = "svc"\nrequires-python = ">=3.12,<4"\n', path=PYPROJECT
            ),
            RuleExample(source="3.13\n", path=PYTHON_VERSION_FILE),
        ],
    )

    def check_file(self, context: FileContext) -> Iterator[Finding]:
        if context.text is None:
            return
        name = PurePosixPath((context.path or "").replace("\\", "/")).name
        if name == PYTHON_VERSION_FILE:
            yield from self._python_version_file(context.text)
        else:
            yield from self._requires_python(context.text)

    def _requires_python(self, text: str) -> Iterator[Finding]:
        project = table(parse_toml(text), PROJECT_TABLE)
        header = first_header(text, PROJECT_TABLE)
        if project is None or header is None:
            return
        value = project.get(REQUIRES_PYTHON)
        if value is None:
            if REQUIRES_PYTHON in _dynamic(project):
                return
            yield self.finding(
                f'[project] has no requires-python: the standard needs ">={MINIMUM_TEXT}"',
                header.range,
                _fix([_insertion_after(text, header.line)]),
            )
            return
        if not isinstance(value, str) or not admits_older(value):
            return
        where = locate_string(text, value, header.line) or header_range(text, PROJECT_TABLE)
        yield self.finding(
            f"requires-python = {value!r} admits Pythons older than {MINIMUM_TEXT}",
            where,
            _fix([TextEdit(range=where, new_text=REQUIRES_PYTHON_VALUE)]),
        )

    def _python_version_file(self, text: str) -> Iterator[Finding]:
        for index, line in enumerate(split_lines(text)):
            content = strip_line_break(line)
            if not content.strip() or content.lstrip().startswith("#"):
                continue
            match = _VERSION_IN_FILE.search(content)
            if match is None:
                return
            version = (int(match.group(1)), int(match.group(2)))
            if version < MINIMUM:
                where = Range(
                    start=Position(line=index, character=match.start()),
                    end=Position(line=index, character=match.end()),
                )
                yield self.finding(
                    f".python-version asks for Python {match.group()}: the standard needs "
                    f"{MINIMUM_TEXT}+",
                    where,
                    Fix(
                        title=f"Use Python {MINIMUM_TEXT}",
                        safety=Safety.SAFE,
                        edits=[TextEdit(range=where, new_text=MINIMUM_TEXT)],
                    ),
                )
            return  # uv reads the first version line only


def _dynamic(project: dict[str, object]) -> list[str]:
    dynamic = project.get("dynamic")
    return [item for item in dynamic if isinstance(item, str)] if isinstance(dynamic, list) else []


def _insertion_after(text: str, line: int) -> TextEdit:
    """The edit inserting the `requires-python` line after `line` (the [project] header)."""
    ending = "\r\n" if "\r\n" in text else "\n"
    new_line = f"{REQUIRES_PYTHON} = {REQUIRES_PYTHON_VALUE}"
    header = split_lines(text)[line]
    if header.endswith(("\n", "\r")):
        insert = Position(line=line + 1, character=0)
        return TextEdit(range=Range(start=insert, end=insert), new_text=new_line + ending)
    end = Position(line=line, character=len(header))
    return TextEdit(range=Range(start=end, end=end), new_text=ending + new_line)


def _fix(edits: list[TextEdit]) -> Fix:
    return Fix(title=f'Set requires-python = ">={MINIMUM_TEXT}"', safety=Safety.SAFE, edits=edits)
