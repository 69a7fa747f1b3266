"""STD406: the stack's dev tools (ruff, ty, pytest) missing from the `dev` dependency group."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

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
    TomlTable,
    file_directory,
    first_header,
    parse_toml,
    read_text_file,
    requirement_name,
    string_list,
    table,
    table_span,
    workspace_root,
)
from rules.registry import register
from rules.rule import FileContext, FileRule, FixRequest
from rules.source import split_lines, strip_line_break

DEV_TOOLS = ("pytest", "ruff", "ty")
GROUPS_TABLE = "dependency-groups"
DEV_GROUP = "dev"
MISSING_KEY = "missing"
_DEV_KEY = re.compile(r"^\s*[\"']?dev[\"']?\s*=\s*\[")
LOCK_ADVICE = "then run `uv lock`"
STD406 = "STD406"


def _group_names(groups: TomlTable, name: str, seen: frozenset[str] = frozenset()) -> set[str]:
    """The requirement names of a dependency group, `{include-group = ...}` followed."""
    names: set[str] = set()
    items = groups.get(name)
    if not isinstance(items, list) or name in seen:
        return names
    for item in items:
        if isinstance(item, str):
            found = requirement_name(item)
            if found:
                names.add(found)
        elif isinstance(item, dict) and isinstance(item.get("include-group"), str):
            names |= _group_names(groups, str(item["include-group"]), seen | {name})
    return names


def dev_tools_of(data: TomlTable | None) -> set[str]:
    """The dev tools a pyproject's `dev` group (or uv's legacy dev-dependencies) declares."""
    names = _group_names(table(data, GROUPS_TABLE) or {}, DEV_GROUP)
    legacy = string_list((table(data, "tool", "uv") or {}).get("dev-dependencies"))
    names |= {name for name in map(requirement_name, legacy) if name}
    return names


@register
class MissingDevTools(FileRule):
    code = STD406
    name = "missing-dev-tools"
    summary = "ruff, ty or pytest missing from the dev dependency group"
    severities = TierSeverities(
        production=Severity.WARNING, internal=Severity.WARNING, prototype=Severity.INFORMATION
    )
    patterns = (PYPROJECT,)
    fix_title = "Add them to [dependency-groups] dev (then run `uv lock`)"
    doc = RuleDoc(
        what=(
            "Flags a project whose `dev` dependency group (`[dependency-groups]`, or uv's legacy "
            "`[tool.uv] dev-dependencies`) lacks `ruff`, `ty` or `pytest`. A uv workspace member "
            "is satisfied by the workspace root's `dev` group."
        ),
        why=(
            "Ruff, ty and pytest are the standard's linter, type checker and test runner. "
            "Pinning them in the dev group gives every developer and CI the same versions "
            "through `uv sync`. The fix adds the missing names to the group; run `uv lock` "
            "afterwards to pin them."
        ),
        bad=[
            RuleExample(
                source=(
                    '[project]\nname = "svc"\n\n[dependency-groups]\ndev = [\n    "pytest>=8",\n]\n'
                ),
                path=f"service/{PYPROJECT}",
                expected_codes=[STD406],
                fixed=(
                    '[project]\nname = "svc"\n\n[dependency-groups]\ndev = [\n    "ruff",\n'
                    '    "ty",\n    "pytest>=8",\n]\n'
                ),
                unsafe=True,
            ),
            RuleExample(
                source='[project]\nname = "svc"\n',
                path=f"service/{PYPROJECT}",
                expected_codes=[STD406],
                fixed=(
                    '[project]\nname = "svc"\n\n[dependency-groups]\n'
                    'dev = ["pytest", "ruff", "ty"]\n'
                ),
                unsafe=True,
            ),
        ],
        good=[
            RuleExample(
                source=(
                    '[project]\nname = "svc"\n\n[dependency-groups]\n'
                    'dev = ["pytest>=8", "ruff>=0.6", "ty"]\n'
                ),
                path=f"service/{PYPROJECT}",
            ),
        ],
    )

    def check_file(self, context: FileContext) -> Iterator[Finding]:
        data = parse_toml(context.text)
        if context.text is None or table(data, PROJECT_TABLE) is None:
            return
        present = dev_tools_of(data) | _workspace_dev_tools(context.path)
        missing = [tool for tool in DEV_TOOLS if tool not in present]
        if not missing:
            return
        names = ", ".join(missing)
        finding = self.finding(
            f"the dev dependency group lacks {names}: add them ({LOCK_ADVICE})",
            _where(context.text),
            Fix(
                title=f"Add {names} to the dev group ({LOCK_ADVICE})",
                safety=Safety.UNSAFE,
                description="Changes the project's dependencies: run `uv lock` afterwards.",
            ),
        )
        finding.data[MISSING_KEY] = ",".join(missing)
        yield finding

    def build_fix(self, request: FixRequest) -> Fix | None:
        missing = str(request.finding.data.get(MISSING_KEY, "")).split(",")
        missing = [tool for tool in missing if tool]
        if not missing or request.finding.fix is None:
            return None
        return request.finding.fix.model_copy(update={"edits": [_addition(request.text, missing)]})


def _workspace_dev_tools(path: str | None) -> set[str]:
    directory = file_directory(path)
    workspace = workspace_root(directory) if directory is not None else None
    if workspace is None or Path(workspace.root) == directory:
        return set()
    return dev_tools_of(parse_toml(read_text_file(Path(workspace.pyproject))))


def _dev_line(text: str) -> int | None:
    span = table_span(text, GROUPS_TABLE)
    if span is None:
        return None
    lines = split_lines(text)
    for index in range(span[0] + 1, span[1]):
        if _DEV_KEY.match(lines[index]):
            return index
    return None


def _where(text: str) -> Range:
    line = _dev_line(text)
    if line is not None:
        content = strip_line_break(split_lines(text)[line])
        start = len(content) - len(content.lstrip())
        key = content[start:].split("=")[0].rstrip()
        return Range(
            start=Position(line=line, character=start),
            end=Position(line=line, character=start + len(key)),
        )
    header = first_header(text, GROUPS_TABLE) or first_header(text, PROJECT_TABLE)
    if header is not None:
        return header.range
    return Range(start=Position(line=0, character=0), end=Position(line=0, character=0))


def _addition(text: str, missing: list[str]) -> TextEdit:
    """The edit that adds `missing` to the dev group, creating the group or table if needed."""
    lines = split_lines(text)
    ending = "\r\n" if "\r\n" in text else "\n"
    quoted = [f'"{tool}"' for tool in missing]
    line = _dev_line(text)
    if line is not None:
        content = strip_line_break(lines[line])
        bracket = content.index("[", content.index("=")) + 1
        at = Position(line=line, character=bracket)
        rest = content[bracket:].split("#")[0].strip()
        if not rest:  # a multi-line array: one item per line, as the file already does
            new_text = "".join(f"{ending}    {item}," for item in quoted)
        elif rest.startswith("]"):
            new_text = ", ".join(quoted)
        else:
            new_text = "".join(f"{item}, " for item in quoted)
        return TextEdit(range=Range(start=at, end=at), new_text=new_text)
    new_line = f"dev = [{', '.join(quoted)}]"
    header = first_header(text, GROUPS_TABLE)
    if header is not None:
        at = Position(line=header.line, character=len(strip_line_break(lines[header.line])))
        return TextEdit(range=Range(start=at, end=at), new_text=ending + new_line)
    terminated = text.endswith(("\n", "\r"))
    # Past the last line when the text ends with a line break (the end of the text, clamped).
    end = Position(line=len(lines), character=0)
    if not terminated:
        end = Position(line=len(lines) - 1, character=len(lines[-1]))
    separator = "" if terminated or not text else ending
    if text.strip():
        separator += ending
    return TextEdit(
        range=Range(start=end, end=end),
        new_text=f"{separator}[{GROUPS_TABLE}]{ending}{new_line}{ending}",
    )
