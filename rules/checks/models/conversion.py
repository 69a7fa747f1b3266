"""The "Convert to Pydantic model" rewrite of STD101/STD102 (libcst: formatting and comments kept).

One conversion turns one dict of a function (a parameter, or the return) into a generated model:
the model class goes above the top-level statement holding the function, after the imports; the
signature names the model; the body's constant-key accesses become attribute accesses; returned
dict displays and dict displays passed at call sites in the same module become model
constructions; `from pydantic import BaseModel` (and what else the model needs) is imported once.
What the rewrite cannot update (other call sites, other modules) is listed in its description.
"""

from __future__ import annotations

import ast
import sys
import textwrap
from collections.abc import Sequence

import libcst as cst
from libcst.metadata import CodeRange, MetadataWrapper, PositionProvider
from pydantic import BaseModel, ConfigDict, Field

from rules.checks.models.dict_shapes import (
    ANY_TYPE,
    NONE_TYPE,
    AccessKind,
    FunctionNode,
    ParameterShape,
    ReturnShape,
    TargetKind,
    analyse_parameter,
    analyse_return,
    constant_key,
    default_of,
    dotted_name,
    expression_type,
    functions_with_classes,
    names_in,
    own_nodes,
)
from rules.checks.models.model_names import (
    field_name,
    free_name,
    parameter_model_name,
    return_model_name,
)
from rules.fixes import edits_between
from rules.models import Fix, Safety
from rules.source import byte_to_char_column, split_lines
from rules.syntax import first_lineno

# How much of an expression a reason quotes.
MAX_QUOTED_SOURCE = 60
UNKNOWN_TYPE_COMMENT = "  # type not inferable from this module: set it"
PYDANTIC = "pydantic"
TYPING = "typing"
BASE_MODEL = "BaseModel"
FIELD = "Field"
CONFIG_DICT = "ConfigDict"
ANY = "Any"
STATICMETHOD = "staticmethod"
BOUND_RECEIVERS = frozenset({"self", "cls"})
TOP_LEVEL_BLANK_LINES = 2
SIMPLE_TYPES = frozenset({"int", "str", "float", "bool", "bytes"})
NONE = "None"
type Position = tuple[int, int]  # 1-based line, 0-based code-point column (libcst's convention)


class Target(BaseModel):
    """The dict to convert: a parameter of a function, or its return."""

    model_config = ConfigDict(frozen=True)

    kind: TargetKind
    function: str
    line: int = Field(description="0-based line inside the function's signature")
    parameter: str | None = None


class Conversion(BaseModel):
    """The rewritten text and what to tell the user about it."""

    model_config = ConfigDict(frozen=True)

    text: str
    title: str
    description: str


class ModelField(BaseModel):
    """One field of a generated model."""

    model_config = ConfigDict(frozen=True)

    key: str
    name: str
    type: str
    default: str | None = None

    @property
    def line(self) -> str:
        """The field's line in the class body."""
        alias = f"alias={self.key!r}".replace("'", '"') if self.key != self.name else ""
        if alias and self.default is not None:
            value = f" = Field(default={self.default}, {alias})"
        elif alias:
            value = f" = Field({alias})"
        else:
            value = f" = {self.default}" if self.default is not None else ""
        comment = UNKNOWN_TYPE_COMMENT if self.type == ANY_TYPE else ""
        return f"{self.name}: {self.type}{value}{comment}"


class Located(BaseModel):
    """The function to convert, found in the module's `ast`."""

    model_config = ConfigDict(arbitrary_types_allowed=True, frozen=True)

    function: FunctionNode
    class_bases: tuple[str, ...] | None
    statement_line: int = Field(description="1-based first line of its top-level statement")
    statement_end_line: int = Field(description="1-based last line of that statement")

    def holds(self, node: ast.AST) -> bool:
        """Whether `node` lies in the function's top-level statement (a method's `self.m()`
        calls elsewhere belong to other classes)."""
        line = getattr(node, "lineno", 0)
        return self.statement_line <= line <= self.statement_end_line


class CallSites(BaseModel):
    """What the rewrite does to the places that call the function."""

    model_config = ConfigDict(arbitrary_types_allowed=True)

    displays: list[ast.Dict] = Field(default_factory=list)
    subscripts: list[ast.Subscript] = Field(default_factory=list)
    left_alone: list[str] = Field(default_factory=list)


