"""Units and their parsing: the slices of a module that are analysed on their own, and the
parse with syntax-error recovery that each goes through.

A unit that does not parse is broken: its syntax error is reported and the broken lines (or the
block a broken line opens) are set aside, replaced by `pass`, so the rest of the unit is still
analysed. `rules.splitter` decides where units begin and end.
"""

from __future__ import annotations

import ast
import re
import warnings
from collections.abc import Callable
from enum import StrEnum

from pydantic import BaseModel, ConfigDict

from rules.source import line_count, split_lines

_INDENT = re.compile(r"[ \t]*")
# How many lines recovery may set aside, one attempt each, before it gives up on a unit.
MAX_RECOVERY_ATTEMPTS = 12
# Parsing indented class members needs an enclosing block; this header is one line long.
MEMBER_WRAPPER = "if True:\n"
MEMBER_WRAPPER_LINES = 1


class UnitKind(StrEnum):
    """Where a unit sits in its module."""

    STATEMENT = "statement"  # a top-level statement
    CLASS_HEADER = "class-header"  # the decorators and `class X(...):` line of a split class
    MEMBER = "member"  # one statement of a split class's body


class ParseError(BaseModel):
    """A syntax error as CPython reports it, in unit coordinates (0-based line and column)."""

    model_config = ConfigDict(frozen=True)

    message: str
    line: int
    character: int
    end_line: int
    end_character: int


class ParseOutcome(BaseModel):
    """The result of parsing one unit: its tree (None if beyond repair) and what was set aside."""

    model_config = ConfigDict(arbitrary_types_allowed=True, frozen=True)

    tree: ast.Module | None
    error: ParseError | None = None
    set_aside: frozenset[int] = frozenset()
    lost: bool = False  # beyond repair: nothing of the unit can be analysed
    bounded: bool = False  # the error cannot run past the unit's end (nothing to merge)

    def without_tree(self) -> ParseOutcome:
        """The same outcome with the tree dropped, for keeping in a cache cheaply."""
        if self.error is None and not (self.set_aside or self.lost or self.bounded):
            return CLEAN  # the usual outcome, shared (outcomes are frozen)
        # every field is known valid: skip pydantic's copy machinery (one call per parsed unit)
        return built(
            ParseOutcome,
            tree=None,
            error=self.error,
            set_aside=self.set_aside,
            lost=self.lost,
            bounded=self.bounded,
        )

    @property
    def clean(self) -> bool:
        """Parsed without any repair."""
        return self.error is None


def built[Model: BaseModel](
    model_class: type[Model], /, private: dict[str, object] | None = None, **values: object
) -> Model:
    """A model of values known valid, every field given (and every private attribute, in
    `private`): what `model_construct` builds, at a fraction of its cost (a check builds units,
    outcomes, contexts and results by the thousand)."""
    model = _new_object(model_class)
    _set_attribute(model, "__dict__", values)
    _set_fields_set(model, set(values))
    _set_extra(model, None)
    _set_private(model, private)
    return model


# `built`'s steps, looked up once: BaseModel's slots set through their descriptors, not by
# name (2.1 instead of 3.5 us a model; a first check of typing.py builds ~2,200).
_new_object = object.__new__
_set_attribute = object.__setattr__
_set_fields_set = BaseModel.__dict__["__pydantic_fields_set__"].__set__
_set_extra = BaseModel.__dict__["__pydantic_extra__"].__set__
_set_private = BaseModel.__dict__["__pydantic_private__"].__set__


# A clean outcome without its tree: what the caches keep of most parses.
CLEAN = built(ParseOutcome, tree=None, error=None, set_aside=frozenset(), lost=False, bounded=False)
_NO_ERROR = ParseError(message="", line=0, character=0, end_line=0, end_character=0)


class Unit(BaseModel):
    """A slice of a module's lines that is analysed on its own."""

    model_config = ConfigDict(arbitrary_types_allowed=True, frozen=True)

    kind: UnitKind
    start_line: int
    text: str
    outcome: ParseOutcome
    class_header: str = ""  # for members: the text of their class's header unit

    @property
    def line_count(self) -> int:
        """How many lines the unit covers."""
        return max(1, line_count(self.text))

    @property
    def lines(self) -> list[str]:
        """The unit's lines, with their terminators."""
        return split_text_lines(self.text)


ParseFunction = Callable[[str, UnitKind], ParseOutcome]


def split_text_lines(text: str) -> list[str]:
    """The lines of `text` with terminators (`rules.source.split_lines`)."""
    return split_lines(text)


def parse_unit(text: str, kind: UnitKind) -> ParseOutcome:
    """Parse a unit's text, setting aside broken lines if it does not parse as it is."""
    prefix, suffix = wrapping(text, kind)
    tree, error = try_parse(prefix + text + suffix, kind)
    if tree is not None:
        return _outcome(tree)
    return _recover(text, kind, error)


def try_parse(text: str, kind: UnitKind) -> tuple[ast.Module | None, ParseError]:
    """The tree of `text`, or its error; the exception itself is never kept (its traceback
    and the frames holding it would form a cycle only the garbage collector frees)."""
    try:
        return _parse_quietly(text), _NO_ERROR
    except (SyntaxError, ValueError, RecursionError, MemoryError) as exc:
        return None, _error_of(exc, kind, text.count("\n") + 1)


