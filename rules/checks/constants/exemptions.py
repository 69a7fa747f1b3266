"""Why a literal found by the walk (`literals.py`) is, or is not, what STD201, STD202 and
STD203 report, and whether the extract refactoring may replace it.

Each exemption is a reason a reviewer would accept for leaving the value where it stands: an
idiom (`range(2)`, `x * 2`, `stacklevel=2`), a name rather than a value (dict keys, `getattr`
names), a protocol's own vocabulary, a message a translation catalogue or a log search keys on.
"""

from __future__ import annotations

import ast
import re
from collections.abc import Callable

from rules.checks.constants.http_status import is_status_class_bound, status_member
from rules.checks.constants.literals import (
    ARGS,
    DECORATOR_LIST,
    DUNDER,
    KEYWORDS,
    LEFT,
    SLICE,
    TRANSLATION,
    Literal,
    is_data_display,
    is_endpoint,
    last_name,
)
from rules.checks.constants.vocabularies import is_identifier_name, is_vocabulary_word
from rules.settings import Options
from rules.syntax import name_chain

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
_WARN_FUNCTIONS = frozenset({"warn", "warn_explicit", "_deprecated", "text_encoding"})
_SPLIT_METHODS = frozenset({"split", "rsplit", "splitlines"})
# `len(x) == 3`: an arity or shape check, not a limit (limits compare with < or >).
MAX_SHAPE_LENGTH = 2
# Slice bounds up to this are idioms (`x[:2]`, `digest[:8]`, `line[-4:]`); beyond it a bound
# is a truncation limit (`text[:200]`) that a reviewer asks to name.
MAX_IDIOMATIC_SLICE = 16
_REGEX_GROUP_METHODS = frozenset({"group", "start", "end", "span", "groups"})
_KEY_METHODS = frozenset({"get", "pop", "setdefault", "getenv", "putenv", "unsetenv"})
_ATTRIBUTE_FUNCTIONS = frozenset(
    {"getattr", "setattr", "hasattr", "delattr", "__setattr__", "__getattribute__", "__delattr__"}
)
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
# A display of this many literals is a data table: its values repeat by nature.
MIN_TABLE_SIZE = 3


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
_PAIRING_FUNCTIONS = frozenset({"permutations", "combinations", "tee", "product", "pairwise"})
PAIR = 2
# Well-known ports: protocol values, never settings (`443 if scheme == "https" else 80`).
_WELL_KNOWN_PORTS = frozenset({21, 22, 25, 53, 80, 443})


def _is_well_known_port(literal: Literal, value: float) -> bool:
    if value not in _WELL_KNOWN_PORTS:
        return False
    for node, _ in reversed(literal.parents):
        if isinstance(node, ast.stmt):
            return any(
                "port" in name_chain(inner).lower()
                or (isinstance(inner, ast.Constant) and inner.value in ("http", "https"))
                for inner in ast.walk(node)
                if isinstance(inner, ast.Name | ast.Attribute | ast.Constant)
            )
    return False


def _in_index_arithmetic(literal: Literal, value: float) -> bool:
    """`s[i + 2:]`: a small offset of an index inside a subscript."""
    if abs(value) > MAX_IDIOMATIC_SLICE:
        return False
    for node, field in reversed(literal.parents):
        if isinstance(node, ast.BinOp | ast.UnaryOp):
            continue
        return isinstance(node, ast.Slice) or (isinstance(node, ast.Subscript) and field == SLICE)
    return False


_ARGUMENT_EXEMPTIONS: tuple[tuple[frozenset[str], Callable[[int, float], bool], str], ...] = (
    (frozenset({"range"}), lambda _, value: abs(value) <= SMALL_RANGE_BOUND, "small range bound"),
    (frozenset({"round"}), lambda index, _: index == 1, "rounding digits"),
    (frozenset({"int"}), lambda index, _: index == 1, "number base"),
    (_WARN_FUNCTIONS, lambda index, _: index >= 1, "warning stack level"),
    (_REGEX_GROUP_METHODS, lambda _, __: True, "regex group"),
    (_SPLIT_METHODS, lambda index, _: index == 1, "maxsplit"),
    # `permutations(nodes, 2)`, `tee(it, 2)`: pairs, unpacked as two right after
    (_PAIRING_FUNCTIONS, lambda index, value: index == 1 and value == PAIR, "pairs"),
)


def _number_call_exemption(literal: Literal, value: float) -> str | None:
    parent, field, node = _direct_parent(literal)
    if not isinstance(parent, ast.Call) or field != ARGS:
        return None
    name = last_name(parent.func)
    exemptions = [
        (applies, reason) for names, applies, reason in _ARGUMENT_EXEMPTIONS if name in names
    ]
    if not exemptions:
        # the index is found by a scan of the arguments: for each literal of a call with
        # thousands of them (a data table), that scan made the check quadratic
        return None
    index = _argument_index(parent, node)
    return next((reason for applies, reason in exemptions if applies(index, value)), None)


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


# `1024 ** 3`, `1000 ** 2`: the base is the unit (named by STD201), the exponent its power.
_UNIT_POWER_BASES = frozenset({1000, 1024})


