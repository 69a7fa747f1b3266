"""Shared by STD101 and STD102: which dicts of a function have a known shape (`ast` only, fast).

A parameter's shape is known when every use of it in the function is a constant-key access
(`d["k"]`, `d.get("k")`, `d.get("k", literal)`, `"k" in d`, `d["k"] = v`) or a `None` test:
any other use (passing it on, iterating, `**d`, rebinding it) means code we cannot see relies on
it being a dict, so it is left alone. A return's shape is known when every `return` of the
function returns a dict display with constant string keys and control never falls off its end.
"""

from __future__ import annotations

import ast
import keyword
import re
from collections.abc import Mapping
from enum import StrEnum
from typing import NamedTuple

from pydantic import BaseModel, ConfigDict, Field

from rules.lambda_handlers import is_proxy_response
from rules.syntax import (
    DEFINITION_NODES,
    FUNCTION_NODES,
    dotted_name,
    function_arguments,
    nodes_outside,
    parent_map,
)

# Annotations that mean "a dict of anything": bare, or keyed by str with `Any` values.
BARE_DICT_TYPES = frozenset({"dict", "Dict", "typing.Dict"})
GENERIC_DICT_TYPES = frozenset(
    {
        "dict",
        "Dict",
        "typing.Dict",
        "Mapping",
        "typing.Mapping",
        "collections.abc.Mapping",
        "MutableMapping",
        "typing.MutableMapping",
        "collections.abc.MutableMapping",
    }
)
ANY_NAMES = frozenset({"Any", "typing.Any"})
OPTIONAL_NAMES = frozenset({"Optional", "typing.Optional"})
DICT_TYPE_ARITY = 2


class TargetKind(StrEnum):
    """Which dict of a function is converted."""

    PARAMETER = "parameter"
    RETURN = "return"


_SCOPES = frozenset(DEFINITION_NODES)
# The fields of a statement (or an `except` / `case` clause) that hold statements.
_BLOCK_FIELDS = ("body", "orelse", "finalbody", "handlers", "cases")
# A builder's `build()` hands out the builder's product in the format it is built for (a
# vendor's document, a request body): the builder is the typed interface, its product the wire
# form (atlassian's `ADFBuilder.build`, judged false on the bench's suites).
BUILDER_SUFFIX = "Builder"
BUILD_METHOD = "build"
# Methods whose signature is fixed by a protocol or a base class: their dicts are the contract.
PROTOCOL_METHODS = frozenset(
    {
        "to_dict",
        "as_dict",
        "asdict",
        "_asdict",
        "todict",
        "to_json",
        "as_json",
        "model_dump",
        "dict",
        "json",
        "serialize",
        "deserialize",
        "from_dict",
        "to_representation",
        "get_context_data",
        "get_state",
        "set_state",
    }
)
# `to_dict`, `from_json`, `as_dict`, `_constraints_to_json`: conversions from and to dicts.
SERIALISATION_NAME = re.compile(r"(?:^|_)(?:to|from|as)_?(?:dict|json)$")
# Parameter names that by convention hold namespaces and environments, whose keys are data.
NAMESPACE_PARAMETERS = frozenset(
    {
        "namespace",
        "ns",
        "globals",
        "globalns",
        "localns",
        "locals",
        "globs",
        "locs",
        "env",
        "environ",
        "environment",
        "headers",
        "cls_dict",
        "class_dict",
        "classdict",
        "attrs",
        "kwargs",
        "kwds",
        "kw",
    }
)
# Decorators known not to change what a function returns (others may wrap the result).
TRANSPARENT_DECORATORS = frozenset(
    {
        "staticmethod",
        "classmethod",
        "property",
        "cache",
        "functools.cache",
        "lru_cache",
        "functools.lru_cache",
        "cached_property",
        "functools.cached_property",
        "abstractmethod",
        "abc.abstractmethod",
        "wraps",
        "functools.wraps",
    }
)
OVERRIDE_DECORATORS = frozenset(
    {"override", "typing.override", "typing_extensions.override", "overload", "typing.overload"}
)
# Bases that bring no methods a member could be overriding.
PLAIN_BASES = frozenset(
    {"object", "ABC", "abc.ABC", "BaseModel", "pydantic.BaseModel", "Generic", "typing.Generic"}
)
STRING_METHODS = frozenset(
    {
        "upper",
        "lower",
        "strip",
        "lstrip",
        "rstrip",
        "title",
        "capitalize",
        "casefold",
        "split",
        "rsplit",
        "splitlines",
        "startswith",
        "endswith",
        "replace",
        "format",
        "encode",
        "isdigit",
        "isalpha",
        "zfill",
        "removeprefix",
        "removesuffix",
    }
)
LITERAL_TYPES = {bool: "bool", int: "int", float: "float", str: "str", bytes: "bytes"}
CONSTRUCTOR_TYPES = {
    "str": "str",
    "int": "int",
    "float": "float",
    "bool": "bool",
    "len": "int",
    "repr": "str",
    "list": "list[Any]",
    "sorted": "list[Any]",
    "tuple": "tuple[Any, ...]",
    "set": "set[Any]",
    "dict": "dict[str, Any]",
}
NONE_TYPE = "None"
ANY_TYPE = "Any"
type Scope = ast.FunctionDef | ast.AsyncFunctionDef | ast.Lambda | ast.ClassDef
SCOPES = (*FUNCTION_NODES, ast.ClassDef)
STR = "str"
INT = "int"
FLOAT = "float"
BOOL = "bool"
type FunctionNode = ast.FunctionDef | ast.AsyncFunctionDef


