"""Names for extracted constants, from the literal's context (best first).

1. a well-known unit conversion (`seconds * 1000` -> `MILLISECONDS_PER_SECOND`, `24 * 3600`
   -> `HOURS_PER_DAY` and `SECONDS_PER_HOUR`, `1024 ** 3` -> `BYTES_PER_KIB`);
2. the assignment target (`timeout = 30` -> `TIMEOUT`), or a dict display's key;
3. the keyword (`retry(max_attempts=5)` -> `MAX_ATTEMPTS`);
4. the compared or combined name, by the comparison's direction and never inverted
   (`if len(items) > 50: raise` -> `MAX_ITEMS`, `age >= 18` -> `MIN_AGE`,
   `43 <= len(v) <= 128` -> `MIN_V` and `MAX_V`; `amount * 0.025` ->
   `CALCULATE_FEE_RATE` inside `calculate_fee`);
5. for URLs, the host and path (`https://api.example.com/v1/users` -> `USERS_API_URL`); for
   other strings, their words (`"application/json"` -> `APPLICATION_JSON`);
6. the enclosing function (`<FUNCTION>_VALUE`), only when nothing else speaks, then the class, then a plain `VALUE`.
"""

from __future__ import annotations

import ast
import builtins
import keyword
import re
from functools import lru_cache
from urllib.parse import urlsplit

from rules.checks.constants.literals import ARGS, RIGHT, Literal, is_url, last_name
from rules.checks.constants.roles import OPTION_CALLS, parameter_name, role_of

_CAMEL_BOUNDARY = re.compile(r"(?<=[a-z0-9])(?=[A-Z])")
_NON_WORD = re.compile(r"[^0-9A-Za-z]+")
_VERSION_SEGMENT = re.compile(r"v\d+|\d+|api|rest")
MAX_NAME_WORDS = 4
MIN_NAME_LENGTH = 2
MAX_NAME_LENGTH = 40
_CLIMBABLE = (ast.BinOp, ast.UnaryOp, ast.IfExp)
# `min(65536, limit)`, `max(0.1, x)`: a bound of the value they compute, named by its target.
_BOUNDING = frozenset({"min", "max"})
_BUILTIN_NAMES = frozenset(dir(builtins))
_HOST_NOISE = frozenset({"www", "api", "com", "org", "net", "io", "localhost"})
_CONVERTING = (ast.Mult, ast.Div, ast.FloorDiv, ast.Pow)
_SLEEPERS = frozenset({"sleep", "wait", "settimeout"})
_OPERATOR_SUFFIXES: dict[type[ast.operator], str] = {
    ast.Mult: "FACTOR",
    ast.Div: "DIVISOR",
    ast.FloorDiv: "DIVISOR",
    ast.Add: "OFFSET",
    ast.Sub: "OFFSET",
    ast.Mod: "MODULUS",
    ast.Pow: "EXPONENT",
}
# A path's last segment this short, or a format word, names nothing alone.
MIN_SEGMENT_LENGTH = 3
COUNTRY_CODE_LENGTH = 2  # a country-code top-level domain (`.cn`)
_FORMAT_SEGMENTS = frozenset({"json", "xml", "txt", "value", "values", "data", "download"})
# Names a URL gets when nothing in it speaks: its role names it instead.
_GENERIC_URL_NAMES = frozenset({"URL", "API_URL", "API_PATH"})
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


# Names the naming strategies spell again and again (each strategy of `propose_name` reads the
# same value): remembered, they are pure functions of a string. Only short ones: a memo of
# every string literal's value could hold megabytes of text no check needs any more.
NAME_MEMO_SIZE = 4096
MAX_MEMOISED_NAME = 120


def upper_snake(name: str) -> str:
    """`maxAttempts`, `max-attempts`, `_max_attempts` -> `MAX_ATTEMPTS` ("" if no word)."""
    if len(name) > MAX_MEMOISED_NAME:
        return _upper_snake(name)
    return _memoised_upper_snake(name)


def _upper_snake(name: str) -> str:
    spaced = _CAMEL_BOUNDARY.sub("_", name)
    words = [word for word in _NON_WORD.split(spaced) if word]
    return "_".join(words).upper()