def _arithmetic_idiom(literal: Literal, value: float) -> str | None:
    parent, field, _ = _direct_parent(literal)
    if isinstance(parent, ast.AugAssign) and value == ARITHMETIC_IDIOM_VALUE:
        return "arithmetic idiom" if isinstance(parent.op, _IDIOM_OPERATORS) else None
    if not isinstance(parent, ast.BinOp):
        return None
    base = parent.left
    if (
        isinstance(parent.op, ast.Pow)
        and field == "right"
        and isinstance(base, ast.Constant)
        and base.value in _UNIT_POWER_BASES
    ):
        return "power of a unit"  # `1024 ** 3`: the exponent says KiB, MiB, GiB
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
    if in_configured_translation(literal, options):
        return TRANSLATION
    scope = literal.scope
    if scope.constant:
        return "constant definition"
    if scope.default and not options.flag_default_arguments:
        return "default value"
    if scope.deep is not None:
        return scope.deep
    return (
        _place_exemption(literal, value)
        or _number_call_exemption(literal, value)
        or _arithmetic_idiom(literal, value)
        or _length_pair_check(literal, value)
    )


def _is_truncation_limit(literal: Literal, value: float) -> bool:
    parent, _ = literal.parent
    return isinstance(parent, ast.Slice) and abs(value) > MAX_IDIOMATIC_SLICE


def _place_exemption(literal: Literal, value: float) -> str | None:
    if _in_subscript(literal) and not _is_truncation_limit(literal, value):
        return "subscript"
    if is_status_class_bound(literal.node, value, literal.parents):
        return "status class bound"
    if _in_index_arithmetic(literal, value):
        return "index arithmetic"
    if _is_well_known_port(literal, value):
        return "well-known port"
    return None


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
    if isinstance(parent, ast.Compare) and field == LEFT:
        return isinstance(parent.ops[0], ast.In | ast.NotIn)
    if isinstance(parent, ast.Call) and field == ARGS:
        return _is_name_argument(parent, node)
    return False


def _is_name_argument(call: ast.Call, node: ast.AST) -> bool:
    """An argument that names something: an attribute, a key, a protocol's command word."""
    name = last_name(call.func)
    if name in _COMMAND_METHODS and isinstance(call.func, ast.Attribute):
        return True
    if name in _ATTRIBUTE_FUNCTIONS:
        return _argument_index(call, node) == 1
    return name in _KEY_METHODS and _argument_index(call, node) == 0


def string_repeat_exempt(literal: Literal, options: Options) -> bool:
    """Whether a string's repetitions do not count for STD203."""
    value = literal.value
    assert isinstance(value, str)  # noqa: S101 - callers pass strings only
    if len(value) < options.repeated_string_min_length or not any(c.isalnum() for c in value):
        return True
    if in_configured_translation(literal, options):
        return True
    if value.lower() in COMMON_STRINGS or DUNDER.fullmatch(value):
        return True
    scope = literal.scope
    if scope.constant or scope.deep is not None or scope.log:
        return True  # log templates: a log search keys on their text
    if scope.default and not options.flag_default_arguments:
        return True
    return (
        _is_field_name(literal)
        or _is_cli_word(literal)
        or is_vocabulary_word(literal)
        or is_identifier_name(value)
    )


# Calls declaring command-line options: their `"--name"` strings name an option, and an
# argparse `action=` is a word of argparse's own vocabulary.
_CLI_DECLARATIONS = frozenset(
    {"add_argument", "add_option", "option", "Option", "argument", "Argument", "add_parser"}
)
# Calls whose positional arguments name a sub-command or a positional argument.
_CLI_NAMED_BY_ARGUMENT = frozenset({"add_parser", "argument", "Argument"})
_CLI_WORD_KEYWORDS = frozenset({"action", "dest", "metavar"})


def _is_cli_word(literal: Literal) -> bool:
    """An option's name (`"--model"`) or an argparse `action=`/`dest=` word."""
    parent, field, _ = _direct_parent(literal)
    value = str(literal.value)
    if isinstance(parent, ast.Call) and field == ARGS:
        return value.startswith("-") or last_name(parent.func) in _CLI_NAMED_BY_ARGUMENT
    if isinstance(parent, ast.keyword) and parent.arg in _CLI_WORD_KEYWORDS:
        grand = literal.parents[-2][0] if len(literal.parents) > 1 else None
        return isinstance(grand, ast.Call) and last_name(grand.func) in _CLI_DECLARATIONS
    return False


def in_configured_translation(literal: Literal, options: Options) -> bool:
    """Inside the arguments of a translation function the project configured."""
    names = options.translation_functions
    return bool(names) and any(
        isinstance(node, ast.Call) and field in (ARGS, KEYWORDS) and last_name(node.func) in names
        for node, field in literal.parents
    )


def _in_data_table(literal: Literal) -> bool:
    parent, _, _ = _direct_parent(literal)
    if isinstance(parent, ast.List | ast.Tuple | ast.Set):
        return len(parent.elts) >= MIN_TABLE_SIZE and _is_table(parent)
    if isinstance(parent, ast.Dict):
        return len(parent.keys) >= MIN_TABLE_SIZE and _is_table(parent)
    return False