def locate(tree: ast.Module, target: Target) -> Located | None:
    """The function `target` names, whose signature spans `target.line`."""
    for statement in tree.body:
        for function, bases in functions_with_classes([statement]):
            if function.name != target.function:
                continue
            first = function.lineno - 1
            last = function.body[0].lineno - 1 if function.body else first
            if first <= target.line <= last:
                return Located(
                    function=function,
                    class_bases=bases,
                    statement_line=first_lineno(statement),
                    statement_end_line=statement.end_lineno or statement.lineno,
                )
    return None


def convert(text: str, target: Target) -> Conversion | None:
    """The module with the target dict converted, or None when it cannot be."""
    tree = ast.parse(text)
    located = locate(tree, target)
    if located is None:
        return None
    if target.kind is TargetKind.PARAMETER:
        return _ParameterConversion(text, tree, located, target).run()
    return _ReturnConversion(text, tree, located).run()


class _Conversion:
    """What both conversions share: the module's names, models, positions and the rewrite."""

    def __init__(self, text: str, tree: ast.Module, located: Located) -> None:
        self.text = text
        self.tree = tree
        self.located = located
        self.function = located.function
        self.lines = split_lines(text)
        self.taken = names_in(tree.body)

    def position(self, node: ast.expr) -> Position:
        line = self.lines[node.lineno - 1]
        return node.lineno, byte_to_char_column(line, node.col_offset)

    def end_position(self, node: ast.expr) -> Position:
        end_line = node.end_lineno or node.lineno
        line = self.lines[end_line - 1]
        return end_line, byte_to_char_column(line, node.end_col_offset or 0)

    def source(self, node: ast.expr) -> str:
        return ast.get_source_segment(self.text, node) or ast.unparse(node)

    def model(self, base_name: str, fields: list[ModelField]) -> tuple[str, str | None]:
        """The model's name and its class source (None when an identical model is reused)."""
        lines = [field.line for field in fields]
        if any(field.key != field.name for field in fields):
            lines.insert(0, f"model_config = {CONFIG_DICT}(populate_by_name=True)")
        body = "".join(f"    {line}\n" for line in lines)
        reused = _identical_model(self.tree, body, fields)
        if reused is not None:
            return reused, None
        name = free_name(base_name, self.taken)
        return name, f"class {name}({BASE_MODEL}):\n{body}"

    def rewrite(self, plan: _Plan) -> str:
        wrapper = MetadataWrapper(cst.parse_module(self.text))
        module = wrapper.visit(_Rewriter(plan))
        module = _with_class(module, plan, self.located.statement_line)
        return _with_imports(module, plan.imports).code


class _Plan(BaseModel):
    """Everything the libcst pass needs, decided from the `ast` analysis."""

    model_config = ConfigDict(arbitrary_types_allowed=True)

    function: str
    function_line: int
    model: str
    class_source: str | None
    fields: dict[str, str] = Field(description="field name by key")
    parameter: str | None = None
    optional_keys: set[str] = Field(default_factory=set)
    returns: bool = False
    displays: set[Position] = Field(default_factory=set)
    subscripts: dict[tuple[Position, Position], str] = Field(default_factory=dict)
    imports: list[tuple[str, str]] = Field(default_factory=list)


class _ParameterConversion(_Conversion):
    def __init__(self, text: str, tree: ast.Module, located: Located, target: Target) -> None:
        super().__init__(text, tree, located)
        self.parameter_name = target.parameter or ""

    def run(self) -> Conversion | None:
        function = self.function
        argument = _argument(function, self.parameter_name)
        shape = analyse_parameter(function, argument) if argument is not None else None
        if argument is None or shape is None or shape.blockers:
            return None
        sites = _parameter_call_sites(self, shape)
        fields = self.fields(shape, sites.displays)
        accepted = [display for display in sites.displays if _fits(display, fields)]
        rejected = [display for display in sites.displays if not _fits(display, fields)]
        sites.left_alone += [
            f"line {display.lineno}: the dict passed has keys the model does not have"
            for display in rejected
        ]
        default = default_of(function, argument)
        if isinstance(default, ast.Dict) and _fits(default, fields):
            accepted.append(default)
        name, class_source = self.model(parameter_model_name(function.name, shape.name), fields)
        plan = _Plan(
            function=function.name,
            function_line=function.lineno,
            model=name,
            class_source=class_source,
            fields={field.key: field.name for field in fields},
            parameter=shape.name,
            optional_keys={field.key for field in fields if field.default == NONE},
            displays={self.position(display) for display in accepted},
            imports=_imports_for(fields, class_source),
        )
        title = f"Convert `{shape.name}` to Pydantic model `{name}`"
        return Conversion(
            text=self.rewrite(plan),
            title=title,
            description=_description(name, sites.left_alone, "pass"),
        )

    def fields(self, shape: ParameterShape, displays: list[ast.Dict]) -> list[ModelField]:
        taken: set[str] = set()
        fields: list[ModelField] = []
        for key in shape.keys:
            accesses = [access for access in shape.accesses if access.key == key]
            kinds = {access.kind for access in accesses}
            values = [_value_of(display, key) for display in displays]
            evidence = [expression_type(value) for value in values if value is not None]
            hints = [access.hint for access in accesses if access.hint]
            field_type = _best_type(evidence, hints)
            default = next(
                (self.source(access.default) for access in accesses if access.default), None
            )
            missing = any(value is None for value in values)
            optional = kinds & {AccessKind.GET, AccessKind.WRITE} or missing
            if default is None and optional:
                default = NONE_TYPE
                field_type = _with_none(field_type)
            name = field_name(key, taken)
            taken.add(name)
            fields.append(ModelField(key=key, name=name, type=field_type, default=default))
        return fields