class AccessKind(StrEnum):
    """How a function touches one key of a dict parameter."""

    READ = "read"  # d["k"]
    GET = "get"  # d.get("k")
    GET_DEFAULT = "get-default"  # d.get("k", default)
    CONTAINS = "contains"  # "k" in d
    WRITE = "write"  # d["k"] = v


class KeyAccess(BaseModel):
    """One constant-key access of a dict parameter."""

    model_config = ConfigDict(arbitrary_types_allowed=True, frozen=True)

    key: str
    kind: AccessKind
    node: ast.expr
    default: ast.expr | None = None
    hint: str | None = Field(default=None, description="the type its use suggests")


class ParameterShape(BaseModel):
    """What a function does with one dict parameter whose keys are all constants."""

    model_config = ConfigDict(arbitrary_types_allowed=True, frozen=True)

    name: str
    argument: ast.arg
    accesses: list[KeyAccess]
    optional: bool = Field(description="the parameter itself may be None")
    blockers: list[str] = Field(default_factory=list, description="why it cannot be converted")

    @property
    def keys(self) -> list[str]:
        """The keys in order of first use."""
        return list(dict.fromkeys(access.key for access in self.accesses))


class ReturnShape(BaseModel):
    """The dict displays a function returns."""

    model_config = ConfigDict(arbitrary_types_allowed=True, frozen=True)

    displays: list[ast.Dict]
    annotation: ast.expr | None
    blockers: list[str] = Field(default_factory=list)

    @property
    def keys(self) -> list[str]:
        """The keys in order of first appearance."""
        keys = (constant_key(key) for display in self.displays for key in display.keys)
        return list(dict.fromkeys(key for key in keys if key is not None))

    @property
    def optional_keys(self) -> set[str]:
        """Keys some return leaves out."""
        present = [{constant_key(key) for key in display.keys} for display in self.displays]
        return {key for key in self.keys if any(key not in keys for keys in present)}


def constant_key(node: ast.expr | None) -> str | None:
    """The key of a constant string subscript or dict key, else None."""
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        return node.value
    return None


# What every annotation `dict_type_of` accepts spells (`dict`, `Dict`, `Mapping`, qualified).
_DICT_TYPE_WORD = re.compile(r"dict|Dict|Mapping")


def may_name_a_dict_type(text: str) -> bool:
    """Whether source text can hold an annotation `dict_type_of` accepts: it spells one of
    the dict types, or it is not ASCII (an identifier is read in its NFKC form, which other
    letters may spell)."""
    return _DICT_TYPE_WORD.search(text) is not None or not text.isascii()