_memoised_upper_snake = lru_cache(maxsize=NAME_MEMO_SIZE)(_upper_snake)


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
        bounding = isinstance(parent, ast.Call) and last_name(parent.func) in _BOUNDING
        if not isinstance(parent, _CLIMBABLE) and not bounding:
            return parent, field, below
        below = parent
    return literal.node, "", literal.node


def _from_assignment(literal: Literal) -> str:
    parent, field, below = _climb(literal)
    if field != "value" and not (isinstance(parent, ast.Dict) and field == "values"):
        return ""
    if isinstance(parent, ast.Assign) and len(parent.targets) == 1:
        return _assigned_name(_target_name(parent.targets[0]), below, literal)
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


_TEMPLATE_FIELD = re.compile(r"%[sdrf]|\{\w*\}")
_TEMPLATE_WORDS = ("TEMPLATE", "FORMAT", "PATTERN")


def _from_template_assignment(literal: Literal) -> str:
    """`filename = "%s-%s.zip" % (...)` -> FILENAME_TEMPLATE: the constant is the template."""
    value = literal.value
    if not isinstance(value, str) or not _TEMPLATE_FIELD.search(value):
        return ""
    name = upper_snake(_from_assignment(literal))
    if not name or name.endswith(_TEMPLATE_WORDS):
        return ""
    return f"{name}_TEMPLATE"


# Targets that count tries: their number is the most allowed (`retry = 5` -> MAX_RETRIES).
_TRIES = {"retry": "MAX_RETRIES", "retries": "MAX_RETRIES", "attempts": "MAX_ATTEMPTS"}


def _assigned_name(target: str, value: ast.AST, literal: Literal) -> str:
    if value is not literal.node and target in _names_in(value):
        return ""  # `score = score / 10`: the target says nothing of the number
    return _limit_name(target, literal)


def _names_in(node: ast.AST) -> set[str]:
    return {
        last_name(inner) for inner in ast.walk(node) if isinstance(inner, ast.Name | ast.Attribute)
    }


def _limit_name(target: str, literal: Literal) -> str:
    """A target named by what bounds it: `min(0.35, x)` caps (MAX_), `max(0.1, x)` floors
    (MIN_); a count of tries is a maximum."""
    if target.lower() in _TRIES:
        return _TRIES[target.lower()]
    for parent, _ in reversed(literal.parents):
        if isinstance(parent, ast.Call) and last_name(parent.func) in _BOUNDING:
            return f"{MAX if last_name(parent.func) == 'min' else MIN}_{target}"
        if not isinstance(parent, _CLIMBABLE):
            break
    return target


def _from_slice(literal: Literal) -> str:
    """`text[:200]` -> MAX_TEXT_LENGTH: a slice bound truncates what it slices."""
    parents = literal.parents
    if len(parents) < 2 or not isinstance(parents[-1][0], ast.Slice):  # noqa: PLR2004
        return ""
    subscript = parents[-2][0]
    if not isinstance(subscript, ast.Subscript):
        return ""
    if any(isinstance(node, ast.FormattedValue) for node, _ in parents):
        return "PREVIEW_LENGTH"  # `f"{text[:20]}..."`: how much a message shows
    name = _operand_name(subscript.value)
    return f"MAX_{name}_LENGTH" if name else "MAX_LENGTH"


# Positional parameters of well-known callables, by position: what a number passed there is.
_POSITIONAL_PARAMETERS: dict[str, tuple[str, ...]] = {
    "to_bytes": ("INT_SIZE_BYTES",),
    "wait_for": ("", "TIMEOUT_SECONDS"),
    "tee": ("", "TEE_COPIES"),
    "permutations": ("", "PERMUTATION_LENGTH"),
    "combinations": ("", "COMBINATION_LENGTH"),
    "randint": ("MIN_RANDOM", "MAX_RANDOM"),
    "ljust": ("WIDTH",),
    "rjust": ("WIDTH",),
    "center": ("WIDTH",),
    "zfill": ("WIDTH",),
    "read": ("READ_SIZE",),
    "read1": ("READ_SIZE",),
    "recv": ("BUFFER_SIZE",),
    "ThreadPoolExecutor": ("MAX_WORKERS",),
    "Semaphore": ("MAX_CONCURRENCY",),
    "BoundedSemaphore": ("MAX_CONCURRENCY",),
}


