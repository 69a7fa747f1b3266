"""Renaming a module-level constant everywhere in its file (`textDocument/rename`).

A module-level constant is an UPPER_CASE name assigned at module level (also inside top-level
`if`/`try`/`for`/`with` blocks). Its references are the names that resolve to the module's
binding by Python's scoping rules: a function, lambda or comprehension that binds the same name
(and does not declare it `global`) shadows it; a class body that binds it shadows it in the class
body only. `global NAME` declarations and `__all__` entries are references too; attribute names
and keyword argument names never are.
"""

from __future__ import annotations

import ast
import builtins
import keyword
import re
from collections.abc import Iterator

from rules.checks.constants.literals import UPPER_NAME
from rules.checks.constants.scope_names import module_names, names_bound_in_scope
from rules.models import Position, Range, TextEdit
from rules.source import byte_to_char_column, split_lines
from rules.syntax import COMPREHENSION_NODES, FUNCTION_NODES, parent_map

_BUILTIN_NAMES = frozenset(dir(builtins))
NAME_OFFSET = 2


class RenameError(ValueError):
    """The rename cannot be done: an invalid or colliding name, or no constant at the position."""


class _Module:
    """A parsed module with parent links, for resolving names."""

    def __init__(self, text: str) -> None:
        try:
            self.tree = ast.parse(text)
        except (SyntaxError, ValueError) as error:
            raise RenameError(f"the file does not parse: {error}") from error
        self.text = text
        self.lines = split_lines(text)
        self.parents = parent_map([self.tree])
        self.constants = _module_constants(self.tree)

    def range_of(self, node: ast.AST) -> Range:
        line = getattr(node, "lineno", 1)
        return self.span(
            line,
            getattr(node, "col_offset", 0),
            getattr(node, "end_lineno", None) or line,
            getattr(node, "end_col_offset", None) or 0,
        )

    def span(self, line: int, column: int, end_line: int, end_column: int) -> Range:
        """A code-point range from `ast`'s 1-based lines and UTF-8 byte columns."""
        return Range(
            start=Position(
                line=line - 1, character=byte_to_char_column(self.lines[line - 1], column)
            ),
            end=Position(
                line=end_line - 1,
                character=byte_to_char_column(self.lines[end_line - 1], end_column),
            ),
        )

    def scopes_around(self, node: ast.AST) -> list[ast.AST]:
        """The scopes whose body holds `node`, innermost first (decorators, defaults and
        annotations belong to the enclosing scope; so does a comprehension's first iterable)."""
        scopes: list[ast.AST] = []
        child = node
        parent = self.parents.get(child)
        while parent is not None:
            if _holds_in_scope(parent, child):
                scopes.append(parent)
            child, parent = parent, self.parents.get(parent)
        return scopes

    def resolves_to_module(self, node: ast.Name) -> bool:
        """Whether a name refers to the module-level binding of its identifier."""
        name = node.id
        scopes = self.scopes_around(node)
        for depth, scope in enumerate(scopes):
            if isinstance(scope, ast.ClassDef):
                if depth == 0 and name in names_bound_in_scope(scope):
                    _refuse_if_read_before_bound(scope, node)
                    return False
                continue  # a class body's names are not visible in the functions it holds
            if name in _declared(scope, ast.Global):
                return True
            if name in names_bound_in_scope(scope) or name in _declared(scope, ast.Nonlocal):
                return False
        return True

    def references(self, name: str) -> Iterator[Range]:
        """Every place `name` refers to the module-level constant."""
        for node in ast.walk(self.tree):
            if isinstance(node, ast.Name) and node.id == name and self.resolves_to_module(node):
                yield self.range_of(node)
            elif isinstance(node, ast.Global) and name in node.names:
                yield from self._declaration_ranges(node, name)
        yield from self._all_entries(name)

    def _declaration_ranges(self, node: ast.Global, name: str) -> Iterator[Range]:
        first = node.lineno - 1
        last = (node.end_lineno or node.lineno) - 1
        pattern = re.compile(rf"\b{re.escape(name)}\b")
        for index in range(first, last + 1):
            line = self.lines[index]
            start = node.col_offset if index == first else 0
            start_char = byte_to_char_column(line, start)
            for match in pattern.finditer(line, start_char):
                if index == first and match.start() < start_char + len("global"):
                    continue
                yield Range(
                    start=Position(line=index, character=match.start()),
                    end=Position(line=index, character=match.end()),
                )

    def _all_entries(self, name: str) -> Iterator[Range]:
        for statement in self.tree.body:
            match statement:
                case ast.Assign(
                    targets=[ast.Name(id="__all__")], value=ast.List() | ast.Tuple() as sequence
                ):
                    for element in sequence.elts:
                        if isinstance(element, ast.Constant) and element.value == name:
                            where = self.range_of(element)
                            if (
                                where.end.character - where.start.character
                                == len(name) + NAME_OFFSET
                            ):
                                yield Range(
                                    start=Position(
                                        line=where.start.line, character=where.start.character + 1
                                    ),
                                    end=Position(
                                        line=where.end.line, character=where.end.character - 1
                                    ),
                                )


