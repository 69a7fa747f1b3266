"""STD407: `[tool.ruff.lint]` disagrees with the tier's ruff selection, ignores and thresholds.

The organisation's CI passes the tier's `--select` / `--ignore` on ruff's command line, which
overrides the project's own; an editor's ruff reads `pyproject.toml`. Writing the tier's values
there makes the editor show what CI reports."""

from __future__ import annotations

import json
import math
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
    file_exists,
    first_header,
    parse_toml,
    table,
    table_headers,
    workspace_root,
)
from rules.registry import register
from rules.rule import FileContext, FileRule
from rules.source import split_lines, strip_line_break
from rules.tiers import PRODUCTION, TIERS, TierValues

STD407 = "STD407"
MCCABE_KEY = "mccabe"
PYLINT_KEY = "pylint"
LINT_KEY = "lint"
MAX_COMPLEXITY = "max-complexity"
RUFF = "tool.ruff"
RUFF_PATH = ("tool", "ruff")
LINT = "tool.ruff.lint"
MCCABE = "tool.ruff.lint.mccabe"
PYLINT = "tool.ruff.lint.pylint"
RUFF_FILES = ("ruff.toml", ".ruff.toml")
# ruff's own defaults, which apply when the project sets nothing.
RUFF_DEFAULT_SELECT = ("E4", "E7", "E9", "F")
RUFF_DEFAULT_COMPLEXITY = 10
PYLINT_DEFAULTS = {"max-args": 5, "max-branches": 12, "max-returns": 6, "max-statements": 50}
SELECTION_KEYS = ("select", "ignore", "extend-select", "extend-ignore")
_KEY = re.compile(
    r"""^\s*((?:[A-Za-z0-9_-]+|"[^"]*"|'[^']*')(?:\s*\.\s*(?:[A-Za-z0-9_-]+|"[^"]*"|'[^']*'))*)\s*="""
)
FIX_TITLE = "Write the tier's ruff settings into pyproject.toml"
PROJECT_HEAD = '[project]\nname = "svc"\n\n'
WEAK = PROJECT_HEAD + '[tool.ruff.lint]\nselect = ["E", "F"]\n'


def _thresholds(values: TierValues) -> dict[str, int]:
    found = {
        "max-args": values.max_args,
        "max-branches": values.max_branches,
        "max-returns": values.max_returns,
        "max-statements": values.max_statements,
    }
    return {key: value for key, value in found.items() if value is not None}


def _strings(value: object) -> list[str] | None:
    if value is None:
        return None
    return [item for item in value if isinstance(item, str)] if isinstance(value, list) else []


def _setting(ruff: TomlTable, lint: TomlTable, key: str) -> object:
    return lint.get(key, ruff.get(key))


def disagreements(data: TomlTable | None, values: TierValues) -> list[str]:
    """How the project's ruff settings differ from the tier's (empty: they agree)."""
    ruff = table(data, *RUFF_PATH) or {}
    lint = table(ruff, LINT_KEY) or {}
    found = []
    select = _strings(_setting(ruff, lint, "select"))
    select = list(RUFF_DEFAULT_SELECT) if select is None else select
    select += _strings(_setting(ruff, lint, "extend-select")) or []
    if set(select) != set(values.ruff_select):
        found.append(f"select {sorted(set(select))} is not the tier's {list(values.ruff_select)}")
    ignore = (_strings(_setting(ruff, lint, "ignore")) or []) + (
        _strings(_setting(ruff, lint, "extend-ignore")) or []
    )
    if set(ignore) != set(values.ruff_ignore):
        found.append(f"ignore {sorted(set(ignore))} is not the tier's {list(values.ruff_ignore)}")
    if values.max_complexity is not None:
        mccabe = table(lint, MCCABE_KEY) or table(ruff, MCCABE_KEY) or {}
        complexity = mccabe.get(MAX_COMPLEXITY, RUFF_DEFAULT_COMPLEXITY)
        if complexity != values.max_complexity:
            found.append(f"max-complexity {complexity} is not the tier's {values.max_complexity}")
    pylint = table(lint, PYLINT_KEY) or table(ruff, PYLINT_KEY) or {}
    for key, wanted in _thresholds(values).items():
        actual = pylint.get(key, PYLINT_DEFAULTS[key])
        if actual != wanted:
            found.append(f"pylint {key} {actual} is not the tier's {wanted}")
    return found


def tier_tables(values: TierValues) -> list[tuple[str, list[str]]]:
    """The ruff tables (name, key lines) that hold a tier's values."""
    tables = [
        (LINT, [f"select = {_array(values.ruff_select)}", f"ignore = {_array(values.ruff_ignore)}"])
    ]
    if values.max_complexity is not None:
        tables.append((MCCABE, [f"max-complexity = {values.max_complexity}"]))
    thresholds = _thresholds(values)
    if thresholds:
        tables.append((PYLINT, [f"{key} = {value}" for key, value in thresholds.items()]))
    return tables


