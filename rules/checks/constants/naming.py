"""Names for extracted constants, from the literal's context (best first).

1. the assignment target (`timeout = 30` -> `TIMEOUT`), or a dict display's key;
2. the keyword (`retry(max_attempts=5)` -> `MAX_ATTEMPTS`);
3. the compared or combined name (`len(items) > 50` -> `MAX_ITEMS`, `amount * 0.025` ->
   `CALCULATE_FEE_RATE` inside `calculate_fee`);
4. for URLs, the host and path (`https://api.example.com/v1/users` -> `USERS_API_URL`); for
   other strings, their words (`"application/json"` -> `APPLICATION_JSON`);
5. the enclosing function (`<FUNCTION>_VALUE`), then the class, then a plain `VALUE`.
"""

from __future__ import annotations

import ast
import builtins
import keyword
import re
from urllib.parse import urlsplit

from rules.checks.constants.literals import Literal, is_url, last_name

_CAMEL_BOUNDARY = re.compile(r"(?<=[a-z0-9])(?=[A-Z])")
_NON_WORD = re.compile(r"[^0-9A-Za-z]+")
_VERSION_SEGMENT = re.compile(r"v\d+|\d+|api|rest")
MAX_NAME_WORDS = 4
MAX_NAME_LENGTH = 40
_CLIMBABLE = (ast.BinOp, ast.UnaryOp)
_BUILTIN_NAMES = frozenset(dir(builtins))
_HOST_NOISE = frozenset({"www", "api", "com", "org", "net", "io", "localhost"})
_SLEEPERS = frozenset({"sleep", "wait", "wait_for", "settimeout"})
_OPERATOR_SUFFIXES: dict[type[ast.operator], str] = {
    ast.Mult: "FACTOR",
    ast.Div: "DIVISOR",
    ast.FloorDiv: "DIVISOR",
    ast.Add: "OFFSET",
    ast.Sub: "OFFSET",
    ast.Mod: "MODULUS",
    ast.Pow: "EXPONENT",
}
MAX = "MAX"
MIN = "MIN"
URL_NAME_VALUE = 3
URL_NAME_VALUE_2 = 2
VALUE = "VALUE"
COUNTER = 2


def extract_title(display: str, name: str, count: int = 1) -> str:
    """The title of an extract action (`count` > 1: the extract-all variant)."""
    if count > 1:
        return f"Extract all {count} occurrences of `{display}` to module constant `{name}`"
    return f"Extract `{display}` to module constant `{name}`"


def upper_snake(name: str) -> str:
    """`maxAttempts`, `max-attempts`, `_max_attempts` -> `MAX_ATTEMPTS` ("" if no word)."""
    spaced = _CAMEL_BOUNDARY.sub("_", name)
    words = [word for word in _NON_WORD.split(spaced) if word]
    return "_".join(words).upper()


def _words(name: str, limit: int = MAX_NAME_WORDS) -> str:
    return "_".join(upper_snake(name).split("_")[:limit])


def _target_name(node: ast.AST) -> str:
    if isinstance(node, ast.Name | ast.Attribute):
        return last_name(node)
    if isinstance(node, ast.Subscript):
        key = node.slice
        if isinstance(key, ast.Constant) and isinstance(key.value, str):
            return key.value
    return ""


def _climb(literal: Literal) -> tuple[ast.AST, str, ast.AST]:
    """The first ancestor that is not arithmetic, its field, and the node directly below it."""
    below: ast.AST = literal.node
    for parent, field in reversed(literal.parents):
        if not isinstance(parent, _CLIMBABLE):
            return parent, field, below
        below = parent
    return literal.node, "", literal.node


def _from_assignment(literal: Literal) -> str:
    parent, field, below = _climb(literal)
    if field != "value" and not (isinstance(parent, ast.Dict) and field == "values"):
        return ""
    if isinstance(parent, ast.Assign) and len(parent.targets) == 1:
        return _target_name(parent.targets[0])
    if isinstance(parent, ast.AnnAssign | ast.NamedExpr):
        return _target_name(parent.target)
    if isinstance(parent, ast.AugAssign):
        name = _target_name(parent.target)
        return f"{name}_STEP" if name else ""
    if isinstance(parent, ast.Dict):
        index = next((i for i, value in enumerate(parent.values) if value is below), -1)
        key = parent.keys[index] if index >= 0 else None
        if isinstance(key, ast.Constant) and isinstance(key.value, str):
            return key.value
    return ""


def _from_keyword(literal: Literal) -> str:
    parent, _, _ = _climb(literal)
    if isinstance(parent, ast.keyword) and parent.arg:
        return parent.arg
    if isinstance(parent, ast.Call) and last_name(parent.func) in _SLEEPERS:
        return f"{last_name(parent.func)}_SECONDS"
    return ""


def _operand_name(node: ast.AST) -> str:
    if isinstance(node, ast.Call) and last_name(node.func) == "len" and node.args:
        return _operand_name(node.args[0])
    if isinstance(node, ast.Name | ast.Attribute | ast.Call):
        return last_name(node)
    return ""


