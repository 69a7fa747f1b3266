"""Adding `from X import name` to a module (libcst), where the project's isort settings put it.

Imports fall into sections as ruff's isort rule sorts them: `__future__`, the standard library,
third-party packages, then first-party ones (the project's own top-level packages and modules,
and relative imports). A new import joins an existing `from X import ...` of the same module,
or goes at the end of its section's block of `from` imports in module order, a new section
getting a blank line before and after. The project's ruff settings (`[tool.ruff.lint.isort]` in
`pyproject.toml`, `[lint.isort]` in `ruff.toml`) are read: `known-first-party` names join the
first-party section, and `force-sort-within-sections` sorts `import x` and `from x import y`
together by module. Shared by every family whose rewrite needs an import
(`from pydantic import BaseModel`, `from http import HTTPStatus`).
"""

from __future__ import annotations

import sys
from collections.abc import Callable, Container, Sequence
from enum import IntEnum
from pathlib import Path

import libcst as cst
from pydantic import BaseModel, ConfigDict

from rules.project_files import parse_toml, string_list, table

FUTURE = "__future__"
SINGLE_LETTER = 1  # `X` is a class name, `XY` a constant (ruff's order-by-type)
_EMPTY = cst.Module(body=[])
PYPROJECT = "pyproject.toml"
RUFF_FILES = ("ruff.toml", ".ruff.toml")  # ruff prefers these to pyproject.toml
KNOWN_FIRST_PARTY = "known-first-party"
FORCE_SORT_WITHIN_SECTIONS = "force-sort-within-sections"
# Where the isort settings sit: in ruff.toml, then (older) without `lint`; the same in pyproject.
RUFF_FILE_TABLES = (("lint", "isort"), ("isort",))
PYPROJECT_TABLES = tuple(("tool", "ruff", *keys) for keys in RUFF_FILE_TABLES)


class ImportStyle(BaseModel):
    """How the project's isort settings (ruff's) place imports."""

    model_config = ConfigDict(frozen=True)

    first_party: frozenset[str] = frozenset()
    force_sort_within_sections: bool = False


def import_style(
    root: Path | None, read: Callable[[str], str | None], own: frozenset[str] = frozenset()
) -> ImportStyle:
    """The import style of the project at `root` (`read` gives a file's text by absolute path,
    open documents first); `own` are the project's own top-level names."""
    if root is None:
        return ImportStyle(first_party=own)
    data, places = None, PYPROJECT_TABLES
    for name in RUFF_FILES:
        data = parse_toml(read(str(root / name)))
        if data is not None:
            places = RUFF_FILE_TABLES
            break
    else:
        data = parse_toml(read(str(root / PYPROJECT)))
    settings = next((found for keys in places if (found := table(data, *keys)) is not None), None)
    if settings is None:
        return ImportStyle(first_party=own)
    return ImportStyle(
        first_party=own | frozenset(string_list(settings.get(KNOWN_FIRST_PARTY))),
        force_sort_within_sections=settings.get(FORCE_SORT_WITHIN_SECTIONS) is True,
    )


class NameKind(IntEnum):
    """The groups of imported names, in ruff's order."""

    CONSTANT = 0
    CLASS = 1
    OTHER = 2


class Section(IntEnum):
    """The isort sections, in file order."""

    FUTURE = 0
    STDLIB = 1
    THIRD_PARTY = 2
    FIRST_PARTY = 3


def section_of(module: str, relative: bool, first_party: Container[str]) -> Section:
    """The section of an import of `module` (a relative import is first-party)."""
    top = module.split(".")[0]
    if relative or top in first_party:
        return Section.FIRST_PARTY
    if top == FUTURE:
        return Section.FUTURE
    if top in sys.stdlib_module_names:
        return Section.STDLIB
    return Section.THIRD_PARTY


DEFAULT_STYLE = ImportStyle()


def with_imports(
    module: cst.Module, imports: Sequence[tuple[str, str]], style: ImportStyle = DEFAULT_STYLE
) -> cst.Module:
    """The module importing each `(source, name)`."""
    for source, name in imports:
        module = with_import(module, source, name, style)
    return module


def _import_from(statement: cst.BaseStatement) -> cst.ImportFrom | None:
    if isinstance(statement, cst.SimpleStatementLine) and len(statement.body) == 1:
        only = statement.body[0]
        if isinstance(only, cst.ImportFrom):
            return only
    return None


def name_order(name: str) -> tuple[int, str]:
    """ruff's order of imported names (`order-by-type`): CONSTANTS, Classes, then the rest."""
    if name.isupper() and len(name) > SINGLE_LETTER:
        return NameKind.CONSTANT, name.lower()
    if name[:1].isupper():
        return NameKind.CLASS, name.lower()
    return NameKind.OTHER, name.lower()


def with_name(found: cst.ImportFrom, name: str) -> cst.ImportFrom:
    """`from X import a, c` with `name` added in ruff's order (`from X import a, b, c`)."""
    assert not isinstance(found.names, cst.ImportStar)  # noqa: S101 - callers check
    names = list(found.names)
    index = next(
        (
            position
            for position, alias in enumerate(names)
            if name_order(name) < name_order(_EMPTY.code_for_node(alias.name))
        ),
        len(names),
    )
    if index == len(names):
        last = names[-1]
        trailing = last.comma
        names[-1] = last.with_changes(comma=cst.Comma(whitespace_after=cst.SimpleWhitespace(" ")))
        if isinstance(trailing, cst.Comma) and found.lpar is not None:
            names[-1] = last.with_changes(
                comma=cst.Comma(whitespace_after=trailing.whitespace_after)
            )
        names.append(cst.ImportAlias(name=cst.Name(name), comma=trailing))
    else:
        following = names[index]
        comma = following.comma if isinstance(following.comma, cst.Comma) else None
        if comma is None or found.lpar is None:
            comma = cst.Comma(whitespace_after=cst.SimpleWhitespace(" "))
        names.insert(index, cst.ImportAlias(name=cst.Name(name), comma=comma))
    return found.with_changes(names=names)


