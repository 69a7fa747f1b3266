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
from typing import Any

from rules.models import Position, Range
from rules.settings import Options
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
ALWAYS_ALLOWED_NUMBERS = frozenset({0, 1, -1})
# `range(n)` bounds up to this are loop idioms, not limits.
SMALL_RANGE_BOUND = 2
# Halving, doubling, parity and squaring are arithmetic, not tunable values.
ARITHMETIC_IDIOM_VALUE = 2
SQUARE_ROOT_EXPONENT = 0.5
HALF = 0.5
# `10 ** n` and `2 ** n` scale by the number base; the exponent is what may be magic.
_POWER_BASES = frozenset({2, 10})
# Methods whose string arguments are words of a command protocol (`tk.call("winfo", ...)`).
_COMMAND_METHODS = frozenset({"call"})
_IDIOM_OPERATORS = (ast.Mult, ast.Div, ast.FloorDiv, ast.Mod, ast.Pow)
_BIT_OPERATORS = (ast.LShift, ast.RShift, ast.BitAnd, ast.BitOr, ast.BitXor)
# Names whose numbers are idioms, not tunable values (`warnings.warn(..., stacklevel=2)`).
_IDIOM_NAMES = frozenset(
    {"stacklevel", "_stacklevel", "indent", "ndigits", "base", "protocol", "maxsplit"}
)
_WARN_FUNCTIONS = frozenset({"warn", "warn_explicit", "_deprecated", "text_encoding"})
_SPLIT_METHODS = frozenset({"split", "rsplit", "splitlines"})
# `len(x) == 3`: an arity or shape check, not a limit (limits compare with < or >).
MAX_SHAPE_LENGTH = 3
_REGEX_GROUP_METHODS = frozenset({"group", "start", "end", "span", "groups"})
_LOG_METHODS = frozenset(
    {"debug", "info", "warning", "warn", "error", "exception", "critical", "fatal", "log"}
)
_LOG_OWNERS = frozenset({"logging", "logger", "log", "_logger", "_log", "LOGGER", "LOG"})
_KEY_METHODS = frozenset({"get", "pop", "setdefault", "getenv", "putenv", "unsetenv"})
_ATTRIBUTE_FUNCTIONS = frozenset(
    {"getattr", "setattr", "hasattr", "delattr", "__setattr__", "__getattribute__", "__delattr__"}
)
_TYPE_NAME_FUNCTIONS = frozenset(
    {"cast", "TypeVar", "NewType", "ParamSpec", "TypeVarTuple", "TypeAliasType", "ForwardRef"}
)
_TYPE_SUBSCRIPTS = frozenset({"Literal", "Annotated"})
_DEEP_EXEMPT_CALLS = {"Field": "pydantic Field argument", "parametrize": "parametrize data"}
# Values common enough to never be worth a constant (codec and error-handler names, byte orders).
COMMON_STRINGS = frozenset(
    {
        "utf-8",
        "utf8",
        "utf-16",
        "utf-16-le",
        "utf-16-be",
        "utf-32",
        "utf-8-sig",
        "ascii",
        "latin-1",
        "latin1",
        "iso-8859-1",
        "cp1252",
        "strict",
        "ignore",
        "replace",
        "surrogateescape",
        "surrogatepass",
        "backslashreplace",
        "xmlcharrefreplace",
        "namereplace",
        "little",
        "big",
        "rb+",
        "wb+",
        "ab+",
        "r+b",
        "w+b",
    }
)
DECORATOR_LIST = "decorator_list"
ARGS = "args"
BODY = "body"
KEYWORDS = "keywords"
VALUE = "value"
FUNC = "func"
SLICE = "slice"


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
# A display of this many literals is a data table: its values repeat by nature.
MIN_TABLE_SIZE = 3


def is_url(value: str) -> bool:
    """A URL with one of the flagged schemes, or an API path (a bare scheme is not a URL)."""
    if not value or _WHITESPACE.search(value):
        return False
    match = _URL.match(value)
    if match is not None:
        return match.end() < len(value)
    return _API_PATH.match(value) is not None


def is_endpoint(value: str) -> bool:
    """A URL that names a place to connect to: not an XML namespace or a host template."""
    if not is_url(value):
        return False
    if value.lower().startswith(_NAMESPACE_PREFIXES):
        return False
    host = _URL.sub("", value, count=1)
    return not host.startswith(_PLACEHOLDERS)


