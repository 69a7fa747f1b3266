"""What a conversion does at each place of the project that calls the function.

For a parameter: a dict display passed becomes the model's constructor, any other argument
`Model.model_validate(arg)` (so every caller keeps working), unless the function changes the
dict and that caller would not see the change any more. For a return: a constant-key read of the
result (`f()["k"]`, `f().get("k")`, or of a local name bound to it) becomes an attribute read; any other use of
the result (passed on, iterated, `**`, `json.dumps`) gets `.model_dump()` there, so it still
receives the same dict.
"""

from __future__ import annotations

import ast

from pydantic import BaseModel, ConfigDict, Field

from rules.checks.models.dict_shapes import constant_key, key_read, read_key
from rules.checks.models.project_uses import (
    BOUND_RECEIVERS,
    ProjectView,
    Reference,
    SourceModule,
    Uses,
)
from rules.checks.models.rewriter import Position, Span
from rules.source import byte_to_char_column, split_lines
from rules.syntax import dotted_name

# Where a call's result is not consumed but carried on: returned, yielded, bound to a name whose
# other uses are not key reads, or put into a container display.
FLOWS_ON = (
    ast.Return,
    ast.Yield,
    ast.YieldFrom,
    ast.Assign,
    ast.AnnAssign,
    ast.List,
    ast.Tuple,
    ast.Set,
    ast.Dict,
)
EXCERPT_LENGTH = 40  # characters of an argument shown in a refusal
ELLIPSIS = "..."


class FileSites(BaseModel):
    """The edits of one file's call sites (positions as libcst counts them)."""

    displays: dict[Position, str] = Field(default_factory=dict)
    validates: dict[Span, tuple[str, bool]] = Field(default_factory=dict)
    dumps: dict[Span, str] = Field(default_factory=dict)
    subscripts: dict[Span, str] = Field(default_factory=dict)
    import_beside: dict[Position, str] = Field(default_factory=dict)
    calls: int = 0


class Sites(BaseModel):
    """Every call site's edits, by file, or why a call site cannot keep its behaviour."""

    model_config = ConfigDict(arbitrary_types_allowed=True)

    files: dict[str, FileSites] = Field(default_factory=dict)
    refusal: str | None = None
    validated: int = Field(default=0, description="arguments passed through model_validate")
    displays: list[ast.Dict] = Field(default_factory=list, description="dict displays passed")
    passed_on: list[str] = Field(
        default_factory=list,
        description="where a returned dict flows on as a dict (returned, bound, stored): path:line",
    )
    read: int = Field(default=0, description="call sites whose result is read as the model")

    @property
    def calls(self) -> int:
        return sum(sites.calls for sites in self.files.values())


class Positions:
    """ast positions of one module turned into libcst's (1-based line, code-point column)."""

    def __init__(self, text: str) -> None:
        self.lines = split_lines(text)

    def start(self, node: ast.AST) -> Position:
        lineno = getattr(node, "lineno", 1)
        return lineno, byte_to_char_column(self.lines[lineno - 1], getattr(node, "col_offset", 0))

    def span(self, node: ast.AST) -> Span:
        end_line = getattr(node, "end_lineno", None) or getattr(node, "lineno", 1)
        end = byte_to_char_column(self.lines[end_line - 1], getattr(node, "end_col_offset", 0) or 0)
        return self.start(node), (end_line, end)


class ParameterBinding(BaseModel):
    """How a call binds the converted parameter."""

    name: str
    index: int | None = Field(description="its position among the positional parameters")
    skip: int = Field(description="1 for a method called on `self`/`cls`, else 0")
    optional: bool = Field(description="the parameter may be None")
    mutated: str | None = Field(default=None, description="how the function changes the dict")
    keys: set[str] = Field(default_factory=set, description="the model's keys")
    model: str = Field(default="Model", description="the model's name")


def _model_at(reference: Reference, model: str, sites: FileSites, positions: Positions) -> str:
    if reference.import_from is not None:
        sites.import_beside[positions.start(reference.import_from)] = model
    return f"{reference.model_prefix}{model}"


def _where(project: ProjectView, reference: Reference) -> str:
    return f"{project.relative(reference.path)}:{getattr(reference.node, 'lineno', 0)}"


def parameter_sites(project: ProjectView, uses: Uses, binding: ParameterBinding) -> Sites:
    """The edits of every call of a function whose parameter becomes a model."""
    result = Sites()
    fields, model = binding.keys, binding.model
    positions: dict[str, Positions] = {}
    for reference in uses.references:
        call = reference.call
        if call is None:
            continue
        module = uses.modules[reference.path]
        where = _where(project, reference)
        value = _bound_argument(call, binding)
        if value is None:
            if _may_bind(call):
                result.refusal = f"{where} may pass it through `*args`/`**kwargs`"
                return result
            continue
        if isinstance(value, ast.Constant) and value.value is None:
            continue
        place = positions.setdefault(reference.path, Positions(module.text))
        sites = result.files.setdefault(reference.path, FileSites())
        sites.calls += 1
        if isinstance(value, ast.Dict) and _fits(value, fields):
            result.displays.append(value)
            sites.displays[place.start(value)] = _model_at(reference, model, sites, place)
            continue
        refusal = _validated_refusal(value, binding, where, module)
        if refusal is not None:
            result.refusal = refusal
            return result
        simple = isinstance(value, ast.Name | ast.Attribute)
        none_passes = binding.optional and simple
        sites.validates[place.span(value)] = (
            _model_at(reference, model, sites, place),
            none_passes,
        )
        result.validated += 1
    return result