def _option_default_name(call: ast.Call, below: ast.AST) -> str:
    """`typer.Option(3, "--max-retries")`: the default of the option it declares."""
    if last_name(call.func) not in OPTION_CALLS or not call.args or call.args[0] is not below:
        return ""
    for argument in call.args[1:]:
        if isinstance(argument, ast.Constant) and str(argument.value).startswith("--"):
            return f"DEFAULT_{str(argument.value).lstrip('-')}"
    return ""


# Keywords of a configuration object named with its class: `Panel(width=80)` -> PANEL_WIDTH.
_CLASS_QUALIFIED = frozenset({"width", "height", "padding", "margin"})


def _keyword_name(keyword_node: ast.keyword, literal: Literal) -> str:
    """`timeout=30` -> TIMEOUT; `httpx.Timeout(read=5.0)` -> READ_TIMEOUT (several timeouts
    stand in one call); `Panel(width=80)` -> PANEL_WIDTH."""
    name = keyword_node.arg or ""
    call = next((node for node, _ in reversed(literal.parents) if isinstance(node, ast.Call)), None)
    called = last_name(call.func) if call is not None else ""
    if called.endswith("Timeout") and "timeout" not in name.lower():
        return f"{name}_TIMEOUT"
    if name in _CLASS_QUALIFIED and called[:1].isupper():
        return f"{called}_{name}"
    return name


def _from_keyword(literal: Literal) -> str:
    parent, field, below = _climb(literal)
    if isinstance(parent, ast.keyword) and parent.arg:
        return _keyword_name(parent, literal)
    if isinstance(parent, ast.arguments):  # a parameter's default: the parameter names it
        return parameter_name(parent, field, below)
    if not isinstance(parent, ast.Call):
        return ""
    option = _option_default_name(parent, below)
    if option:
        return option
    called = last_name(parent.func)
    if called in _SLEEPERS:
        in_loop = any(isinstance(node, ast.While) for node, _ in literal.parents)
        return "POLL_INTERVAL_SECONDS" if in_loop else f"{called}_SECONDS"
    return _positional_parameter(called, parent, field, below)


def _positional_parameter(called: str | None, call: ast.Call, field: str, below: ast.AST) -> str:
    """The name of the parameter a positional argument fills, for the functions known."""
    names = _POSITIONAL_PARAMETERS.get(called or "", ())
    if not names or field != ARGS:
        return ""  # no scan of the arguments for nothing: quadratic on a call with thousands
    index = next((i for i, argument in enumerate(call.args) if argument is below), -1)
    return names[index] if 0 <= index < len(names) else ""


def _operand_name(node: ast.AST) -> str:
    """`items`, `len(items)`, `self.items`, `data.get("rating")`, `row["rating"]`,
    `self.items[0]` -> the name of what is compared or combined."""
    if isinstance(node, ast.Call) and node.args:
        if last_name(node.func) == "len":
            return _operand_name(node.args[0])
        key = node.args[0]
        if last_name(node.func) == "get" and isinstance(key, ast.Constant):
            return str(key.value)
    if isinstance(node, ast.Subscript):
        key = node.slice
        if isinstance(key, ast.Constant) and isinstance(key.value, str):
            return key.value
        return _operand_name(node.value)
    if isinstance(node, ast.Name | ast.Attribute | ast.Call):
        return last_name(node)
    return ""


_GUARD_EXITS = (ast.Raise, ast.Continue, ast.Break)


def _is_rejection(statement: ast.stmt) -> bool:
    """A statement that rejects: raise, continue, break, or a bare `return`/`return None`/
    `return False` (a returned value is an answer, not a rejection)."""
    if isinstance(statement, _GUARD_EXITS):
        return True
    if isinstance(statement, ast.AugAssign) and isinstance(statement.op, ast.Sub):
        return True  # `if fraction > 0.45: score -= ...`: a penalty for leaving the range
    if isinstance(statement, ast.Return):
        value = statement.value
        return value is None or (isinstance(value, ast.Constant) and value.value in (None, False))
    return False


