"""Adding `from X import name` to a module (libcst), where the project's isort settings put it.

Imports fall into sections as ruff's isort rule sorts them: `__future__`, the standard library,
third-party packages, then first-party ones (the project's own top-level packages and modules,
and relative imports). A new import joins an existing `from X import ...` of the same module,
or goes at the end of its section's block of `from` imports in module order, a new section
getting a blank line before and after. Shared by every family whose rewrite needs an import
(`from pydantic import BaseModel`, `from http import HTTPStatus`).
"""

from __future__ import annotations

import sys
from collections.abc import Container, Sequence
from enum import IntEnum

import libcst as cst

FUTURE = "__future__"
SINGLE_LETTER = 1  # `X` is a class name, `XY` a constant (ruff's order-by-type)
_EMPTY = cst.Module(body=[])


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


def with_imports(
    module: cst.Module, imports: Sequence[tuple[str, str]], first_party: Container[str] = ()
) -> cst.Module:
    """The module importing each `(source, name)`."""
    for source, name in imports:
        module = with_import(module, source, name, first_party)
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
    module: cst.Module, source: str, name: str, first_party: Container[str] = ()
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
    return module.with_changes(body=_inserted_import(body, source, name, first_party))


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


def _inserted_import(
    body: list[cst.BaseStatement], source: str, name: str, first_party: Container[str]
) -> list[cst.BaseStatement]:
    """`body` with `from source import name` placed in the leading import block, in its section:
    after that section's imports that sort before it, before first-party imports."""
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
            found = _import_from(statement)
            module = _EMPTY.code_for_node(found.module) if found and found.module else ""
            if not _is_from(statement) or module.lower() < source.lower():
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
    if leading and leading[0].comment is None:
        return statement
    if same_section:
        return statement
    if isinstance(statement, cst.ClassDef | cst.FunctionDef | cst.Decorator):
        return statement.with_changes(leading_lines=[cst.EmptyLine(), cst.EmptyLine(), *leading])
    return statement.with_changes(leading_lines=[cst.EmptyLine(), *leading])
