"""Shared by STD201, STD202, STD203 and the extract fix: the literals of some code, in context.

One walk over a unit's statements (or a whole module's, when a fix is built) records every
number and string literal with the chain of nodes above it and the facts the three rules need:
whether it stands in executable code inside a function or class body, and which exemption (if
any) applies to it as a magic number, as a URL or as a repeated value. Findings and fixes use the
same walk, so a fix always targets exactly what was flagged.
"""

from __future__ import annotations

import ast
import re
from collections.abc import Callable, Iterator, Sequence
from functools import lru_cache
from typing import Any

from rules.models import Position, Range
from rules.source import byte_to_char_column, split_lines
from rules.syntax import name_chain, node_fields

UPPER_NAME = re.compile(r"_*[A-Z][A-Z0-9_]*")
DUNDER = re.compile(r"__\w+__")
_ENUM_BASE = re.compile(r"(?:^|\.)\w*(?:Enum|Flag)$")
_URL = re.compile(r"(?:https?|wss?|gs|s3)://", re.IGNORECASE)
_API_PATH = re.compile(r"/(?:api|v\d+)(?:/|$)")
_WHITESPACE = re.compile(r"\s")
# URIs that identify XML namespaces and schemas: names, not endpoints.
_NAMESPACE_PREFIXES = (
    "http://www.w3.org/",
    "https://www.w3.org/",
    "http://xml.org/",
    "http://schemas.",
    "http://purl.org/",
    "http://ns.adobe.com/",
)
_PLACEHOLDERS = ("%", "{")
# A whole host name (or address), with an optional user: no trailing dot, no regex or template.
_HOST = re.compile(
    r"(?:[\w.-]+@)?(?:\[[0-9A-Fa-f:.]+\]|[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?)*)"
)
# Names whose numbers are idioms, not tunable values (`warnings.warn(..., stacklevel=2)`).
_IDIOM_NAMES = frozenset(
    {"stacklevel", "_stacklevel", "indent", "ndigits", "base", "protocol", "maxsplit"}
)
_LOG_METHODS = frozenset(
    {"debug", "info", "warning", "warn", "error", "exception", "critical", "fatal", "log"}
)
_LOG_OWNERS = frozenset({"logging", "logger", "log", "_logger", "_log", "LOGGER", "LOG"})
_TYPE_NAME_FUNCTIONS = frozenset(
    {"cast", "TypeVar", "NewType", "ParamSpec", "TypeVarTuple", "TypeAliasType", "ForwardRef"}
)
_TYPE_SUBSCRIPTS = frozenset({"Literal", "Annotated"})
TRANSLATION = "translation message"
# gettext and its relatives: a catalogue is extracted from their literal arguments (xgettext,
# Babel), so these must stay literals where they are.
TRANSLATION_FUNCTIONS = frozenset(
    {
        "_",
        "N_",
        "gettext",
        "ngettext",
        "pgettext",
        "npgettext",
        "dgettext",
        "dngettext",
        "ugettext",
        "ungettext",
        "gettext_lazy",
        "ngettext_lazy",
        "pgettext_lazy",
        "npgettext_lazy",
        "ugettext_lazy",
        "lazy_gettext",
        "lazy_ngettext",
        "lazy_pgettext",
        "_lazy",
        "_l",
    }
)
_DEEP_EXEMPT_CALLS = {
    "Field": "pydantic Field argument",
    "parametrize": "parametrize data",
    **dict.fromkeys(TRANSLATION_FUNCTIONS, TRANSLATION),
}
# gettext's functions under the names projects import them as (`from .i18n import _ngettext`,
# `_gettext_noop as N_`, `_ngettext_noop as NS_`, `_pgettext as P_`, `_pgettext_noop as PS_`).
_GETTEXT_NAME = re.compile(r"_*\w*gettext\w*|[NP]S?_")


# Called names seen by `translation_reason` (asked of every call the literal walk meets).
CALL_NAME_MEMO_SIZE = 4096


@lru_cache(maxsize=CALL_NAME_MEMO_SIZE)
def translation_reason(name: str) -> str | None:
    """Why a call's arguments stay literals: `_DEEP_EXEMPT_CALLS`, or a gettext function's name
    (remembered by name: a regex match per call was the walk's costliest test)."""
    reason = _DEEP_EXEMPT_CALLS.get(name)
    if reason is None and _GETTEXT_NAME.fullmatch(name):
        return TRANSLATION
    return reason


