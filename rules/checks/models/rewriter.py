"""The libcst pass of the "Convert to Pydantic model" rewrite: one file at a time.

The `ast` analysis (`conversion`, `call_sites`) decides everything by position; this pass
only carries it out, keeping formatting and comments: the signature names the model, the
function's key accesses become attribute accesses, returned dicts and dicts passed by callers
become constructions, other arguments `Model.model_validate(arg)`, a result a caller uses as a
dict `.model_dump()`, and the model class goes above the function's top-level statement.
"""

from __future__ import annotations

import libcst as cst
from libcst.metadata import CodeRange, MetadataWrapper, PositionProvider
from pydantic import BaseModel, ConfigDict, Field

from rules.checks.models.dict_shapes import ANY_NAMES, BARE_DICT_TYPES, GENERIC_DICT_TYPES
from rules.imports_insertion import DEFAULT_STYLE, ImportStyle, with_imports, with_name

TOP_LEVEL_BLANK_LINES = 2
FIELDS_SET = "model_fields_set"
MODEL_VALIDATE = "model_validate"
MODEL_DUMP = "model_dump"
NONE = "None"
type Position = tuple[int, int]  # 1-based line, 0-based code-point column (libcst's convention)
type Span = tuple[Position, Position]


class Plan(BaseModel):
    """Everything the libcst pass does to one file, decided from the `ast` analysis."""

    model_config = ConfigDict(arbitrary_types_allowed=True)

    function: str = ""
    function_line: int = -1
    model: str
    class_source: str | None = None
    statement_line: int = -1
    fields: dict[str, str] = Field(default_factory=dict, description="field name by key")
    field_defaults: dict[str, str] = Field(
        default_factory=dict, description="the source of each field's default, by key"
    )
    parameter: str | None = None
    returns: bool = False
    displays: dict[Position, str] = Field(
        default_factory=dict, description="dict displays to construct, with the model's name there"
    )
    validates: dict[Span, tuple[str, bool]] = Field(
        default_factory=dict,
        description="arguments to validate: the model's name there, and whether None passes",
    )
    dumps: dict[Span, str] = Field(
        default_factory=dict, description="calls whose result is dumped, with the arguments"
    )
    subscripts: dict[Span, str] = Field(
        default_factory=dict,
        description='`f(...)["k"]` and `f(...).get("k")` reads to make attribute reads',
    )
    imports: list[tuple[str, str]] = Field(default_factory=list)
    import_beside: dict[Position, str] = Field(
        default_factory=dict, description="`from m import f` statements to add the model to"
    )
    import_style: ImportStyle = DEFAULT_STYLE


def rewrite(text: str, plan: Plan) -> str:
    """`text` rewritten as `plan` says."""
    wrapper = MetadataWrapper(cst.parse_module(text))
    module = wrapper.visit(_Rewriter(plan))
    module = _with_class(module, plan, plan.statement_line)
    return with_imports(module, plan.imports, plan.import_style).code