def _is_guard(compare: ast.Compare, literal: Literal) -> bool:
    """`if len(items) > 50: raise ...`: the test names what is *not* allowed."""
    for parent, field in reversed(literal.parents):
        if parent is compare or isinstance(parent, ast.BoolOp):
            continue  # `if a and (x < 1 or x > 5): raise`
        if isinstance(parent, ast.If) and field == "test":
            return bool(parent.body) and _is_rejection(parent.body[0])
        return False
    return False


def _compare_prefix(operator: ast.cmpop, literal_on_right: bool, guard: bool) -> str:
    """MIN or MAX for the literal bound of `operand OP literal` (or `literal OP operand`).

    Written with the literal on the right, an allowed range reads `x < N`/`x <= N` (N is the
    MAX) or `x > N`/`x >= N` (N is the MIN); a guard (`if x > N: raise`) states the opposite."""
    if not isinstance(operator, ast.Lt | ast.LtE | ast.Gt | ast.GtE):
        return "EXPECTED"
    below = isinstance(operator, ast.Lt | ast.LtE)  # the operand is below the literal
    if not literal_on_right:
        below = not below
    if guard:
        below = not below
    return MAX if below else MIN


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
    guard = len(parent.ops) == 1 and _is_guard(parent, literal)
    return f"{_compare_prefix(operator, index > other_index, guard)}_{other}"


# Well-known conversion factors: value -> (name, words one of which the context must mention;
# empty: the value alone says it).
_TIME_WORDS = (
    "sec",
    "ms",
    "milli",
    "time",
    "duration",
    "elapsed",
    "latency",
    "delay",
    "ts",
    "timeout",
    "interval",
    "age",
    "ttl",
    "minute",
    "hour",
    "day",
    "expir",
    "now",
)
_CONVERSIONS: dict[float, tuple[str, tuple[str, ...]]] = {
    60: ("SECONDS_PER_MINUTE", ()),
    3600: ("SECONDS_PER_HOUR", ()),
    86400: ("SECONDS_PER_DAY", ()),
    24: ("HOURS_PER_DAY", ("hour", "day")),
    1000: ("MILLISECONDS_PER_SECOND", _TIME_WORDS),
    1_000_000: ("MICROSECONDS_PER_SECOND", _TIME_WORDS),
    1_000_000_000: ("NANOSECONDS_PER_SECOND", _TIME_WORDS),
    1024: ("BYTES_PER_KIB", ()),
}


def _context_words(literal: Literal) -> str:
    """The names around a literal's arithmetic: its operands, what receives the result, and
    the enclosing function."""
    names = [literal.scope.function or ""]
    for parent, _ in reversed(literal.parents):
        if isinstance(parent, ast.BinOp):
            names.extend(_operand_name(side) for side in (parent.left, parent.right))
            continue
        if isinstance(parent, ast.keyword):
            names.append(parent.arg or "")
        elif isinstance(parent, ast.Assign):
            names.extend(_target_name(target) for target in parent.targets)
        elif isinstance(parent, ast.AnnAssign | ast.AugAssign):
            names.append(_target_name(parent.target))
        break
    return "_".join(name for name in names if name).lower()


MINUTES_PER_HOUR = 60
MAX_EPSILON = 1e-3
_SCALES = ("score", "rating")


def _from_arithmetic_idiom(literal: Literal) -> str:
    """`"-" * 40` -> SEPARATOR_WIDTH, `peak + 1e-6` -> EPSILON, `score / 10` -> MAX_SCORE,
    `total_minutes < 60` -> MINUTES_PER_HOUR."""
    parent, field = literal.parent
    value = literal.value
    if not isinstance(value, int | float) or isinstance(value, bool):
        return ""
    if isinstance(parent, ast.Compare):
        compared = "_".join(_operand_name(o) for o in [parent.left, *parent.comparators])
        is_hour = value == MINUTES_PER_HOUR and "minute" in compared.lower()
        return "MINUTES_PER_HOUR" if is_hour else ""
    if not isinstance(parent, ast.BinOp):
        return ""
    other = parent.left if field == RIGHT else parent.right
    name = _operand_name(other)
    repeated = other.value if isinstance(other, ast.Constant) else None
    candidates = (
        (isinstance(parent.op, ast.Mult) and isinstance(repeated, str), "SEPARATOR_WIDTH"),
        (isinstance(value, float) and 0 < abs(value) < MAX_EPSILON, "EPSILON"),
        (
            isinstance(parent.op, ast.Div) and field == RIGHT and name.lower().endswith(_SCALES),
            f"MAX_{name}",
        ),
    )
    return next((found for applies, found in candidates if applies), "")


