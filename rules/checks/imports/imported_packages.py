"""Shared by the import rules: the top-level package names a unit imports, with their nodes."""

from __future__ import annotations

import ast
from functools import partial

from pydantic import BaseModel, ConfigDict

from rules.rule import UnitContext

# The per-unit memo key under which STD301 and STD302 share a unit's imports.
SHARED_IMPORTS_KEY = "imported-packages"


class ImportedPackage(BaseModel):
    """One imported top-level package and the import statement's alias that names it."""

    model_config = ConfigDict(arbitrary_types_allowed=True, frozen=True)

    package: str
    node: ast.AST


def imported_packages(context: UnitContext) -> list[ImportedPackage]:
    """Every absolute import of the unit, as (top-level package, node to point at)."""
    return context.shared(SHARED_IMPORTS_KEY, partial(_imports_of, context))


def _imports_of(context: UnitContext) -> list[ImportedPackage]:
    found = [
        ImportedPackage(package=alias.name.split(".")[0], node=alias)
        for node in context.nodes_of(ast.Import)
        for alias in node.names
    ]
    found.extend(
        ImportedPackage(package=node.module.split(".")[0], node=node)
        for node in context.nodes_of(ast.ImportFrom)
        if node.module and node.level == 0
    )
    return found