DECORATOR_LIST = "decorator_list"
ARGS = "args"
BODY = "body"
KEYWORDS = "keywords"
VALUE = "value"
FUNC = "func"
SLICE = "slice"
LEFT = "left"
RIGHT = "right"


class Scope:
    """Where the walk is: what encloses the current node (immutable, shared by children)."""

    __slots__ = (
        "class_body",
        "class_name",
        "constant",
        "deep",
        "default",
        "enum",
        "function",
        "log",
        "module_level",
    )

    def __init__(
        self,
        *,
        function: str | None = None,
        class_body: bool = False,
        class_name: str | None = None,
        enum: bool = False,
    ) -> None:
        self.function = function  # innermost enclosing function's name ("" for a lambda)
        self.class_body = class_body
        self.class_name = class_name
        self.enum = enum
        self.default = False  # inside a default argument value
        self.constant = False  # inside the value of a constant's definition
        self.deep: str | None = None  # inside something whose numbers are all exempt
        self.log = False  # inside the arguments of a logging call
        self.module_level = function is None and not class_body

    def but(self, **changes: object) -> Scope:
        """A copy with some attributes changed."""
        copy = Scope.__new__(Scope)
        for name in Scope.__slots__:
            setattr(copy, name, changes.get(name, getattr(self, name)))
        return copy

    @property
    def in_function(self) -> bool:
        return self.function is not None

    @property
    def in_code(self) -> bool:
        """Inside a function or class body (where STD201 looks)."""
        return self.function is not None or self.class_body


Parents = tuple[tuple[ast.AST, str], ...]


class Literal:
    """One literal found by the walk: a number, a string, or an f-string with a URL prefix."""

    __slots__ = ("node", "parents", "scope", "value")

    def __init__(self, node: ast.expr, value: object, scope: Scope, parents: Parents) -> None:
        self.node = node  # a Constant, a UnaryOp (a negative number) or a JoinedStr
        self.value = value  # for an f-string: its constant prefix
        self.scope = scope
        self.parents = parents  # (ancestor, field of the ancestor holding the next node)

    @property
    def is_number(self) -> bool:
        return isinstance(self.value, int | float) and not isinstance(self.value, bool)

    @property
    def is_fstring(self) -> bool:
        return isinstance(self.node, ast.JoinedStr)

    @property
    def parent(self) -> tuple[ast.AST, str]:
        return self.parents[-1]

    @property
    def key(self) -> str:
        """Equal for literals with the same type and value (1 and 1.0 and True differ)."""
        return f"{type(self.value).__name__}:{self.value!r}"

    @property
    def display(self) -> str:
        """The literal as the user reads it in messages and titles."""
        text = repr(self.value)
        return (
            text
            if len(text) <= MAX_DISPLAY
            else text[: MAX_DISPLAY - 1] + "\N{HORIZONTAL ELLIPSIS}"
        )


MAX_DISPLAY = 40


def is_url(value: str) -> bool:
    """A URL with one of the flagged schemes, or an API path (a bare scheme is not a URL)."""
    if not value or _WHITESPACE.search(value):
        return False
    match = _URL.match(value)
    if match is not None:
        return match.end() < len(value)
    return _API_PATH.match(value) is not None


def is_endpoint(value: str) -> bool:
    """A URL that names a place to connect to: not an XML namespace, a host template or a
    fragment with no whole host (`"https://cognito-idp."`, a regex's `"https://$"`)."""
    if not is_url(value):
        return False
    if value.lower().startswith(_NAMESPACE_PREFIXES):
        return False
    if _URL.match(value) is None:
        return True  # an API path
    rest = _URL.sub("", value, count=1)
    if rest.startswith(_PLACEHOLDERS):
        return False
    host = re.split(r"[/:?#]", rest, maxsplit=1)[0]
    return _HOST.fullmatch(host) is not None


def last_name(node: ast.AST) -> str:
    """The last component of a dotted name (`b` of `a.b`): `name_chain`'s last part, read
    off the node itself (building the whole chain to keep its tail was a good part of the
    literal rules' time: they ask this of every call around every literal)."""
    while isinstance(node, ast.Call):
        node = node.func
    if isinstance(node, ast.Attribute):
        return node.attr
    if isinstance(node, ast.Name):
        return node.id
    return ""


def is_enum_class(bases: Sequence[str]) -> bool:
    return any(_ENUM_BASE.search(base) for base in bases)


