"""The "Extract to module constant" rewrite (libcst), shared by STD201, STD202 and STD203.

Behaviour is preserved by construction:
- the constant's value is the literal's own source text (or, for an f-string's URL prefix, the
  `repr` of its value), so it evaluates to the same value;
- a new name is one that no binding or reference anywhere in the module uses (nor a builtin), so
  no local, class-level, comprehension or `global` name can shadow it or be shadowed by it;
- an existing constant is reused only when it is an unconditional module-level `NAME = literal`
  with the same value, bound nowhere else, defined before the first use, and not rebound in any
  scope around the replaced literals;
- the new constant goes after the docstring, `from __future__` and the import block (beside other
  constants if some follow the imports), but never after the first statement that uses it.
"""

from __future__ import annotations

import ast
from collections.abc import Sequence

import libcst as cst
from libcst.metadata import CodeRange, MetadataWrapper, PositionProvider
from pydantic import BaseModel, ConfigDict

from rules.checks._literals import (
    UPPER_NAME,
    Literal,
    ModuleLiterals,
    is_extractable,
    literal_range,
)
from rules.fixes import edits_between
from rules.models import Fix, Range, Safety
from rules.naming import extract_title, unique_name

# Words too generic for two constants sharing one of them to mean the same thing.
_GENERIC_WORDS = frozenset(
    {
        "MAX",
        "MIN",
        "DEFAULT",
        "EXPECTED",
        "VALUE",
        "TEXT",
        "RATE",
        "FACTOR",
        "OFFSET",
        "DIVISOR",
        "MODULUS",
        "EXPONENT",
        "STEP",
        "LIMIT",
        "URL",
        "API",
        "PATH",
        "MESSAGE",
        "SECONDS",
        "COUNT",
        "SIZE",
        "NUMBER",
    }
)
_SCOPES = (
    ast.FunctionDef,
    ast.AsyncFunctionDef,
    ast.Lambda,
    ast.ClassDef,
    ast.ListComp,
    ast.SetComp,
    ast.DictComp,
    ast.GeneratorExp,
)
MIN_BLANK_LINES_BEFORE_DEFINITION = 2
_DEFINITIONS = (cst.FunctionDef, cst.ClassDef)


class CannotExtractError(ValueError):
    """The literal cannot be extracted without risking a change of behaviour."""


class ExtractionPlan(BaseModel):
    """What an extraction will do, decided before any rewrite."""

    model_config = ConfigDict(frozen=True)

    name: str
    reuse: bool
    value_source: str


# Names and scopes ---------------------------------------------------------------------------


def module_names(tree: ast.Module) -> set[str]:
    """Every name the module binds or references anywhere (any scope), and `__all__`'s strings."""
    names: set[str] = set()
    for node in ast.walk(tree):
        names.update(_names_of(node))
    return names


def _names_of(node: ast.AST) -> list[str]:
    match node:
        case ast.Name(id=name) | ast.arg(arg=name):
            return [name]
        case ast.FunctionDef(name=name) | ast.AsyncFunctionDef(name=name) | ast.ClassDef(
            name=name
        ):
            return [name]
        case ast.alias(name=name, asname=asname):
            return [asname or name.split(".")[0]]
        case ast.Global(names=names) | ast.Nonlocal(names=names):
            return list(names)
        case ast.ExceptHandler(name=str() as name) | ast.MatchAs(name=str() as name):
            return [name]
        case ast.MatchStar(name=str() as name) | ast.MatchMapping(rest=str() as name):
            return [name]
        case ast.TypeVar(name=name) | ast.ParamSpec(name=name) | ast.TypeVarTuple(name=name):
            return [name]
        case ast.Assign(targets=[ast.Name(id="__all__")], value=ast.List() | ast.Tuple() as seq):
            return [
                element.value
                for element in seq.elts
                if isinstance(element, ast.Constant) and isinstance(element.value, str)
            ]
    return []


