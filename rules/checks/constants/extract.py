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
from collections.abc import Mapping, Sequence
from itertools import pairwise

import libcst as cst
from libcst.metadata import CodeRange, MetadataWrapper, PositionProvider
from pydantic import BaseModel, ConfigDict

from rules.checks.constants.exemptions import is_extractable
from rules.checks.constants.literals import (
    DUNDER,
    UPPER_NAME,
    Literal,
    ModuleLiterals,
    literal_range,
)
from rules.checks.constants.naming import extract_title, unique_name, valid_constant_name
from rules.checks.constants.scope_names import module_names, names_bound_in_scope
from rules.models import Fix, Position, Range, Safety, TextEdit
from rules.source import byte_to_char_column, strip_line_break
from rules.syntax import DEFINITION_NODES, SCOPE_NODES, first_lineno

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
MIN_BLANK_LINES_BEFORE_DEFINITION = 2
GET_OFFSET = 2


class CannotExtractError(ValueError):
    """The literal cannot be extracted without risking a change of behaviour."""


class ExtractionPlan(BaseModel):
    """What an extraction will do, decided before any rewrite."""

    model_config = ConfigDict(frozen=True)

    name: str
    reuse: bool
    value_source: str


# Names and scopes ---------------------------------------------------------------------------


def enclosing_scopes(literal: Literal) -> list[ast.AST]:
    """The function, lambda, class and comprehension scopes around a literal, innermost last."""
    return [parent for parent, _ in literal.parents if isinstance(parent, SCOPE_NODES)]


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
                stores[name] = stores.get(name, 0) + GET_OFFSET
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
    return min(getattr(literal.parents[0][0], "lineno", 1) for literal in targets)


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
    name = unique_name(
        _specific_name(proposed, targets[0], taken := module_names(module.tree)), taken
    )
    return ExtractionPlan(name=name, reuse=False, value_source=_value_source(module, targets[0]))


def _specific_name(proposed: str, literal: Literal, taken: set[str]) -> str:
    """`proposed`, or when a different value already has that name, the name qualified by the
    enclosing function or class (`FETCH_TIMEOUT`): a `_2` suffix would not say how they differ."""
    if proposed not in taken:
        return proposed
    owner = literal.scope.function or literal.scope.class_name or ""
    prefix = valid_constant_name(owner) if owner else ""
    if not prefix or proposed.startswith(f"{prefix}_"):
        return proposed  # a name from the function already
    qualified = valid_constant_name(f"{prefix}_{proposed}")
    return qualified if qualified and qualified not in taken else proposed


def _value_source(module: ModuleLiterals, literal: Literal) -> str:
    if literal.is_fstring:
        return _double_quoted(str(literal.value))
    source = ast.get_source_segment(module.text, literal.node)
    if source is None:
        raise CannotExtractError("the literal's source text is not available")
    if "\n" in source or "\r" in source:
        return f"({source})"
    return source


def _double_quoted(value: str) -> str:
    """A string literal for `value`, double-quoted like the formatter writes them."""
    literal = repr(value)
    if literal.startswith("'") and '"' not in value:
        literal = '"' + literal[1:-1].replace("\\'", "'") + '"'
    return literal


# The rewrite --------------------------------------------------------------------------------
#
# libcst rewrites only the top-level statements that hold a replaced literal (each parses on its
# own: it starts at column 0), so a fix costs the size of what it changes, not of the file; the
# new constant's statement is generated by libcst too and inserted between top-level statements.


def _span(code_range: CodeRange) -> tuple[int, int, int, int]:
    return (
        code_range.start.line - 1,
        code_range.start.column,
        code_range.end.line - 1,
        code_range.end.column,
    )


class _Replacer(cst.CSTTransformer):
    """Replaces the nodes at the targets' spans by the constant's name."""

    def __init__(
        self,
        positions: Mapping[cst.CSTNode, CodeRange],
        spans: set[tuple[int, int, int, int]],
        name: str,
    ) -> None:
        super().__init__()
        self.positions = positions
        self.spans = spans
        self.name = name

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
        return replacement

    def _replacement(self, node: cst.BaseExpression) -> cst.BaseExpression | None:
        name = cst.Name(self.name)
        if isinstance(node, cst.FormattedString):
            if not node.parts or not isinstance(node.parts[0], cst.FormattedStringText):
                return None
            expression = cst.FormattedStringExpression(expression=name)
            return node.with_changes(parts=[expression, *node.parts[1:]])
        if isinstance(
            node,
            cst.Integer
            | cst.Float
            | cst.SimpleString
            | cst.ConcatenatedString
            | cst.UnaryOperation,
        ):
            return name.with_changes(lpar=node.lpar, rpar=node.rpar)
        return None


def _statement_start(statement: ast.stmt) -> int:
    """The 0-based first line of a top-level statement, decorators included."""
    return first_lineno(statement) - 1


