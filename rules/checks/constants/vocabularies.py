"""Words of external APIs' fixed vocabularies: values STD203 does not count as repeated.

A value is a word of a vocabulary when the API defines it, so it never changes on its own and a
constant would only restate it (`USER = "user"`). The rule, as a reviewer would apply it:

1. the value of a keyword, a dict key or a compared field that the API defines as an
   enumeration, when the value is one of that enumeration's words: chat roles
   (`role="user"`), message part and JSON-schema types (`{"type": "text"}`), IAM effects
   (`Effect="Allow"`), pydantic validator modes (`mode="before"`), CloudWatch statistics and
   units (`statistic="Sum"`), HTTP methods, rich's `justify=`/`overflow=` words,
   `tool_choice="auto"`;
2. a value whose form is the vocabulary's own: an IAM action (`"lambda:InvokeFunction"`), a
   CloudWatch namespace (`"AWS/Lambda"`), a bare URL scheme tested as a prefix (`"https://"`);
3. an AWS service name given to `boto3.client(...)`, `.resource(...)`, a `_client(...)` helper,
   or as `service_name=`;
4. a word under a discriminating keyword, key or field (`type="realtime"`,
   `rel.kind == "child"`): a member of a typed union; an HTTP method passed positionally
   (`request("POST", path)`);
5. an event name given to an event emitter's `on`/`off`/`once`/`emit` (a typed event API);
6. a value compared with a parameter whose annotation is a `Literal[...]` listing it: the type
   checker already guards its spelling.

What is *not* a vocabulary word, even if it looks like one: the project's own dispatch keys
(`provider == "anthropic"` on a plain `str`), theme choices (`style="dim"`), model names.
"""

from __future__ import annotations

import ast
import re

from rules.checks.constants.literals import ARGS, Literal, last_name
from rules.checks.constants.roles import role_of

_CHAT_ROLES = frozenset({"user", "assistant", "system", "tool", "developer", "function", "model"})
_PART_TYPES = frozenset(
    {
        "text",
        "image_url",
        "image",
        "input_text",
        "input_image",
        "input_audio",
        "output_text",
        "function",
        "function_call",
        "tool_use",
        "tool_result",
        "json_object",
        "json_schema",
        "message",
        "refusal",
        # JSON Schema's types
        "object",
        "string",
        "array",
        "integer",
        "number",
        "boolean",
        "null",
    }
)
_HTTP_METHODS = frozenset({"GET", "POST", "PUT", "PATCH", "DELETE", "HEAD", "OPTIONS"})
_STATISTICS = frozenset({"Sum", "Average", "Maximum", "Minimum", "SampleCount"})
_UNITS = frozenset(
    {
        "Seconds",
        "Microseconds",
        "Milliseconds",
        "Bytes",
        "Kilobytes",
        "Megabytes",
        "Gigabytes",
        "Bits",
        "Percent",
        "Count",
        "Count/Second",
        "None",
    }
)
# Keyword, key or compared field (lower case) -> the words of its enumeration.
_ENUMERATIONS: dict[str, frozenset[str]] = {
    "role": _CHAT_ROLES,
    "type": _PART_TYPES,
    "effect": frozenset({"Allow", "Deny"}),
    "mode": frozenset({"before", "after", "wrap", "plain"}),
    "statistic": _STATISTICS,
    "stat": _STATISTICS,
    "statistics": _STATISTICS,
    "unit": _UNITS,
    "method": _HTTP_METHODS,
    "methods": _HTTP_METHODS,
    "justify": frozenset({"left", "right", "center", "full", "default"}),
    "overflow": frozenset({"fold", "crop", "ellipsis", "ignore"}),
    "tool_choice": frozenset({"auto", "none", "required"}),
}
_IAM_ACTION = re.compile(r"[a-z0-9-]+:[A-Z*][A-Za-z*]*")
_CLOUDWATCH_NAMESPACE = re.compile(r"AWS/[A-Za-z0-9]+")
_BARE_SCHEME = re.compile(r"[a-z][a-z0-9+.-]*://")
_SERVICE_CALLS = frozenset({"client", "resource", "_client", "_resource"})
_SERVICE_KEYWORDS = frozenset({"service_name"})
_EVENT_METHODS = frozenset({"on", "off", "once", "emit"})
_NAMED_ROLES = ("keyword:", "key:", "compared:")


