"""AWS Lambda handlers, shared by every family: what a handler looks like, whether it answers
with an API Gateway / function-URL proxy response, and which handlers a project's SAM
(`template.yaml`) or Serverless Framework (`serverless.yml`) template wires to HTTP events.

The models family asks `is_proxy_response` / `returns_proxy_response` so that a handler's
returned dict (its shape belongs to the AWS protocol) is not reported as a dict to model.
"""

from __future__ import annotations

import ast
import warnings
from pathlib import Path, PurePosixPath
from typing import TYPE_CHECKING

from pydantic import BaseModel, ConfigDict

from rules.project_files import read_text_file

if TYPE_CHECKING:
    import yaml

HANDLER_NAMES = frozenset({"handler", "lambda_handler"})
HANDLER_PARAMETERS = ("event", "context")
STATUS_CODE = "statusCode"
SAM_TEMPLATES = ("template.yaml", "template.yml")
SERVERLESS_TEMPLATES = ("serverless.yml", "serverless.yaml")
TEMPLATES = (*SAM_TEMPLATES, *SERVERLESS_TEMPLATES)
SAM_FUNCTION = "AWS::Serverless::Function"
SAM_HTTP_EVENTS = frozenset({"Api", "HttpApi"})
SAM_FUNCTION_URL = "FunctionUrlConfig"
SERVERLESS_HTTP_EVENTS = frozenset({"http", "httpApi"})
# How far up from a module the search for the template naming it goes.
MAX_TEMPLATE_LEVELS = 8

type Function = ast.FunctionDef | ast.AsyncFunctionDef


class TemplateEvent(BaseModel):
    """An HTTP event in a template: what it is and where (0-based line, columns)."""

    model_config = ConfigDict(frozen=True)

    kind: str
    line: int
    start: int
    end: int


class TemplateFunction(BaseModel):
    """A function a template declares: its handler and the HTTP events wired to it."""

    model_config = ConfigDict(frozen=True)

    name: str
    module: str  # the handler's module file, relative to the template's directory ("app.py")
    function: str
    http_events: tuple[TemplateEvent, ...] = ()


def parse_module(text: str) -> ast.Module | None:
    """A module's tree, or None when it does not parse (its warnings, such as invalid escape
    sequences, are not this checker's to print)."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", SyntaxWarning)
        try:
            return ast.parse(text)
        except (SyntaxError, ValueError):
            return None


def _parameter_names(function: Function) -> list[str]:
    arguments = function.args
    return [argument.arg for argument in [*arguments.posonlyargs, *arguments.args]]


def is_handler_like(function: Function) -> bool:
    """Whether a function looks like a Lambda handler: named `handler`/`lambda_handler` (or
    `..._handler`) with two parameters, or taking `(event, context)`."""
    names = _parameter_names(function)
    if [name.lstrip("_") for name in names] == list(HANDLER_PARAMETERS):
        return True
    named = function.name in HANDLER_NAMES or function.name.endswith("_handler")
    return named and len(names) == len(HANDLER_PARAMETERS) and names[0] == HANDLER_PARAMETERS[0]


def is_proxy_response(node: ast.AST | None) -> bool:
    """Whether `node` is a dict display with a constant `"statusCode"` key: the response an API
    Gateway or function-URL proxy integration expects."""
    if not isinstance(node, ast.Dict):
        return False
    return any(isinstance(key, ast.Constant) and key.value == STATUS_CODE for key in node.keys)


def returns_proxy_response(function: Function) -> ast.AST | None:
    """The first proxy response `function` returns (directly, or through a local name it
    assigned one to), else None. Nested functions and classes are not looked into."""
    proxy_names: set[str] = set()
    for node in _own_nodes(function):
        if isinstance(node, ast.Assign) and is_proxy_response(node.value):
            proxy_names.update(t.id for t in node.targets if isinstance(t, ast.Name))
        elif (
            isinstance(node, ast.AnnAssign)
            and is_proxy_response(node.value)
            and isinstance(node.target, ast.Name)
        ):
            proxy_names.add(node.target.id)
    for node in _own_nodes(function):
        if not isinstance(node, ast.Return) or node.value is None:
            continue
        if is_proxy_response(node.value):
            return node.value
        if isinstance(node.value, ast.Name) and node.value.id in proxy_names:
            return node.value
    return None


def _own_nodes(function: Function) -> list[ast.AST]:
    """The nodes of a function's body, nested functions, lambdas and classes left out."""
    found: list[ast.AST] = []
    scopes = ast.FunctionDef | ast.AsyncFunctionDef | ast.ClassDef | ast.Lambda
    pending: list[ast.AST] = [node for node in function.body if not isinstance(node, scopes)]
    while pending:
        node = pending.pop()
        found.append(node)
        for child in ast.iter_child_nodes(node):
            if not isinstance(child, scopes):
                pending.append(child)
    return sorted(
        found, key=lambda node: (getattr(node, "lineno", 0), getattr(node, "col_offset", 0))
    )


def is_http_handler(function: Function) -> bool:
    """Whether a function is a Lambda handler answering with a proxy response: the models
    family skips such a function's returned dicts (their shape is AWS's protocol)."""
    return is_handler_like(function) and returns_proxy_response(function) is not None


# --- templates --------------------------------------------------------------------------


def _mapping(node: object) -> dict[str, yaml.Node]:
    # imported where a template is read: at the top, yaml cost every start-up 11 ms
    import yaml

    if not isinstance(node, yaml.MappingNode):
        return {}
    return {
        key.value: value
        for key, value in node.value
        if isinstance(key, yaml.ScalarNode) and isinstance(key.value, str)
    }


