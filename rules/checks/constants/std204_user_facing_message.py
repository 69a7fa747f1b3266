"""STD204: a literal message that reaches a user (an HTTP error's detail, an error body a
handler returns, the message of an exception a web framework turns into a response)."""

from __future__ import annotations

import ast
from collections.abc import Iterator
from pathlib import PurePath

from pydantic import BaseModel, ConfigDict

from rules.checks.constants.extracting import ExtractingRule, single_fix, unit_literals
from rules.checks.constants.literals import Literal, is_url, last_name
from rules.checks.constants.naming import extract_title, propose_name, valid_constant_name
from rules.lambda_handlers import is_http_handler
from rules.models import (
    Finding,
    Fix,
    Range,
    RuleDoc,
    RuleExample,
    Safety,
    Severity,
    TierSeverities,
)
from rules.registry import register
from rules.rule import ModuleContext, ModuleRule, UnitContext

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
# The packages those exceptions must be imported from: a same-named class of the project's own
# (or `http.client.HTTPException`) is not turned into a response by any framework.
FRAMEWORK_PACKAGES = frozenset(
    {
        "aiohttp",
        "aws_lambda_powertools",
        "chalice",
        "django",
        "fastapi",
        "flask",
        "litestar",
        "quart",
        "rest_framework",
        "sanic",
        "starlette",
        "werkzeug",
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
    words = 0
    for word in value.split():  # counted up to the second word only
        if any(char.isalpha() for char in word):
            words += 1
            if words >= MIN_WORDS:
                return True
    return False


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


def _is_framework(module: str | None, level: int = 0) -> bool:
    return level == 0 and module is not None and module.split(".")[0] in FRAMEWORK_PACKAGES


class ErrorCall(BaseModel):
    """How a call names a would-be framework exception: `root(...)` (`dotted` False) or
    `root.....attr(...)`; which exception it is depends on the module's imports."""

    model_config = ConfigDict(frozen=True)

    root: str
    attr: str
    dotted: bool


class Candidate(BaseModel):
    """A message a unit would report: its role (`{error}` stands for the exception's name), the
    exception call it depends on (None: it reaches the user whatever is imported), the fix's
    constant name and the unit-relative range."""

    model_config = ConfigDict(frozen=True)

    message: str
    display: str
    error: ErrorCall | None
    name: str
    fixable: bool
    where: Range


class MessageSummary(BaseModel):
    """A unit's candidate messages and the framework names its imports bind."""

    model_config = ConfigDict(frozen=True)

    candidates: tuple[Candidate, ...] = ()
    errors: tuple[tuple[str, str], ...] = ()  # local name, the framework's exception name
    modules: tuple[str, ...] = ()  # local names bound to a framework module
    classes: tuple[str, ...] = ()  # classes by an exception's name the unit defines


def _error_call(node: ast.AST) -> ErrorCall | None:
    """The would-be framework exception a call constructs, else None: any call of a plain name
    (an exception imported under another name: `HTTPException as Refusal`), or an attribute by
    an exception's name."""
    if not isinstance(node, ast.Call):
        return None
    function = node.func
    if isinstance(function, ast.Name):
        return ErrorCall(root=function.id, attr=function.id, dotted=False)
    if last_name(function) not in HTTP_ERRORS:
        return None
    root = function
    while isinstance(root, ast.Attribute):
        root = root.value
    if isinstance(root, ast.Name) and isinstance(function, ast.Attribute):
        return ErrorCall(root=root.id, attr=function.attr, dotted=True)
    return None


def framework_bindings(context: UnitContext) -> tuple[dict[str, str], set[str]]:
    """The names a unit's imports (nested ones included) bind to a web framework: exceptions
    imported by name (local name -> exception), and framework modules."""
    errors: dict[str, str] = {}
    modules: set[str] = set()
    for node in context.nodes_of(ast.Import):
        for alias in node.names:
            if _is_framework(alias.name):
                modules.add(alias.asname or alias.name.split(".")[0])
    for node in context.nodes_of(ast.ImportFrom):
        if not _is_framework(node.module, node.level):
            continue
        for alias in node.names:
            local = alias.asname or alias.name
            if alias.name in HTTP_ERRORS:
                errors[local] = alias.name
            else:
                modules.add(local)  # `from starlette import exceptions`
    return errors, modules


def resolve(call: ErrorCall, errors: dict[str, str], modules: set[str]) -> str | None:
    """The framework exception `call` constructs given the module's imports, else None (a
    same-named class of the project's own, or one imported from elsewhere)."""
    if call.dotted:
        return call.attr if call.root in modules and call.attr in HTTP_ERRORS else None
    return errors.get(call.root)


def in_framework(path: str | None) -> bool:
    """Whether a module is a web framework's own code (`chalice/app.py`): a folder of its path
    is named after a framework package."""
    if path is None:
        return False
    folders = PurePath(path).parts[:-1]
    return any(folder in FRAMEWORK_PACKAGES for folder in folders)


type Role = tuple[str, ErrorCall | None]
ERROR = "{error}"


def _role(literal: Literal) -> Role | None:
    """How the literal reaches a user (and the exception call that makes it so), or None."""
    parents = literal.parents
    node, field = parents[-1]
    if isinstance(node, ast.keyword) and node.arg == DETAIL and len(parents) > 1:
        error = _error_call(parents[-2][0])
        if error is not None:
            return "an HTTP error's detail", error
    error = _error_call(node) if field == "args" else None
    if isinstance(node, ast.Call) and error is not None:
        raised = len(parents) > 1 and isinstance(parents[-2][0], ast.Raise)
        if raised or node.args.index(literal.node) > 0:
            return f"the message of `{ERROR}`, which the framework sends to the client", error
    if isinstance(node, ast.Dict) and field == "values":
        index = next((i for i, value in enumerate(node.values) if value is literal.node), None)
        key = node.keys[index] if index is not None else None
        if isinstance(key, ast.Constant) and key.value in MESSAGE_KEYS:
            role = _body_role(literal, len(parents) - 1)
            return (role, None) if role is not None else None
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
class UserFacingMessage(ExtractingRule, ModuleRule):
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
            "`BadRequestError(...)`, Powertools' `BadRequestError`-style errors), each imported "
            "from the framework (`from fastapi import HTTPException`, `import chalice`, "
            "`starlette.exceptions`): a same-named class of the project's own, or "
            "`http.client.HTTPException`, is not one. Error bodies "
            '(`{"error": ...}`, `{"message": ...}`, `{"detail": ...}`) '
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

    def summarize(self, context: UnitContext) -> MessageSummary | None:
        if context.settings.is_test:
            return None
        candidates = []
        for literal in unit_literals(context):
            if literal.is_fstring or not literal.scope.in_function or not is_message(literal.value):
                continue
            role = _role(literal)
            if role is None or context.is_set_aside(literal.node):
                continue
            description, error = role
            candidates.append(
                Candidate(
                    message=f"{literal.display} is {description}: define it as a module constant",
                    display=literal.display,
                    error=error,
                    name=message_name(literal),
                    fixable=single_fix(literal, "") is not None,
                    where=context.range_of(literal.node),
                )
            )
        errors, modules = framework_bindings(context)
        classes = sorted(
            node.name for node in context.nodes_of(ast.ClassDef) if node.name in HTTP_ERRORS
        )
        if not candidates and not errors and not modules and not classes:
            return None
        return MessageSummary(
            candidates=tuple(candidates),
            errors=tuple(sorted(errors.items())),
            modules=tuple(sorted(modules)),
            classes=tuple(classes),
        )

    def check_module(self, context: ModuleContext) -> Iterator[Finding]:
        summaries = [
            (start, summary)
            for start, summary in context.summaries
            if isinstance(summary, MessageSummary)
        ]
        errors = {local: name for _, summary in summaries for local, name in summary.errors}
        modules = {local for _, summary in summaries for local in summary.modules}
        if in_framework(context.path):  # the framework's own exceptions, defined here
            errors.update({name: name for _, summary in summaries for name in summary.classes})
        for start, summary in summaries:
            for candidate in summary.candidates:
                message = candidate.message
                if candidate.error is not None:
                    error = resolve(candidate.error, errors, modules)
                    if error is None:
                        continue
                    message = message.replace(ERROR, error)
                yield Finding(
                    code=self.code,
                    message=message,
                    range=candidate.where.shifted(start),
                    fix=Fix(
                        title=extract_title(candidate.display, candidate.name),
                        safety=Safety.SAFE,
                        adds_module_names=True,
                    )
                    if candidate.fixable
                    else None,
                    data={"name": candidate.name, "all": False},
                )