class _ReturnConversion(_Conversion):
    def run(self) -> Conversion | None:
        function = self.function
        shape = analyse_return(function)
        if shape is None or shape.blockers:
            return None
        fields = self.fields(shape)
        name, class_source = self.model(return_model_name(function.name), fields)
        sites = _return_call_sites(self, fields)
        plan = _Plan(
            function=function.name,
            function_line=function.lineno,
            model=name,
            class_source=class_source,
            fields={field.key: field.name for field in fields},
            returns=True,
            subscripts={
                (self.position(node), self.end_position(node)): _subscript_field(node, fields)
                for node in sites.subscripts
            },
            imports=_imports_for(fields, class_source),
        )
        return Conversion(
            text=self.rewrite(plan),
            title=f"Convert the return of `{function.name}` to Pydantic model `{name}`",
            description=_description(name, sites.left_alone, "receive"),
        )

    def fields(self, shape: ReturnShape) -> list[ModelField]:
        environment = _annotations_of(self.function)
        optional = shape.optional_keys
        taken: set[str] = set()
        fields: list[ModelField] = []
        for key in shape.keys:
            values = [_value_of(display, key) for display in shape.displays]
            evidence = [
                expression_type(value, environment) for value in values if value is not None
            ]
            field_type = _best_type(evidence, [])
            default = None
            if key in optional:
                default = NONE_TYPE
                field_type = _with_none(field_type)
            name = field_name(key, taken)
            taken.add(name)
            fields.append(ModelField(key=key, name=name, type=field_type, default=default))
        return fields


def _argument(function: FunctionNode, name: str) -> ast.arg | None:
    arguments = function.args
    every = [*arguments.posonlyargs, *arguments.args, *arguments.kwonlyargs]
    return next((argument for argument in every if argument.arg == name), None)


def _value_of(display: ast.Dict, key: str) -> ast.expr | None:
    value = None
    for display_key, display_value in zip(display.keys, display.values, strict=True):
        if constant_key(display_key) == key:
            value = display_value
    return value


def _fits(display: ast.Dict, fields: list[ModelField]) -> bool:
    """Whether a dict display can become the model: every key is a field, each given once."""
    known = {field.key for field in fields}
    keys = [constant_key(key) for key in display.keys]
    return all(key in known for key in keys) and len(set(keys)) == len(keys)


def _annotations_of(function: FunctionNode) -> dict[str, str]:
    """Simple annotations of the function's parameters and annotated local variables
    (`x: int` → {"x": "int"})."""
    arguments = function.args
    every = [*arguments.posonlyargs, *arguments.args, *arguments.kwonlyargs]
    annotated: list[tuple[str, ast.expr | None]] = [
        (argument.arg, argument.annotation) for argument in every
    ]
    annotated += [
        (node.target.id, node.annotation)
        for node in own_nodes(function)
        if isinstance(node, ast.AnnAssign) and isinstance(node.target, ast.Name)
    ]
    return {
        name: ast.unparse(annotation)
        for name, annotation in annotated
        if annotation is not None and dotted_name(annotation) in SIMPLE_TYPES
    }


def _best_type(evidence: list[str | None], hints: list[str]) -> str:
    """The field type from the best evidence: values seen (all of them known), else use."""
    if evidence and all(kind is not None for kind in evidence):
        kinds = list(dict.fromkeys(kind for kind in evidence if kind is not None))
        concrete = [kind for kind in kinds if kind != NONE_TYPE]
        if not concrete:
            return ANY_TYPE
        union = " | ".join(concrete)
        return f"{union} | None" if NONE_TYPE in kinds else union
    if hints:
        return hints[0]
    return ANY_TYPE