def names_bound_in_scope(scope: ast.AST) -> set[str]:
    """The names a function, lambda, class or comprehension binds in its own scope."""
    bound: set[str] = set()
    if isinstance(scope, ast.FunctionDef | ast.AsyncFunctionDef | ast.Lambda):
        bound.update(argument.arg for argument in ast.walk(scope.args) if isinstance(argument, ast.arg))
    roots: list[ast.AST]
    if isinstance(scope, ast.ListComp | ast.SetComp | ast.DictComp | ast.GeneratorExp):
        roots = [generator.target for generator in scope.generators]
    elif isinstance(scope, ast.Lambda):
        roots = [scope.body]
    else:
        roots = list(getattr(scope, "body", []))
    stack = roots
    while stack:
        node = stack.pop()
        if isinstance(node, ast.Name) and isinstance(node.ctx, ast.Store | ast.Del):
            bound.add(node.id)
        elif isinstance(node, ast.NamedExpr) and isinstance(node.target, ast.Name):
            bound.add(node.target.id)  # walrus binds in the enclosing function, even from a comprehension
        names = [] if isinstance(node, ast.Name | ast.Global | ast.Nonlocal) else _names_of(node)
        bound.update(names)
        if isinstance(node, _SCOPES):
            continue  # a nested scope's own bindings are its own (its name is counted above)
        stack.extend(ast.iter_child_nodes(node))
    return bound


def enclosing_scopes(literal: Literal) -> list[ast.AST]:
    """The function, lambda, class and comprehension scopes around a literal, innermost last."""
    return [parent for parent, _ in literal.parents if isinstance(parent, _SCOPES)]


def is_shadowed(literal: Literal, name: str) -> bool:
    """Whether `name` is bound in a scope around the literal (so it would not mean the module's)."""
    return any(name in names_bound_in_scope(scope) for scope in enclosing_scopes(literal))


class _ModuleConstant(BaseModel):
    """An unconditional module-level `NAME = literal`, bound nowhere else."""

    name: str
    key: str
    line: int


def reusable_constants(tree: ast.Module) -> list[_ModuleConstant]:
    """The module's constants an extraction may reuse."""
    stores: dict[str, int] = {}
    for node in ast.walk(tree):
        if isinstance(node, ast.Name) and isinstance(node.ctx, ast.Store | ast.Del):
            stores[node.id] = stores.get(node.id, 0) + 1
        elif isinstance(node, ast.Global | ast.Nonlocal):
            for name in node.names:
                stores[name] = stores.get(name, 0) + 2
    constants: list[_ModuleConstant] = []
    for statement in tree.body:
        match statement:
            case ast.Assign(targets=[ast.Name(id=name)], value=value) if (
                UPPER_NAME.fullmatch(name) and stores.get(name) == 1
            ):
                key = _literal_key(value)
                if key is not None:
                    constants.append(_ModuleConstant(name=name, key=key, line=statement.lineno))
    return constants


def _literal_key(node: ast.expr) -> str | None:
    sign = 1
    if isinstance(node, ast.UnaryOp) and isinstance(node.op, ast.USub):
        sign, node = -1, node.operand
    if not isinstance(node, ast.Constant):
        return None
    value = node.value
    if isinstance(value, bool) or not isinstance(value, int | float | str):
        return None
    if sign < 0:
        if isinstance(value, str):
            return None
        value = -value
    return f"{type(value).__name__}:{value!r}"


def _fits(existing: str, proposed: str) -> bool:
    if existing == proposed:
        return True
    shared = set(existing.split("_")) & set(proposed.split("_"))
    return bool(shared - _GENERIC_WORDS - {""})


# The plan -----------------------------------------------------------------------------------


def _first_line(targets: Sequence[Literal]) -> int:
    """The first line (1-based) of the first top-level statement holding one of the targets."""
    return min(literal.parents[0][0].lineno for literal in targets)  # type: ignore[attr-defined]


def plan_extraction(
    module: ModuleLiterals, targets: Sequence[Literal], proposed: str
) -> ExtractionPlan:
    """Choose the constant's name (reusing an existing one when it fits) and its source."""
    if not targets or not all(is_extractable(target) for target in targets):
        raise CannotExtractError("nothing extractable")
    first_use = _first_line(targets)
    key = targets[0].key
    candidates = [
        constant
        for constant in reusable_constants(module.tree)
        if constant.key == key and constant.line < first_use and _fits(constant.name, proposed)
    ]
    candidates.sort(key=lambda constant: constant.name != proposed)
    for constant in candidates:
        if not any(is_shadowed(target, constant.name) for target in targets):
            return ExtractionPlan(name=constant.name, reuse=True, value_source="")
    name = unique_name(proposed, module_names(module.tree))
    return ExtractionPlan(name=name, reuse=False, value_source=_value_source(module, targets[0]))