def dict_type_of(annotation: ast.expr | None) -> tuple[ast.expr, bool] | None:
    """The `dict`-of-anything part of an annotation and whether `None` is allowed beside it."""
    if annotation is None:
        return None
    if isinstance(annotation, ast.BinOp) and isinstance(annotation.op, ast.BitOr):
        sides = (annotation.left, annotation.right)
        for side, other in (sides, sides[::-1]):
            if _is_none(other) and _is_any_dict(side):
                return side, True
        return None
    if isinstance(annotation, ast.Subscript) and dotted_name(annotation.value) in OPTIONAL_NAMES:
        inner = annotation.slice
        return (inner, True) if _is_any_dict(inner) else None
    return (annotation, False) if _is_any_dict(annotation) else None


def _is_none(node: ast.expr) -> bool:
    return isinstance(node, ast.Constant) and node.value is None


def _is_any_dict(node: ast.expr) -> bool:
    if dotted_name(node) in BARE_DICT_TYPES:
        return True
    if not isinstance(node, ast.Subscript) or dotted_name(node.value) not in GENERIC_DICT_TYPES:
        return False
    arguments = node.slice
    if not isinstance(arguments, ast.Tuple) or len(arguments.elts) != DICT_TYPE_ARITY:
        return False
    key, value = arguments.elts
    return dotted_name(key) == STR and dotted_name(value) in ANY_NAMES


class Member(NamedTuple):
    """A function, with the bases and the name of the class it is directly a member of (None
    for a plain function)."""

    function: FunctionNode
    class_bases: tuple[str, ...] | None
    class_name: str | None = None


def is_exempt_function(member: Member) -> bool:
    """Whether the function's signature belongs to a protocol or a base class (not ours to
    change): dunders, well-known serialisation methods, a builder's `build`, `@override`,
    setters, and members of classes with a base whose methods they may override."""
    function, class_bases = member.function, member.class_bases
    name = function.name
    if is_dunder(name) or name in PROTOCOL_METHODS or SERIALISATION_NAME.search(name):
        return True
    if name == BUILD_METHOD and (member.class_name or "").endswith(BUILDER_SUFFIX):
        return True
    for decorator in function.decorator_list:
        target = decorator.func if isinstance(decorator, ast.Call) else decorator
        dotted = dotted_name(target) or ""
        if dotted in OVERRIDE_DECORATORS or dotted.endswith(".setter"):
            return True
    if class_bases is None:
        return False
    return any(base.split("[")[0] not in PLAIN_BASES for base in class_bases)


def is_dunder(name: str) -> bool:
    """`__hash__`-style names: a key like that means a namespace, not a record."""
    return name.startswith("__") and name.endswith("__")


def has_transparent_decorators(function: FunctionNode) -> bool:
    """Whether every decorator leaves the function's return value as it is."""
    for decorator in function.decorator_list:
        target = decorator.func if isinstance(decorator, ast.Call) else decorator
        if dotted_name(target) not in TRANSPARENT_DECORATORS:
            return False
    return True


def own_nodes(function: FunctionNode) -> list[ast.AST]:
    """The nodes of a function's body, not descending into nested functions and classes."""
    return nodes_outside(function.body, SCOPES)


def parents_of(function: FunctionNode) -> dict[ast.AST, ast.AST]:
    """Each node of the function's body (nested scopes included) mapped to its parent."""
    parents = parent_map(list(function.body))
    return parents


def _shadows(scope: ast.AST, name: str) -> bool:
    """Whether a nested function or lambda takes a parameter called `name`."""
    if not isinstance(scope, ast.FunctionDef | ast.AsyncFunctionDef | ast.Lambda):
        return False
    return any(arg.arg == name for arg in function_arguments(scope.args))