def _from_conversion(literal: Literal) -> str:
    """`seconds * 1000` -> MILLISECONDS_PER_SECOND, `24 * 3600` -> HOURS_PER_DAY and
    SECONDS_PER_HOUR, `1024 ** 3` -> BYTES_PER_KIB."""
    parent, _ = literal.parent
    value = literal.value
    if not isinstance(parent, ast.BinOp) or not isinstance(parent.op, _CONVERTING):
        return ""
    if not isinstance(value, int | float) or isinstance(value, bool) or value not in _CONVERSIONS:
        return ""
    name, words = _CONVERSIONS[value]
    if words and not any(word in _context_words(literal) for word in words):
        return ""
    return name


def _from_combination(literal: Literal) -> str:
    parent, field = literal.parent
    if not isinstance(parent, ast.BinOp):
        return ""
    if isinstance(literal.value, str):  # `name + "_dataset"` -> DATASET_SUFFIX
        words = upper_snake(literal.value)
        if not words or not isinstance(parent.op, ast.Add):
            return ""
        return f"{words}_{'SUFFIX' if field == RIGHT else 'PREFIX'}"
    other = parent.left if field == RIGHT else parent.right
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


_NOISE_SEGMENT = re.compile(r"\$\w+|\d+x\d+|\d+")
_FILE_EXTENSION = re.compile(r"\.(?:txt|json|jsonl|csv|tsv|xml|zip|gz|tar|parquet)$", re.IGNORECASE)
_GENERIC_STEMS = frozenset({"test", "train", "dev", "validation", "data", "index", "main"})


def _is_noise_segment(segment: str) -> bool:
    """A path segment that names nothing: an OData `$value`, a size (`48x48`), a number, a
    format word (`json`)."""
    return _NOISE_SEGMENT.fullmatch(segment) is not None or segment.lower() in _FORMAT_SEGMENTS


def url_name(value: str) -> str:
    """`https://api.example.com/v1/users` -> `USERS_API_URL`; `/v1/orders` -> `ORDERS_API_PATH`."""
    try:
        parts = urlsplit(value)
    except ValueError:  # `r"s3://[^/]+/.*"`: a pattern, not a URL
        return "URL_PATTERN"
    segments = [
        segment
        for segment in parts.path.split("/")
        if segment and "{" not in segment and "%" not in segment
    ]
    words = [segment for segment in segments if not _VERSION_SEGMENT.fullmatch(segment.lower())]
    noisy = bool(words) and _is_noise_segment(words[-1])
    while words and _is_noise_segment(words[-1]):  # `.../photos/48x48/$value`
        words.pop()
    if words:
        words[-1] = _FILE_EXTENSION.sub("", words[-1])
        if words[-1].lower() in _GENERIC_STEMS and len(words) > 1:  # `.../LOGIQA/test.txt`
            words[-1] = f"{words[-2]}_{words[-1]}"
    host_words = [
        word for word in (parts.hostname or "").split(".") if word and word not in _HOST_NOISE
    ]
    is_api = (parts.hostname or "").startswith("api.") or any(
        _VERSION_SEGMENT.fullmatch(segment.lower()) for segment in segments
    )
    last = _NON_WORD.sub("", words[-1]) if words else ""
    host = _words(host_words[0] if host_words else "", URL_NAME_VALUE_2)
    # no path to speak: the domain names the service (`api.endpoints.anyscale.com` -> ANYSCALE)
    labels = (
        host_words[:-1]
        if len(host_words) > 1 and len(host_words[-1]) == COUNTRY_CODE_LENGTH
        else host_words
    )
    domain = _words(labels[-1] if labels else "", URL_NAME_VALUE_2)
    subject = _words(words[-1], URL_NAME_VALUE) if words else domain
    short = len(last) < MIN_SEGMENT_LENGTH or last.lower() in _FORMAT_SEGMENTS
    if words and (short or noisy) and host:
        subject = f"{host}_{subject}"  # `.../me`, `.../deepeval/json`: the host says more
    if not parts.scheme:
        return f"{subject}_API_PATH" if subject else "API_PATH"
    kind = "API_URL" if is_api else "URL"
    return f"{subject}_{kind}" if subject else kind


