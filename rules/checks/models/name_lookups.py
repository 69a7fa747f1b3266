"""Calls no caller list shows: a function looked up by a computed name.

`getattr(self, "_delete_%s" % kind)(values)` calls whichever method the string names. No
search for the function's name finds that caller, and it still passes (or reads) a dict, so a
module that may look its functions up like this keeps them as they are. A name built from a
literal prefix (`"_delete_%s" % x`, `f"_delete_{x}"`, `"_delete_" + x`, `"_delete_{}".format(x)`)
reaches only the functions that start with it; a name we cannot read may reach any function of
the object it is looked up on (`self`, the class, the module itself).
"""

from __future__ import annotations

import ast

from rules.syntax import parent_map

GETATTR = "getattr"
OWN_RECEIVERS = frozenset({"self", "cls"})
MODULE_NAME = "__name__"  # sys.modules[__name__]: the module itself
FORMAT_METHOD = "format"
PERCENT = "%"
BRACE = "{"
EXCERPT_LENGTH = 40
ELLIPSIS = "..."


def _prefix_of(node: ast.expr, values: dict[str, ast.expr]) -> str | None:
    """The literal start of a computed string (None when nothing of it is known)."""
    if isinstance(node, ast.Name) and node.id in values:
        return _prefix_of(values[node.id], {})
    if isinstance(node, ast.Constant):
        return node.value if isinstance(node.value, str) else None
    if isinstance(node, ast.JoinedStr):
        first = node.values[0] if node.values else None
        return _prefix_of(first, {}) if isinstance(first, ast.Constant) else ""
    if isinstance(node, ast.BinOp) and isinstance(node.op, ast.Mod | ast.Add):
        left = _prefix_of(node.left, values)
        if left is None or isinstance(node.op, ast.Add):
            return left
        return left.split(PERCENT)[0]
    return _format_prefix(node, values)


def _format_prefix(node: ast.expr, values: dict[str, ast.expr]) -> str | None:
    """The literal start of `"template{}".format(...)`."""
    if not (
        isinstance(node, ast.Call)
        and isinstance(node.func, ast.Attribute)
        and node.func.attr == FORMAT_METHOD
    ):
        return None
    template = _prefix_of(node.func.value, values)
    return template.split(BRACE)[0] if template is not None else None


def _assigned_once(scope: ast.AST) -> dict[str, ast.expr]:
    """The local names bound exactly once in `scope`, with their value."""
    values: dict[str, ast.expr] = {}
    seen: set[str] = set()
    for node in ast.walk(scope):
        if not isinstance(node, ast.Assign):
            continue
        for target in node.targets:
            if isinstance(target, ast.Name):
                if target.id in seen:
                    values.pop(target.id, None)
                else:
                    values[target.id] = node.value
                seen.add(target.id)
    return values


def _scope_of(node: ast.AST, parents: dict[ast.AST, ast.AST]) -> ast.AST | None:
    parent = parents.get(node)
    while parent is not None and not isinstance(parent, ast.FunctionDef | ast.AsyncFunctionDef):
        parent = parents.get(parent)
    return parent


def _excerpt(text: str, node: ast.AST) -> str:
    shown = " ".join((ast.get_source_segment(text, node) or ast.unparse(node)).split())
    if len(shown) <= EXCERPT_LENGTH:
        return shown
    return shown[: EXCERPT_LENGTH - len(ELLIPSIS)] + ELLIPSIS


def _reaches_own(receiver: ast.expr, class_name: str | None) -> bool:
    """Whether `getattr`'s object is where the function lives: `self`, `cls` or the class for
    a method; the module itself (`sys.modules[__name__]`) for a module-level function."""
    if class_name is not None:
        return isinstance(receiver, ast.Name) and receiver.id in {*OWN_RECEIVERS, class_name}
    return (
        isinstance(receiver, ast.Subscript)
        and isinstance(receiver.slice, ast.Name)
        and receiver.slice.id == MODULE_NAME
    )


def looked_up_by_name(
    tree: ast.Module, name: str, class_name: str | None = None
) -> ast.Call | None:
    """A `getattr(obj, computed)` of the module that may name `name` (None: there is none): a
    name built from a literal prefix that `name` starts with, whatever the object; a name we
    cannot read, on the object the function lives on."""
    parents: dict[ast.AST, ast.AST] | None = None
    for node in ast.walk(tree):
        if not (
            isinstance(node, ast.Call)
            and isinstance(node.func, ast.Name)
            and node.func.id == GETATTR
            and len(node.args) >= 2  # noqa: PLR2004 - getattr(obj, name[, default])
        ):
            continue
        looked_up = node.args[1]
        if isinstance(looked_up, ast.Constant):
            if looked_up.value == name:
                return node
            continue
        parents = parents if parents is not None else parent_map([tree])
        scope = _scope_of(node, parents)
        prefix = _prefix_of(looked_up, _assigned_once(scope) if scope is not None else {})
        if prefix and name.startswith(prefix):
            return node
        if not prefix and _reaches_own(node.args[0], class_name):
            return node
    return None


def lookup_refusal(text: str, name: str, where: str, call: ast.Call) -> str:
    """Why `name` is not converted when the module may call it through `call` (a `getattr`)."""
    return (
        f"`{name}` may be called by a computed name: {where}:{call.lineno} "
        f"`{_excerpt(text, call)}`, and that caller would still pass or read a dict"
    )