def last_name(node: ast.AST) -> str:
    """The last component of a dotted name (`b` of `a.b`)."""
    return name_chain(node).rpartition(".")[2]


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
        for field in node_fields(type(node)):
            value = getattr(node, field, None)
            if isinstance(value, list):
                if value:
                    parents[-1] = (node, field)
                    for item in value:
                        self.visit(item, scope)
            elif value is not None:
                parents[-1] = (node, field)
                self.visit(value, scope)
        parents.pop()

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
    reason = _DEEP_EXEMPT_CALLS.get(name)
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


# Exemptions -------------------------------------------------------------------------------


def _direct_parent(literal: Literal) -> tuple[ast.AST, str, ast.AST]:
    """The literal's parent, the field holding it, and the literal's own node."""
    parent, field = literal.parent
    return parent, field, literal.node


def _argument_index(call: ast.Call, node: ast.AST) -> int:
    return next((index for index, argument in enumerate(call.args) if argument is node), -1)


def _in_subscript(literal: Literal) -> bool:
    parent, field, _ = _direct_parent(literal)
    if isinstance(parent, ast.Subscript) and field == SLICE:
        return True
    if isinstance(parent, ast.Slice):
        return True
    if isinstance(parent, ast.Tuple) and len(literal.parents) > 1:
        grand, grand_field = literal.parents[-2]
        return isinstance(grand, ast.Subscript) and grand_field == SLICE
    return False


# Positional arguments that are idioms, by the called function's last name: (names, which
# argument positions, why).
_ARGUMENT_EXEMPTIONS: tuple[tuple[frozenset[str], Callable[[int, float], bool], str], ...] = (
    (frozenset({"range"}), lambda _, value: abs(value) <= SMALL_RANGE_BOUND, "small range bound"),
    (frozenset({"round"}), lambda index, _: index == 1, "rounding digits"),
    (frozenset({"int"}), lambda index, _: index == 1, "number base"),
    (_WARN_FUNCTIONS, lambda index, _: index >= 1, "warning stack level"),
    (_REGEX_GROUP_METHODS, lambda _, __: True, "regex group"),
    (_SPLIT_METHODS, lambda index, _: index == 1, "maxsplit"),
)


def _number_call_exemption(literal: Literal, value: float) -> str | None:
    parent, field, node = _direct_parent(literal)
    if not isinstance(parent, ast.Call) or field != ARGS:
        return None
    name = last_name(parent.func)
    index = _argument_index(parent, node)
    for names, applies, reason in _ARGUMENT_EXEMPTIONS:
        if name in names and applies(index, value):
            return reason
    return None


def _length_pair_check(literal: Literal, value: float) -> str | None:
    """`len(x) == 2`: a shape check (a pair), not a limit."""
    parent, _, _ = _direct_parent(literal)
    if not isinstance(parent, ast.Compare):
        return None
    is_equality = all(isinstance(op, ast.Eq | ast.NotEq) for op in parent.ops)
    if value != ARITHMETIC_IDIOM_VALUE and not (is_equality and 0 < value <= MAX_SHAPE_LENGTH):
        return None
    operands = [parent.left, *parent.comparators]
    is_length = any(
        isinstance(operand, ast.Call) and name_chain(operand.func) == "len" for operand in operands
    )
    return "pair check" if is_length else None


# Binary operations whose operand is arithmetic, not a tunable value: (operators, which
# operand, the values, why); "any" operand means either side, `None` values any value.
_BINARY_IDIOMS: tuple[
    tuple[tuple[type[ast.operator], ...], str, frozenset[float] | None, str], ...
] = (
    (_BIT_OPERATORS, "any", None, "bit operation"),
    ((ast.Pow,), "left", _POWER_BASES, "power of the number base"),
    ((ast.Mult,), "any", frozenset({HALF}), "halving"),
    (_IDIOM_OPERATORS, "any", frozenset({ARITHMETIC_IDIOM_VALUE}), "arithmetic idiom"),
    ((ast.Pow,), "right", frozenset({SQUARE_ROOT_EXPONENT}), "square root"),
)


def _arithmetic_idiom(literal: Literal, value: float) -> str | None:
    parent, field, _ = _direct_parent(literal)
    if isinstance(parent, ast.AugAssign) and value == ARITHMETIC_IDIOM_VALUE:
        return "arithmetic idiom" if isinstance(parent.op, _IDIOM_OPERATORS) else None
    if not isinstance(parent, ast.BinOp):
        return None
    for operators, side, values, reason in _BINARY_IDIOMS:
        if (
            isinstance(parent.op, operators)
            and side in ("any", field)
            and (values is None or value in values)
        ):
            return reason
    return None