def _with_none(field_type: str) -> str:
    if field_type == ANY_TYPE or field_type.endswith("| None"):
        return field_type
    return f"{field_type} | None"


def _imports_for(fields: list[ModelField], class_source: str | None) -> list[tuple[str, str]]:
    if class_source is None:
        return []
    needed = [(PYDANTIC, BASE_MODEL)]
    if any(field.key != field.name for field in fields):
        needed += [(PYDANTIC, CONFIG_DICT), (PYDANTIC, FIELD)]
    if any(ANY in field.type for field in fields):
        needed.insert(0, (TYPING, ANY))
    return needed


def _description(model: str, left_alone: list[str], verb: str) -> str:
    lines = [
        f"Callers in other modules are not updated: they must {verb} a `{model}` instead of a dict."
    ]
    if left_alone:
        lines.append("Left as they are in this module (update them by hand):")
        lines += [f"- {entry}" for entry in left_alone]
    return "\n".join(lines)


def _identical_model(tree: ast.Module, body: str, fields: list[ModelField]) -> str | None:
    """An existing model of the module with exactly these fields (every type known)."""
    if any(ANY_TYPE in field.type for field in fields):
        return None
    wanted = [ast.unparse(statement) for statement in ast.parse(textwrap.dedent(body)).body]
    for statement in tree.body:
        if not isinstance(statement, ast.ClassDef):
            continue
        bases = {(dotted_name(base) or "").split(".")[-1] for base in statement.bases}
        if BASE_MODEL not in bases:
            continue
        own = [
            ast.unparse(member)
            for member in statement.body
            if not isinstance(member, ast.Expr | ast.Pass)
        ]
        if own == wanted:
            return statement.name
    return None


def _parameter_call_sites(conversion: _Conversion, shape: ParameterShape) -> CallSites:
    """The module's calls of the function: dict displays passed for the parameter, and the
    calls the rewrite leaves alone."""
    function = conversion.function
    sites = CallSites()
    is_method = conversion.located.class_bases is not None
    is_static = any(dotted_name(decorator) == STATICMETHOD for decorator in function.decorator_list)
    skip = 1 if is_method and not is_static else 0
    positional = [*function.args.posonlyargs, *function.args.args]
    index = next(
        (position for position, arg in enumerate(positional) if arg.arg == shape.name), None
    )
    called = {node.func for node in ast.walk(conversion.tree) if isinstance(node, ast.Call)}
    for node in ast.walk(conversion.tree):
        if not isinstance(node, ast.Call) or not _calls(node, function.name, conversion.located):
            if node not in called and _refers_to(node, function.name, is_method):
                sites.left_alone.append(
                    f"line {getattr(node, 'lineno', '?')}: `{function.name}` is referred to "
                    "without being called here"
                )
            continue
        value = _bound_argument(node, shape.name, index, skip)
        if isinstance(value, ast.Dict) and all(constant_key(key) for key in value.keys):
            sites.displays.append(value)
        elif not (isinstance(value, ast.Constant) and value.value is None) and (
            value is not None or _may_bind(node)
        ):
            sites.left_alone.append(
                f"line {node.lineno}: `{ast.unparse(node)[:MAX_QUOTED_SOURCE]}` does not pass a dict display"
            )
    return sites


def _calls(call: ast.Call, name: str, located: Located) -> bool:
    func = call.func
    if located.class_bases is not None:
        return (
            located.holds(call)
            and isinstance(func, ast.Attribute)
            and func.attr == name
            and isinstance(func.value, ast.Name)
            and func.value.id in BOUND_RECEIVERS
        )
    return isinstance(func, ast.Name) and func.id == name


def _refers_to(node: ast.AST, name: str, is_method: bool) -> bool:
    """A mention of the function that is not a call we understand."""
    if is_method:
        return isinstance(node, ast.Attribute) and node.attr == name
    return isinstance(node, ast.Name) and node.id == name and isinstance(node.ctx, ast.Load)


def _bound_argument(call: ast.Call, name: str, index: int | None, skip: int) -> ast.expr | None:
    for keyword_argument in call.keywords:
        if keyword_argument.arg == name:
            return keyword_argument.value
    if index is None or index - skip < 0:
        return None
    position = index - skip
    before = call.args[: position + 1]
    if any(isinstance(argument, ast.Starred) for argument in before):
        return None
    return call.args[position] if position < len(call.args) else None


