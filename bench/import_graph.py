"""The import graph between the project's packages: the framework, each rule family, the server
and the command line. `python -m bench.import_graph` prints it; `tests/unit/test_layering.py`
asserts the directions the design map allows.

Every import counts, module-level or inside a function (a lazy import is still a dependency).
"""

from __future__ import annotations

import argparse
import ast
from collections import defaultdict
from pathlib import Path

from pydantic import BaseModel

ROOT = Path(__file__).resolve().parent.parent
FAMILIES_PACKAGE = "rules.checks"
FRAMEWORK = "rules"
CLI_PACKAGE = "server.cli"
SERVER = "server"
FIRST_PARTY = (FRAMEWORK, SERVER)


class ModuleImports(BaseModel):
    """One module of the project and the first-party and third-party modules it imports."""

    module: str
    imports: list[str]


def module_name(path: Path) -> str:
    """The dotted module name of a file under the repository root."""
    parts = list(path.relative_to(ROOT).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def imported_modules(tree: ast.Module, module: str) -> list[str]:
    """Every module `tree` imports (relative imports resolved against `module`)."""
    found: list[str] = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found.extend(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            found.extend(_from_targets(node, module))
    return found


def _from_targets(node: ast.ImportFrom, module: str) -> list[str]:
    """The modules a `from … import …` may name: the module itself and each name as a submodule
    (`from rules import checks` imports the package `rules.checks`)."""
    base = node.module or ""
    if node.level:
        anchor = module.split(".")[: -node.level]
        base = ".".join([*anchor, base] if base else anchor)
    return [base, *(f"{base}.{alias.name}" for alias in node.names)]


def project_modules(packages: tuple[str, ...] = FIRST_PARTY) -> list[ModuleImports]:
    """The modules of the given top-level packages with what each imports."""
    modules = []
    for package in packages:
        for path in sorted((ROOT / package).rglob("*.py")):
            name = module_name(path)
            tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
            modules.append(ModuleImports(module=name, imports=imported_modules(tree, name)))
    return modules


def layer_of(module: str) -> str:
    """The package a module belongs to in the layering: a family, the framework, the command
    line, the server, or the top-level name of anything else."""
    if module.startswith(f"{FAMILIES_PACKAGE}."):
        return ".".join(module.split(".")[:3])
    if module == CLI_PACKAGE or module.startswith(f"{CLI_PACKAGE}."):
        return CLI_PACKAGE
    top = module.split(".")[0]
    return top


def is_first_party(module: str) -> bool:
    """Whether a module belongs to this project."""
    return module.split(".")[0] in FIRST_PARTY


def layer_graph(modules: list[ModuleImports]) -> dict[str, set[str]]:
    """Which layer imports which (first-party edges only, no self edges)."""
    known = {module.module for module in modules}
    graph: dict[str, set[str]] = defaultdict(set)
    for module in modules:
        source = layer_of(module.module)
        for target in module.imports:
            if target in known and layer_of(target) != source:
                graph[source].add(layer_of(target))
    return graph


def main() -> None:
    """Print each layer and the layers it imports."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.parse_args()
    graph = layer_graph(project_modules())
    for layer in sorted(graph):
        print(f"{layer} -> {', '.join(sorted(graph[layer]))}")


if __name__ == "__main__":
    main()