def with_import(
    module: cst.Module, source: str, name: str, style: ImportStyle = DEFAULT_STYLE
) -> cst.Module:
    """The module importing `name` from `source`: already there, added to an existing
    `from source import ...`, or as a new statement in the import block."""
    body: list[cst.BaseStatement] = list(module.body)
    for index, statement in enumerate(body):
        found = _import_from(statement)
        if found is None or found.relative or found.module is None:
            continue
        if _EMPTY.code_for_node(found.module) != source:
            continue
        if isinstance(found.names, cst.ImportStar):
            return module
        if any(_EMPTY.code_for_node(alias.name) == name for alias in found.names):
            return module
        assert isinstance(statement, cst.SimpleStatementLine)  # noqa: S101 - _import_from
        body[index] = statement.with_changes(body=[with_name(found, name)])
        return module.with_changes(body=body)
    return module.with_changes(body=_inserted_import(body, (source, name), style))


def _is_import(statement: cst.BaseStatement) -> bool:
    return isinstance(statement, cst.SimpleStatementLine) and all(
        isinstance(small, cst.Import | cst.ImportFrom) for small in statement.body
    )


def _is_docstring(statement: cst.BaseStatement) -> bool:
    return (
        isinstance(statement, cst.SimpleStatementLine)
        and len(statement.body) == 1
        and isinstance(statement.body[0], cst.Expr)
        and isinstance(statement.body[0].value, cst.SimpleString | cst.ConcatenatedString)
    )


def _statement_section(statement: cst.BaseStatement, first_party: Container[str]) -> Section:
    assert isinstance(statement, cst.SimpleStatementLine)  # noqa: S101 - an import line
    small = statement.body[0]
    if isinstance(small, cst.ImportFrom):
        source = _EMPTY.code_for_node(small.module) if small.module is not None else ""
        return section_of(source, bool(small.relative), first_party)
    assert isinstance(small, cst.Import)  # noqa: S101 - _is_import
    return section_of(_EMPTY.code_for_node(small.names[0].name), False, first_party)


def _is_from(statement: cst.BaseStatement) -> bool:
    return _import_from(statement) is not None


def _module_of(statement: cst.BaseStatement) -> str:
    """The module a `from m import ...` or `import m` statement names ('' for other ones)."""
    found = _import_from(statement)
    if found is not None:
        return _EMPTY.code_for_node(found.module) if found.module else ""
    small = statement.body[0] if isinstance(statement, cst.SimpleStatementLine) else None
    if isinstance(small, cst.Import):
        return _EMPTY.code_for_node(small.names[0].name)
    return ""


def _inserted_import(
    body: list[cst.BaseStatement], imported: tuple[str, str], style: ImportStyle
) -> list[cst.BaseStatement]:
    """`body` with `from source import name` placed in the leading import block, in its section:
    after that section's imports that sort before it, before first-party imports (with
    `force-sort-within-sections`, `import m` statements sort among the `from` ones by module)."""
    source, name = imported
    first_party = style.first_party
    start = 1 if body and _is_docstring(body[0]) else 0
    end = start
    while end < len(body) and _is_import(body[end]):
        end += 1
    wanted = section_of(source, False, first_party)
    index = start
    for position in range(start, end):
        statement = body[position]
        section = _statement_section(statement, first_party)
        if section < wanted:
            index = position + 1
        elif section == wanted:
            module = _module_of(statement)
            plain = not _is_from(statement) and not style.force_sort_within_sections
            if plain or module.lower() < source.lower():
                index = position + 1
    previous = body[index - 1] if index > 0 else None
    previous_section = (
        _statement_section(previous, first_party)
        if previous is not None and _is_import(previous)
        else None
    )
    statement = cst.parse_statement(f"from {source} import {name}\n")
    separate = previous is not None and previous_section != wanted
    statement = statement.with_changes(leading_lines=[cst.EmptyLine()] if separate else [])
    following = body[index] if index < len(body) else None
    if following is None:
        return [*body, statement]
    following_section = (
        _statement_section(following, first_party) if _is_import(following) else None
    )
    return [
        *body[:index],
        statement,
        _separated(following, following_section == wanted),
        *body[index + 1 :],
    ]


def _separated(statement: cst.BaseStatement, same_section: bool) -> cst.BaseStatement:
    """The statement after a new import, with a blank line between them unless it is an import
    of the same section."""
    leading = list(getattr(statement, "leading_lines", []))
    if same_section:
        # it started the section: the new import starts it now, with the blank line before
        kept = list(leading)
        while kept and kept[0].comment is None:
            kept.pop(0)
        return statement.with_changes(leading_lines=kept) if kept != leading else statement
    if leading and leading[0].comment is None:
        return statement
    if isinstance(statement, cst.ClassDef | cst.FunctionDef | cst.Decorator):
        return statement.with_changes(leading_lines=[cst.EmptyLine(), cst.EmptyLine(), *leading])
    return statement.with_changes(leading_lines=[cst.EmptyLine(), *leading])