class _LastTable:
    """The display `_is_table` looked at last, and its verdict: the literals of a display come
    one after the other, and reading the whole display again for each of them made a function
    with a table of 2,000 strings take 0.7 s (the display is held: its id is the key)."""

    entry: tuple[ast.AST, bool] | None = None


def _is_table(display: ast.AST) -> bool:
    entry = _LastTable.entry
    if entry is not None and entry[0] is display:
        return entry[1]
    verdict = is_data_display(display)
    _LastTable.entry = (display, verdict)
    return verdict


# Options with `flag_default_arguments` set, by the id of the options they copy (held, so the
# id stays theirs): a copy per literal cost more than the rest of the test.
_FLAGGING_DEFAULTS: dict[int, tuple[Options, Options]] = {}
MAX_FLAGGING_DEFAULTS = 64


def _flagging_defaults(options: Options) -> Options:
    known = _FLAGGING_DEFAULTS.get(id(options))
    if known is not None and known[0] is options:
        return known[1]
    copy = options.model_copy(update={"flag_default_arguments": True})
    if len(_FLAGGING_DEFAULTS) >= MAX_FLAGGING_DEFAULTS:
        _FLAGGING_DEFAULTS.clear()
    _FLAGGING_DEFAULTS[id(options)] = (options, copy)
    return copy


def is_repeat_candidate(literal: Literal, options: Options) -> bool:
    """Whether a literal counts towards STD203's repetitions."""
    if literal.is_fstring or not is_extractable(literal) or _in_data_table(literal):
        return False
    # a default repeated across signatures is a repeated value, even where one is not flagged
    options = _flagging_defaults(options)
    if literal.is_number:
        # a status code is STD201's (`HTTPStatus.X`): a protocol value, never a constant
        return number_exemption(literal, options) is None and not status_member_of(literal)
    return not string_repeat_exempt(literal, options)


def is_magic_number(literal: Literal, options: Options) -> bool:
    """Whether a literal is STD201's magic number."""
    scope = literal.scope
    return (
        literal.is_number
        and (scope.in_code or scope.default or _in_module_level_call(literal))
        and number_exemption(literal, options) is None
    )


def _in_module_level_call(literal: Literal) -> bool:
    """An argument of a call run at import time (`ToolRetryMiddleware(max_attempts=3)`): a
    setting as much as one inside a function."""
    if not literal.scope.module_level or literal.scope.constant:
        return False
    if any(field == DECORATOR_LIST for _, field in literal.parents):
        return False  # a decorator's arguments declare (`@lru_cache(maxsize=32)`)
    return any(
        isinstance(node, ast.Call) and field in (ARGS, KEYWORDS) for node, field in literal.parents
    ) or any(isinstance(node, ast.keyword) for node, _ in literal.parents)


def is_hardcoded_url(literal: Literal) -> bool:
    """Whether a literal is STD202's hard-coded URL or API path."""
    scope = literal.scope
    if not isinstance(literal.value, str) or not scope.in_function:
        return False
    if scope.log or scope.default or scope.deep in ("parametrize data", TRANSLATION):
        return False
    if any(field == DECORATOR_LIST for _, field in literal.parents):
        return False  # a route template declares where the function is served
    if _is_link_or_identifier(literal):
        return False
    return is_endpoint(literal.value)


_DOCS_HOST = re.compile(r"[a-z][a-z0-9+.-]*://(?:docs|developer|developers|help)\.", re.IGNORECASE)
# Keywords whose URLs identify rather than locate: OAuth scopes, JSON-schema ids.
_IDENTIFIER_KEYWORDS = frozenset({"scope", "scopes", "audience", "schema_id", "namespace"})


def _is_link_or_identifier(literal: Literal) -> bool:
    """A documentation link shown to a reader (`https://docs.datadoghq.com/...`), a URL that
    names (an OAuth scope in `scopes=[...]`), or one searched for as text (`"https://errors.
    pydantic.dev" not in line`): none is an endpoint the code connects to."""
    if _DOCS_HOST.match(str(literal.value)):
        return True
    parent, field = literal.parent
    if isinstance(parent, ast.Compare) and field == LEFT:
        return isinstance(parent.ops[0], ast.In | ast.NotIn)
    return any(
        isinstance(node, ast.keyword) and node.arg in _IDENTIFIER_KEYWORDS
        for node, _ in literal.parents
    )


def is_extractable(literal: Literal) -> bool:
    """Whether the extract refactoring may replace this literal by a name (never a translation
    message: the catalogue is extracted from the literal itself)."""
    if literal.scope.constant or literal.scope.deep == TRANSLATION:
        return False
    parent, _, _ = _direct_parent(literal)
    # `x is 5` compares identity: a name bound to an equal object may not be the same object
    return not (
        isinstance(parent, ast.Compare)
        and any(isinstance(op, ast.Is | ast.IsNot) for op in parent.ops)
    )


def status_member_of(literal: Literal) -> str:
    """The `HTTPStatus` member a number stands for, in a status role ("" otherwise)."""
    return status_member(literal.node, literal.value, literal.parents)