def _validated_refusal(
    value: ast.expr, binding: ParameterBinding, where: str, module: SourceModule
) -> str | None:
    shown = ast.get_source_segment(module.text, value) or ast.unparse(value)
    shown = (
        shown
        if len(shown) <= EXCERPT_LENGTH
        else shown[: EXCERPT_LENGTH - len(ELLIPSIS)] + ELLIPSIS
    )
    if binding.mutated is not None and not isinstance(value, ast.Dict):
        return (
            f"the function changes the dict it is given ({binding.mutated}) and {where} passes "
            f"`{shown}`: that caller would not see the change"
        )
    if binding.optional and not isinstance(value, ast.Dict | ast.Name | ast.Attribute):
        return f"{where} passes `{shown}`, which may be None"
    return None


def return_sites(
    project: ProjectView, uses: Uses, fields: dict[str, str], dump_arguments: str
) -> Sites:
    """The edits of every call of a function whose return becomes a model; with the places
    where the result flows on as a dict (dumped there, it stays a dict for the program)."""
    result = Sites()
    for reference in uses.references:
        call = reference.call
        if call is None:
            continue
        module = uses.modules[reference.path]
        place = Positions(module.text)
        value: ast.AST = call
        parent = module.parents.get(call)
        if isinstance(parent, ast.Await):
            value, parent = parent, module.parents.get(parent)
        if isinstance(parent, ast.Expr):
            continue
        sites = result.files.setdefault(reference.path, FileSites())
        sites.calls += 1
        reads = _key_reads(value, parent, module.parents, set(fields))
        if reads is None:
            sites.dumps[place.span(value)] = dump_arguments
            if _flows_on(value, parent, module, project):
                result.passed_on.append(_where(project, reference))
            continue
        result.read += 1
        for read in reads:
            sites.subscripts[place.span(read)] = fields[read_key(read) or ""]
    return result


def _flows_on(
    value: ast.AST, parent: ast.AST | None, module: SourceModule, project: ProjectView
) -> bool:
    """Whether a call's result is carried on rather than consumed: returned, stored, put in a
    container, or handed to a function of the project (which keeps it as data: a tree node's
    child); a library's function (`json.dumps`, `dict.update`, `print`) consumes it."""
    if isinstance(parent, FLOWS_ON):
        return True
    if not isinstance(parent, ast.Call | ast.keyword) or value is getattr(parent, "func", None):
        return False
    call = module.parents.get(parent) if isinstance(parent, ast.keyword) else parent
    return (
        isinstance(call, ast.Call) and call.func is not value and _own_callee(call, module, project)
    )


def _own_callee(call: ast.Call, module: SourceModule, project: ProjectView) -> bool:
    """Whether the called function is the project's: defined in the module, imported from a
    first-party module, or a method called on `self`/`cls`."""
    callee = call.func
    if isinstance(callee, ast.Attribute):
        receiver = dotted_name(callee.value) or ""
        return receiver in BOUND_RECEIVERS or receiver.split(".")[0] in project.first_party
    if not isinstance(callee, ast.Name):
        return False
    for statement in module.tree.body:
        defined = isinstance(statement, ast.FunctionDef | ast.AsyncFunctionDef | ast.ClassDef)
        if defined and getattr(statement, "name", None) == callee.id:
            return True
        if isinstance(statement, ast.ImportFrom) and any(
            (alias.asname or alias.name) == callee.id for alias in statement.names
        ):
            return (
                statement.level > 0 or (statement.module or "").split(".")[0] in project.first_party
            )
    return False


def _fits(display: ast.Dict, fields: set[str]) -> bool:
    """Whether a dict display can become the model's constructor: every key a field, once."""
    keys = [constant_key(key) for key in display.keys]
    return all(key in fields for key in keys) and len(set(keys)) == len(keys)


def _bound_argument(call: ast.Call, binding: ParameterBinding) -> ast.expr | None:
    for keyword_argument in call.keywords:
        if keyword_argument.arg == binding.name:
            return keyword_argument.value
    if binding.index is None or binding.index - binding.skip < 0:
        return None
    position = binding.index - binding.skip
    before = call.args[: position + 1]
    if any(isinstance(argument, ast.Starred) for argument in before):
        return None
    return call.args[position] if position < len(call.args) else None


def _may_bind(call: ast.Call) -> bool:
    """Whether `*args` or `**kwargs` could be what passes the parameter."""
    starred = any(isinstance(argument, ast.Starred) for argument in call.args)
    return starred or any(keyword_argument.arg is None for keyword_argument in call.keywords)


def _known_read(
    node: ast.AST, parents: dict[ast.AST, ast.AST], known: set[str]
) -> ast.Subscript | ast.Call | None:
    read = key_read(node, parents)
    return read if read is not None and read_key(read) in known else None


def _key_reads(
    value: ast.AST, parent: ast.AST | None, parents: dict[ast.AST, ast.AST], known: set[str]
) -> list[ast.Subscript | ast.Call] | None:
    """The constant-key reads of a call's result (`["k"]`, `.get("k")`), or None if it is
    used in another way."""
    read = _known_read(value, parents, known)
    if read is not None:
        return [read]
    if not (
        isinstance(parent, ast.Assign)
        and len(parent.targets) == 1
        and isinstance(parent.targets[0], ast.Name)
    ):
        return None
    name = parent.targets[0].id
    scope = parents.get(parent)
    while scope is not None and not isinstance(scope, ast.FunctionDef | ast.AsyncFunctionDef):
        scope = parents.get(scope)
    if scope is None:
        return None
    reads: list[ast.Subscript | ast.Call] = []
    for node in ast.walk(scope):
        if isinstance(node, ast.Name) and node.id == name:
            if not isinstance(node.ctx, ast.Load):
                if node is not parent.targets[0]:
                    return None  # the name is bound again: other values flow through it
                continue
            read = _known_read(node, parents, known)
            if read is None:
                return None
            reads.append(read)
    return reads