# The annotations `dict_shapes` reads as "a dict of anything", as `_compact_code` writes them.
DICT_TYPE_CODES = BARE_DICT_TYPES | {
    f"{name}[str,{any_name}]" for name in GENERIC_DICT_TYPES for any_name in ANY_NAMES
}
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

    def __init__(self, plan: Plan) -> None:
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
        result: cst.BaseExpression = updated_node
        field = self.plan.subscripts.get(self._span(original_node))
        if field is not None and isinstance(func, cst.Attribute):
            # `f(...).get("k")` of a returned model: the field (None where the return omits it)
            return cst.Attribute(
                value=func.value,
                attr=cst.Name(field),
                lpar=updated_node.lpar,
                rpar=updated_node.rpar,
            )
        if (
            isinstance(func, cst.Attribute)
            and func.attr.value == "get"
            and self._is_parameter(func.value)
            and updated_node.args
        ):
            key = _string_value(updated_node.args[0].value)
            if key is not None and key in self.plan.fields:
                result = self._get(func.value, key, updated_node)
        return result

    def _get(self, value: cst.BaseExpression, key: str, call: cst.Call) -> cst.BaseExpression:
        """`d.get("k")` → `m.k`; `d.get("k", x)` → `m.k` when `x` is the field's default, else
        `m.k if "k" in m.model_fields_set else x` (present-with-None stays None)."""
        attribute = self._attribute(value, key, call)
        if len(call.args) < 2:  # noqa: PLR2004 - `.get(key, default)`
            return attribute
        default = call.args[1].value
        if _compact_code(default) == "".join(self.plan.field_defaults.get(key, "").split()):
            return attribute
        field = self.plan.fields[key]
        test = cst.Comparison(
            left=cst.SimpleString(f'"{field}"'),
            comparisons=[
                cst.ComparisonTarget(
                    operator=cst.In(),
                    comparator=cst.Attribute(value=value, attr=cst.Name(FIELDS_SET)),
                )
            ],
        )
        return cst.IfExp(
            test=test,
            body=attribute.with_changes(lpar=[], rpar=[]),
            orelse=default,
            lpar=[cst.LeftParen()],
            rpar=[cst.RightParen()],
        )

    def leave_Comparison(
        self, original_node: cst.Comparison, updated_node: cst.Comparison
    ) -> cst.BaseExpression:
        """`"k" in d` → `"k" in m.model_fields_set` (the field's name, for an aliased key)."""
        if len(updated_node.comparisons) != 1:
            return updated_node
        target = updated_node.comparisons[0]
        key = _string_value(updated_node.left)
        if (
            key is None
            or key not in self.plan.fields
            or not isinstance(target.operator, cst.In | cst.NotIn)
            or not self._is_parameter(target.comparator)
        ):
            return updated_node
        fields_set = cst.Attribute(value=target.comparator, attr=cst.Name(FIELDS_SET))
        return updated_node.with_changes(
            left=cst.SimpleString(f'"{self.plan.fields[key]}"'),
            comparisons=[target.with_changes(comparator=fields_set)],
        )

    def on_leave(
        self, original_node: cst.CSTNode, updated_node: cst.CSTNode
    ) -> cst.CSTNode | cst.RemovalSentinel | cst.FlattenSentinel[cst.CSTNode]:
        result = super().on_leave(original_node, updated_node)
        if not isinstance(result, cst.BaseExpression) or not (
            self.plan.validates or self.plan.dumps
        ):
            return result
        if not isinstance(original_node, cst.BaseExpression):
            return result
        span = self._span(original_node)
        dump = self.plan.dumps.get(span)
        if dump is not None:
            return cst.Call(
                func=cst.Attribute(value=_atom(result), attr=cst.Name(MODEL_DUMP)),
                args=_arguments(dump),
            )
        validate = self.plan.validates.get(span)
        if validate is None:
            return result
        model, none_passes = validate
        call = cst.Call(
            func=cst.Attribute(value=_dotted(model), attr=cst.Name(MODEL_VALIDATE)),
            args=[cst.Arg(value=result.with_changes(lpar=[], rpar=[]))],
        )
        if not none_passes:
            return call
        # `x` may be None: `None if x is None else Model.model_validate(x)`
        return cst.IfExp(
            test=cst.Comparison(
                left=result,
                comparisons=[cst.ComparisonTarget(operator=cst.Is(), comparator=cst.Name(NONE))],
            ),
            body=cst.Name(NONE),
            orelse=call,
        )

    def leave_Dict(self, original_node: cst.Dict, updated_node: cst.Dict) -> cst.BaseExpression:
        model = self.plan.displays.get(self._start(original_node))
        if model is not None:
            return _construction(updated_node, self.plan, model)
        return updated_node

    def leave_Return(self, original_node: cst.Return, updated_node: cst.Return) -> cst.Return:
        if self.plan.returns and self.in_own_scope and isinstance(updated_node.value, cst.Dict):
            value = _construction(updated_node.value, self.plan, self.plan.model)
            return updated_node.with_changes(value=value)
        return updated_node

    def leave_ImportFrom(
        self, original_node: cst.ImportFrom, updated_node: cst.ImportFrom
    ) -> cst.ImportFrom:
        name = self.plan.import_beside.get(self._start(original_node))
        if name is None or isinstance(updated_node.names, cst.ImportStar):
            return updated_node
        if any(_EMPTY.code_for_node(alias.name) == name for alias in updated_node.names):
            return updated_node
        return with_name(updated_node, name)


def _atom(node: cst.BaseExpression) -> cst.BaseExpression:
    """`node`, parenthesised when an attribute access after it would bind tighter."""
    compound = cst.Await | cst.IfExp | cst.BinaryOperation | cst.UnaryOperation
    if isinstance(node, compound) and not node.lpar:
        return node.with_changes(lpar=[cst.LeftParen()], rpar=[cst.RightParen()])
    return node


def _dotted(name: str) -> cst.BaseExpression:
    parts = name.split(".")
    node: cst.BaseExpression = cst.Name(parts[0])
    for part in parts[1:]:
        node = cst.Attribute(value=node, attr=cst.Name(part))
    return node


def _arguments(source: str) -> list[cst.Arg]:
    if not source:
        return []
    call = cst.parse_expression(f"f({source})")
    assert isinstance(call, cst.Call)  # noqa: S101 - parsed from a call
    return list(call.args)


def _single_key(node: cst.Subscript) -> str | None:
    if len(node.slice) != 1 or not isinstance(node.slice[0].slice, cst.Index):
        return None
    return _string_value(node.slice[0].slice.value)


def _construction(display: cst.Dict, plan: Plan, model: str) -> cst.Call:
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
        func=_dotted(model),
        args=arguments,
        whitespace_before_args=display.lbrace.whitespace_after,
        lpar=display.lpar,
        rpar=display.rpar,
    )


def _with_class(module: cst.Module, plan: Plan, statement_line: int) -> cst.Module:
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