def _parse_quietly(text: str) -> ast.Module:
    """`ast.parse` without the SyntaxWarnings of odd escapes (they are not ours to report).

    The filter is given to `catch_warnings` itself: a `simplefilter` call inside searched and
    rewrote the filter list again, a third of the 4.9 us this costs each of a check's parses."""
    with warnings.catch_warnings(action="ignore"):
        return ast.parse(text)


def wrapping(text: str, kind: UnitKind) -> tuple[str, str]:
    """What must surround a unit's text for it to parse on its own."""
    if kind is UnitKind.MEMBER:
        return MEMBER_WRAPPER, ""
    if kind is UnitKind.CLASS_HEADER:
        ending = "" if text.endswith(("\n", "\r")) else "\n"
        return "", f"{ending} pass\n"
    return "", ""


def unit_body(tree: ast.Module, kind: UnitKind) -> list[ast.stmt]:
    """A parsed unit's own statements (a member's wrapper is looked through)."""
    if kind is UnitKind.MEMBER and tree.body:
        wrapper = tree.body[0]
        if isinstance(wrapper, ast.If):
            return wrapper.body
    return tree.body


def prefix_lines(kind: UnitKind) -> int:
    """How many synthetic lines precede a unit's own text when it is parsed."""
    return MEMBER_WRAPPER_LINES if kind is UnitKind.MEMBER else 0


def _error_of(exc: BaseException, kind: UnitKind, line_count: int) -> ParseError:
    shift = prefix_lines(kind)
    if isinstance(exc, SyntaxError) and exc.lineno is not None:
        line = min(max(exc.lineno - 1 - shift, 0), line_count - 1)
        column = max((exc.offset or 1) - 1, 0)
        end_line = min(max((exc.end_lineno or exc.lineno) - 1 - shift, line), line_count - 1)
        end_column = max((exc.end_offset or exc.offset or 1) - 1, 0)
        if end_line == line and end_column <= column:
            end_column = column + 1
        return ParseError.model_construct(
            message=exc.msg,
            line=line,
            character=column,
            end_line=end_line,
            end_character=end_column,
        )
    message = str(exc) or type(exc).__name__
    return ParseError.model_construct(
        message=message, line=0, character=0, end_line=0, end_character=1
    )


def _recover(text: str, kind: UnitKind, first: ParseError) -> ParseOutcome:
    """Set aside the lines CPython complains about until the rest parses (or give up)."""
    lines = split_text_lines(text)
    error = _clamped(first, len(lines))
    latest = error
    set_aside: set[int] = set()
    for _ in range(MAX_RECOVERY_ATTEMPTS):
        if not _set_aside_more(lines, set_aside, latest):
            break
        prefix, suffix = wrapping(text, kind)
        tree, again = try_parse(prefix + "".join(lines) + suffix, kind)
        if tree is not None:
            return _outcome(tree, error, frozenset(set_aside))
        latest = _clamped(again, len(lines))
    # every line is lost; `set_aside` is not listed: it is read only beside a tree, and a
    # frozenset of every line of each lost text was most of what the carried outcomes held
    return _outcome(None, error, lost=True)


def _outcome(
    tree: ast.Module | None,
    error: ParseError | None = None,
    set_aside: frozenset[int] = frozenset(),
    *,
    lost: bool = False,
) -> ParseOutcome:
    # one per parse: every field is known valid, and validating a tree is only a cost
    return built(
        ParseOutcome, tree=tree, error=error, set_aside=set_aside, lost=lost, bounded=False
    )


def _clamped(error: ParseError, line_count: int) -> ParseError:
    """`error` with its lines inside the unit's own `line_count` lines."""
    last = max(line_count - 1, 0)
    if error.line <= last and error.end_line <= last:
        return error
    line = min(error.line, last)
    end_line = min(max(error.end_line, line), last)
    end_character = error.end_character
    if end_line == line and end_character <= error.character:
        end_character = error.character + 1
    return error.model_copy(
        update={"line": line, "end_line": end_line, "end_character": end_character}
    )


def _set_aside_more(lines: list[str], set_aside: set[int], error: ParseError) -> bool:
    """Replace the broken line (or the block it opens) by `pass`; False when nothing is left."""
    line = error.line
    if line in set_aside:
        line = _next_line_to_set_aside(lines, set_aside, line)
        if line is None:
            return False
    indent = indentation(lines[line])
    block = [line]
    if "indent" in error.message or lines[line].rstrip().endswith(":"):
        block.extend(_block_below(lines, line, indent))
    for index in block:
        _replace_by_pass(lines, index, indent if index == line else None)
        set_aside.add(index)
    return True


def _next_line_to_set_aside(lines: list[str], set_aside: set[int], line: int) -> int | None:
    for index in range(line - 1, -1, -1):
        if index not in set_aside and lines[index].strip():
            return index
    for index in range(line + 1, len(lines)):
        if index not in set_aside and lines[index].strip():
            return index
    return None


def _block_below(lines: list[str], line: int, indent: str) -> list[int]:
    """The lines after `line` that are indented deeper than it (the block it opens)."""
    block: list[int] = []
    for index in range(line + 1, len(lines)):
        text = lines[index]
        if text.strip() and len(indentation(text)) <= len(indent):
            break
        block.append(index)
    return block


def _replace_by_pass(lines: list[str], index: int, indent: str | None) -> None:
    ending = lines[index][len(lines[index].rstrip("\r\n")) :]
    lines[index] = f"{indent}pass{ending}" if indent is not None else ending


def indentation(line: str) -> str:
    match = _INDENT.match(line)
    return match.group(0) if match else ""