def _is_literal_value(node: ast.AST) -> bool:
    if isinstance(node, ast.UnaryOp) and isinstance(node.op, ast.USub | ast.UAdd):
        node = node.operand
    return isinstance(node, ast.Constant) and node.value is not Ellipsis


def _names_of_targets(targets: Sequence[ast.expr]) -> list[str]:
    names: list[str] = []
    for target in targets:
        if isinstance(target, ast.Name):
            names.append(target.id)
        elif isinstance(target, ast.Tuple | ast.List):
            names.extend(_names_of_targets(target.elts))
        else:
            names.append("")
    return names


class _Walker:
    """Records the literals under some statements."""

    def __init__(self) -> None:
        self.found: list[Literal] = []
        self.parents: list[tuple[ast.AST, str]] = []

    def statements(self, body: Sequence[ast.stmt], scope: Scope, field: str = "body") -> None:
        for statement in body:
            self.child(statement, field, scope)

    def child(self, node: ast.AST, field: str, scope: Scope) -> None:
        """Visit `node`, held in `field` of the current parent."""
        if self.parents:
            self.parents[-1] = (self.parents[-1][0], field)
        self.visit(node, scope)

    def visit(self, node: object, scope: Scope) -> None:
        """Visit a field's value: a node through its handler (names, the commonest node and
        never holding a literal, are passed over); anything else (None, a string) is not a
        node."""
        kind = type(node)
        if kind is ast.Name:
            return
        handler = _HANDLERS.get(kind)
        if handler is not None:
            handler(self, node, scope)
        elif isinstance(node, ast.AST):
            self.generic(node, scope)

    def generic(self, node: ast.AST, scope: Scope) -> None:
        """Visit every child that may hold a literal.

        The hottest code of a first check: fields are read directly (not `ast.iter_fields`),
        only those that may hold nodes."""
        parents = self.parents
        parents.append((node, ""))
        handlers = _HANDLERS
        for field in node_fields(type(node)):
            value = getattr(node, field, None)
            kind = type(value)
            if kind is list:
                if value:
                    parents[-1] = (node, field)
                    self.items(value, scope)
            elif value is not None and kind is not ast.Name:
                parents[-1] = (node, field)
                handler = handlers.get(kind)
                if handler is not None:
                    handler(self, value, scope)
                elif isinstance(value, ast.AST):
                    self.generic(value, scope)
        parents.pop()

    def items(self, values: list[object], scope: Scope) -> None:
        """Visit the items of a list field: `visit` inlined, a call less per item."""
        handlers = _HANDLERS
        for item in values:
            kind = type(item)
            if kind is ast.Name:
                continue
            handler = handlers.get(kind)
            if handler is not None:
                handler(self, item, scope)
            elif isinstance(item, ast.AST):
                self.generic(item, scope)

    def record(self, node: ast.expr, value: object, scope: Scope) -> None:
        self.found.append(Literal(node, value, scope, tuple(self.parents)))

    def within(self, node: ast.AST, fields: Sequence[tuple[str, Scope]]) -> None:
        """Visit some fields of `node`, each in its own scope."""
        self.parents.append((node, ""))
        for field, scope in fields:
            value = getattr(node, field, None)
            items = value if isinstance(value, list) else [value]
            for item in items:
                if isinstance(item, ast.AST):
                    self.child(item, field, scope)
        self.parents.pop()


def _constant(walker: _Walker, node: ast.Constant, scope: Scope) -> None:
    value = node.value
    if isinstance(value, bool) or not isinstance(value, int | float | str):
        return
    walker.record(node, value, scope)


def _unary(walker: _Walker, node: ast.UnaryOp, scope: Scope) -> None:
    operand = node.operand
    if (
        isinstance(node.op, ast.USub)
        and isinstance(operand, ast.Constant)
        and isinstance(operand.value, int | float)
        and not isinstance(operand.value, bool)
    ):
        walker.record(node, -operand.value, scope)
        return
    walker.generic(node, scope)


def _function(walker: _Walker, node: ast.FunctionDef | ast.AsyncFunctionDef, scope: Scope) -> None:
    body_scope = Scope(function=node.name)
    default_scope = scope.but(default=True)
    walker.within(node, [(DECORATOR_LIST, scope), (ARGS, default_scope)])
    walker.parents.append((node, BODY))
    walker.statements(node.body, body_scope)
    walker.parents.pop()


def _arguments(walker: _Walker, node: ast.arguments, scope: Scope) -> None:
    # only the defaults: annotations are not executable code
    walker.within(node, [("defaults", scope), ("kw_defaults", scope)])


