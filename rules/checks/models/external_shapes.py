"""Shared by STD101 and STD102: whose shape a dict has (`ast` only, fast).

The standard asks for a model "when the structure is known", and allows `dict` for "passing
through unstructured JSON from external sources". A dict whose keys are known is still not ours
to model when its shape is someone else's: a vendor's wire format (OpenAI content parts, JSON
Schema, JWT claims, IAM policies), AWS's event or response, a dataset's rows, a framework's own
config type. These functions say when that is so, each with the one-line reason the rule page
documents:

- a parameter is the project's own record only when this module writes the keys it reads
  (a dict display, `d["k"] = v`, `dict(k=...)` outside the function itself, not merely
  copied from another dict's same key, and not in a literal table of sample rows): keys
  that are only ever read come from outside;
- one key read from a parameter is not a shape (a single-field look-up into a larger
  document);
- a dict with a key only API Gateway's proxy integration uses (`statusCode`,
  `isBase64Encoded`, `multiValueHeaders`) is AWS's event or response;
- a key whose value the function tests with `isinstance` holds data of unknown type;
- a function named as a conversion (`to_x`, `x_to_y`), a schema builder (`*_schema`) or a
  payload builder (`*_payload`, `*_kwargs`, `*_params`, `*_body`) returns that format;
- the keys of a framework's own config type (LangChain's `RunnableConfig`);
- a parameter the function only writes into (`d["k"] = v`, never a read) is the caller's dict
  being filled in: its shape is whatever the caller builds (atlassian's `_ser_scalar_fields(f,
  fields)` adds three of the Jira payload's keys, beside custom-field ids set by computed key);
- a dict whose every key is an HTTP header name (`Content-Type`, `Cache-Control`, `Range`,
  `X-Request-Id`) is a header map: an open, case-insensitive set of names that the caller
  extends (`headers.update(...)`) and hands to an HTTP library, not a record.

A Lambda handler's `event` parameter is the exception to the first point: the event source's
shape is documented (an S3 or SQS event), so a reviewer asks for a model of it.
"""

from __future__ import annotations

import ast
import re
from collections.abc import Iterable

from rules.lambda_handlers import STATUS_CODE, is_handler_like
from rules.syntax import parent_map

# Keys only API Gateway's proxy integration uses: such a dict is AWS's event or response.
PROXY_KEYS = frozenset({STATUS_CODE, "isBase64Encoded", "multiValueHeaders"})
# A Lambda handler's event parameter: its shape is the event source's documented one.
EVENT_PARAMETER = "event"
GET_METHOD = "get"
# Fewer distinct keys than this says nothing of a dict's shape.
MIN_KEYS = 2
# `to_bedrock`, `image_to_openai`, `to_openai_response_format`: conversions into a format.
CONVERSION_NAME = re.compile(r"(?:^|_)to_[a-z0-9]")
# `generate_openai_schema`, `build_strict_openai_schema`: JSON Schema documents.
SCHEMA_NAME = re.compile(r"(?:^|_)schemas?(?:_|$)")
# `construct_dag_upload_payload`, `persona_kwargs`: the arguments or body of someone's call.
PAYLOAD_NAME = re.compile(r"(?:^|_)(?:payload|kwargs|params|body)(?:_|$)")
# Config types a framework declares as TypedDicts: their keys are the framework's.
FRAMEWORK_CONFIGS: dict[str, frozenset[str]] = {
    "LangChain's `RunnableConfig`": frozenset(
        {
            "configurable",
            "callbacks",
            "recursion_limit",
            "max_concurrency",
            "run_name",
            "run_id",
            "tags",
            "metadata",
        }
    ),
}
# A framework config is recognised by its one key no record of ours would have.
FRAMEWORK_MARKERS = frozenset({"configurable", "recursion_limit", "max_concurrency"})

