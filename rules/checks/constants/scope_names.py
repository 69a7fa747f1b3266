"""The names a module or a scope binds (`ast` only): what a new constant's name must avoid.

Apart from the libcst rewrites that use them, so that renaming (and the server) can ask
without importing libcst."""

from __future__ import annotations

import ast

from rules.syntax import SCOPE_NODES


def module_names(tree: ast.Module) -> set[str]:
    """Every name the module binds or references anywhere (any scope), and `__all__`'s strings."""
    names: set[str] = set()
    for node in ast.walk(tree):
        names.update(_names_of(node))
    return names


def _names_of(node: ast.AST) -> list[str]:
    names: list[str] = []
    match node:
        case ast.Name(id=name) | ast.arg(arg=name):
            names = [name]
        case ast.FunctionDef(name=name) | ast.AsyncFunctionDef(name=name) | ast.ClassDef(name=name):
            names = [name]
        case ast.alias(name=name, asname=asname):
            names = [asname or name.split(".")[0]]
        case ast.Global(names=declared) | ast.Nonlocal(names=declared):
            names = list(declared)
        case ast.ExceptHandler(name=str() as name) | ast.MatchAs(name=str() as name):
            names = [name]
        case ast.MatchStar(name=str() as name) | ast.MatchMapping(rest=str() as name):
            names = [name]
        case ast.TypeVar(name=name) | ast.ParamSpec(name=name) | ast.TypeVarTuple(name=name):
            names = [name]
        case ast.Assign(targets=[ast.Name(id="__all__")], value=ast.List() | ast.Tuple() as seq):
            names = [
                element.value
                for element in seq.elts
                if isinstance(element, ast.Constant) and isinstance(element.value, str)
            ]
    return names


def names_bound_in_scope(scope: ast.AST) -> set[str]:
    """The names a function, lambda, class or comprehension binds in its own scope."""
    bound: set[str] = set()
    if isinstance(scope, ast.FunctionDef | ast.AsyncFunctionDef | ast.Lambda):
        bound.update(
            argument.arg for argument in ast.walk(scope.args) if isinstance(argument, ast.arg)
        )
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
            bound.add(
                node.target.id
            )  # walrus binds in the enclosing function, even from a comprehension
        names = [] if isinstance(node, ast.Name | ast.Global | ast.Nonlocal) else _names_of(node)
        bound.update(names)
        if isinstance(node, SCOPE_NODES):
            continue  # a nested scope's own bindings are its own (its name is counted above)
        stack.extend(ast.iter_child_nodes(node))
    return bound