def _lambda(walker: _Walker, node: ast.Lambda, scope: Scope) -> None:
    body_scope = Scope(function=scope.function or "")
    walker.within(node, [(ARGS, scope.but(default=True)), (BODY, body_scope)])


def _class(walker: _Walker, node: ast.ClassDef, scope: Scope) -> None:
    bases = [name_chain(base) for base in node.bases]
    body_scope = Scope(class_body=True, class_name=node.name, enum=is_enum_class(bases))
    walker.within(node, [(DECORATOR_LIST, scope), ("bases", scope), (KEYWORDS, scope)])
    walker.parents.append((node, BODY))
    walker.statements(node.body, body_scope)
    walker.parents.pop()


def _expression_statement(walker: _Walker, node: ast.Expr, scope: Scope) -> None:
    value = node.value
    if isinstance(value, ast.Constant) and isinstance(value.value, str):
        return  # a docstring, or a string used as a comment
    walker.generic(node, scope)


def is_data_display(node: ast.AST) -> bool:
    """A list, tuple, set or dict display made of literals only (a data table)."""
    if _is_literal_value(node):
        return True
    if isinstance(node, ast.Name):
        return UPPER_NAME.fullmatch(node.id) is not None  # a constant: extraction keeps a table
    if isinstance(node, ast.List | ast.Tuple | ast.Set):
        return all(is_data_display(element) for element in node.elts)
    if isinstance(node, ast.Dict):
        return all(
            key is not None and is_data_display(key) and is_data_display(value)
            for key, value in zip(node.keys, node.values, strict=True)
        )
    return False


def _definition_scope(targets: Sequence[ast.expr], value: ast.AST | None, scope: Scope) -> Scope:
    """The scope of an assigned value: a constant's definition is not a magic value."""
    names = _names_of_targets(targets)
    if not names or value is None:
        return scope
    if any(DUNDER.fullmatch(name) or name in _IDIOM_NAMES for name in names):
        return scope.but(constant=True)
    is_table = isinstance(value, ast.List | ast.Tuple | ast.Set | ast.Dict)
    is_single = len(names) == 1 and bool(names[0])
    if (
        (scope.module_level or scope.class_body)
        and is_single
        and is_table
        and is_data_display(value)
    ):
        return scope.but(constant=True)
    if scope.class_body and (scope.enum or all(UPPER_NAME.fullmatch(name) for name in names)):
        return scope.but(constant=True)
    if scope.module_level and (
        all(UPPER_NAME.fullmatch(name) for name in names)
        or (len(names) == 1 and names[0] and _is_literal_value(value))
    ):
        return scope.but(constant=True)
    return scope


def _assign(walker: _Walker, node: ast.Assign, scope: Scope) -> None:
    value_scope = _definition_scope(node.targets, node.value, scope)
    walker.within(node, [("targets", scope), (VALUE, value_scope)])


def _annotated_assign(walker: _Walker, node: ast.AnnAssign, scope: Scope) -> None:
    value_scope = _definition_scope([node.target], node.value, scope)
    if scope.class_body and not value_scope.constant:
        value_scope = value_scope.but(default=True)  # a field's default value
    walker.within(node, [("target", scope), (VALUE, value_scope)])


def _subscript(walker: _Walker, node: ast.Subscript, scope: Scope) -> None:
    if last_name(node.value) in _TYPE_SUBSCRIPTS:
        return  # type expressions: `Literal[3]`, `Annotated[int, Gt(0)]`
    walker.generic(node, scope)


def _call(walker: _Walker, node: ast.Call, scope: Scope) -> None:
    name = last_name(node.func)
    reason = translation_reason(name)
    if reason is not None:
        walker.within(node, [(FUNC, scope)])
        walker.within(node, [(ARGS, scope.but(deep=reason)), (KEYWORDS, scope.but(deep=reason))])
        return
    if name in _TYPE_NAME_FUNCTIONS and node.args:
        walker.within(node, [(FUNC, scope), (KEYWORDS, scope)])
        walker.parents.append((node, ARGS))
        for argument in node.args[1:]:
            walker.child(argument, ARGS, scope)
        walker.parents.pop()
        return
    if name in _LOG_METHODS and _is_logger(node.func):
        walker.within(node, [(FUNC, scope)])
        walker.within(node, [(ARGS, scope.but(log=True)), (KEYWORDS, scope.but(log=True))])
        return
    walker.generic(node, scope)