# HTTP header names (RFC 9110 and the common extensions), lower-cased: a dict keyed only by
# them is a header map. A name with one of the prefixes is a header too (`X-Request-Id`,
# `Access-Control-Allow-Origin`, `Content-Language`, `If-Unmodified-Since`, `Sec-Fetch-Mode`).
HEADER_NAMES = frozenset(
    {
        "accept",
        "age",
        "allow",
        "authorization",
        "cache-control",
        "connection",
        "cookie",
        "date",
        "etag",
        "expect",
        "expires",
        "forwarded",
        "host",
        "keep-alive",
        "last-modified",
        "link",
        "location",
        "origin",
        "pragma",
        "proxy-authorization",
        "range",
        "referer",
        "retry-after",
        "server",
        "set-cookie",
        "te",
        "trailer",
        "transfer-encoding",
        "upgrade",
        "user-agent",
        "vary",
        "via",
        "www-authenticate",
    }
)
HEADER_PREFIXES = ("x-", "accept-", "access-control-", "content-", "if-", "sec-")

type FunctionNode = ast.FunctionDef | ast.AsyncFunctionDef
type KeyWrite = tuple[str, int]  # a key and the line (1-based) where it is written


def too_few_keys(keys: Iterable[str]) -> str | None:
    """Why a dict with these keys is not a shape, when it has too few."""
    if len(set(keys)) < MIN_KEYS:
        return "one key is a look-up, not a shape"
    return None


def framework_config(keys: Iterable[str]) -> str | None:
    """The framework whose config type has these keys, if one does."""
    found = set(keys)
    if not found & FRAMEWORK_MARKERS:
        return None
    for name, config_keys in FRAMEWORK_CONFIGS.items():
        if found <= config_keys:
            return name
    return None


def proxy_format(keys: Iterable[str]) -> str | None:
    """Why a dict with these keys is AWS's, when one is a proxy-integration key."""
    if PROXY_KEYS & set(keys):
        return "an API Gateway proxy event or response: AWS's format, serialised by the runtime"
    return None


def header_map(keys: Iterable[str]) -> str | None:
    """Why a dict with these keys is not a record, when every key is an HTTP header name."""
    names = [key.lower() for key in keys]
    if names and all(name in HEADER_NAMES or name.startswith(HEADER_PREFIXES) for name in names):
        return "HTTP headers: an open, case-insensitive map of header names, not a record"
    return None


def fills_callers_dict(read_keys: list[str]) -> str | None:
    """Why a parameter that is only written into is not a record of this function's: it fills
    in the caller's dict, whose shape the caller decides (and the conversion would be refused:
    the caller would not see the writes)."""
    if not read_keys:
        return "only written into: it fills in the caller's dict, whose shape is the caller's"
    return None


def is_handler_event(function: FunctionNode, name: str) -> bool:
    """Whether `name` is the event a Lambda handler is invoked with: its keys are the event
    source's documented shape (an S3 or SQS event), which a reviewer asks to model."""
    return name == EVENT_PARAMETER and is_handler_like(function)


def external_return(function: FunctionNode, keys: list[str]) -> str | None:
    """Why the dicts a function returns are someone else's shape, if they are."""
    proxy = proxy_format(keys) or header_map(keys)
    if proxy is not None:
        return proxy
    name = function.name.lower()
    if CONVERSION_NAME.search(name):
        return "a conversion into another format returns that format"
    if SCHEMA_NAME.search(name):
        return "a JSON Schema document"
    if PAYLOAD_NAME.search(name):
        return "the payload or arguments of another call"
    config = framework_config(keys)
    if config is not None:
        return config
    return None


def external_parameter(function: FunctionNode, name: str, keys: list[str]) -> str | None:
    """Why a dict parameter's shape is someone else's, as far as its function tells."""
    proxy = proxy_format(keys) or header_map(keys)
    if proxy is not None:
        return proxy
    config = framework_config(keys)
    if config is not None:
        return config
    few = too_few_keys(keys)
    if few is not None:
        return few
    if _tests_value_types(function, name):
        return "a key's value is tested with `isinstance`: its type is not known"
    return None


