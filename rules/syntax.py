"""Syntax helpers every rule family shares: walking `ast` trees, statements' first lines,
dotted names, parents, scopes and function arguments. One of each, here, so no family grows its own."""

from __future__ import annotations

import ast


def first_lineno(statement: ast.stmt) -> int:
    """A statement's first line (1-based, as `ast` counts), its decorators included."""
    decorators = getattr(statement, "decorator_list", [])
    return min([statement.lineno, *(decorator.lineno for decorator in decorators)])


def child_nodes(node: ast.AST) -> list[ast.AST]:
    """A node's direct children in field order, like `ast.iter_child_nodes` (as a list)."""
    children: list[ast.AST] = []
    for field in node._fields:
        value = getattr(node, field, None)
        if type(value) is list:
            children.extend(item for item in value if isinstance(item, ast.AST))
        elif isinstance(value, ast.AST):
            children.append(value)
    return children


# Fields that never hold a node worth visiting: identifiers and numbers (not `name`: a type
# alias's is a node), and the expression contexts and operators (leaves, read through their
# parent's fields: `name.ctx`, `binop.op`).
_LEAF_FIELDS = frozenset(
    {
        "ctx",
        "op",
        "ops",
        "id",
        "attr",
        "arg",
        "module",
        "level",
        "conversion",
        "simple",
        "is_async",
        "kind",
        "type_comment",
    }
)
_NODE_FIELDS: dict[type, tuple[str, ...]] = {}


def node_fields(kind: type) -> tuple[str, ...]:
    """The fields of a node type that may hold the nodes a walk visits (computed once a type)."""
    fields = _NODE_FIELDS.get(kind)
    if fields is None:
        fields = tuple(f for f in getattr(kind, "_fields", ()) if f not in _LEAF_FIELDS)
        _NODE_FIELDS[kind] = fields
    return fields


def walk_nodes(statements: list[ast.stmt]) -> list[ast.AST]:
    """Every node under `statements` but expression contexts and operators, in `ast.walk`'s
    order (breadth first, fields in order).

    Reads the fields directly instead of through `ast.iter_child_nodes`' generators, and only
    those that may hold nodes: the walk is shared by all the rules of a unit, and this way it
    costs about a third of `ast.walk`'s time."""
    nodes: list[ast.AST] = []
    append = nodes.append
    node_type = ast.AST
    fields_of = _NODE_FIELDS.get
    for statement in statements:
        start = len(nodes)
        append(statement)
        index = start
        while index < len(nodes):
            node = nodes[index]
            index += 1
            kind = type(node)
            for field in fields_of(kind) or node_fields(kind):
                value = getattr(node, field, None)
                if type(value) is list:
                    for item in value:
                        if isinstance(item, node_type):
                            append(item)
                elif isinstance(value, node_type):
                    append(value)
    return nodes


# The fields of a statement (or an `except` / `case` clause) that hold statements or clauses.
_BLOCK_FIELDS = frozenset({"body", "orelse", "finalbody", "handlers", "cases"})
_BLOCK_FIELDS_OF: dict[type, tuple[str, ...]] = {}
_BLOCK_NODES = (ast.stmt, ast.excepthandler, ast.match_case)


def _block_fields(kind: type) -> tuple[str, ...]:
    fields = _BLOCK_FIELDS_OF.get(kind)
    if fields is None:
        fields = tuple(f for f in getattr(kind, "_fields", ()) if f in _BLOCK_FIELDS)
        _BLOCK_FIELDS_OF[kind] = fields
    return fields


def walk_statements(statements: list[ast.stmt]) -> list[ast.stmt]:
    """Every statement under `statements` (nested blocks, functions and classes included), in
    the order `walk_nodes` lists them: statements are only ever held by the blocks of
    statements and clauses, so walking those alone, breadth first with fields in order,
    meets the statements in the same order without visiting a single expression."""
    found: list[ast.stmt] = []
    for statement in statements:
        pending: list[ast.AST] = [statement]
        index = 0
        while index < len(pending):
            node = pending[index]
            index += 1
            if isinstance(node, ast.stmt):
                found.append(node)
            for field in _block_fields(type(node)):
                value = getattr(node, field, None)
                if type(value) is list:
                    pending.extend(item for item in value if isinstance(item, _BLOCK_NODES))
    return found


