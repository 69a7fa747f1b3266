"""Editing help for `standards.toml`, as pure functions of its text: completion, hover on a
ruleset or tier, and the conversion between the file's two forms (`rulesets.md`).

The server turns these into LSP completion items, hovers and a code action; nothing here knows
about LSP.
"""

from __future__ import annotations

import re
import tomllib
from enum import StrEnum

from pydantic import BaseModel, ConfigDict

from rules.config import SIMPLE_FORM_SECTION
from rules.conform_schema import CONFORM_SCHEMA, Field, Kind
from rules.models import Position, Range, Tier
from rules.project_files import TableHeader, table_headers
from rules.source import split_lines, strip_line_break
from rules.tiers import BASE_RULESET_TIERS, RULESET_TIERS, TIERS, TierValues

# The organisation whose standards registry the `[extends]` form names (`python.md`).
DEFAULT_REGISTRY = "github:progression-labs/standards"
METADATA = "metadata"
EXTENDS = "extends"
RULESET_KEY = "ruleset"
TIER_KEY = "tier"
RULESETS_KEY = "rulesets"
_SIMPLE_FORM = Field(kind=Kind.TABLE, keys={RULESET_KEY: Field(kind=Kind.STRING)})
_HEADER_PREFIX = re.compile(r"^\s*\[\[?\s*([\w.\-\"']*)$")
_KEY_VALUE = re.compile(r"^\s*([\w\-\"']+)\s*=\s*(.*)$")
_KEY_PREFIX = re.compile(r"^\s*([\w\-]*)$")
# The cursor is where a value (or an array item) starts: nothing after `=` but an opening
# bracket, finished items, and the word being typed.
_VALUE_START = re.compile(r"^\[?\s*(?:(?:\"[^\"]*\"|'[^']*')\s*,\s*)*[\"']?[\w\-.]*$")
_STRING = re.compile(r"\"([^\"\\]*)\"|'([^']*)'")
BOOLEAN_VALUES = ("true", "false")


class CompletionKind(StrEnum):
    """What a completion item completes."""

    SECTION = "section"
    KEY = "key"
    VALUE = "value"


class Completion(BaseModel):
    """One completion offered in `standards.toml`."""

    model_config = ConfigDict(frozen=True)

    label: str
    kind: CompletionKind
    detail: str = ""
    documentation: str = ""
    insert_text: str | None = None


class HoverText(BaseModel):
    """Markdown to show for the word under the cursor, and that word's range."""

    model_config = ConfigDict(frozen=True)

    markdown: str
    range: Range


# --- what the schema offers --------------------------------------------------------------


def _sections(field: Field, prefix: str = "") -> list[tuple[str, Field]]:
    """Every table path of the schema (`code.linting.ruff.lint`, ...), depth first."""
    found: list[tuple[str, Field]] = []
    for key, child in (field.keys or {}).items():
        if child.kind in {Kind.TABLE, Kind.TABLES}:
            path = f"{prefix}{key}"
            found.append((path, child))
            found.extend(_sections(child, f"{path}."))
    return found


SECTIONS: dict[str, Field] = {SIMPLE_FORM_SECTION: _SIMPLE_FORM, **dict(_sections(CONFORM_SCHEMA))}


def _current_table(text: str, line: int) -> str | None:
    """The table the line belongs to (None above the first header: the top level)."""
    current = None
    for header in table_headers(text):
        if header.line > line:
            break
        current = header.name
    return current


def _present_keys(text: str, table: str | None, line: int) -> set[str]:
    """Keys already written in the table the cursor is in (not offered again)."""
    headers = {header.line: header.name for header in table_headers(text)}
    keys = set()
    current = None
    for index, content in enumerate(split_lines(text)):
        if index in headers:
            current = headers[index]
            continue
        match = _KEY_VALUE.match(strip_line_break(content))
        if match and current == table and index != line:
            keys.add(match.group(1).strip("\"'"))
    return keys


# Values with a meaning of their own (rulesets and tiers), by (table, key).
_SPECIAL_VALUES: dict[tuple[str | None, str], list[tuple[str, str]]] = {
    (SIMPLE_FORM_SECTION, RULESET_KEY): [
        (name, f"tier: {tier.value}") for name, tier in RULESET_TIERS.items()
    ],
    (EXTENDS, RULESETS_KEY): [
        (name, f"tier: {tier.value}") for name, tier in (RULESET_TIERS | BASE_RULESET_TIERS).items()
    ],
    (METADATA, TIER_KEY): [(tier.value, TIERS[tier].ruleset) for tier in Tier],
}