_STOP_WORDS = frozenset(
    {
        "THE", "A", "AN", "BE", "MUST", "IS", "ARE", "WAS", "WERE", "TO", "OF", "FOR",
        "PLEASE", "CAN", "PER", "AND", "OR", "IN", "ON", "WITH", "THIS", "THAT", "IT", "BY",
    }
)  # fmt: skip
_SENTENCE_WORD = re.compile(r"[A-Za-z][\w()'-]*")
MIN_MESSAGE_TAIL = 2


def message_name(value: str) -> str:
    """A sentence's name: its first content words and MESSAGE (`"The evaluate() run was not
    configured..."` -> EVALUATE_RUN_NOT_CONFIGURED_MESSAGE); a leading run of proper names is
    skipped (`"OpenAI Realtime STT connection closed unexpectedly"` ->
    CONNECTION_CLOSED_UNEXPECTEDLY_MESSAGE)."""
    words = _SENTENCE_WORD.findall(value)
    lead = next((i for i, word in enumerate(words) if word[0].islower()), len(words))
    if lead > 1 and len(words) - lead >= MIN_MESSAGE_TAIL:
        words = words[lead:]
    upper = [w for w in upper_snake("_".join(words)).split("_") if w and w not in _STOP_WORDS]
    if not upper:
        return ""
    kept = upper[:MAX_NAME_WORDS]
    return "_".join(kept if kept[-1] == "MESSAGE" else [*kept, "MESSAGE"])


_MIME = re.compile(r"(?:text|application|image|audio|video)/([\w.+-]+)")
_PLACEHOLDER = re.compile(r"[(<\[]\s*([A-Za-z][\w ]*?)\s*[)>\]]")
_AFFIX_WORD = re.compile(r"[A-Za-z][A-Za-z0-9 ]*")
_AFFIX_MARKS = "_:.-/"
_AFFIX_METHODS = {"startswith": "PREFIX", "endswith": "SUFFIX", "removeprefix": "PREFIX"}
_AFFIX_METHODS["removesuffix"] = "SUFFIX"
_ERROR_CLASS = re.compile(r"\w*(?:Error|Exception|Warning)")


def _affix_name(literal: Literal, value: str) -> str:
    """`"item_"` -> ITEM_PREFIX, `":optional"` -> OPTIONAL_SUFFIX, the argument of
    `startswith("<frozen importlib")` -> FROZEN_IMPORTLIB_PREFIX."""
    parent, field = literal.parent
    if isinstance(parent, ast.Call) and field == ARGS and isinstance(parent.func, ast.Attribute):
        kind = _AFFIX_METHODS.get(parent.func.attr)
        words = upper_snake(value)
        if kind and words:
            return f"{words}_{kind}"
    core = value.strip(_AFFIX_MARKS)
    if core == value or not _AFFIX_WORD.fullmatch(core):
        return ""
    if value[0] in _AFFIX_MARKS and value[-1] not in _AFFIX_MARKS:
        return f"{upper_snake(core)}_SUFFIX"
    if value[-1] in _AFFIX_MARKS and value[0] not in _AFFIX_MARKS:
        return f"{upper_snake(core)}_PREFIX"
    return ""