def analyse_parameter(function: FunctionNode, argument: ast.arg) -> ParameterShape | None:
    """The shape of a dict parameter, or None when some use of it is not a constant-key one."""
    annotated = dict_type_of(argument.annotation)
    if annotated is None:
        return None
    name = argument.arg
    if name.lower() in NAMESPACE_PARAMETERS:
        return None
    parents = parents_of(function)
    if any(_shadows(node, name) for node in parents):
        return None
    accesses: list[KeyAccess] = []
    for node in parents:
        if isinstance(node, ast.Name) and node.id == name:
            access = _access_of(node, parents)
            if access is False:
                return None
            if isinstance(access, KeyAccess):
                accesses.append(access)
    if not accesses or any(is_dunder(access.key) for access in accesses):
        return None
    accesses.sort(key=lambda access: (access.node.lineno, access.node.col_offset))
    optional = annotated[1] or _defaults_to_none(function, argument)
    return ParameterShape(
        name=name,
        argument=argument,
        accesses=accesses,
        optional=optional,
        blockers=_blockers(name, accesses, function, argument),
    )


def _defaults_to_none(function: FunctionNode, argument: ast.arg) -> bool:
    default = default_of(function, argument)
    return default is not None and _is_none(default)


def default_of(function: FunctionNode, argument: ast.arg) -> ast.expr | None:
    """The default value of a parameter, if it has one."""
    arguments = function.args
    positional = [*arguments.posonlyargs, *arguments.args]
    if argument in positional:
        offset = len(positional) - len(arguments.defaults)
        index = positional.index(argument) - offset
        return arguments.defaults[index] if index >= 0 else None
    if argument in arguments.kwonlyargs:
        return arguments.kw_defaults[arguments.kwonlyargs.index(argument)]
    return None


def _access_of(node: ast.Name, parents: dict[ast.AST, ast.AST]) -> KeyAccess | bool:
    """How one occurrence of the parameter's name uses it: a key access, True for a harmless
    `None` test, False for anything that needs a real dict."""
    if not isinstance(node.ctx, ast.Load):
        return False
    parent = parents.get(node)
    if isinstance(parent, ast.Subscript) and parent.value is node:
        return _subscript_access(parent, parents)
    if isinstance(parent, ast.Attribute) and parent.attr == "get":
        return _get_access(parent, parents)
    if isinstance(parent, ast.Compare) and len(parent.ops) == 1:
        return _compare_access(node, parent)
    return False


def _subscript_access(
    subscript: ast.Subscript, parents: dict[ast.AST, ast.AST]
) -> KeyAccess | bool:
    key = constant_key(subscript.slice)
    if key is None or isinstance(subscript.ctx, ast.Del):
        return False
    if isinstance(subscript.ctx, ast.Store):
        holder = parents.get(subscript)
        if isinstance(holder, ast.AugAssign):
            return KeyAccess(key=key, kind=AccessKind.READ, node=subscript)
        value = holder.value if isinstance(holder, ast.Assign | ast.AnnAssign) else None
        hint = expression_type(value) if value is not None else None
        return KeyAccess(key=key, kind=AccessKind.WRITE, node=subscript, hint=hint)
    return KeyAccess(
        key=key, kind=AccessKind.READ, node=subscript, hint=_use_hint(subscript, parents)
    )


def _get_access(attribute: ast.Attribute, parents: dict[ast.AST, ast.AST]) -> KeyAccess | bool:
    call = parents.get(attribute)
    if not isinstance(call, ast.Call) or call.func is not attribute or call.keywords:
        return False
    if not 1 <= len(call.args) <= DICT_TYPE_ARITY:
        return False
    key = constant_key(call.args[0])
    if key is None:
        return False
    hint = _use_hint(call, parents)
    if len(call.args) == 1 or _is_none(call.args[1]):
        return KeyAccess(key=key, kind=AccessKind.GET, node=call, hint=hint)
    default = call.args[1]
    return KeyAccess(
        key=key,
        kind=AccessKind.GET_DEFAULT,
        node=call,
        default=default,
        hint=expression_type(default) or hint,
    )


def _compare_access(node: ast.Name, compare: ast.Compare) -> KeyAccess | bool:
    operator = compare.ops[0]
    if compare.comparators[0] is node and isinstance(operator, ast.In | ast.NotIn):
        key = constant_key(compare.left)
        if key is None:
            return False
        return KeyAccess(key=key, kind=AccessKind.CONTAINS, node=compare)
    if compare.left is node and isinstance(operator, ast.Is | ast.IsNot):
        return _is_none(compare.comparators[0])
    return False