def _holds_in_scope(scope: ast.AST, child: ast.AST) -> bool:
    if isinstance(scope, ast.FunctionDef | ast.AsyncFunctionDef | ast.ClassDef):
        return any(child is statement for statement in scope.body)
    if isinstance(scope, ast.Lambda):
        return child is scope.body
    if isinstance(scope, COMPREHENSION_NODES):
        return not (scope.generators and child is scope.generators[0])
    if isinstance(scope, ast.comprehension):
        return False
    return False


def _declared(scope: ast.AST, kind: type[ast.Global] | type[ast.Nonlocal]) -> set[str]:
    declared: set[str] = set()
    stack = list(
        getattr(scope, "body", [])
        if isinstance(scope, ast.FunctionDef | ast.AsyncFunctionDef)
        else []
    )
    while stack:
        node = stack.pop()
        if isinstance(node, kind):
            declared.update(node.names)
        if not isinstance(node, (*FUNCTION_NODES, ast.ClassDef)):
            stack.extend(ast.iter_child_nodes(node))
    return declared


def _refuse_if_read_before_bound(scope: ast.ClassDef, node: ast.Name) -> None:
    """A class body reads a global until its own binding of the name runs: renaming one and not
    the other would change the program, so such a rename is refused."""
    if not isinstance(node.ctx, ast.Load):
        return
    stores = [
        other.lineno
        for statement in scope.body
        for other in ast.walk(statement)
        if isinstance(other, ast.Name)
        and other.id == node.id
        and not isinstance(other.ctx, ast.Load)
    ]
    if stores and node.lineno <= min(stores):
        raise RenameError(
            f"`{node.id}` in class `{scope.name}` is read before the class binds its own "
            f"`{node.id}`: rename it by hand"
        )


def _module_constants(tree: ast.Module) -> set[str]:
    """UPPER_CASE names assigned at module level (not inside functions or classes)."""
    constants: set[str] = set()
    stack: list[ast.AST] = list(tree.body)
    while stack:
        node = stack.pop()
        if isinstance(node, (*FUNCTION_NODES, ast.ClassDef, *COMPREHENSION_NODES)):
            continue
        if (
            isinstance(node, ast.Name)
            and isinstance(node.ctx, ast.Store)
            and UPPER_NAME.fullmatch(node.id)
        ):
            constants.add(node.id)
        stack.extend(ast.iter_child_nodes(node))
    return constants


def _contains(where: Range, position: Position) -> bool:
    start, end = where.start, where.end
    after_start = (position.line, position.character) >= (start.line, start.character)
    before_end = (position.line, position.character) <= (end.line, end.character)
    return after_start and before_end


def _constant_at(module: _Module, position: Position) -> tuple[str, Range] | None:
    for node in ast.walk(module.tree):
        if not isinstance(node, ast.Name) or node.id not in module.constants:
            continue
        where = module.range_of(node)
        if _contains(where, position) and module.resolves_to_module(node):
            return node.id, where
    return None


def prepare_rename(text: str, position: Position) -> Range | None:
    """The range of the module-level constant at `position` (None: nothing renamable there)."""
    try:
        module = _Module(text)
        found = _constant_at(module, position)
    except RenameError:
        return None
    return found[1] if found is not None else None


def check_new_name(module_text: str, old: str, new: str) -> None:
    """Raise `RenameError` unless `new` is a valid identifier no binding or reference uses."""
    if not new.isidentifier() or keyword.iskeyword(new):
        raise RenameError(f"`{new}` is not a valid Python identifier")
    if new == old:
        return
    if new in _BUILTIN_NAMES:
        raise RenameError(f"`{new}` would shadow the builtin of that name")
    if new in module_names(ast.parse(module_text)):
        raise RenameError(f"`{new}` is already used in this module")


def rename(text: str, position: Position, new_name: str) -> list[TextEdit]:
    """The edits that rename the module-level constant at `position` to `new_name` everywhere in
    the file; raises `RenameError` for a position without a constant or a bad new name."""
    module = _Module(text)
    found = _constant_at(module, position)
    if found is None:
        raise RenameError("no module-level constant at this position")
    old = found[0]
    check_new_name(text, old, new_name)
    if new_name == old:
        return []
    ranges = sorted(
        set(module.references(old)),
        key=lambda where: (where.start.line, where.start.character),
    )
    return [TextEdit(range=where, new_text=new_name) for where in ranges]