def _from_value_form(literal: Literal) -> str:
    """Names a string's form gives: an affix, a placeholder (`"(none)"` ->
    NONE_PLACEHOLDER), an exception's message (`RuntimeError("unreachable")` ->
    UNREACHABLE_MESSAGE), a format spec (`format(score, ".2f")` -> SCORE_FORMAT)."""
    value = literal.value
    if not isinstance(value, str) or is_url(value):
        return ""
    affix = _affix_name(literal, value)
    if affix:
        return affix
    placeholder = _PLACEHOLDER.fullmatch(value)
    if placeholder:
        return f"{upper_snake(placeholder.group(1))}_PLACEHOLDER"
    return _from_call_argument(literal, value)


def _from_call_argument(literal: Literal, value: str) -> str:
    parent, field = literal.parent
    if isinstance(parent, ast.Call) and field == ARGS:
        called = last_name(parent.func)
        index = next((i for i, a in enumerate(parent.args) if a is literal.node), -1)
        if _ERROR_CLASS.fullmatch(called) and index == 0:
            return message_name(value)
        if called == "format" and index == 1 and isinstance(parent.func, ast.Name):
            operand = _operand_name(parent.args[0])
            return f"{operand}_FORMAT" if operand else "FORMAT_SPEC"
        if called == "get" and index == 1:  # `data.get("version", "1.0")`
            key = parent.args[0]
            if isinstance(key, ast.Constant) and isinstance(key.value, str):
                return f"DEFAULT_{key.value}"
    return ""


def _from_path_segment(literal: Literal) -> str:
    """`Path(__file__).parent / "openapi"` -> OPENAPI_DIR: a folder joined to a path."""
    parent, _ = literal.parent
    value = literal.value
    if not isinstance(parent, ast.BinOp) or not isinstance(parent.op, ast.Div):
        return ""
    if not isinstance(value, str) or "." in value or not _AFFIX_WORD.fullmatch(value):
        return ""
    return f"{upper_snake(value)}_DIR"


def _from_value(literal: Literal) -> str:
    value = literal.value
    if not isinstance(value, str):
        return ""
    if is_url(value):
        return url_name(value)
    mime = _MIME.fullmatch(value)
    if mime:
        return f"{upper_snake(mime.group(1))}_CONTENT_TYPE"
    words = upper_snake(value).split("_")
    if not words or not words[0] or not any(c.isalpha() for c in value):
        return ""
    if len(words) > MAX_NAME_WORDS:
        return message_name(value)
    return "_".join(words)


def _fallback(literal: Literal) -> str:
    suffix = VALUE if literal.is_number else "TEXT"
    owner = literal.scope.function or literal.scope.class_name or ""
    return f"{owner}_{suffix}" if owner else suffix


def propose_name(literal: Literal, prefer_value: bool = False) -> str:
    """The best name the literal's context suggests, as UPPER_SNAKE (not yet made unique).

    `prefer_value`: name a string by its words first (for a value repeated in many contexts).
    """
    strategies = (
        _from_conversion,
        _from_arithmetic_idiom,
        _from_slice,
        _from_value_form,
        _from_path_segment,
        _from_template_assignment,
        _from_assignment,
        _from_keyword,
        _from_comparison,
        _from_combination,
        _from_value,
    )
    if isinstance(literal.value, str) and _from_combination(literal):
        strategies = (_from_combination, *strategies)
    value = literal.value
    generic_url = isinstance(value, str) and is_url(value) and url_name(value) in _GENERIC_URL_NAMES
    if isinstance(value, str) and (prefer_value or is_url(value)) and not generic_url:
        strategies = (_from_value, *strategies)
    if _from_value_form(literal) or _from_path_segment(literal):
        strategies = (_from_value_form, _from_path_segment, *strategies)
    for strategy in (*strategies, _fallback):
        name = valid_constant_name(strategy(literal))
        if len(name) >= MIN_NAME_LENGTH:  # `x = 5` says nothing: `X` would not either
            return name
    return VALUE


_PLAIN_WORDS = re.compile(r"[A-Za-z]+(?:[ _][A-Za-z]+)*")
VALUE_ROLE = "value"


