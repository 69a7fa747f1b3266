"""The generated model's fields: names, types from the values and uses seen, defaults; and
an existing model of the same shape to reuse."""

from __future__ import annotations

import ast
import textwrap

from pydantic import BaseModel, ConfigDict

from rules.checks.models.dict_shapes import (
    ANY_TYPE,
    NONE_TYPE,
    FunctionNode,
    constant_key,
    own_nodes,
)
from rules.syntax import dotted_name, named_arguments

UNKNOWN_TYPE_COMMENT = "  # type not inferable from this module: set it"
PYDANTIC = "pydantic"
TYPING = "typing"
BASE_MODEL = "BaseModel"
FIELD = "Field"
CONFIG_DICT = "ConfigDict"
ANY = "Any"
SIMPLE_TYPES = frozenset({"int", "str", "float", "bool", "bytes"})


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


def value_of(display: ast.Dict, key: str) -> ast.expr | None:
    value = None
    for display_key, display_value in zip(display.keys, display.values, strict=True):
        if constant_key(display_key) == key:
            value = display_value
    return value


def annotations_of(function: FunctionNode) -> dict[str, str]:
    """Simple annotations of the function's parameters and annotated local variables
    (`x: int` → {"x": "int"})."""
    annotated: list[tuple[str, ast.expr | None]] = [
        (argument.arg, argument.annotation) for argument in named_arguments(function.args)
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


def best_type(evidence: list[str | None], hints: list[str]) -> str:
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


def with_none(field_type: str) -> str:
    if field_type == ANY_TYPE or field_type.endswith("| None"):
        return field_type
    return f"{field_type} | None"


def imports_for(fields: list[ModelField], class_source: str | None) -> list[tuple[str, str]]:
    if class_source is None:
        return []
    needed = [(PYDANTIC, BASE_MODEL)]
    if any(field.key != field.name for field in fields):
        needed += [(PYDANTIC, CONFIG_DICT), (PYDANTIC, FIELD)]
    if any(ANY in field.type for field in fields):
        needed.insert(0, (TYPING, ANY))
    return needed


def identical_model(tree: ast.Module, body: str, fields: list[ModelField]) -> str | None:
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