def _role_name(literal: Literal) -> str:
    role = role_of(literal)
    if not role.startswith(_NAMED_ROLES):
        return ""
    return role.partition(":")[2].lower()


def _is_service_or_event_name(literal: Literal) -> bool:
    parent, field = literal.parent
    if isinstance(parent, ast.keyword):
        return parent.arg in _SERVICE_KEYWORDS
    if isinstance(parent, ast.Call) and field == ARGS and parent.args:
        called = last_name(parent.func)
        is_event = called in _EVENT_METHODS and isinstance(parent.func, ast.Attribute)
        return parent.args[0] is literal.node and (called in _SERVICE_CALLS or is_event)
    return False


def _is_positional(literal: Literal) -> bool:
    parent, field = literal.parent
    return isinstance(parent, ast.Call) and field == ARGS


def _literal_annotation_words(annotation: ast.expr | None) -> set[object]:
    if isinstance(annotation, ast.BinOp):  # `Literal["a"] | None`
        return _literal_annotation_words(annotation.left) | _literal_annotation_words(
            annotation.right
        )
    if not isinstance(annotation, ast.Subscript) or last_name(annotation.value) != "Literal":
        return set()
    index = annotation.slice
    items = index.elts if isinstance(index, ast.Tuple) else [index]
    return {item.value for item in items if isinstance(item, ast.Constant)}


def _compared_with_literal_parameter(literal: Literal) -> bool:
    parent, _ = literal.parent
    if not isinstance(parent, ast.Compare):
        return False
    names = {
        operand.id
        for operand in [parent.left, *parent.comparators]
        if isinstance(operand, ast.Name)
    }
    function = next(
        (
            node
            for node, _ in reversed(literal.parents)
            if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef)
        ),
        None,
    )
    if function is None or not names:
        return False
    arguments = function.args
    for argument in [*arguments.posonlyargs, *arguments.args, *arguments.kwonlyargs]:
        if argument.arg in names and literal.value in _literal_annotation_words(
            argument.annotation
        ):
            return True
    return False


# Keywords, keys and compared fields that discriminate a typed union: any single word under them
# is a member of its type (`type="realtime"`, `event.kind == "child"`).
_DISCRIMINATORS = frozenset({"type", "kind", "object"})
_WORD = re.compile(r"[A-Za-z][A-Za-z0-9_.]*")
# A name of something (a method, a field, a class, an event): snake_case with an underscore,
# or CamelCase with two humps (`"generate_verdicts"`, `"TaskNode"`).
_IDENTIFIER = re.compile(r"[a-z][a-z0-9]*(?:_[a-z0-9]+)+|(?:[A-Z][a-z0-9]+){2,}")


def is_identifier_name(value: str) -> bool:
    """A string that names a method, field, class or event rather than being a value."""
    return _IDENTIFIER.fullmatch(value) is not None


def is_vocabulary_word(literal: Literal) -> bool:
    """Whether a string is a word of an external API's fixed vocabulary (module docstring)."""
    value = literal.value
    if not isinstance(value, str):
        return False
    if (
        _IAM_ACTION.fullmatch(value)
        or _CLOUDWATCH_NAMESPACE.fullmatch(value)
        or _BARE_SCHEME.fullmatch(value)
    ):
        return True
    role = _role_name(literal)
    words = _ENUMERATIONS.get(role)
    if words is not None and value in words:
        return True
    if role.rpartition(".")[2] in _DISCRIMINATORS and _WORD.fullmatch(value):
        return True
    if value in _HTTP_METHODS and _is_positional(literal):
        return True
    return _is_service_or_event_name(literal) or _compared_with_literal_parameter(literal)