def _use_hint(value: ast.expr, parents: dict[ast.AST, ast.AST]) -> str | None:
    """The type a read value's use implies: `.upper()` → str, `+ 1` → int, iteration → list."""
    parent = parents.get(value)
    if isinstance(parent, ast.Attribute) and parent.attr in STRING_METHODS:
        return STR
    if isinstance(parent, ast.BinOp):
        other = parent.right if parent.left is value else parent.left
        kind = expression_type(other)
        return kind if kind in {INT, FLOAT} else None
    if isinstance(parent, ast.For | ast.comprehension) and parent.iter is value:
        return "list[Any]"
    return None


def _blockers(
    name: str, accesses: list[KeyAccess], function: FunctionNode, argument: ast.arg
) -> list[str]:
    """Why the parameter cannot be converted mechanically, if it cannot."""
    blockers: list[str] = []
    for key in dict.fromkeys(access.key for access in accesses):
        if any(not is_literal(access.default) for access in accesses if access.default):
            blockers.append(f'the default of `{name}.get("{key}", ...)` is not a literal')
    default = default_of(function, argument)
    if default is not None and not _is_none(default) and not isinstance(default, ast.Dict):
        blockers.append(f"the default value of `{name}` is not a dict display")
    return blockers


def is_literal(node: ast.expr | None) -> bool:
    """Whether `node` is a literal value (safe to evaluate once, as a field default)."""
    if node is None:
        return False
    try:
        ast.literal_eval(node)
    except ValueError:
        return False
    return True


# Expression forms whose type their syntax says.
FORM_TYPES: dict[type[ast.expr], str] = {
    ast.JoinedStr: "str",
    ast.List: "list[Any]",
    ast.ListComp: "list[Any]",
    ast.Dict: "dict[str, Any]",
    ast.DictComp: "dict[str, Any]",
    ast.Set: "set[Any]",
    ast.SetComp: "set[Any]",
    ast.Compare: "bool",
}


def expression_type(node: ast.expr | None, names: Mapping[str, str] | None = None) -> str | None:
    """The type of an expression when its form says it (literals, conversions, comparisons,
    and `names` whose types are known)."""
    form = FORM_TYPES.get(type(node))
    if node is None or form is not None:
        return form
    if isinstance(node, ast.Name | ast.Constant):
        return _atom_type(node, names)
    if isinstance(node, ast.Call):
        return _call_type(node)
    return _operation_type(node, names)


def _operation_type(node: ast.expr, names: Mapping[str, str] | None) -> str | None:
    """The type of a unary, binary or conditional expression, when its operands tell."""
    if isinstance(node, ast.UnaryOp):
        return BOOL if isinstance(node.op, ast.Not) else expression_type(node.operand, names)
    if isinstance(node, ast.BinOp):
        return _binary_type(node, names)
    if isinstance(node, ast.IfExp):
        body, orelse = expression_type(node.body, names), expression_type(node.orelse, names)
        return body if body == orelse else None
    return None


def _atom_type(node: ast.Name | ast.Constant, names: Mapping[str, str] | None) -> str | None:
    if isinstance(node, ast.Name):
        return (names or {}).get(node.id)
    return NONE_TYPE if node.value is None else LITERAL_TYPES.get(type(node.value))


def _call_type(call: ast.Call) -> str | None:
    if isinstance(call.func, ast.Name):
        return CONSTRUCTOR_TYPES.get(call.func.id)
    if isinstance(call.func, ast.Attribute) and call.func.attr in STRING_METHODS:
        is_text = call.func.attr not in {"split", "rsplit", "splitlines", "encode"}
        is_test = call.func.attr.startswith(("is", "starts", "ends"))
        if is_test:
            return BOOL
        return STR if is_text else None
    return None


def _binary_type(node: ast.BinOp, names: Mapping[str, str] | None) -> str | None:
    left, right = expression_type(node.left, names), expression_type(node.right, names)
    if left is None or right is None:
        return None
    if isinstance(node.op, ast.Div) and {left, right} <= {INT, FLOAT}:
        return FLOAT
    if left == right and left in {"int", "float", "str"}:
        return left
    if {left, right} == {INT, FLOAT}:
        return FLOAT
    return None


