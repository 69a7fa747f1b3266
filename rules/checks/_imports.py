"""Shared by the import rules: the top-level package names a unit imports, with their nodes."""

from __future__ import annotations

import ast

from pydantic import BaseModel, ConfigDict

from rules.rule import UnitContext


class ImportedPackage(BaseModel):
    """One imported top-level package and the import statement's alias that names it."""

    model_config = ConfigDict(arbitrary_types_allowed=True, frozen=True)

    package: str
    node: ast.AST


def imported_packages(context: UnitContext) -> list[ImportedPackage]:
    """Every absolute import of the unit, as (top-level package, node to point at)."""
    found: list[ImportedPackage] = []
    for node in context.nodes:
        if isinstance(node, ast.Import):
            found.extend(
                ImportedPackage(package=alias.name.split(".")[0], node=alias)
                for alias in node.names
            )
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            found.append(ImportedPackage(package=node.module.split(".")[0], node=node))
    return found