def _is_logger(func: ast.expr) -> bool:
    if not isinstance(func, ast.Attribute):
        return False
    owner = last_name(func.value).lower()
    return owner in _LOG_OWNERS or owner.endswith(("logger", "log"))


def _compare(walker: _Walker, node: ast.Compare, scope: Scope) -> None:
    operands = [node.left, *node.comparators]
    if any("version" in name_chain(operand).lower() for operand in operands):
        walker.generic(node, scope.but(deep="version comparison"))
        return
    walker.generic(node, scope)


def _joined_string(walker: _Walker, node: ast.JoinedStr, scope: Scope) -> None:
    first = node.values[0] if node.values else None
    if (
        isinstance(first, ast.Constant)
        and isinstance(first.value, str)
        and len(node.values) > 1
        and is_url(first.value)
    ):
        walker.record(node, first.value, scope)
    walker.parents.append((node, "values"))
    for part in node.values:
        if isinstance(part, ast.FormattedValue):
            walker.parents.append((part, VALUE))
            walker.visit(part.value, scope)
            walker.parents.pop()
    walker.parents.pop()


def _assert(walker: _Walker, node: ast.Assert, scope: Scope) -> None:
    # an assertion states an invariant; its bound is not configuration
    walker.generic(node, scope.but(deep="assertion"))


def _keyword(walker: _Walker, node: ast.keyword, scope: Scope) -> None:
    if node.arg in _IDIOM_NAMES:
        walker.generic(node, scope.but(deep=f"{node.arg} argument"))
        return
    walker.generic(node, scope)


def _match_case(walker: _Walker, node: ast.match_case, scope: Scope) -> None:
    # patterns are not expressions: a name there captures instead of comparing
    walker.within(node, [("guard", scope), (BODY, scope)])


_HANDLERS: dict[type[ast.AST], Callable[[_Walker, Any, Scope], None]] = {
    ast.Constant: _constant,
    ast.UnaryOp: _unary,
    ast.FunctionDef: _function,
    ast.AsyncFunctionDef: _function,
    ast.arguments: _arguments,
    ast.Lambda: _lambda,
    ast.ClassDef: _class,
    ast.Expr: _expression_statement,
    ast.Assign: _assign,
    ast.AnnAssign: _annotated_assign,
    ast.Subscript: _subscript,
    ast.Call: _call,
    ast.Compare: _compare,
    ast.JoinedStr: _joined_string,
    ast.match_case: _match_case,
    ast.Assert: _assert,
    ast.keyword: _keyword,
}


def collect_literals(body: Sequence[ast.stmt], scope: Scope | None = None) -> list[Literal]:
    """Every literal under `body`, in source order, with its context."""
    walker = _Walker()
    walker.statements(body, scope or Scope())
    return walker.found


def member_scope(class_name: str, bases: Sequence[str]) -> Scope:
    """The scope of a member unit: the body of its top-level class."""
    return Scope(class_body=True, class_name=class_name, enum=is_enum_class(bases))


# Positions --------------------------------------------------------------------------------


def literal_range(literal: Literal, lines: Sequence[str], line_shift: int = 0) -> Range:
    """The code-point range of a literal in `lines` (ast lines minus `line_shift`, 1-based)."""
    node = literal.node
    start_line = node.lineno - 1 - line_shift
    end_line = (node.end_lineno or node.lineno) - 1 - line_shift
    start_text = lines[start_line] if 0 <= start_line < len(lines) else ""
    end_text = lines[end_line] if 0 <= end_line < len(lines) else ""
    return Range(
        start=Position(line=start_line, character=byte_to_char_column(start_text, node.col_offset)),
        end=Position(
            line=end_line, character=byte_to_char_column(end_text, node.end_col_offset or 0)
        ),
    )


class ModuleLiterals:
    """A whole module's literals with their ranges (what a fix is built from)."""

    def __init__(self, text: str) -> None:
        self.text = text
        self.tree = ast.parse(text)
        self.lines = split_lines(text)
        self.literals = collect_literals(self.tree.body)
        self.ranges = [literal_range(literal, self.lines) for literal in self.literals]

    def at(self, where: Range) -> Literal | None:
        """The literal whose range is `where`."""
        for literal, found in zip(self.literals, self.ranges, strict=True):
            if found == where:
                return literal
        return None

    def iter_with_ranges(self) -> Iterator[tuple[Literal, Range]]:
        yield from zip(self.literals, self.ranges, strict=True)
