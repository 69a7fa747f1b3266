"""STD303: another type checker, linter or formatter configured (mypy, pyright, black, isort,
flake8, pylint): the stack is Ruff and ty."""

from __future__ import annotations

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
    PYPROJECT,
    TableHeader,
    first_line_range,
    parse_toml,
    table,
    table_headers,
    table_span,
)
from rules.registry import register
from rules.rule import FileContext, FileRule
from rules.source import split_lines

# The tools the stack replaces, by their `[tool.X]` name, and what replaces each.
REPLACED_TOOLS = {
    "mypy": "ty",
    "pyright": "ty",
    "black": "ruff format",
    "isort": "Ruff's `I` rules",
    "flake8": "ruff check",
    "pylint": "ruff check",
}
# Files that only configure one of those tools.
TOOL_FILES = {
    "mypy.ini": "mypy",
    ".mypy.ini": "mypy",
    "pyrightconfig.json": "pyright",
    ".flake8": "flake8",
    ".pylintrc": "pylint",
    "pylintrc": "pylint",
    ".isort.cfg": "isort",
}
# Shared INI files whose sections may configure one of those tools.
SHARED_INI_FILES = ("setup.cfg", "tox.ini")
_INI_SECTION_TOOLS = {
    "mypy": "mypy",
    "flake8": "flake8",
    "isort": "isort",
    "tool:isort": "isort",
    "pylint": "pylint",
}
STD303 = "STD303"
PROJECT_NAME_SVC_TOOL_MESSAGE = '[project]\nname = "svc"\n\n[tool.ruff]\nline-length = 100\n'
TOOL = "tool"


def _ini_tool(section: str) -> str | None:
    """The replaced tool a setup.cfg/tox.ini section configures (`[mypy-pkg.*]` is mypy's)."""
    head = section.split("-")[0] if section.startswith("mypy-") else section
    head = head.split(".")[0] if head.startswith("pylint.") else head
    return _INI_SECTION_TOOLS.get(head)


@register
class OtherToolConfigured(FileRule):
    code = STD303
    name = "other-tool-configured"
    summary = "mypy, pyright, black, isort, flake8 or pylint configured: the stack is Ruff and ty"
    severities = TierSeverities(
        production=Severity.WARNING, internal=Severity.INFORMATION, prototype=None
    )
    patterns = (PYPROJECT, *TOOL_FILES, *SHARED_INI_FILES)
    fix_title = "Remove the table"
    doc = RuleDoc(
        what=(
            "Flags `[tool.mypy]`, `[tool.pyright]`, `[tool.black]`, `[tool.isort]`, "
            "`[tool.flake8]` and `[tool.pylint]` tables in `pyproject.toml`, their sections in "
            "`setup.cfg`/`tox.ini`, and their own configuration files (`mypy.ini`, "
            "`pyrightconfig.json`, `.flake8`, `.pylintrc`, `.isort.cfg`)."
        ),
        why=(
            "The standard's stack is Ruff for linting, import sorting and formatting, and ty for "
            "type checking. A second tool's configuration means a second, disagreeing opinion in "
            "CI and in the editor. The fix removes the table (unsafe: port any setting you still "
            "need to `[tool.ruff]` first)."
        ),
        bad=[
            RuleExample(
                source=(
                    '[project]\nname = "svc"\n\n[tool.mypy]\nstrict = true\n\n'
                    "[tool.ruff]\nline-length = 100\n"
                ),
                path=PYPROJECT,
                expected_codes=[STD303],
                fixed=PROJECT_NAME_SVC_TOOL_MESSAGE,
                unsafe=True,
            ),
            RuleExample(
                source="[flake8]\nmax-line-length = 100\n",
                path=".flake8",
                expected_codes=[STD303],
            ),
        ],
        good=[
            RuleExample(
                source=PROJECT_NAME_SVC_TOOL_MESSAGE,
                path=PYPROJECT,
            ),
        ],
    )

    def check_file(self, context: FileContext) -> Iterator[Finding]:
        name = PurePosixPath((context.path or "").replace("\\", "/")).name
        if name in TOOL_FILES:
            tool = TOOL_FILES[name]
            yield self.finding(
                f"`{name}` configures {tool}: use {REPLACED_TOOLS[tool]} instead",
                first_line_range(context.text),
            )
            return
        if context.text is None:
            return
        if name == PYPROJECT:
            yield from self._pyproject_tables(context.text)
        else:
            yield from self._ini_sections(context.text, name)

    def _pyproject_tables(self, text: str) -> Iterator[Finding]:
        tools = table(parse_toml(text), TOOL) or {}
        reported: set[str] = set()
        for header in table_headers(text):
            parts = header.name.split(".")
            tool = parts[1] if parts[0] == TOOL and len(parts) > 1 else ""
            if tool not in REPLACED_TOOLS or tool in reported or tool not in tools:
                continue
            reported.add(tool)
            yield self._table_finding(
                text, header.model_copy(update={"name": f"tool.{tool}"}), tool
            )

    def _ini_sections(self, text: str, file_name: str) -> Iterator[Finding]:
        for header in table_headers(text):
            tool = _ini_tool(header.name)
            if tool is not None:
                yield self._table_finding(text, header, tool, f" in `{file_name}`")

    def _table_finding(self, text: str, header: TableHeader, tool: str, where: str = "") -> Finding:
        finding = self.finding(
            f"[{header.name}]{where} configures {tool}: use {REPLACED_TOOLS[tool]} instead",
            header.range,
            fix=_removal(text, header.name),
        )
        finding.data["table"] = header.name
        return finding


def _removal(text: str, table_name: str) -> Fix | None:
    span = table_span(text, table_name)
    if span is None:
        return None
    start, end = span
    lines = split_lines(text)
    # Take the blank lines after the table too, so no double blank line is left behind.
    while end < len(lines) and not lines[end].strip():
        end += 1
    if end >= len(lines) and start > 0:
        # Removing the last table: drop the blank lines before it instead.
        while start > 0 and not lines[start - 1].strip():
            start -= 1
    return Fix(
        title=f"Remove [{table_name}]",
        safety=Safety.UNSAFE,
        edits=[
            TextEdit(
                range=Range(
                    start=Position(line=start, character=0), end=Position(line=end, character=0)
                ),
                new_text="",
            )
        ],
    )