def analyse_return(function: FunctionNode) -> ReturnShape | None:
    """The dict displays a function returns, or None unless every return is one (with
    constant string keys) and the function cannot end without returning."""
    nodes = own_nodes(function)
    if any(isinstance(node, ast.Yield | ast.YieldFrom) for node in nodes):
        return None
    if not has_transparent_decorators(function):
        return None
    returns = sorted(
        (node for node in nodes if isinstance(node, ast.Return)),
        key=lambda node: (node.lineno, node.col_offset),
    )
    displays = [node.value for node in returns if isinstance(node.value, ast.Dict)]
    # An API Gateway proxy response's shape is AWS's protocol (STD304), not a model.
    proxy = any(is_proxy_response(display) for display in displays)
    if proxy or not returns or len(displays) != len(returns) or not always_returns(function.body):
        return None
    blockers: list[str] = []
    for display in displays:
        keys = [constant_key(key) for key in display.keys]
        if any(key is None or is_dunder(key) for key in keys):
            return None
        if len(set(keys)) != len(keys):
            blockers.append("a returned dict display repeats a key")
    if is_table(displays, function):
        return None
    shape = ReturnShape(displays=displays, annotation=function.returns, blockers=blockers)
    return shape if shape.keys else None


def is_table(displays: list[ast.Dict], function: FunctionNode) -> bool:
    """Whether the dicts are lookup tables rather than records: every value a function (a
    lambda or a function defined in this one), as in a dispatch table."""
    local_functions = {
        node.name
        for node in function.body
        if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef)
    }
    values = [value for display in displays for value in display.values]
    return all(
        isinstance(value, ast.Lambda)
        or (isinstance(value, ast.Name) and value.id in local_functions)
        for value in values
    )


def always_returns(body: list[ast.stmt]) -> bool:
    """Whether control cannot fall off the end of `body` (a conservative answer)."""
    if not body:
        return False
    last = body[-1]
    if isinstance(last, ast.Return | ast.Raise):
        return True
    if isinstance(last, ast.If):
        return always_returns(last.body) and always_returns(last.orelse)
    if isinstance(last, ast.With | ast.AsyncWith):
        return always_returns(last.body)
    return False


def is_identifier_key(key: str) -> bool:
    """Whether a key can be a field name as it is."""
    return key.isidentifier() and not keyword.iskeyword(key)


def functions_with_classes(
    statements: list[ast.stmt], bases: tuple[str, ...] | None = None, class_name: str | None = None
) -> list[Member]:
    """Every function under `statements` (nested ones too), as a member of the class it is
    directly in (`bases` and `class_name`: the class `statements` are the body of)."""
    found: list[Member] = []
    for statement in statements:
        for node in _direct_scopes(statement):
            if isinstance(node, ast.ClassDef):
                class_bases = tuple(ast.unparse(base) for base in node.bases)
                found.extend(functions_with_classes(node.body, class_bases, node.name))
            elif isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
                found.append(Member(node, bases, class_name))
                found.extend(functions_with_classes(node.body))
    return found


def _direct_scopes(statement: ast.stmt) -> list[ast.AST]:
    """The classes and functions in a statement that are not inside another scope of it."""
    found: list[ast.AST] = []
    pending: list[ast.AST] = [statement]
    while pending:
        node = pending.pop()
        if type(node) in _SCOPES:
            found.append(node)
            continue
        for field in _BLOCK_FIELDS:  # only statements hold scopes, and only in their blocks
            block = getattr(node, field, None)
            if type(block) is list:
                pending.extend(block)
    found.sort(key=lambda node: (getattr(node, "lineno", 0), getattr(node, "col_offset", 0)))
    return found


def uncalled_references(statements: list[ast.stmt]) -> set[str]:
    """Names this code refers to without calling them: functions handed to someone else (a
    callback, a registry), who will call them with whatever they call them with."""
    parents = parent_map(list(statements))
    return {
        node.id if isinstance(node, ast.Name) else getattr(node, "attr", "")
        for node in parents
        if _is_uncalled_reference(node, parents)
    }