def _compare_prefix(operator: ast.cmpop, literal_on_right: bool) -> str:
    if isinstance(operator, ast.Gt | ast.GtE):
        return MAX if literal_on_right else MIN
    if isinstance(operator, ast.Lt | ast.LtE):
        return MIN if literal_on_right else MAX
    return "EXPECTED"


def _from_comparison(literal: Literal) -> str:
    parent, field = literal.parent
    node = literal.node
    if not isinstance(parent, ast.Compare):
        return ""
    operands = [parent.left, *parent.comparators]
    index = next((i for i, operand in enumerate(operands) if operand is node), -1)
    if index < 0 or field not in {"left", "comparators"}:
        return ""
    other_index = index - 1 if index > 0 else 1
    other = _operand_name(operands[other_index])
    if not other:
        return ""
    operator = parent.ops[min(index, other_index)]
    return f"{_compare_prefix(operator, index > other_index)}_{other}"


def _from_combination(literal: Literal) -> str:
    parent, field = literal.parent
    if not isinstance(parent, ast.BinOp):
        return ""
    other = parent.left if field == "right" else parent.right
    other_name = _operand_name(other)
    value = literal.value
    is_fraction = isinstance(value, float) and 0 < abs(value) < 1
    if is_fraction and isinstance(parent.op, ast.Mult | ast.Div):
        owner = literal.scope.function or other_name
        return f"{owner}_RATE" if owner else ""
    suffix = _OPERATOR_SUFFIXES.get(type(parent.op))
    if other_name and suffix:
        return f"{other_name}_{suffix}"
    return ""


def url_name(value: str) -> str:
    """`https://api.example.com/v1/users` -> `USERS_API_URL`; `/v1/orders` -> `ORDERS_API_PATH`."""
    parts = urlsplit(value)
    segments = [
        segment
        for segment in parts.path.split("/")
        if segment and "{" not in segment and "%" not in segment
    ]
    words = [segment for segment in segments if not _VERSION_SEGMENT.fullmatch(segment.lower())]
    host_words = [
        word for word in (parts.hostname or "").split(".") if word and word not in _HOST_NOISE
    ]
    is_api = (parts.hostname or "").startswith("api.") or any(
        _VERSION_SEGMENT.fullmatch(segment.lower()) for segment in segments
    )
    subject = (
        _words(words[-1], URL_NAME_VALUE)
        if words
        else _words(host_words[0] if host_words else "", URL_NAME_VALUE_2)
    )
    if not parts.scheme:
        return f"{subject}_API_PATH" if subject else "API_PATH"
    kind = "API_URL" if is_api else "URL"
    return f"{subject}_{kind}" if subject else kind


def _from_value(literal: Literal) -> str:
    value = literal.value
    if not isinstance(value, str):
        return ""
    if is_url(value):
        return url_name(value)
    words = upper_snake(value).split("_")
    if not words or not words[0]:
        return ""
    if len(words) > MAX_NAME_WORDS:
        return "_".join([*words[:MAX_NAME_WORDS], "MESSAGE"])
    return "_".join(words)


def _fallback(literal: Literal) -> str:
    suffix = VALUE if literal.is_number else "TEXT"
    owner = literal.scope.function or literal.scope.class_name or ""
    return f"{owner}_{suffix}" if owner else suffix


def propose_name(literal: Literal, prefer_value: bool = False) -> str:
    """The best name the literal's context suggests, as UPPER_SNAKE (not yet made unique).

    `prefer_value`: name a string by its words first (for a value repeated in many contexts).
    """
    strategies = (_from_assignment, _from_keyword, _from_comparison, _from_combination, _from_value)
    if isinstance(literal.value, str) and (prefer_value or is_url(literal.value)):
        strategies = (_from_value, *strategies)
    for strategy in (*strategies, _fallback):
        name = valid_constant_name(strategy(literal))
        if name:
            return name
    return VALUE


def valid_constant_name(name: str) -> str:
    """`name` as a valid UPPER_SNAKE identifier (bounded length), or "" if nothing is left."""
    upper = upper_snake(name)
    if not upper:
        return ""
    while len(upper) > MAX_NAME_LENGTH and "_" in upper:
        upper = upper.rpartition("_")[0]
    upper = upper[:MAX_NAME_LENGTH]
    if upper[0].isdigit():
        upper = f"VALUE_{upper}"
    if keyword.iskeyword(upper) or upper in _BUILTIN_NAMES:
        upper = f"{upper}_VALUE"
    return upper if upper.isidentifier() else ""


def unique_name(base: str, taken: set[str]) -> str:
    """`base`, or `base_2`, `base_3`, ... : the first that no name in `taken` nor a builtin is."""
    candidate = base
    counter = COUNTER
    while candidate in taken or candidate in _BUILTIN_NAMES or keyword.iskeyword(candidate):
        candidate = f"{base}_{counter}"
        counter += 1
    return candidate