def _value_source(module: ModuleLiterals, literal: Literal) -> str:
    if literal.is_fstring:
        return repr(literal.value)
    source = ast.get_source_segment(module.text, literal.node)
    if source is None:
        raise CannotExtractError("the literal's source text is not available")
    if "\n" in source or "\r" in source:
        return f"({source})"
    return source


# The rewrite --------------------------------------------------------------------------------


def _span(code_range: CodeRange) -> tuple[int, int, int, int]:
    return (
        code_range.start.line - 1,
        code_range.start.column,
        code_range.end.line - 1,
        code_range.end.column,
    )


def _range_span(where: Range) -> tuple[int, int, int, int]:
    return (where.start.line, where.start.character, where.end.line, where.end.character)


class _Replacer(cst.CSTTransformer):
    """Replaces the nodes at the targets' spans by the constant's name."""

    def __init__(
        self, positions: dict[cst.CSTNode, CodeRange], spans: set[tuple[int, int, int, int]], name: str
    ) -> None:
        super().__init__()
        self.positions = positions
        self.spans = spans
        self.name = name
        self.replaced = 0

    def on_leave(
        self, original_node: cst.CSTNode, updated_node: cst.CSTNode
    ) -> cst.CSTNode | cst.RemovalSentinel | cst.FlattenSentinel[cst.CSTNode]:
        if not isinstance(updated_node, cst.BaseExpression):
            return updated_node
        position = self.positions.get(original_node)
        if position is None or _span(position) not in self.spans:
            return updated_node
        replacement = self._replacement(updated_node)
        if replacement is None:
            return updated_node
        self.spans.discard(_span(position))
        self.replaced += 1
        return replacement

    def _replacement(self, node: cst.BaseExpression) -> cst.BaseExpression | None:
        name = cst.Name(self.name)
        if isinstance(node, cst.FormattedString):
            if not node.parts or not isinstance(node.parts[0], cst.FormattedStringText):
                return None
            expression = cst.FormattedStringExpression(expression=name)
            return node.with_changes(parts=[expression, *node.parts[1:]])
        if isinstance(
            node, cst.Integer | cst.Float | cst.SimpleString | cst.ConcatenatedString
        ) or isinstance(node, cst.UnaryOperation):
            return name.with_changes(lpar=node.lpar, rpar=node.rpar)
        return None


def extract(module: ModuleLiterals, targets: Sequence[Literal], proposed: str) -> tuple[str, str]:
    """The module's text with the targets extracted, and the constant's name."""
    plan = plan_extraction(module, targets, proposed)
    wrapper = MetadataWrapper(cst.parse_module(module.text))
    positions = wrapper.resolve(PositionProvider)
    spans = {_range_span(literal_range(target, module.lines)) for target in targets}
    replacer = _Replacer(dict(positions), set(spans), plan.name)
    rewritten = wrapper.module.visit(replacer)
    if replacer.replaced != len(spans):
        raise CannotExtractError("not every occurrence could be located in the syntax tree")
    if not plan.reuse:
        first_use = _first_line(targets)
        rewritten = _insert_constant(rewritten, positions, wrapper.module, plan, first_use)
    return rewritten.code, plan.name


def build_extract_fix(
    module: ModuleLiterals, targets: Sequence[Literal], proposed: str, display: str
) -> Fix | None:
    """The extract fix for `targets` (safe for one occurrence), or None if it cannot be made."""
    try:
        new_text, name = extract(module, targets, proposed)
    except (CannotExtractError, cst.ParserSyntaxError):
        return None
    count = len(targets)
    return Fix(
        title=extract_title(display, name, count),
        safety=Safety.SAFE if count == 1 else Safety.UNSAFE,
        edits=edits_between(module.text, new_text),
    )


# Placement ----------------------------------------------------------------------------------


def _is_docstring(statement: cst.BaseStatement) -> bool:
    if not isinstance(statement, cst.SimpleStatementLine) or len(statement.body) != 1:
        return False
    small = statement.body[0]
    return isinstance(small, cst.Expr) and isinstance(
        small.value, cst.SimpleString | cst.ConcatenatedString
    )


def _is_import_line(statement: cst.CSTNode) -> bool:
    return isinstance(statement, cst.SimpleStatementLine) and all(
        isinstance(small, cst.Import | cst.ImportFrom | cst.Pass) for small in statement.body
    )