def number_exemption(literal: Literal, options: Options) -> str | None:
    """Why a number is not a magic number here (None: it is one)."""
    value = literal.value
    assert isinstance(value, int | float)  # noqa: S101 - callers pass numbers only
    if value in ALWAYS_ALLOWED_NUMBERS or _allowed_by_option(value, options):
        return "allowed value"
    scope = literal.scope
    if scope.constant:
        return "constant definition"
    if scope.default and not options.flag_default_arguments:
        return "default value"
    if scope.deep is not None:
        return scope.deep
    if _in_subscript(literal):
        return "subscript"
    return (
        _number_call_exemption(literal, value)
        or _arithmetic_idiom(literal, value)
        or _length_pair_check(literal, value)
    )


def _allowed_by_option(value: float, options: Options) -> bool:
    for allowed in options.allowed_magic_values:
        if isinstance(allowed, str):
            try:
                allowed = float(allowed)
            except ValueError:
                continue
        if allowed == value:
            return True
    return False


def _is_field_name(literal: Literal) -> bool:
    """A string used as a key or attribute name (STD101's evidence, not a repeated value)."""
    parent, field, node = _direct_parent(literal)
    if isinstance(parent, ast.Dict) and field == "keys":
        return True
    if _in_subscript(literal):
        return True
    if isinstance(parent, ast.Compare) and field == "left":
        return isinstance(parent.ops[0], ast.In | ast.NotIn)
    if isinstance(parent, ast.Call) and field == ARGS:
        return _is_name_argument(parent, node)
    return False


def _is_name_argument(call: ast.Call, node: ast.AST) -> bool:
    """An argument that names something: an attribute, a key, a protocol's command word."""
    name = last_name(call.func)
    index = _argument_index(call, node)
    if name in _COMMAND_METHODS and isinstance(call.func, ast.Attribute):
        return True
    if name in _ATTRIBUTE_FUNCTIONS:
        return index == 1
    return name in _KEY_METHODS and index == 0


def string_repeat_exempt(literal: Literal, options: Options) -> bool:
    """Whether a string's repetitions do not count for STD203."""
    value = literal.value
    assert isinstance(value, str)  # noqa: S101 - callers pass strings only
    if len(value) < options.repeated_string_min_length or not any(c.isalnum() for c in value):
        return True
    if value.lower() in COMMON_STRINGS or DUNDER.fullmatch(value):
        return True
    scope = literal.scope
    if scope.constant or scope.deep is not None:
        return True
    if scope.default and not options.flag_default_arguments:
        return True
    return _is_field_name(literal)


def _in_data_table(literal: Literal) -> bool:
    parent, _, _ = _direct_parent(literal)
    if isinstance(parent, ast.List | ast.Tuple | ast.Set):
        return len(parent.elts) >= MIN_TABLE_SIZE and is_data_display(parent)
    if isinstance(parent, ast.Dict):
        return len(parent.keys) >= MIN_TABLE_SIZE and is_data_display(parent)
    return False


def is_repeat_candidate(literal: Literal, options: Options) -> bool:
    """Whether a literal counts towards STD203's repetitions."""
    if literal.is_fstring or not is_extractable(literal) or _in_data_table(literal):
        return False
    if literal.is_number:
        return number_exemption(literal, options) is None
    return not string_repeat_exempt(literal, options)


def is_magic_number(literal: Literal, options: Options) -> bool:
    """Whether a literal is STD201's magic number."""
    return (
        literal.is_number
        and (literal.scope.in_code or literal.scope.default)
        and number_exemption(literal, options) is None
    )


def is_hardcoded_url(literal: Literal) -> bool:
    """Whether a literal is STD202's hard-coded URL or API path."""
    scope = literal.scope
    if not isinstance(literal.value, str) or not scope.in_function:
        return False
    if scope.log or scope.default or scope.deep == "parametrize data":
        return False
    return is_endpoint(literal.value)


def is_extractable(literal: Literal) -> bool:
    """Whether the extract refactoring may replace this literal by a name."""
    if literal.scope.constant:
        return False
    parent, _, _ = _direct_parent(literal)
    # `x is 5` compares identity: a name bound to an equal object may not be the same object
    return not (
        isinstance(parent, ast.Compare)
        and any(isinstance(op, ast.Is | ast.IsNot) for op in parent.ops)
    )


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