def _tier_text(values: TierValues) -> str:
    """The tables of `tier_tables` as TOML text (a blank line between tables)."""
    return "\n".join(
        f"[{name}]\n" + "".join(f"{key}\n" for key in keys) for name, keys in tier_tables(values)
    )


def _array(items: tuple[str, ...]) -> str:
    return "[" + ", ".join(f'"{item}"' for item in items) + "]"


def _key_name(line: str) -> str | None:
    match = _KEY.match(strip_line_break(line))
    if match is None:
        return None
    return ".".join(part.strip().strip("\"'") for part in match.group(1).split("."))


def _value_end(lines: list[str], start: int, end: int) -> int:
    """The line after a key's value (a multi-line array runs until its brackets balance)."""
    depth = 0
    for index in range(start, end):
        content = strip_line_break(lines[index]).split("#")[0]
        if index == start:
            content = content.split("=", 1)[1]
        depth += content.count("[") - content.count("]")
        if depth <= 0:
            return index + 1
    return end


class _Rewrite:
    """The pyproject's lines with the tier's ruff settings written in."""

    def __init__(self, text: str, values: TierValues) -> None:
        self.text = text
        self.values = values
        self.ending = "\r\n" if "\r\n" in text else "\n"
        self.lines = split_lines(text)
        if self.lines and not self.lines[-1].endswith(("\n", "\r")):
            self.lines[-1] += self.ending
        self.lines = [line for line in self.lines if line]
        self.removed: set[int] = set()
        self.inserted: dict[int, list[str]] = {}

    def spans(self) -> dict[str, tuple[int, int]]:
        """Each table's own lines [header, next header)."""
        headers = table_headers("".join(self.lines))
        spans = {}
        for position, header in enumerate(headers):
            end = headers[position + 1].line if position + 1 < len(headers) else len(self.lines)
            spans.setdefault(header.name, (header.line, end))
        return spans

    def remove_keys(self, span: tuple[int, int], keys: set[str]) -> None:
        index = span[0] + 1
        while index < span[1]:
            name = _key_name(self.lines[index])
            if name is not None and name in keys:
                end = _value_end(self.lines, index, span[1])
                self.removed.update(range(index, end))
                index = end
            else:
                index += 1

    def insert(self, at: int, new_lines: list[str]) -> None:
        self.inserted.setdefault(at, []).extend(line + self.ending for line in new_lines)

    def result(self) -> str:
        out: list[str] = []
        for index in range(len(self.lines) + 1):
            out.extend(self.inserted.get(index, []))
            if index < len(self.lines) and index not in self.removed:
                out.append(self.lines[index])
        return "".join(out)

    def build(self) -> str:
        spans = self.spans()
        self._remove_settings(spans)
        anchor = self._anchor(spans)
        for name, keys in tier_tables(self.values):
            if name in spans:
                self.insert(spans[name][0] + 1, keys)
                anchor = self._end(spans[name])
            else:
                self.insert(anchor, [*self._separator(anchor), f"[{name}]", *keys])
        return self.result()

    def _remove_settings(self, spans: dict[str, tuple[int, int]]) -> None:
        keys = (*SELECTION_KEYS, "mccabe.max-complexity", *(f"pylint.{k}" for k in PYLINT_DEFAULTS))
        removals = {
            RUFF: {f"{prefix}{key}" for prefix in ("", "lint.") for key in keys},
            LINT: set(keys),
            "tool.ruff.mccabe": {MAX_COMPLEXITY},
            MCCABE: {MAX_COMPLEXITY},
            "tool.ruff.pylint": set(PYLINT_DEFAULTS),
            PYLINT: set(PYLINT_DEFAULTS),
        }
        for name, names in removals.items():
            if name in spans:
                self.remove_keys(spans[name], names)

    def _end(self, span: tuple[int, int]) -> int:
        end = span[1]
        while end - 1 > span[0] and not strip_line_break(self.lines[end - 1]).strip():
            end -= 1
        return end

    def _separator(self, at: int) -> list[str]:
        if at == 0 or not strip_line_break(self.lines[at - 1]).strip():
            return []
        return [""]

    def _anchor(self, spans: dict[str, tuple[int, int]]) -> int:
        for name in (LINT, RUFF):
            if name in spans:
                return self._end(spans[name])
        return len(self.lines)