class _Piece(BaseModel):
    """Whole lines of the module holding one statement, and the indentation they share."""

    first: int  # 0-based
    last: int  # exclusive
    indent: str


def _piece_of(module: ModuleLiterals, statement: ast.stmt) -> _Piece | None:
    """The statement's lines if they can be dedented and parsed on their own (None otherwise:
    text before it on its first line, a line outside its indentation, a multi-line string)."""
    first = _statement_start(statement)
    last = statement.end_lineno or statement.lineno
    head = module.lines[first]
    indent = head[: len(head) - len(head.lstrip(" \t"))]
    code = head[len(indent) :]
    if not code.strip() or code.startswith("elif"):
        return None  # an `elif` only parses with its `if`
    if statement.lineno - 1 == first:
        column = byte_to_char_column(head, statement.col_offset)
        if len(indent) != column:
            return None
    for line in module.lines[first + 1 : last]:
        if line.strip() and not line.startswith(indent):
            return None
    for node in ast.walk(statement):
        if isinstance(node, ast.Constant | ast.JoinedStr) and node.end_lineno != node.lineno:
            return None
    return _Piece(first=first, last=last, indent=indent)


def _innermost_piece(module: ModuleLiterals, target: Literal) -> _Piece:
    for parent, _ in reversed(target.parents):
        if isinstance(parent, ast.stmt):
            piece = _piece_of(module, parent)
            if piece is not None:
                return piece
    return _top_level_piece(target)


def _top_level_piece(target: Literal) -> _Piece:
    statement = target.parents[0][0]
    assert isinstance(statement, ast.stmt)  # noqa: S101 - the walk starts at statements
    return _Piece(
        first=_statement_start(statement),
        last=statement.end_lineno or statement.lineno,
        indent="",
    )


def _pieces(
    module: ModuleLiterals, targets: Sequence[Literal]
) -> list[tuple[_Piece, list[Literal]]]:
    """The smallest statements to rewrite; if two would overlap, the top-level ones, merged."""
    chosen = sorted(
        ((_innermost_piece(module, target), target) for target in targets),
        key=lambda pair: pair[0].first,
    )
    if any(a.last > b.first and a != b for (a, _), (b, _) in pairwise(chosen)):
        chosen = sorted(
            ((_top_level_piece(target), target) for target in targets),
            key=lambda pair: pair[0].first,
        )
    groups: list[tuple[_Piece, list[Literal]]] = []
    for piece, target in chosen:
        if groups and piece.first < groups[-1][0].last:
            previous, members = groups[-1]
            merged = previous
            if piece != previous:  # top-level statements sharing a line
                merged = _Piece(
                    first=previous.first, last=max(previous.last, piece.last), indent=""
                )
            groups[-1] = (merged, [*members, target])
        else:
            groups.append((piece, [target]))
    return groups


def _dedented(lines: Sequence[str], indent: str) -> str:
    width = len(indent)
    return "".join(
        line[width:] if line.startswith(indent) else line.lstrip(" \t") for line in lines
    )


def _rewrite_statements(
    module: ModuleLiterals, targets: Sequence[Literal], name: str
) -> list[TextEdit]:
    """One edit per statement holding targets, rewritten by libcst on its own."""
    edits: list[TextEdit] = []
    for piece, group in _pieces(module, targets):
        width = len(piece.indent)
        wrapper = MetadataWrapper(
            cst.parse_module(_dedented(module.lines[piece.first : piece.last], piece.indent))
        )
        spans = set()
        for target in group:
            where = literal_range(target, module.lines)
            spans.add(
                (
                    where.start.line - piece.first,
                    where.start.character - width,
                    where.end.line - piece.first,
                    where.end.character - width,
                )
            )
        replacer = _Replacer(wrapper.resolve(PositionProvider), spans, name)
        rewritten = wrapper.module.visit(replacer)
        if replacer.spans:
            raise CannotExtractError("not every occurrence could be located in the syntax tree")
        new_lines = rewritten.code.splitlines(keepends=True)
        new_text = "".join(piece.indent + line if line.strip() else line for line in new_lines)
        last = piece.last - 1
        edits.append(
            TextEdit(
                range=Range(
                    start=Position(line=piece.first, character=0),
                    end=Position(line=last, character=len(strip_line_break(module.lines[last]))),
                ),
                new_text=strip_line_break(new_text),
            )
        )
    return edits


def extract(
    module: ModuleLiterals, targets: Sequence[Literal], plan: ExtractionPlan
) -> list[TextEdit]:
    """The edits that carry out `plan` for the targets."""
    edits = _rewrite_statements(module, targets, plan.name)
    if not plan.reuse:
        edits.insert(0, _insertion(module, targets, plan))
    return edits