def _tests_value_types(function: FunctionNode, name: str) -> bool:
    """Whether the function tests a key's value of `name` with `isinstance`."""
    parents = parent_map(list(function.body))
    for node, parent in parents.items():
        if not (isinstance(node, ast.Name) and node.id == name):
            continue
        value = parent if isinstance(parent, ast.Subscript) else None
        if isinstance(parent, ast.Attribute) and parent.attr == GET_METHOD:
            value = parents.get(parent)
        call = parents.get(value) if value is not None else None
        if (
            isinstance(call, ast.Call)
            and isinstance(call.func, ast.Name)
            and call.func.id == "isinstance"
            and call.args
            and call.args[0] is value
        ):
            return True
    return False


def written_keys(statements: list[ast.stmt]) -> list[KeyWrite]:
    """The constant keys the statements write with a value of their own: dict displays,
    `d["k"] = v`, `dict(k=...)`, `d.setdefault("k", ...)`, `d.update(k=...)`. A key copied
    from another dict's same key (`{"k": other["k"]}`) is relayed, not written."""
    found: list[KeyWrite] = []
    nodes = list(ast.walk(ast.Module(body=statements, type_ignores=[])))
    tabled = {id(row) for node in nodes for row in _table_rows(node)}
    for node in nodes:
        if isinstance(node, ast.Dict) and id(node) not in tabled:
            found.extend(
                (key.value, node.lineno)
                for key, value in zip(node.keys, node.values, strict=True)
                if isinstance(key, ast.Constant)
                and isinstance(key.value, str)
                and not _relays(key.value, value)
            )
        elif isinstance(node, ast.Assign):
            found.extend(_subscript_writes(node.targets, node.value))
        elif isinstance(node, ast.AnnAssign) and node.value is not None:
            found.extend(_subscript_writes([node.target], node.value))
        elif isinstance(node, ast.Call):
            found.extend(_call_writes(node))
    return found


def _table_rows(node: ast.AST) -> list[ast.Dict]:
    """The rows of a literal table (a list or tuple of dict displays of constants, such as
    few-shot examples copied from a dataset): sample data of someone else's shape."""
    if not isinstance(node, ast.List | ast.Tuple):
        return []
    rows = [element for element in node.elts if isinstance(element, ast.Dict)]
    if len(rows) < MIN_KEYS or len(rows) != len(node.elts):
        return []
    try:
        ast.literal_eval(node)
    except ValueError:
        return []
    return rows


def _subscript_writes(targets: list[ast.expr], value: ast.expr) -> list[KeyWrite]:
    return [
        (target.slice.value, target.lineno)
        for target in targets
        if isinstance(target, ast.Subscript)
        and isinstance(target.slice, ast.Constant)
        and isinstance(target.slice.value, str)
        and not _relays(target.slice.value, value)
    ]


def _call_writes(call: ast.Call) -> list[KeyWrite]:
    function = call.func
    if isinstance(function, ast.Name) and function.id == "dict":
        return [(keyword.arg, call.lineno) for keyword in call.keywords if keyword.arg]
    if not isinstance(function, ast.Attribute):
        return []
    if function.attr == "update":
        return [(keyword.arg, call.lineno) for keyword in call.keywords if keyword.arg]
    if function.attr == "setdefault" and call.args:
        first = call.args[0]
        if isinstance(first, ast.Constant) and isinstance(first.value, str):
            return [(first.value, call.lineno)]
    return []


def _relays(key: str, value: ast.expr | None) -> bool:
    """Whether `value` reads the same `key` of another dict (`x["k"]`, `x.get("k")`)."""
    if isinstance(value, ast.Subscript):
        read = value.slice
    elif (
        isinstance(value, ast.Call)
        and isinstance(value.func, ast.Attribute)
        and value.func.attr == GET_METHOD
        and value.args
    ):
        read = value.args[0]
    else:
        return False
    return isinstance(read, ast.Constant) and read.value == key
