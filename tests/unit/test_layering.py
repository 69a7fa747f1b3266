"""The directions of imports the design map allows (§2): families import the framework and never
each other; the framework imports no family (the registry discovers them); `rules/` imports no
LSP and no server; the server's modules import each other without circles."""

from __future__ import annotations

import pytest

from bench.import_graph import (
    FAMILIES_PACKAGE,
    ModuleImports,
    is_first_party,
    layer_of,
    project_modules,
)

LSP_PACKAGES = ("lsprotocol", "pygls", "server")
REGISTRY = "rules.registry"


@pytest.fixture(scope="module")
def modules() -> list[ModuleImports]:
    return project_modules()


def _rules_modules(modules: list[ModuleImports]) -> list[ModuleImports]:
    return [module for module in modules if layer_of(module.module).startswith("rules")]


def _is_family(layer: str) -> bool:
    return layer.startswith(f"{FAMILIES_PACKAGE}.")


def test_there_are_families_to_check(modules: list[ModuleImports]) -> None:
    families = {
        layer_of(module.module) for module in modules if _is_family(layer_of(module.module))
    }
    assert {"rules.checks.constants", "rules.checks.models", "rules.checks.project"} <= families


def test_no_family_imports_another(modules: list[ModuleImports]) -> None:
    crossings = [
        (module.module, target)
        for module in modules
        if _is_family(layer_of(module.module))
        for target in module.imports
        if _is_family(layer_of(target)) and layer_of(target) != layer_of(module.module)
    ]
    assert crossings == []


def test_the_framework_imports_no_family(modules: list[ModuleImports]) -> None:
    upward = [
        (module.module, target)
        for module in _rules_modules(modules)
        if not _is_family(layer_of(module.module)) and module.module != REGISTRY
        for target in module.imports
        if _is_family(layer_of(target)) or target == FAMILIES_PACKAGE
    ]
    assert upward == []


def test_rules_import_no_lsp_and_no_server(modules: list[ModuleImports]) -> None:
    lsp = [
        (module.module, target)
        for module in _rules_modules(modules)
        for target in module.imports
        if target.split(".")[0] in LSP_PACKAGES
    ]
    assert lsp == []


def _module_level_server_graph(modules: list[ModuleImports]) -> dict[str, set[str]]:
    names = {module.module for module in modules if module.module.startswith("server")}
    return {
        module.module: {target for target in module.imports if target in names}
        for module in modules
        if module.module in names
    }


def _cycle_from(graph: dict[str, set[str]], start: str) -> list[str] | None:
    stack = [(start, [start])]
    while stack:
        node, path = stack.pop()
        for target in graph.get(node, set()):
            if target == start:
                return [*path, start]
            if target not in path:
                stack.append((target, [*path, target]))
    return None


def test_server_modules_import_each_other_without_circles(modules: list[ModuleImports]) -> None:
    graph = _module_level_server_graph(modules)
    cycles = [cycle for start in sorted(graph) if (cycle := _cycle_from(graph, start))]
    assert cycles == []


def test_every_import_target_is_classified(modules: list[ModuleImports]) -> None:
    """Sanity of the graph itself: first-party imports resolve to a known layer."""
    layers = {layer_of(module.module) for module in modules}
    unknown = [
        (module.module, target)
        for module in modules
        for target in module.imports
        if is_first_party(target) and layer_of(target) not in layers
    ]
    assert unknown == []