def _may_bind(call: ast.Call) -> bool:
    """Whether `*args` or `**kwargs` could be what passes the parameter."""
    starred = any(isinstance(argument, ast.Starred) for argument in call.args)
    return starred or any(keyword_argument.arg is None for keyword_argument in call.keywords)


def _return_call_sites(conversion: _Conversion, fields: list[ModelField]) -> CallSites:
    """Calls of the function: constant-key reads of the result (`f(...)["k"]`, or of a local
    name it is bound to) are rewritten; other uses of the result are listed."""
    function = conversion.function
    known = {field.key for field in fields}
    parents = {
        child: node for node in ast.walk(conversion.tree) for child in ast.iter_child_nodes(node)
    }
    sites = CallSites()
    for node in ast.walk(conversion.tree):
        if not isinstance(node, ast.Call) or not _calls(node, function.name, conversion.located):
            continue
        value: ast.AST = node
        parent = parents.get(node)
        if isinstance(parent, ast.Await):
            value, parent = parent, parents.get(parent)
        if isinstance(parent, ast.Expr):
            continue
        reads = _key_reads(value, parent, parents, known)
        if reads is None:
            sites.left_alone.append(
                f"line {node.lineno}: `{ast.unparse(node)[:MAX_QUOTED_SOURCE]}` uses the result as a dict"
            )
        else:
            sites.subscripts.extend(reads)
    return sites


def _is_key_read(node: ast.AST, parent: ast.AST | None, known: set[str]) -> bool:
    return (
        isinstance(parent, ast.Subscript)
        and parent.value is node
        and isinstance(parent.ctx, ast.Load)
        and constant_key(parent.slice) in known
    )


def _key_reads(
    value: ast.AST, parent: ast.AST | None, parents: dict[ast.AST, ast.AST], known: set[str]
) -> list[ast.Subscript] | None:
    """The constant-key reads of a call's result, or None if it is used in another way."""
    if isinstance(parent, ast.Subscript) and _is_key_read(value, parent, known):
        return [parent]
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
    reads: list[ast.Subscript] = []
    for node in ast.walk(scope):
        if isinstance(node, ast.Name) and node.id == name and isinstance(node.ctx, ast.Load):
            read = parents.get(node)
            if not isinstance(read, ast.Subscript) or not _is_key_read(node, read, known):
                return None
            reads.append(read)
    return reads


def _subscript_field(node: ast.Subscript, fields: list[ModelField]) -> str:
    key = constant_key(node.slice)
    return next(field.name for field in fields if field.key == key)


# --- the libcst pass -------------------------------------------------------------------------


DICT_TYPE_CODES = frozenset(
    {"dict", "Dict", "typing.Dict"}
    | {
        f"{name}[str,{any_name}]"
        for name in (
            "dict",
            "Dict",
            "typing.Dict",
            "Mapping",
            "typing.Mapping",
            "collections.abc.Mapping",
            "MutableMapping",
            "typing.MutableMapping",
            "collections.abc.MutableMapping",
        )
        for any_name in ("Any", "typing.Any")
    }
)
_EMPTY = cst.Module(body=[])


def _compact_code(node: cst.CSTNode) -> str:
    return "".join(_EMPTY.code_for_node(node).split())


def _string_value(node: cst.BaseExpression) -> str | None:
    if isinstance(node, cst.SimpleString | cst.ConcatenatedString):
        value = node.evaluated_value
        return value if isinstance(value, str) else None
    return None


class _AnnotationSwap(cst.CSTTransformer):
    """Replaces the dict type inside an annotation by the model's name."""

    def __init__(self, model: str) -> None:
        super().__init__()
        self.model = model

    def on_leave(
        self, original_node: cst.CSTNode, updated_node: cst.CSTNode
    ) -> cst.CSTNode | cst.RemovalSentinel | cst.FlattenSentinel[cst.CSTNode]:
        if isinstance(updated_node, cst.BaseExpression) and (
            _compact_code(original_node) in DICT_TYPE_CODES
        ):
            return cst.Name(self.model, lpar=updated_node.lpar, rpar=updated_node.rpar)
        return updated_node


