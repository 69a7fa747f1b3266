"""STD204: a literal message that reaches a user (an HTTP error's detail, an error body a
handler returns, the message of an exception a web framework turns into a response)."""

from __future__ import annotations

import ast
from collections.abc import Iterator

from rules.checks.constants.extracting import ExtractingRule, single_fix, unit_literals
from rules.checks.constants.literals import Literal, is_url, last_name
from rules.checks.constants.naming import propose_name, valid_constant_name
from rules.lambda_handlers import is_http_handler
from rules.models import Finding, RuleDoc, RuleExample, Severity, TierSeverities
from rules.registry import register
from rules.rule import UnitContext, UnitRule

STD204 = "STD204"
MESSAGE_SUFFIX = "_MESSAGE"
# Exceptions web frameworks turn into HTTP responses, their message shown to the client
# (FastAPI/Starlette, Chalice, Powertools' event handler, Django).
HTTP_ERRORS = frozenset(
    {
        "HTTPException",
        "WebSocketException",
        "BadRequestError",
        "UnauthorizedError",
        "ForbiddenError",
        "ConflictError",
        "UnprocessableEntityError",
        "TooManyRequestsError",
        "RequestTimeoutError",
        "ChaliceViewError",
        "Http404",
    }
)
# Responses built from a body (the error body's message reaches the client).
RESPONSE_CALLS = frozenset({"JSONResponse", "PlainTextResponse", "jsonify", "make_response"})
MESSAGE_KEYS = frozenset({"error", "message", "detail", "error_message", "errorMessage"})
DETAIL = "detail"
# Decorators that make a function an HTTP route (`@app.get(...)`, `@router.route(...)`).
ROUTE_DECORATORS = frozenset(
    {"get", "post", "put", "patch", "delete", "route", "api_route", "websocket"}
)
MIN_WORDS = 2


def is_message(value: object) -> bool:
    """Whether a string reads as a message to a person: two words or more, not a URL."""
    if not isinstance(value, str) or is_url(value):
        return False
    words = [word for word in value.split() if any(char.isalpha() for char in word)]
    return len(words) >= MIN_WORDS


def _is_route(function: ast.AST) -> bool:
    if not isinstance(function, ast.FunctionDef | ast.AsyncFunctionDef):
        return False
    for decorator in function.decorator_list:
        target = decorator.func if isinstance(decorator, ast.Call) else decorator
        if last_name(target) in ROUTE_DECORATORS:
            return True
    return is_http_handler(function)


def _call_name(node: ast.AST) -> str:
    return last_name(node.func) if isinstance(node, ast.Call) else ""


def _role(literal: Literal) -> str | None:
    """How the literal reaches a user, or None when it does not."""
    parents = literal.parents
    node, field = parents[-1]
    in_error = len(parents) > 1 and _call_name(parents[-2][0]) in HTTP_ERRORS
    if isinstance(node, ast.keyword) and node.arg == DETAIL and in_error:
        return "an HTTP error's detail"
    if isinstance(node, ast.Call) and field == "args" and _call_name(node) in HTTP_ERRORS:
        raised = len(parents) > 1 and isinstance(parents[-2][0], ast.Raise)
        if raised or node.args.index(literal.node) > 0:
            return f"the message of `{_call_name(node)}`, which the framework sends to the client"
    if isinstance(node, ast.Dict) and field == "values":
        index = next((i for i, value in enumerate(node.values) if value is literal.node), None)
        key = node.keys[index] if index is not None else None
        if isinstance(key, ast.Constant) and key.value in MESSAGE_KEYS:
            return _body_role(literal, len(parents) - 1)
    return None


def _body_role(literal: Literal, dict_index: int) -> str | None:
    """The role of an error body's message: in a response call, or returned by a route."""
    for ancestor, _field in reversed(literal.parents[:dict_index]):
        if _call_name(ancestor) in RESPONSE_CALLS:
            return f"a message in the body of `{_call_name(ancestor)}`"
        if isinstance(ancestor, ast.FunctionDef | ast.AsyncFunctionDef):
            returned = any(isinstance(node, ast.Return) for node, _ in literal.parents)
            return (
                "a message in the body the handler returns"
                if returned and _is_route(ancestor)
                else None
            )
    return None


def message_name(literal: Literal) -> str:
    """The constant's name: the message's words, ending in `_MESSAGE`."""
    name = propose_name(literal, prefer_value=True)
    if not name.endswith(MESSAGE_SUFFIX):
        name = valid_constant_name(f"{name}{MESSAGE_SUFFIX}") or f"ERROR{MESSAGE_SUFFIX}"
    return name


@register
class UserFacingMessage(ExtractingRule, UnitRule):
    code = STD204
    name = "user-facing-message"
    summary = "A literal message that reaches a user: define it as a module constant"
    severities = TierSeverities(
        production=Severity.WARNING, internal=Severity.INFORMATION, prototype=None
    )
    doc = RuleDoc(
        what=(
            "Flags literal messages that reach a user: `HTTPException(detail=...)` and the "
            "messages of the other exceptions web frameworks turn into responses (Chalice's "
            "`BadRequestError(...)`, Powertools' `NotFoundError`-style errors are matched by "
            'name), error bodies (`{"error": ...}`, `{"message": ...}`, `{"detail": ...}`) '
            "passed to `JSONResponse` / `jsonify` or returned by a route or Lambda HTTP "
            "handler. Internal exception messages (`ValueError(...)`) and log messages are not "
            "flagged; nor are single words (codes) or test files. The fix moves the message to a "
            "module constant named `..._MESSAGE`."
        ),
        why=(
            "The standard lists error messages that may need translation among the values that "
            "belong in module constants: one place to find, reword and translate what users read."
        ),
        bad=[
            RuleExample(
                source=(
                    "from fastapi import HTTPException\n\n\ndef check(found: bool) -> None:\n"
                    "    if not found:\n"
                    '        raise HTTPException(status_code=404, detail="Order not found")\n'
                ),
                expected_codes=[STD204],
                fixed=(
                    "from fastapi import HTTPException\n\n"
                    'ORDER_NOT_FOUND_MESSAGE = "Order not found"\n\n\n'
                    "def check(found: bool) -> None:\n"
                    "    if not found:\n"
                    "        raise HTTPException(status_code=404, detail=ORDER_NOT_FOUND_MESSAGE)\n"
                ),
            ),
        ],
        good=[
            RuleExample(
                source=(
                    "from fastapi import HTTPException\n\n"
                    'ORDER_NOT_FOUND_MESSAGE = "Order not found"\n\n\n'
                    "def check(found: bool, size: int) -> None:\n"
                    "    if not found:\n"
                    "        raise HTTPException(status_code=404, detail=ORDER_NOT_FOUND_MESSAGE)\n"
                    "    if size < 0:\n"
                    '        raise ValueError("size must not be negative")\n'
                )
            )
        ],
    )

    def check_unit(self, context: UnitContext) -> Iterator[Finding]:
        if context.settings.is_test:
            return
        for literal in unit_literals(context):
            if literal.is_fstring or not literal.scope.in_function or not is_message(literal.value):
                continue
            role = _role(literal)
            if role is None or context.is_set_aside(literal.node):
                continue
            name = message_name(literal)
            yield Finding(
                code=self.code,
                message=f"{literal.display} is {role}: define it as a module constant",
                range=context.range_of(literal.node),
                fix=single_fix(literal, name),
                data={"name": name, "all": False},
            )