def _line_edit(old: str, new: str) -> TextEdit:
    """One edit replacing the lines where `old` and `new` differ."""
    old_lines, new_lines = split_lines(old), split_lines(new)
    prefix = 0
    while (
        prefix < min(len(old_lines), len(new_lines))
        and old_lines[prefix] == new_lines[prefix]
        and old_lines[prefix].endswith(("\n", "\r"))
    ):
        prefix += 1
    suffix = 0
    while (
        suffix < min(len(old_lines), len(new_lines)) - prefix
        and old_lines[-1 - suffix] == new_lines[-1 - suffix]
    ):
        suffix += 1
    old_end = len(old_lines) - suffix
    replacement = "".join(new_lines[prefix : len(new_lines) - suffix])
    if old_end < len(old_lines) or old_lines[-1].endswith(("\n", "\r")):
        end = Position(line=old_end, character=0)  # past the last line: the end of the text
    else:
        end = Position(line=len(old_lines) - 1, character=len(old_lines[-1]))
    return TextEdit(
        range=Range(start=Position(line=prefix, character=0), end=end), new_text=replacement
    )


_BARE_KEY = re.compile(r"^[A-Za-z0-9_-]+$")


def _toml_key(key: str) -> str:
    return key if _BARE_KEY.match(key) else json.dumps(key, ensure_ascii=False)


def _scalar_value(value: object) -> str | None:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int | float):
        return repr(value) if math.isfinite(value) else None
    if isinstance(value, str):
        return json.dumps(value, ensure_ascii=False)  # JSON's escapes are TOML's basic string's
    return None  # dates and times: not written


def _toml_value(value: object) -> str | None:
    """A parsed TOML value written back as TOML (None: a kind this writer does not write)."""
    if isinstance(value, list):
        items = [_toml_value(item) for item in value]
        return None if None in items else "[" + ", ".join(str(item) for item in items) + "]"
    if not isinstance(value, dict):
        return _scalar_value(value)
    entries = [(_toml_key(str(key)), _toml_value(item)) for key, item in value.items()]
    if any(item is None for _key, item in entries):
        return None
    return "{ " + ", ".join(f"{key} = {item}" for key, item in entries) + " }" if entries else "{}"


# The tables the fix writes keys into or removes them from.
FIX_TABLES = (RUFF, LINT, MCCABE, PYLINT, "tool.ruff.mccabe", "tool.ruff.pylint")


def _holds_fix_table(name: str) -> bool:
    """Whether table `name` is one the fix edits or holds one (`tool`, `tool.ruff`)."""
    return any(target == name or target.startswith(f"{name}.") for target in FIX_TABLES)


def _table_lines(path: list[str], data: TomlTable) -> list[str] | None:
    """An inline table's contents as a standard table, the tables the fix edits among its
    values as sub-tables and the others kept inline (None: a value not written)."""
    lines: list[str] = []
    tables: list[str] = []
    for key, value in data.items():
        if isinstance(value, dict) and _holds_fix_table(".".join([*path, key])):
            inner = _table_lines([*path, key], value)
            if inner is None:
                return None
            tables.extend(["", *inner] if tables or lines else inner)
            continue
        written = _toml_value(value)
        if written is None:
            return None
        lines.append(f"{_toml_key(key)} = {written}")
    if lines or not tables:
        header = "[" + ".".join(_toml_key(part) for part in path) + "]"
        return [header, *lines, *([""] if tables else []), *tables]
    return tables


def expand_inline_tables(text: str) -> str | None:
    """`text` with the inline tables that hold ruff settings (`lint = { select = [...] }` in
    `[tool.ruff]`, `ruff = {...}` in `[tool]`, `mccabe = {...}` in `[tool.ruff.lint]`) written
    as standard tables after their table, so that the tier's keys can be written into them;
    None when one cannot be rewritten."""
    data = parse_toml(text)
    if data is None:
        return None
    rewrite = _Rewrite(text, PRODUCTION)
    for name, span in rewrite.spans().items():
        index = span[0] + 1
        while index < span[1]:
            key = _key_name(rewrite.lines[index])
            full = f"{name}.{key}" if key is not None else ""
            value = table(data, *full.split(".")) if key is not None else None
            value_text = strip_line_break(rewrite.lines[index]).split("=", 1)[-1].strip()
            if value is None or not _holds_fix_table(full) or not value_text.startswith("{"):
                index += 1
                continue
            end = _value_end(rewrite.lines, index, span[1])
            lines = _table_lines(full.split("."), value)
            if lines is None:
                return None
            rewrite.removed.update(range(index, end))
            at = rewrite._end(span)
            rewrite.insert(at, [*rewrite._separator(at), *lines])
            index = end
    return rewrite.result() if rewrite.removed else text