# The scope model: the nodes that define a function (its parameters are its own names), the
# definitions that open a named scope, and every node that opens a scope of its own.
FUNCTION_NODES = (ast.FunctionDef, ast.AsyncFunctionDef, ast.Lambda)
DEFINITION_NODES = (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)
COMPREHENSION_NODES = (ast.ListComp, ast.SetComp, ast.DictComp, ast.GeneratorExp)
SCOPE_NODES = (*FUNCTION_NODES, ast.ClassDef, *COMPREHENSION_NODES)


def dotted_name(node: ast.AST) -> str | None:
    """`a.b.c` for a name or an attribute chain on a name, else None."""
    parts: list[str] = []
    while isinstance(node, ast.Attribute):
        parts.append(node.attr)
        node = node.value
    if not isinstance(node, ast.Name):
        return None
    parts.append(node.id)
    return ".".join(reversed(parts))


def function_arguments(arguments: ast.arguments) -> list[ast.arg]:
    """Every parameter of a signature: positional-only, ordinary, keyword-only, then `*args`
    and `**kwargs` where present."""
    every = [*arguments.posonlyargs, *arguments.args, *arguments.kwonlyargs]
    every += [arg for arg in (arguments.vararg, arguments.kwarg) if arg is not None]
    return every


def named_arguments(arguments: ast.arguments) -> list[ast.arg]:
    """The parameters a caller can pass by name or position (no `*args` / `**kwargs`)."""
    return [*arguments.posonlyargs, *arguments.args, *arguments.kwonlyargs]


def parent_map(roots: list[ast.AST]) -> dict[ast.AST, ast.AST]:
    """Each node under `roots` mapped to its parent (the roots themselves are not keys)."""
    parents: dict[ast.AST, ast.AST] = {}
    for root in roots:
        for node in ast.walk(root):
            for child in child_nodes(node):
                parents[child] = node
    return parents


def name_chain(node: ast.AST) -> str:
    """The names of an attribute chain, calls looked through: `a.b.c` for `a.b(x).c`; where the
    chain starts at something else, its named tail (`y` for `x[0].y`); "" when there is none.
    Looser than `dotted_name`: for reading what a call or an attribute is called, not resolving it."""
    parts: list[str] = []
    while True:
        if isinstance(node, ast.Attribute):
            parts.append(node.attr)
            node = node.value
        elif isinstance(node, ast.Name):
            parts.append(node.id)
            return ".".join(reversed(parts))
        elif isinstance(node, ast.Call):
            node = node.func
        else:
            return ".".join(reversed(parts))


# Calls that hand out a namespace: `globals()` anywhere is the module's; the others only when
# called without arguments at module level.
_GLOBALS_CALL = "globals"
_SCOPE_CALLS = frozenset({"vars", "dir", "locals"})
_MODULE_LOOKUPS = frozenset({"importlib.import_module", "__import__", "sys.modules.get"})
_MODULE_NAME = "__name__"
# Uses of a namespace that name the one entry they read or write: a new name changes nothing.
_ENTRY_METHODS = frozenset({"get", "setdefault", "pop", "update", "__getitem__", "__setitem__"})
_CODE_RUNNERS = frozenset({"exec", "eval"})
_ATTRIBUTE_CALLS = frozenset({"getattr", "setattr", "hasattr", "delattr"})
_NAMESPACE_ATTRIBUTE = "__dict__"
# Every namespace `own_namespace_listing` finds is written with one of these, as code is
# written (a bare `dir( )` is missed here: its fix is then refused only when it is built).
_NAMESPACE_MARKERS = (
    f"{_GLOBALS_CALL}(",
    *(f"{call}()" for call in sorted(_SCOPE_CALLS)),
    "sys.modules",
    "import_module",
    "__import__",
)


def reads_own_namespace(tree: ast.Module) -> bool:
    """Whether the module enumerates its own names (iterates `globals()`, a module-level
    `vars()` / `dir()`, or hands `sys.modules[__name__]` to something like
    `inspect.getmembers`): a name a fix adds at module level (an import, a constant, a class)
    then changes what it finds. Looking one entry up (`globals()[name]`,
    `getattr(sys.modules[__name__], name)`) does not count."""
    return own_namespace_listing(tree.body, at_module_level=True) is not None