# Role names too generic to name a value: the called function's noun names it instead
# (`add_dimension(name="service")` -> SERVICE_DIMENSION).
_GENERIC_ROLES = frozenset(
    {"name", "value", "text", "key", "id", "label", "title", "data", "content", "arg", "s", "x"}
)
_ROLE_NOISE = re.compile(r"_(?:lower|upper|lowered|normalized|normalised|str)$")
_SINGULAR = {"classes": "class", "styles": "style", "names": "name"}
_NAMED_WORD = re.compile(r"[A-Za-z][a-z0-9]*(?:[ -][A-Za-z][a-z0-9]*){0,2}")
_NAMED_KINDS = ("keyword", "compared", "assigned", "key")


def _constructed_noun(literal: Literal) -> str:
    """`Spinner("dots", ...)` -> SPINNER: the first argument of a class names one of its kind."""
    parent, field = literal.parent
    if not isinstance(parent, ast.Call) or field != ARGS or parent.args[:1] != [literal.node]:
        return ""
    called = last_name(parent.func)
    if not called[:1].isupper() or _ERROR_CLASS.fullmatch(called):
        return ""
    return called


def _role_noun(literal: Literal, role: str) -> str:
    kind, _, names = role.partition(":")
    if kind == VALUE_ROLE:
        return _constructed_noun(literal)
    noun = names.split(",")[0].removeprefix("len:").rpartition(".")[2].lstrip("_")
    if kind not in _NAMED_KINDS or not noun:
        return ""
    noun = _SINGULAR.get(noun, _ROLE_NOISE.sub("", noun))
    if len(noun) < MIN_SEGMENT_LENGTH:  # `a = "pending"`: `a` says nothing
        return ""
    if noun.lower() not in _GENERIC_ROLES:
        return noun
    call = next((n for n, _ in reversed(literal.parents) if isinstance(n, ast.Call)), None)
    called = last_name(call.func) if call is not None else ""
    verb, _, rest = called.rpartition("_")
    return rest if verb and rest else ""


def _word_in_role(literal: Literal, role: str) -> str:
    """`style="dim"` -> DIM_STYLE, `provider == "anthropic"` -> ANTHROPIC_PROVIDER,
    `{"message": "Not found"}` -> NOT_FOUND_MESSAGE: a word names what it is, its role what
    it is for (a word alone restates the value: `DIM = "dim"`)."""
    value = literal.value
    if not isinstance(value, str):
        return ""
    mime = _MIME.fullmatch(value)
    if mime is None and not _NAMED_WORD.fullmatch(value):
        return ""
    words = upper_snake(mime.group(1) if mime else value)
    noun = upper_snake(_role_noun(literal, role_of(literal)) or _role_noun(literal, role))
    if not words or not noun:
        return ""
    if words == noun or words.endswith(f"_{noun}"):
        return words
    return f"{words}_{noun}"


def group_name(literal: Literal, role: str) -> str:
    """The name of a constant replacing every occurrence of a value in one role: a word with
    its role (`style="dim"` -> `DIM_STYLE`); a string of plain words names itself
    (`"pending"` -> `PENDING`); otherwise the role names it (`model="gpt-4o-mini"` -> `MODEL`)
    when something names the role."""
    value = literal.value
    if not _from_value_form(literal) and not _from_path_segment(literal):
        named = valid_constant_name(_word_in_role(literal, role))
        if len(named) >= MIN_NAME_LENGTH:
            return named
    plain = isinstance(value, str) and _PLAIN_WORDS.fullmatch(value) is not None
    return propose_name(literal, prefer_value=plain or role == VALUE_ROLE)


def valid_constant_name(name: str) -> str:
    """`name` as a valid UPPER_SNAKE identifier (bounded length), or "" if nothing is left."""
    if len(name) > MAX_MEMOISED_NAME:
        return _valid_constant_name(name)
    return _memoised_valid_constant_name(name)


def _valid_constant_name(name: str) -> str:
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


_memoised_valid_constant_name = lru_cache(maxsize=NAME_MEMO_SIZE)(_valid_constant_name)


def unique_name(base: str, taken: set[str]) -> str:
    """`base`, or `base_2`, `base_3`, ... : the first that no name in `taken` nor a builtin is."""
    candidate = base
    counter = COUNTER
    while candidate in taken or candidate in _BUILTIN_NAMES or keyword.iskeyword(candidate):
        candidate = f"{base}_{counter}"
        counter += 1
    return candidate