def _without_tier_settings(data: TomlTable | None) -> object:
    """The document without the settings the fix writes (and the tables they leave empty)."""
    if data is None:
        return None
    copy = json.loads(json.dumps(data, default=str))
    ruff = table(copy, *RUFF_PATH)
    for holder in (ruff, table(ruff, LINT_KEY)):
        if holder is None:
            continue
        for key in SELECTION_KEYS:
            holder.pop(key, None)
        mccabe = table(holder, MCCABE_KEY)
        if mccabe is not None:
            mccabe.pop(MAX_COMPLEXITY, None)
        pylint = table(holder, PYLINT_KEY)
        if pylint is not None:
            for key in PYLINT_DEFAULTS:
                pylint.pop(key, None)
    return _pruned(copy)


def _pruned(value: object) -> object:
    if not isinstance(value, dict):
        return value
    kept = {key: _pruned(item) for key, item in value.items()}
    return {key: item for key, item in kept.items() if item != {}}


def fixed_text(text: str, values: TierValues) -> str | None:
    """The pyproject with the tier's ruff settings, or None when the rewrite cannot be trusted:
    it must agree with the tier and keep every other value of the document as it was."""
    expanded = expand_inline_tables(text)
    if expanded is None:
        return None
    new = _Rewrite(expanded, values).build()
    data = parse_toml(new)
    if disagreements(data, values) != []:
        return None
    if _without_tier_settings(data) != _without_tier_settings(parse_toml(text)):
        return None
    return new


@register
class RuffSettingsMatchTier(FileRule):
    code = STD407
    name = "ruff-settings-match-tier"
    summary = "[tool.ruff.lint] differs from the tier's ruff settings, which CI passes to ruff"
    severities = TierSeverities(
        production=Severity.WARNING, internal=Severity.WARNING, prototype=Severity.INFORMATION
    )
    patterns = (PYPROJECT,)
    fix_title = FIX_TITLE
    doc = RuleDoc(
        what=(
            "Flags a project's `pyproject.toml` whose ruff settings (`[tool.ruff.lint]` `select`, "
            "`ignore`, `extend-select`, `extend-ignore`, the mccabe `max-complexity` and the "
            "pylint `max-args` / `max-branches` / `max-returns` / `max-statements`; ruff's "
            "defaults where nothing is set) differ from the tier's. The safe fix writes the "
            "tier's values and keeps everything else, `per-file-ignores` included (an inline "
            "table holding ruff's settings, `lint = { ... }`, is written out as a table first; "
            "the fix is withheld when the result would change any other value)."
        ),
        why=(
            "CI runs ruff with the tier's `--select` / `--ignore` on the command line, which "
            "override the project's own settings, while the editor's ruff extension reads "
            "`pyproject.toml`. When the two disagree the editor shows other findings than CI. "
            "With the tier's values in `pyproject.toml` the ruff extension shows exactly what "
            "CI will report (CI honours `per-file-ignores`). A project with its own `ruff.toml` "
            "is not checked: ruff reads that file instead."
        ),
        bad=[
            RuleExample(
                source=WEAK,
                path=f"service/{PYPROJECT}",
                expected_codes=[STD407],
                fixed=PROJECT_HEAD + _tier_text(PRODUCTION),
            ),
            RuleExample(
                source='[project]\nname = "svc"\n',
                path=f"service/{PYPROJECT}",
                expected_codes=[STD407],
                fixed=PROJECT_HEAD + _tier_text(PRODUCTION),
            ),
        ],
        good=[
            RuleExample(
                source=PROJECT_HEAD
                + _tier_text(PRODUCTION)
                + '\n[tool.ruff.lint.per-file-ignores]\n"tests/**" = ["S101"]\n',
                path=f"service/{PYPROJECT}",
            ),
        ],
    )

    def check_file(self, context: FileContext) -> Iterator[Finding]:
        data = parse_toml(context.text)
        if context.text is None or table(data, PROJECT_TABLE) is None:
            return
        directory = file_directory(context.path)
        if directory is not None and any(file_exists(directory / name) for name in RUFF_FILES):
            return
        if directory is not None and table(data, *RUFF_PATH) is None:
            workspace = workspace_root(directory)
            if workspace is not None and Path(workspace.root) != directory:
                return  # ruff reads the workspace root's settings: that file is checked
        values = TIERS[context.settings.tier]
        found = disagreements(data, values)
        if not found:
            return
        new = fixed_text(context.text, values)
        fix = None
        if new is not None:
            fix = Fix(title=FIX_TITLE, safety=Safety.SAFE, edits=[_line_edit(context.text, new)])
        header = first_header(context.text, LINT) or first_header(context.text, RUFF)
        header = header or first_header(context.text, PROJECT_TABLE)
        where = (
            header.range
            if header is not None
            else Range(start=Position(line=0, character=0), end=Position(line=0, character=0))
        )
        yield self.finding(
            f"ruff here is not configured as CI runs it ({values.ruleset}): "
            + "; ".join(found)
            + ". Write the tier's settings so the editor shows what CI reports",
            where,
            fix,
        )


__all__ = ["RuffSettingsMatchTier", "disagreements", "fixed_text"]