def own_namespace_listing(body: list[ast.stmt], *, at_module_level: bool) -> ast.expr | None:
    """Where some of a module's statements list its names (None: nowhere), as
    `reads_own_namespace` tells: its top-level statements (`at_module_level`, where a bare
    `vars()` is the module's), or a class's (where it is the class's own)."""
    namespaces = [
        node
        for statement in body
        for node in ast.walk(statement)
        if isinstance(node, ast.expr) and _names_the_module(node)
    ]
    if at_module_level:
        namespaces += [
            node
            for node in nodes_outside(body)
            if isinstance(node, ast.expr) and _calls_scope(node)
        ]
    if not namespaces:
        return None
    parents = parent_map(list(body))
    listing = [node for node in namespaces if not _looks_one_entry_up(node, parents.get(node))]
    return min(listing, key=lambda node: (node.lineno, node.col_offset), default=None)


def lists_module_names(line: int, code: str) -> str:
    """Why a fix adding a module-level name is not made where the module lists its names
    (`line` 1-based, `code` what lists them)."""
    return (
        f"the module lists its own names (line {line}: `{code}`): a new module-level name "
        "would be among them"
    )


def listing_reason(tree: ast.Module) -> str | None:
    """`lists_module_names` for a whole module (None: it does not list its names)."""
    node = own_namespace_listing(tree.body, at_module_level=True)
    return lists_module_names(node.lineno, ast.unparse(node)) if node is not None else None


def may_read_own_namespace(text: str) -> bool:
    """A cheap test of a text before `own_namespace_listing`: False when no call or
    name it looks for is in it."""
    return any(marker in text for marker in _NAMESPACE_MARKERS)


def _names_the_module(node: ast.AST) -> bool:
    if isinstance(node, ast.Subscript):
        return dotted_name(node.value) == "sys.modules" and _is_module_name(node.slice)
    if not isinstance(node, ast.Call):
        return False
    name = dotted_name(node.func)
    if name == _GLOBALS_CALL:
        return True
    return name in _MODULE_LOOKUPS and bool(node.args) and _is_module_name(node.args[0])


def _looks_one_entry_up(namespace: ast.AST, parent: ast.AST | None) -> bool:
    if _is_mapping(namespace):  # globals(), vars(): a dict of the names
        if isinstance(parent, ast.Subscript):
            return parent.value is namespace
        if isinstance(parent, ast.Call) and isinstance(parent.func, ast.Name):
            return parent.func.id in _CODE_RUNNERS  # the code run reads the names it mentions
        return isinstance(parent, ast.Attribute) and parent.attr in _ENTRY_METHODS
    # the module object: an attribute read or written is one entry, its `__dict__` is them all
    if isinstance(parent, ast.Attribute):
        return parent.attr != _NAMESPACE_ATTRIBUTE
    if isinstance(parent, ast.Call) and isinstance(parent.func, ast.Name):
        return parent.func.id in _ATTRIBUTE_CALLS and parent.args[:1] == [namespace]
    return False


def _is_mapping(namespace: ast.AST) -> bool:
    return (
        isinstance(namespace, ast.Call)
        and isinstance(namespace.func, ast.Name)
        and (namespace.func.id == _GLOBALS_CALL or namespace.func.id in _SCOPE_CALLS)
    )


def _is_module_name(node: ast.AST) -> bool:
    return isinstance(node, ast.Name) and node.id == _MODULE_NAME


def _calls_scope(node: ast.AST) -> bool:
    return (
        isinstance(node, ast.Call)
        and isinstance(node.func, ast.Name)
        and node.func.id in _SCOPE_CALLS
        and not node.args
    )


def nodes_outside(
    body: list[ast.stmt], nested: tuple[type[ast.AST], ...] = SCOPE_NODES
) -> list[ast.AST]:
    """The nodes of `body` and below, without descending into the `nested` scopes (whose own
    nodes, the definitions, are listed)."""
    found: list[ast.AST] = []
    pending: list[ast.AST] = list(body)
    while pending:
        node = pending.pop()
        found.append(node)
        if not isinstance(node, nested):
            pending.extend(child_nodes(node))
    return found