class _Rewriter(cst.CSTTransformer):
    METADATA_DEPENDENCIES = (PositionProvider,)

    def __init__(self, plan: _Plan) -> None:
        super().__init__()
        self.plan = plan
        self.scopes: list[bool] = []  # for each enclosing function: is it the target?

    @property
    def inside(self) -> bool:
        return any(self.scopes)

    @property
    def in_own_scope(self) -> bool:
        return bool(self.scopes) and self.scopes[-1]

    def _start(self, node: cst.CSTNode) -> Position:
        code_range = self.get_metadata(PositionProvider, node)
        assert isinstance(code_range, CodeRange)  # noqa: S101 - the provider's contract
        return code_range.start.line, code_range.start.column

    def _span(self, node: cst.CSTNode) -> tuple[Position, Position]:
        code_range = self.get_metadata(PositionProvider, node)
        assert isinstance(code_range, CodeRange)  # noqa: S101 - the provider's contract
        start, end = code_range.start, code_range.end
        return (start.line, start.column), (end.line, end.column)

    def visit_FunctionDef(self, node: cst.FunctionDef) -> None:
        is_target = (
            node.name.value == self.plan.function
            and self._start(node.name)[0] == self.plan.function_line
        )
        self.scopes.append(is_target)

    def visit_Lambda(self, node: cst.Lambda) -> None:
        self.scopes.append(False)

    def leave_Lambda(self, original_node: cst.Lambda, updated_node: cst.Lambda) -> cst.Lambda:
        self.scopes.pop()
        return updated_node

    def visit_ClassDef(self, node: cst.ClassDef) -> None:
        self.scopes.append(False)

    def leave_ClassDef(
        self, original_node: cst.ClassDef, updated_node: cst.ClassDef
    ) -> cst.ClassDef:
        self.scopes.pop()
        return updated_node

    def leave_FunctionDef(
        self, original_node: cst.FunctionDef, updated_node: cst.FunctionDef
    ) -> cst.FunctionDef:
        is_target = self.scopes.pop()
        if not is_target or not self.plan.returns:
            return updated_node
        swap = _AnnotationSwap(self.plan.model)
        if updated_node.returns is None:
            return updated_node.with_changes(returns=cst.Annotation(cst.Name(self.plan.model)))
        return updated_node.with_changes(returns=updated_node.returns.visit(swap))

    def leave_Param(self, original_node: cst.Param, updated_node: cst.Param) -> cst.Param:
        if (
            self.in_own_scope
            and self.plan.parameter == updated_node.name.value
            and updated_node.annotation is not None
        ):
            swap = _AnnotationSwap(self.plan.model)
            return updated_node.with_changes(annotation=updated_node.annotation.visit(swap))
        return updated_node

    def _is_parameter(self, node: cst.BaseExpression) -> bool:
        return (
            self.inside
            and self.plan.parameter is not None
            and isinstance(node, cst.Name)
            and node.value == self.plan.parameter
        )

    def _attribute(
        self, value: cst.BaseExpression, key: str, like: cst.BaseExpression
    ) -> cst.Attribute:
        return cst.Attribute(
            value=value, attr=cst.Name(self.plan.fields[key]), lpar=like.lpar, rpar=like.rpar
        )

    def leave_Subscript(
        self, original_node: cst.Subscript, updated_node: cst.Subscript
    ) -> cst.BaseExpression:
        key = _single_key(updated_node)
        if key is not None and self._is_parameter(updated_node.value):
            return self._attribute(updated_node.value, key, updated_node)
        field = self.plan.subscripts.get(self._span(original_node))
        if field is not None:
            return cst.Attribute(
                value=updated_node.value,
                attr=cst.Name(field),
                lpar=updated_node.lpar,
                rpar=updated_node.rpar,
            )
        return updated_node

    def leave_Call(self, original_node: cst.Call, updated_node: cst.Call) -> cst.BaseExpression:
        func = updated_node.func
        if (
            isinstance(func, cst.Attribute)
            and func.attr.value == "get"
            and self._is_parameter(func.value)
            and updated_node.args
        ):
            key = _string_value(updated_node.args[0].value)
            if key is not None and key in self.plan.fields:
                return self._attribute(func.value, key, updated_node)
        return updated_node

    def leave_Comparison(
        self, original_node: cst.Comparison, updated_node: cst.Comparison
    ) -> cst.BaseExpression:
        if len(updated_node.comparisons) != 1:
            return updated_node
        target = updated_node.comparisons[0]
        key = _string_value(updated_node.left)
        if (
            key is None
            or key not in self.plan.optional_keys
            or not isinstance(target.operator, cst.In | cst.NotIn)
            or not self._is_parameter(target.comparator)
        ):
            return updated_node
        operator = cst.IsNot() if isinstance(target.operator, cst.In) else cst.Is()
        return updated_node.with_changes(
            left=self._attribute(target.comparator, key, cst.Name("_")),
            comparisons=[cst.ComparisonTarget(operator=operator, comparator=cst.Name(NONE))],
        )

    def leave_Dict(self, original_node: cst.Dict, updated_node: cst.Dict) -> cst.BaseExpression:
        if self._start(original_node) in self.plan.displays:
            return _construction(updated_node, self.plan)
        return updated_node

    def leave_Return(self, original_node: cst.Return, updated_node: cst.Return) -> cst.Return:
        if self.plan.returns and self.in_own_scope and isinstance(updated_node.value, cst.Dict):
            return updated_node.with_changes(value=_construction(updated_node.value, self.plan))
        return updated_node