def dict_uses(statements: list[ast.stmt]) -> set[str]:
    """Names of the functions whose results this code may use as dicts: anything but
    discarding the result, reading a constant key of it, or binding it to a local name that is
    only read with constant keys. A function referred to without a call (a callback) counts too:
    its result goes where we cannot see."""
    parents = parent_map(list(statements))
    used: set[str] = set()
    for node in parents:
        if isinstance(node, ast.Call):
            name = _callee_name(node)
            if name is not None and _result_escapes(node, parents):
                used.add(name)
        elif _is_uncalled_reference(node, parents):
            used.add(node.id if isinstance(node, ast.Name) else getattr(node, "attr", ""))
    return used


def _callee_name(call: ast.Call) -> str | None:
    if isinstance(call.func, ast.Name):
        return call.func.id
    if isinstance(call.func, ast.Attribute):
        return call.func.attr
    return None


def _is_uncalled_reference(node: ast.AST, parents: dict[ast.AST, ast.AST]) -> bool:
    if not isinstance(node, ast.Name | ast.Attribute) or not isinstance(node.ctx, ast.Load):
        return False
    parent = parents.get(node)
    return not (isinstance(parent, ast.Call) and parent.func is node)


def _result_escapes(call: ast.Call, parents: dict[ast.AST, ast.AST]) -> bool:
    value: ast.AST = call
    parent = parents.get(value)
    if isinstance(parent, ast.Await):
        value, parent = parent, parents.get(parent)
    if parent is None or isinstance(parent, ast.Expr):
        return False
    if isinstance(parent, ast.Subscript | ast.Attribute) and key_read(value, parents) is not None:
        return False
    if isinstance(parent, ast.Subscript) and parent.value is value:
        return True
    if isinstance(parent, ast.Assign) and len(parent.targets) == 1:
        target = parent.targets[0]
        if isinstance(target, ast.Name):
            return not _only_key_reads(target.id, parent, parents)
    return True


def key_read(node: ast.AST, parents: dict[ast.AST, ast.AST]) -> ast.Subscript | ast.Call | None:
    """The read of one constant key of `node`'s value that `node` is the object of: `x["k"]`,
    or `x.get("k")` (the same value, or None for a key the dict may lack: what an optional
    field gives). A `.get` with a default differs for a missing key: not a read of a field."""
    parent = parents.get(node)
    if isinstance(parent, ast.Subscript):
        if parent.value is node and isinstance(parent.ctx, ast.Load):
            return parent if constant_key(parent.slice) is not None else None
        return None
    call = parents.get(parent) if isinstance(parent, ast.Attribute) else None
    if (
        isinstance(parent, ast.Attribute)
        and parent.attr == AccessKind.GET.value
        and isinstance(call, ast.Call)
        and call.func is parent
        and len(call.args) == 1
        and not call.keywords
        and constant_key(call.args[0]) is not None
    ):
        return call
    return None


def read_key(read: ast.Subscript | ast.Call) -> str | None:
    """The key a `key_read` reads."""
    return constant_key(read.slice if isinstance(read, ast.Subscript) else read.args[0])


def _only_key_reads(name: str, assignment: ast.Assign, parents: dict[ast.AST, ast.AST]) -> bool:
    """Whether a local name bound by `assignment` is only ever read with constant keys."""
    scope: ast.AST | None = parents.get(assignment)
    while scope is not None and not isinstance(scope, ast.FunctionDef | ast.AsyncFunctionDef):
        scope = parents.get(scope)
    if scope is None:
        return False  # a module-level name: its readers may be anywhere
    for node in ast.walk(scope):
        is_load = isinstance(node, ast.Name) and isinstance(node.ctx, ast.Load)
        if is_load and node.id == name and key_read(node, parents) is None:
            return False
    return True


def names_in(statements: list[ast.stmt]) -> set[str]:
    """Every name bound or used in `statements` (a generated class must not clash)."""
    names: set[str] = set()
    for statement in statements:
        for node in ast.walk(statement):
            if isinstance(node, ast.Name):
                names.add(node.id)
            elif isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef | ast.ClassDef):
                names.add(node.name)
            elif isinstance(node, ast.alias):
                names.add((node.asname or node.name).split(".")[0])
    return names