def _value_choices(table: str | None, key: str) -> list[tuple[str, str]]:
    """(value, detail) pairs for a key's value."""
    special = _SPECIAL_VALUES.get((table, key))
    if special is not None:
        return special
    field = (SECTIONS.get(table or "") or CONFORM_SCHEMA).keys or {}
    child = field.get(key)
    if child is None:
        return []
    if child.choices:
        return [(choice, "") for choice in child.choices]
    return [(value, "") for value in BOOLEAN_VALUES] if child.kind is Kind.BOOLEAN else []


def completions(text: str, position: Position) -> list[Completion]:
    """What may be typed at `position`: section names in a header, keys at a line's start,
    tiers and ruleset names (and other enumerated values) after `=`."""
    lines = split_lines(text)
    line = strip_line_break(lines[position.line]) if position.line < len(lines) else ""
    before = line[: position.character]
    if _HEADER_PREFIX.match(before):
        return [
            Completion(
                label=name,
                kind=CompletionKind.SECTION,
                detail="array of tables" if field.kind is Kind.TABLES else "table",
            )
            for name, field in SECTIONS.items()
        ]
    table = _current_table(text, position.line)
    assignment = _KEY_VALUE.match(before)
    if assignment is not None:
        if not _VALUE_START.match(assignment.group(2)):
            return []
        return _value_completions(table, assignment.group(1).strip("\"'"), assignment.group(2))
    if _KEY_PREFIX.match(before):
        return _key_completions(text, table, position.line)
    return []


def _value_completions(table: str | None, key: str, typed: str) -> list[Completion]:
    quoted = typed.count('"') % 2 == 1 or typed.count("'") % 2 == 1  # inside a string already
    items = []
    for value, detail in _value_choices(table, key):
        is_string = value not in BOOLEAN_VALUES
        insert = value if quoted or not is_string else f'"{value}"'
        documentation = ruleset_markdown(value) or ""
        items.append(
            Completion(
                label=value,
                kind=CompletionKind.VALUE,
                detail=detail,
                documentation=documentation,
                insert_text=insert,
            )
        )
    return items


def _key_completions(text: str, table: str | None, line: int) -> list[Completion]:
    field = SECTIONS.get(table) if table is not None else CONFORM_SCHEMA
    if field is None or field.keys is None:
        return []
    present = _present_keys(text, table, line)
    return [
        Completion(
            label=key,
            kind=CompletionKind.KEY,
            detail=child.kind.value,
            insert_text=f"{key} = ",
        )
        for key, child in field.keys.items()
        if key not in present and child.kind not in {Kind.TABLE, Kind.TABLES}
    ]


# --- hover ---------------------------------------------------------------------------------


def _on_off(value: bool) -> str:
    return "on" if value else "off"


def _limit(value: int | None) -> str:
    return "\N{EN DASH}" if value is None else str(value)


def tier_markdown(values: TierValues, title: str) -> str:
    """A tier's published values as a Markdown table (`rulesets.md`)."""
    rows = [
        ("ruff `lint.select`", ", ".join(values.ruff_select)),
        ("ruff `lint.ignore`", ", ".join(values.ruff_ignore)),
        ("mccabe max-complexity", _limit(values.max_complexity)),
        (
            "max-args / branches / returns / statements",
            " / ".join(
                _limit(value)
                for value in (
                    values.max_args,
                    values.max_branches,
                    values.max_returns,
                    values.max_statements,
                )
            ),
        ),
        ("ty type checking", _on_off(values.type_checking)),
        ("vulture (unused code)", _on_off(values.unused_code)),
        (
            "pip-audit, secrets scan",
            f"{_on_off(values.dependency_audit)}, {_on_off(values.secrets_scan)}",
        ),
        ("snake_case `.py` names", _on_off(values.snake_case_names)),
        ("forbidden lockfiles", ", ".join(values.forbidden_lockfiles)),
        (
            "blocked imports",
            ", ".join(values.blocked_imports)
            + (f" ({values.blocked_import_advice})" if values.blocked_imports else "")
            or "\N{EN DASH}",
        ),
        ("testing section", "enabled" if values.testing else "\N{EN DASH}"),
    ]
    table = "\n".join(f"| {name} | {value} |" for name, value in rows)
    return f"**{title}**\n\n| setting | value |\n|---|---|\n{table}\n"