def _single_key(node: cst.Subscript) -> str | None:
    if len(node.slice) != 1 or not isinstance(node.slice[0].slice, cst.Index):
        return None
    return _string_value(node.slice[0].slice.value)


def _construction(display: cst.Dict, plan: _Plan) -> cst.Call:
    """`{"a": x, "b": y}` → `Model(a=x, b=y)`, keeping the display's layout and comments."""
    elements = [element for element in display.elements if isinstance(element, cst.DictElement)]
    arguments: list[cst.Arg] = []
    for position, element in enumerate(elements):
        key = _string_value(element.key) or ""
        last = position == len(elements) - 1
        arguments.append(
            cst.Arg(
                value=element.value,
                keyword=cst.Name(plan.fields[key]),
                equal=cst.AssignEqual(
                    whitespace_before=cst.SimpleWhitespace(""),
                    whitespace_after=cst.SimpleWhitespace(""),
                ),
                comma=element.comma,
                whitespace_after_arg=display.rbrace.whitespace_before
                if last
                else cst.SimpleWhitespace(""),
            )
        )
    return cst.Call(
        func=cst.Name(plan.model),
        args=arguments,
        whitespace_before_args=display.lbrace.whitespace_after,
        lpar=display.lpar,
        rpar=display.rpar,
    )


def _with_class(module: cst.Module, plan: _Plan, statement_line: int) -> cst.Module:
    """The module with the model class inserted above the statement starting at
    `statement_line` (the one that holds the function)."""
    if plan.class_source is None:
        return module
    wrapper = MetadataWrapper(module)
    positions = wrapper.resolve(PositionProvider)
    body: list[cst.BaseStatement] = list(wrapper.module.body)
    index = next(
        (
            position
            for position, statement in enumerate(body)
            if positions[statement].end.line >= statement_line
        ),
        len(body),
    )
    blank = [cst.EmptyLine()] * TOP_LEVEL_BLANK_LINES
    new_class = cst.parse_statement(plan.class_source).with_changes(
        leading_lines=blank if index > 0 else []
    )
    if index < len(body):
        body[index] = _with_blank_lines(body[index])
    body.insert(index, new_class)
    return wrapper.module.with_changes(body=body)


def _with_blank_lines(statement: cst.BaseStatement) -> cst.BaseStatement:
    """A top-level statement preceded by at least two blank lines (before its comments)."""
    leading = list(getattr(statement, "leading_lines", []))
    blanks = 0
    for line in leading:
        if line.comment is not None:
            break
        blanks += 1
    missing = max(TOP_LEVEL_BLANK_LINES - blanks, 0)
    return statement.with_changes(leading_lines=[cst.EmptyLine()] * missing + leading)


def _with_imports(module: cst.Module, imports: Sequence[tuple[str, str]]) -> cst.Module:
    for source, name in imports:
        module = _with_import(module, source, name)
    return module


def _import_from(statement: cst.BaseStatement) -> cst.ImportFrom | None:
    if isinstance(statement, cst.SimpleStatementLine) and len(statement.body) == 1:
        only = statement.body[0]
        if isinstance(only, cst.ImportFrom) and only.relative == ():
            return only
    return None


def _with_import(module: cst.Module, source: str, name: str) -> cst.Module:
    """The module importing `name` from `source`: already there, added to an existing
    `from source import ...`, or as a new statement in the import block."""
    body: list[cst.BaseStatement] = list(module.body)
    for index, statement in enumerate(body):
        found = _import_from(statement)
        if found is None or found.module is None or _EMPTY.code_for_node(found.module) != source:
            continue
        if isinstance(found.names, cst.ImportStar):
            return module
        if any(_EMPTY.code_for_node(alias.name) == name for alias in found.names):
            return module
        names = list(found.names)
        names[-1] = names[-1].with_changes(
            comma=cst.Comma(whitespace_after=cst.SimpleWhitespace(" "))
        )
        names.append(cst.ImportAlias(name=cst.Name(name)))
        assert isinstance(statement, cst.SimpleStatementLine)  # noqa: S101 - _import_from
        body[index] = statement.with_changes(body=[found.with_changes(names=names)])
        return module.with_changes(body=body)
    return module.with_changes(body=_inserted_import(body, source, name))