def _block_is_imports(block: cst.BaseSuite | None) -> bool:
    if block is None:
        return True
    if isinstance(block, cst.SimpleStatementSuite):
        return all(isinstance(small, cst.Import | cst.ImportFrom | cst.Pass) for small in block.body)
    return any(_is_import_line(statement) for statement in block.body)


def _is_import_block(statement: cst.BaseStatement) -> bool:
    """An import line, `if TYPE_CHECKING:` imports, or a `try:` import with its fallback."""
    if _is_import_line(statement):
        return True
    if isinstance(statement, cst.If):
        return _block_is_imports(statement.body)
    if isinstance(statement, cst.Try):
        return _block_is_imports(statement.body)
    return False


def _assigned_names(statement: cst.BaseStatement) -> list[str]:
    if not isinstance(statement, cst.SimpleStatementLine) or len(statement.body) != 1:
        return []
    small = statement.body[0]
    if isinstance(small, cst.Assign):
        return [
            target.target.value for target in small.targets if isinstance(target.target, cst.Name)
        ]
    if isinstance(small, cst.AnnAssign) and isinstance(small.target, cst.Name):
        return [small.target.value]
    return []


def _is_constant(statement: cst.BaseStatement) -> bool:
    names = _assigned_names(statement)
    return bool(names) and all(UPPER_NAME.fullmatch(name) for name in names)


def _is_dunder_assignment(statement: cst.BaseStatement) -> bool:
    names = _assigned_names(statement)
    return bool(names) and all(name.startswith("__") and name.endswith("__") for name in names)


def _insertion_index(
    body: Sequence[cst.BaseStatement],
    positions: dict[cst.CSTNode, CodeRange],
    first_use: int,
) -> int:
    """Where the constant goes among the module's statements (see the module docstring)."""
    first_use_index = next(
        (
            index
            for index, statement in enumerate(body)
            if positions[statement].end.line >= first_use
        ),
        len(body),
    )
    header_end = 0
    for index, statement in enumerate(body):
        if (index == 0 and _is_docstring(statement)) or _is_import_block(statement):
            header_end = index + 1
        elif not _is_dunder_assignment(statement):
            break
    index = header_end
    for later in range(header_end, first_use_index):
        statement = body[later]
        if not isinstance(statement, cst.SimpleStatementLine):
            break
        if _is_constant(statement):
            index = later + 1
    return min(index, first_use_index)


def _blank_lines(statement: cst.BaseStatement) -> int:
    count = 0
    for line in statement.leading_lines:
        if line.comment is not None:
            break
        count += 1
    return count


def _with_blank_lines(statement: cst.BaseStatement, wanted: int) -> cst.BaseStatement:
    missing = wanted - _blank_lines(statement)
    if missing <= 0:
        return statement
    lines = [cst.EmptyLine() for _ in range(missing)]
    return statement.with_changes(leading_lines=[*lines, *statement.leading_lines])


def _insert_constant(
    rewritten: cst.Module,
    positions: object,
    original: cst.Module,
    plan: ExtractionPlan,
    first_use: int,
) -> cst.Module:
    position_map: dict[cst.CSTNode, CodeRange] = dict(positions)  # type: ignore[call-overload]
    index = _insertion_index(original.body, position_map, first_use)
    body = list(rewritten.body)
    joins_constants = index > 0 and _is_constant(body[index - 1])
    assignment = cst.SimpleStatementLine(
        body=[
            cst.Assign(
                targets=[cst.AssignTarget(target=cst.Name(plan.name))],
                value=cst.parse_expression(plan.value_source),
            )
        ]
    )
    if index == 0 and body:
        # comments above the first statement (a licence, a shebang's neighbours) stay on top
        assignment = assignment.with_changes(leading_lines=body[0].leading_lines)
        body[0] = body[0].with_changes(leading_lines=[])
    elif index > 0 and not joins_constants:
        assignment = assignment.with_changes(leading_lines=[cst.EmptyLine()])
    if index < len(body):
        following = body[index]
        wanted = MIN_BLANK_LINES_BEFORE_DEFINITION if isinstance(following, _DEFINITIONS) else 1
        if not joins_constants or isinstance(following, _DEFINITIONS):
            body[index] = _with_blank_lines(following, wanted)
    body.insert(index, assignment)
    return rewritten.with_changes(body=body)