def build_extract_fix(
    module: ModuleLiterals,
    targets: Sequence[Literal],
    proposed: str,
    *,
    same_setting: bool = False,
) -> Fix | None:
    """The extract fix for `targets` (safe for one occurrence, or for copies of one setting),
    or None if it cannot be made."""
    try:
        plan = plan_extraction(module, targets, proposed)
        edits = extract(module, targets, plan)
    except (CannotExtractError, cst.ParserSyntaxError):
        return None
    count = len(targets)
    return Fix(
        title=extract_title(targets[0].display, plan.name, count),
        safety=Safety.SAFE if count == 1 or same_setting else Safety.UNSAFE,
        edits=edits,
        adds_module_names=True,
    )


# Placement ----------------------------------------------------------------------------------


def _is_docstring(statement: ast.stmt) -> bool:
    return (
        isinstance(statement, ast.Expr)
        and isinstance(statement.value, ast.Constant)
        and isinstance(statement.value.value, str)
    )


def _is_import_block(statement: ast.stmt) -> bool:
    """An import, `if TYPE_CHECKING:` imports, or a `try:` import with its fallback."""
    if isinstance(statement, ast.Import | ast.ImportFrom):
        return True
    if isinstance(statement, ast.If | ast.Try):
        return any(isinstance(inner, ast.Import | ast.ImportFrom) for inner in statement.body)
    return False


def _assigned_names(statement: ast.stmt) -> list[str]:
    if isinstance(statement, ast.Assign):
        return [target.id if isinstance(target, ast.Name) else "" for target in statement.targets]
    if isinstance(statement, ast.AnnAssign):
        return [statement.target.id if isinstance(statement.target, ast.Name) else ""]
    return []


def _is_constant(statement: ast.stmt) -> bool:
    names = _assigned_names(statement)
    return bool(names) and all(UPPER_NAME.fullmatch(name) for name in names)


def _is_dunder_assignment(statement: ast.stmt) -> bool:
    names = _assigned_names(statement)
    return bool(names) and all(DUNDER.fullmatch(name) for name in names)


def _insertion_index(body: Sequence[ast.stmt], first_use_index: int) -> int:
    """Where the constant goes among the module's statements (see the module docstring)."""
    header_end = 0
    for index, statement in enumerate(body):
        if (index == 0 and _is_docstring(statement)) or _is_import_block(statement):
            header_end = index + 1
        elif not _is_dunder_assignment(statement):
            break
    index = header_end
    for later in range(header_end, first_use_index):
        statement = body[later]
        if isinstance(statement, ast.FunctionDef | ast.AsyncFunctionDef | ast.ClassDef):
            break
        if _is_constant(statement):
            index = later + 1
    index = min(index, first_use_index)
    # statements sharing a line (`a = 1; b = 2`) are not separated
    while 0 < index < len(body) and (body[index - 1].end_lineno or 0) > _statement_start(
        body[index]
    ):
        index -= 1
    return index


def _newline(lines: Sequence[str]) -> str:
    first = lines[0] if lines else ""
    ending = first[len(strip_line_break(first)) :]
    return ending or "\n"


def _blank_lines_from(lines: Sequence[str], start: int) -> int:
    count = 0
    while start + count < len(lines) and not lines[start + count].strip():
        count += 1
    return count


def _insertion(
    module: ModuleLiterals, targets: Sequence[Literal], plan: ExtractionPlan
) -> TextEdit:
    body = module.tree.body
    positions = {id(statement): index for index, statement in enumerate(body)}
    first_use_index = min(positions[id(target.parents[0][0])] for target in targets)
    index = _insertion_index(body, first_use_index)
    newline = _newline(module.lines)
    statement = cst.Module(
        body=[
            cst.SimpleStatementLine(
                body=[
                    cst.Assign(
                        targets=[cst.AssignTarget(target=cst.Name(plan.name))],
                        value=cst.parse_expression(plan.value_source),
                    )
                ]
            )
        ],
        default_newline=newline,
    ).code
    following = body[index] if index < len(body) else None
    joins_constants = index > 0 and _is_constant(body[index - 1])
    line = _statement_start(body[0]) if index == 0 else body[index - 1].end_lineno or 0
    before = newline if index > 0 and not joins_constants else ""
    after = ""
    if following is not None and not joins_constants:
        wanted = MIN_BLANK_LINES_BEFORE_DEFINITION if isinstance(following, DEFINITION_NODES) else 1
        after = newline * max(wanted - _blank_lines_from(module.lines, line), 0)
    if line >= len(module.lines) or (
        line > 0 and not module.lines[line - 1].endswith(("\n", "\r"))
    ):
        before = newline + before  # the previous line is the last one and has no line break
    where = Position(line=min(line, len(module.lines)), character=0)
    if line >= len(module.lines):
        last = len(module.lines) - 1
        where = Position(line=last, character=len(module.lines[last]))
    return TextEdit(range=Range(start=where, end=where), new_text=before + statement + after)