def _scalar(node: object) -> str | None:
    """A plain scalar's text (a tagged one, CloudFormation's `!Sub "..."`, is not plain text)."""
    import yaml

    if not isinstance(node, yaml.ScalarNode) or node.tag.startswith("!"):
        return None
    return node.value


def _event(kind: str, node: yaml.Node) -> TemplateEvent:
    mark, end = node.start_mark, node.end_mark
    same_line = end.line == mark.line
    return TemplateEvent(
        kind=kind,
        line=mark.line,
        start=mark.column,
        end=end.column if same_line else mark.column + len(kind),
    )


def _compose(text: str) -> yaml.Node | None:
    """The YAML node graph (tags such as CloudFormation's `!Ref` need no constructor)."""
    import yaml

    try:
        return yaml.compose(text, Loader=yaml.SafeLoader)
    except yaml.YAMLError:
        return None


def handler_module(handler: str, code_uri: str | None = None) -> tuple[str, str] | None:
    """A Python handler string (`app.lambda_handler`, `src/handler.hello`) as the module file
    relative to the template's directory and the function name."""
    module, dot, function = handler.rpartition(".")
    if not dot or not module or not function:
        return None
    path = module if "/" in module else module.replace(".", "/")
    if code_uri:
        path = f"{code_uri.strip().strip('/')}/{path}"
    return str(PurePosixPath(f"{path}.py")), function


def sam_functions(text: str) -> list[TemplateFunction]:
    """The functions of a SAM template with the HTTP events (API, HTTP API, function URL)."""
    import yaml

    root = _mapping(_compose(text))
    globals_function = _mapping(_mapping(root.get("Globals")).get("Function"))
    functions = []
    for name, resource in _mapping(root.get("Resources")).items():
        fields = _mapping(resource)
        if _scalar(fields.get("Type")) != SAM_FUNCTION:
            continue
        properties = _mapping(fields.get("Properties"))
        handler = _scalar(properties.get("Handler")) or _scalar(globals_function.get("Handler"))
        code_uri = _scalar(properties.get("CodeUri")) or _scalar(globals_function.get("CodeUri"))
        located = handler_module(handler, code_uri) if handler else None
        events = []
        for event in _mapping(properties.get("Events")).values():
            kind_node = _mapping(event).get("Type")
            kind = _scalar(kind_node)
            if kind in SAM_HTTP_EVENTS and kind_node is not None:
                events.append(_event(kind, kind_node))
        properties_node = fields.get("Properties")
        pairs = properties_node.value if isinstance(properties_node, yaml.MappingNode) else []
        events.extend(
            _event(SAM_FUNCTION_URL, key)
            for key, _value in pairs
            if isinstance(key, yaml.ScalarNode) and key.value == SAM_FUNCTION_URL
        )
        functions.append(
            TemplateFunction(
                name=name,
                module=located[0] if located else "",
                function=located[1] if located else "",
                http_events=tuple(events),
            )
        )
    return functions


def serverless_functions(text: str) -> list[TemplateFunction]:
    """The functions of a `serverless.yml` with their `http` / `httpApi` events."""
    import yaml

    root = _mapping(_compose(text))
    functions = []
    for name, function in _mapping(root.get("functions")).items():
        fields = _mapping(function)
        handler = _scalar(fields.get("handler"))
        located = handler_module(handler) if handler else None
        events = []
        events_node = fields.get("events")
        items = events_node.value if isinstance(events_node, yaml.SequenceNode) else []
        for item in items:
            if isinstance(item, yaml.MappingNode):
                for key, _value in item.value:
                    if isinstance(key, yaml.ScalarNode) and key.value in SERVERLESS_HTTP_EVENTS:
                        events.append(_event(key.value, key))
            elif isinstance(item, yaml.ScalarNode) and item.value in SERVERLESS_HTTP_EVENTS:
                events.append(_event(item.value, item))
        functions.append(
            TemplateFunction(
                name=name,
                module=located[0] if located else "",
                function=located[1] if located else "",
                http_events=tuple(events),
            )
        )
    return functions


def template_functions(name: str, text: str) -> list[TemplateFunction]:
    """The functions a template file declares (by its file name: SAM or Serverless)."""
    if name in SAM_TEMPLATES:
        return sam_functions(text)
    if name in SERVERLESS_TEMPLATES:
        return serverless_functions(text)
    return []


def templates_naming(
    module_path: Path, stop: Path | None = None
) -> list[tuple[Path, TemplateFunction]]:
    """The template functions (with their template's path) whose handler is in the module at
    `module_path`, looking in its directory and upward (to `stop`, the project root)."""
    found = []
    module_path = module_path.absolute()
    for level, folder in enumerate(module_path.parents):
        if level > MAX_TEMPLATE_LEVELS:
            break
        for template in TEMPLATES:
            text = read_text_file(folder / template)
            if text is None:
                continue
            relative = module_path.relative_to(folder).as_posix()
            found.extend(
                (folder / template, function)
                for function in template_functions(template, text)
                if function.module == relative
            )
        if stop is not None and folder == stop.absolute():
            break
    return found


def project_templates(root: Path) -> list[tuple[str, list[TemplateFunction]]]:
    """The templates at a project's root and the functions each declares."""
    found = []
    for template in TEMPLATES:
        text = read_text_file(root / template)
        if text is not None:
            found.append((template, template_functions(template, text)))
    return found