def ruleset_markdown(name: str) -> str | None:
    """The hover text of a ruleset or tier name (None for any other word)."""
    tier = RULESET_TIERS.get(name) or BASE_RULESET_TIERS.get(name)
    if tier is None:
        try:
            tier = Tier(name)
        except ValueError:
            return None
    values = TIERS[tier]
    kind = "ruleset" if name in RULESET_TIERS or name in BASE_RULESET_TIERS else "tier"
    return tier_markdown(values, f"{name} ({kind}, tier {tier.value})")


def hover(text: str, position: Position) -> HoverText | None:
    """The tier values of the ruleset or tier name under the cursor."""
    lines = split_lines(text)
    if position.line >= len(lines):
        return None
    line = strip_line_break(lines[position.line])
    for match in _STRING.finditer(line):
        if not match.start() <= position.character <= match.end():
            continue
        word = match.group(1) if match.group(1) is not None else match.group(2)
        markdown = ruleset_markdown(word)
        if markdown is None:
            return None
        return HoverText(
            markdown=markdown,
            range=Range(
                start=Position(line=position.line, character=match.start()),
                end=Position(line=position.line, character=match.end()),
            ),
        )
    return None


# --- conversion between the two forms ------------------------------------------------------


class Form(StrEnum):
    """The two forms of `standards.toml`."""

    SIMPLE = "simple"  # [standards] ruleset = "python-..."
    REGISTRY = "registry"  # [metadata] tier + [extends] registry/rulesets (conform's)


class Conversion(BaseModel):
    """A conversion the file allows: its title and the whole new text."""

    model_config = ConfigDict(frozen=True)

    title: str
    target: Form
    text: str


def _tier_of(data: dict[str, object]) -> tuple[Form, Tier] | None:
    standards = data.get(SIMPLE_FORM_SECTION)
    if isinstance(standards, dict):
        tier = RULESET_TIERS.get(str(standards.get(RULESET_KEY)))
        return (Form.SIMPLE, tier) if tier is not None else None
    metadata = data.get(METADATA)
    if isinstance(metadata, dict) and isinstance(metadata.get(TIER_KEY), str):
        try:
            return Form.REGISTRY, Tier(str(metadata[TIER_KEY]))
        except ValueError:
            return None
    extends = data.get(EXTENDS)
    rulesets = extends.get(RULESETS_KEY) if isinstance(extends, dict) else None
    if isinstance(rulesets, list):
        tiers = {RULESET_TIERS[name] for name in rulesets if name in RULESET_TIERS}
        if len(tiers) == 1:
            return Form.REGISTRY, tiers.pop()
    return None


def _without_tables(text: str, names: tuple[str, ...]) -> str:
    """`text` without the given tables (sub-tables of other names kept)."""
    lines = split_lines(text)
    drop: set[int] = set()
    headers: list[TableHeader] = table_headers(text)
    for name in names:
        for index, header in enumerate(headers):
            if header.name != name:
                continue
            end = headers[index + 1].line if index + 1 < len(headers) else len(lines)
            drop.update(range(header.line, end))
    kept = [line for index, line in enumerate(lines) if index not in drop]
    return "".join(kept).strip("\n")


def registry_form(tier: Tier, registry: str = DEFAULT_REGISTRY) -> str:
    """The `[metadata]`/`[extends]` form for a tier."""
    ruleset = TIERS[tier].ruleset
    return (
        f'[{METADATA}]\n{TIER_KEY} = "{tier.value}"\n\n'
        f'[{EXTENDS}]\nregistry = "{registry}"\n'
        f'{RULESETS_KEY} = ["base-{tier.value}", "{ruleset}"]\n'
    )


def simple_form(tier: Tier) -> str:
    """The `[standards]` form for a tier."""
    return f'[{SIMPLE_FORM_SECTION}]\n{RULESET_KEY} = "{TIERS[tier].ruleset}"\n'


def conversion(text: str) -> Conversion | None:
    """The other form of this file (other tables kept), or None when the file does not parse
    or does not say its tier unambiguously."""
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError:
        return None
    found = _tier_of(data)
    if found is None:
        return None
    form, tier = found
    if form is Form.SIMPLE:
        head = registry_form(tier)
        rest = _without_tables(text, (SIMPLE_FORM_SECTION,))
        title = "Convert to the [metadata]/[extends] form (conform's)"
        target = Form.REGISTRY
    else:
        head = simple_form(tier)
        rest = _without_tables(text, (METADATA, EXTENDS))
        title = "Convert to the [standards] ruleset form"
        target = Form.SIMPLE
    new_text = head if not rest else f"{head}\n{rest}\n"
    return Conversion(title=title, target=target, text=new_text)