def _is_import(statement: cst.BaseStatement) -> bool:
    return isinstance(statement, cst.SimpleStatementLine) and all(
        isinstance(small, cst.Import | cst.ImportFrom) for small in statement.body
    )


def _is_future(statement: cst.BaseStatement) -> bool:
    found = _import_from(statement)
    return (
        found is not None
        and found.module is not None
        and (_EMPTY.code_for_node(found.module) == "__future__")
    )


def _is_docstring(statement: cst.BaseStatement) -> bool:
    return (
        isinstance(statement, cst.SimpleStatementLine)
        and len(statement.body) == 1
        and isinstance(statement.body[0], cst.Expr)
        and isinstance(statement.body[0].value, cst.SimpleString | cst.ConcatenatedString)
    )


def _is_stdlib_import(statement: cst.BaseStatement) -> bool:
    if not isinstance(statement, cst.SimpleStatementLine):
        return False
    small = statement.body[0]
    if isinstance(small, cst.ImportFrom) and small.module is not None and small.relative == ():
        top = _EMPTY.code_for_node(small.module).split(".")[0]
    elif isinstance(small, cst.Import):
        top = _EMPTY.code_for_node(small.names[0].name).split(".")[0]
    else:
        return False
    return top in sys.stdlib_module_names or top == "__future__"


def _inserted_import(
    body: list[cst.BaseStatement], source: str, name: str
) -> list[cst.BaseStatement]:
    """`body` with `from source import name` placed in the leading import block: a standard
    library import first among the imports, a third-party one after the absolute imports."""
    start = 1 if body and _is_docstring(body[0]) else 0
    while start < len(body) and _is_future(body[start]):
        start += 1
    end = start
    while end < len(body) and _is_import(body[end]):
        end += 1
    block = body[start:end]
    is_stdlib = source in sys.stdlib_module_names
    before = _is_stdlib_import if is_stdlib else _is_absolute_import
    preceding = [position for position, statement in enumerate(block) if before(statement)]
    index = start + (preceding[-1] + 1 if preceding else 0)
    previous = body[index - 1] if index > 0 else None
    separate = previous is not None and (
        not _is_import(previous) or (_is_stdlib_import(previous) and not is_stdlib)
    )
    statement = cst.parse_statement(f"from {source} import {name}\n")
    statement = statement.with_changes(leading_lines=[cst.EmptyLine()] if separate else [])
    following = body[index] if index < len(body) else None
    if following is None:
        return [*body, statement]
    return [*body[:index], statement, _separated(following, is_stdlib), *body[index + 1 :]]


def _is_absolute_import(statement: cst.BaseStatement) -> bool:
    if not isinstance(statement, cst.SimpleStatementLine):
        return False
    small = statement.body[0]
    return isinstance(small, cst.Import) or (
        isinstance(small, cst.ImportFrom) and small.relative == ()
    )


def _separated(statement: cst.BaseStatement, after_stdlib: bool) -> cst.BaseStatement:
    """The statement after a new import, with a blank line between them unless it is an import
    of the same group."""
    leading = list(getattr(statement, "leading_lines", []))
    if leading and leading[0].comment is None:
        return statement
    if _is_import(statement) and (_is_stdlib_import(statement) == after_stdlib):
        return statement
    if isinstance(statement, cst.ClassDef | cst.FunctionDef):
        return _with_blank_lines(statement)
    return statement.with_changes(leading_lines=[cst.EmptyLine(), *leading])


def conversion_fix(text: str, target: Target) -> Fix | None:
    """The unsafe fix converting `target`, as minimal edits of `text`."""
    conversion = convert(text, target)
    if conversion is None or conversion.text == text:
        return None
    return Fix(
        title=conversion.title,
        safety=Safety.UNSAFE,
        edits=edits_between(text, conversion.text),
        description=conversion.description,
    )


def target_of(data: dict[str, str | int | float | bool | None]) -> Target | None:
    """The target a finding's or an offer's `data` names, if it is well formed."""
    try:
        return Target.model_validate(data)
    except ValueError:
        return None
