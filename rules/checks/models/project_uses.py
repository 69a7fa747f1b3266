"""Where a function is used across its project: the callers a whole-project conversion changes.

The project is every Python file below its root (the CLI's project root of the file, the
server's workspace folder). A file is only parsed when its text mentions the function's name.
A module-level function is found through the imports of each module (`from pkg.mod import f`,
`from pkg import mod` then `mod.f(...)`, `import pkg.mod`, relative imports); a method through
`self.f(...)` / `cls.f(...)` inside its class, or inside a class of any module deriving from it.
Every other mention (handed on uncalled, called on
an object of unknown class, re-exported, patched by name) is a reason not to convert: code we
cannot update would still pass or expect a dict.
"""

from __future__ import annotations

import ast
import os
from collections.abc import Iterator
from functools import cached_property
from pathlib import Path

from pydantic import BaseModel, ConfigDict, Field

from rules.checks.models.name_lookups import looked_up_by_name, lookup_refusal
from rules.imports_insertion import ImportStyle, import_style
from rules.syntax import dotted_name, parent_map

PYTHON_SUFFIX = ".py"
INIT_MODULE = "__init__"
SOURCE_FOLDER = "src"
ALL_NAME = "__all__"
BOUND_RECEIVERS = frozenset({"self", "cls"})
# Folders that hold no code of the project (environments, caches, build output).
EXCLUDED_FOLDERS = frozenset(
    {
        ".git",
        ".hg",
        ".venv",
        "venv",
        ".tox",
        ".nox",
        "node_modules",
        "__pycache__",
        "build",
        "dist",
        "site-packages",
        ".mypy_cache",
        ".ruff_cache",
        ".pytest_cache",
        ".standards-lsp-cache",
    }
)
# Files a scan reads at most: beyond that a project is too big to be sure of every use.
MAX_PROJECT_FILES = 5000
PROJECT_MARKERS = ("pyproject.toml", "setup.py", "setup.cfg", "standards.toml")


class SourceModule:
    """One Python file of the project, parsed."""

    def __init__(self, path: str, module: str | None, text: str, tree: ast.Module) -> None:
        self.path = path
        self.module = module
        self.text = text
        self.tree = tree

    @cached_property
    def parents(self) -> dict[ast.AST, ast.AST]:
        """Each node mapped to its parent."""
        return parent_map([self.tree])

    @property
    def is_package_init(self) -> bool:
        return Path(self.path).stem == INIT_MODULE


class ProjectView:
    """The files of one project as a refactoring sees them: open texts first, then the disk."""

    def __init__(
        self, root: Path | None, own_path: str | None, own_text: str, open_texts: dict[str, str]
    ) -> None:
        self.root = root
        self.own_path = own_path
        self.texts = {**open_texts}
        if own_path is not None:
            self.texts[own_path] = own_text
        self._parsed: dict[str, SourceModule | None] = {}

    @cached_property
    def files(self) -> list[str]:
        """Every Python file of the project (absolute paths, sorted); just the own file when
        there is no project on disk."""
        if self.root is None:
            return [self.own_path] if self.own_path is not None else []
        found: list[str] = []
        for folder, subfolders, names in os.walk(self.root):
            subfolders[:] = sorted(
                name
                for name in subfolders
                if name not in EXCLUDED_FOLDERS and not name.startswith(".")
            )
            found.extend(
                str(Path(folder) / name) for name in sorted(names) if name.endswith(PYTHON_SUFFIX)
            )
            if len(found) > MAX_PROJECT_FILES:
                break
        if self.own_path is not None and self.own_path not in found:
            found.append(self.own_path)
        return found

    @property
    def complete(self) -> bool:
        """Whether every file of the project was looked at."""
        return len(self.files) <= MAX_PROJECT_FILES

    def text(self, path: str) -> str | None:
        if path not in self.texts:
            try:
                self.texts[path] = Path(path).read_text(encoding="utf-8")
            except (OSError, UnicodeDecodeError):
                return None
        return self.texts[path]

    def module_name(self, path: str) -> str | None:
        """`pkg.mod` for `ROOT/pkg/mod.py` (or `ROOT/src/pkg/mod.py`); `pkg` for its
        `__init__.py`."""
        if self.root is None:
            return Path(path).stem
        try:
            parts = list(Path(path).relative_to(self.root).with_suffix("").parts)
        except ValueError:
            return None
        if parts and parts[0] == SOURCE_FOLDER and (self.root / SOURCE_FOLDER).is_dir():
            parts = parts[1:]
        if parts and parts[-1] == INIT_MODULE:
            parts = parts[:-1]
        if not parts or not all(part.isidentifier() for part in parts):
            return None
        return ".".join(parts)

    def parsed(self, path: str) -> SourceModule | None:
        if path not in self._parsed:
            text = self.text(path)
            module: SourceModule | None = None
            if text is not None:
                try:
                    tree = ast.parse(text)
                except (SyntaxError, ValueError):
                    tree = None
                if tree is not None:
                    module = SourceModule(path, self.module_name(path), text, tree)
            self._parsed[path] = module
        return self._parsed[path]

    def mentioning(self, name: str) -> Iterator[tuple[str, SourceModule | None]]:
        """The files whose text mentions `name`, parsed (None: it does not parse)."""
        for path in self.files:
            text = self.text(path)
            if text is not None and name in text:
                yield path, self.parsed(path)

    @cached_property
    def first_party(self) -> frozenset[str]:
        """The top-level names of the project's own packages and modules."""
        names: set[str] = set()
        for path in self.files:
            module = self.module_name(path)
            if module is not None:
                names.add(module.split(".")[0])
        return frozenset(names)

    @cached_property
    def import_style(self) -> ImportStyle:
        """Where the project's ruff/isort settings put a new import."""
        return import_style(self.root, self.text, self.first_party)

    def relative(self, path: str) -> str:
        if self.root is None:
            return Path(path).name
        try:
            return Path(path).relative_to(self.root).as_posix()
        except ValueError:
            return path


def project_root_of(path: str | None, given: str | None) -> Path | None:
    """The root whose files a conversion looks at: the one given, else the nearest folder
    above the file holding a project marker; None for a file that is not on disk."""
    if given:
        return Path(given)
    if path is None or not Path(path).is_absolute() or not Path(path).is_file():
        return None
    folder = Path(path).parent
    for candidate in (folder, *folder.parents):
        if any((candidate / marker).is_file() for marker in PROJECT_MARKERS):
            return candidate
    return folder


class Reference(BaseModel):
    """One place of the project that uses the function."""

    model_config = ConfigDict(arbitrary_types_allowed=True)

    path: str
    node: ast.expr = Field(description="the name or attribute naming the function")
    call: ast.Call | None = Field(default=None, description="the call, when it is called")
    model_prefix: str = Field(
        default="", description="what names the model here: '' (imported) or `mod.`"
    )
    import_from: ast.ImportFrom | None = Field(
        default=None,
        description="the statement importing the function, beside which the model goes",
    )


class Uses(BaseModel):
    """Every use of the function in the project, or why they cannot all be known or kept."""

    model_config = ConfigDict(arbitrary_types_allowed=True)

    references: list[Reference] = Field(default_factory=list)
    refusal: str | None = None
    modules: dict[str, SourceModule] = Field(default_factory=dict)


class FunctionPlace(BaseModel):
    """Where the function to convert is defined."""

    model_config = ConfigDict(arbitrary_types_allowed=True)

    path: str | None
    name: str
    class_name: str | None = None
    nested: bool = False
    statement_span: tuple[int, int] = Field(description="1-based lines of its top-level statement")
    line: int = Field(description="1-based line of its `def`")


def _import_base(module: SourceModule, node: ast.ImportFrom) -> str | None:
    """The absolute module an `ImportFrom` imports from."""
    if node.level == 0:
        return node.module
    if module.module is None:
        return None
    package = module.module.split(".")
    if not module.is_package_init:
        package = package[:-1]
    if node.level > 1:
        package = package[: len(package) - (node.level - 1)]
        if not package:
            return None
    base = ".".join(package)
    return f"{base}.{node.module}" if node.module else base


def find_uses(project: ProjectView, place: FunctionPlace) -> Uses:
    """Every use of the function in the project (or the reason they cannot all be kept)."""
    uses = Uses()
    if not project.complete:
        return Uses(refusal="the project has too many files to find every caller")
    own_module = project.module_name(place.path) if place.path is not None else None
    for path, module in project.mentioning(place.name):
        if module is None:
            return Uses(
                refusal=f"{project.relative(path)} mentions `{place.name}` and does not parse"
            )
        uses.modules[path] = module
        if place.class_name is not None:
            refusal = _method_uses(project, module, place, uses)
        elif place.nested:
            refusal = _own_name_uses(project, module, place, uses) if path == place.path else None
        elif path == place.path:
            refusal = _own_name_uses(project, module, place, uses)
        else:
            refusal = _imported_uses(project, module, place, uses)
        if refusal is None:
            refusal = _public_mention(project, module, place, own_module)
        if refusal is None and path == place.path:
            refusal = _lookup(project, module, place)
        if refusal is not None:
            return Uses(refusal=refusal)
    return uses


def _lookup(project: ProjectView, module: SourceModule, place: FunctionPlace) -> str | None:
    """Why the function is not converted when its module may call it by a computed name."""
    call = looked_up_by_name(module.tree, place.name, place.class_name)
    if call is None:
        return None
    return lookup_refusal(module.text, place.name, project.relative(module.path), call)


def _where(project: ProjectView, module: SourceModule, node: ast.AST) -> str:
    return f"{project.relative(module.path)}:{getattr(node, 'lineno', 0)}"


def _called(module: SourceModule, node: ast.expr) -> ast.Call | None:
    parent = module.parents.get(node)
    return parent if isinstance(parent, ast.Call) and parent.func is node else None


def _method_uses(
    project: ProjectView, module: SourceModule, place: FunctionPlace, uses: Uses
) -> str | None:
    """The calls of a method: `self.f(...)`/`cls.f(...)` inside its class, or inside a class of
    the project deriving from it (whose `self` is then an instance of the method's class: an
    override anywhere is refused first). Any other mention is a reason not to convert."""
    first, last = place.statement_span
    subclasses: dict[str, _Naming] | None = None  # found on the first call outside the class
    for node in ast.walk(module.tree):
        if (
            isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef)
            and node.name == place.name
            and not (module.path == place.path and node.lineno == place.line)
        ):
            return (
                f"another `{place.name}` is defined in {_where(project, module, node)} "
                "(an override or a sibling would still take a dict)"
            )
        if not isinstance(node, ast.Attribute) or node.attr != place.name:
            continue
        inside = module.path == place.path and first <= node.lineno <= last
        call = _called(module, node)
        receiver = dotted_name(node.value)
        if receiver in BOUND_RECEIVERS and call is not None:
            if inside:
                uses.references.append(Reference(path=module.path, node=node, call=call))
                continue
            if subclasses is None:
                subclasses = _subclasses(project, module, place)
            owner = _enclosing_class(module, node)
            if owner is not None and owner.name in subclasses:
                prefix, statement = subclasses[owner.name]
                reference = Reference(
                    path=module.path,
                    node=node,
                    call=call,
                    model_prefix=prefix,
                    import_from=statement,
                )
                uses.references.append(reference)
                continue
        return f"`{ast.unparse(node)}` in {_where(project, module, node)} " + (
            "is not a call of this class's method" if call is not None else "hands it on uncalled"
        )
    return None


def _enclosing_class(module: SourceModule, node: ast.AST) -> ast.ClassDef | None:
    parent = module.parents.get(node)
    while parent is not None and not isinstance(parent, ast.ClassDef):
        parent = module.parents.get(parent)
    return parent


# How a module names the model: a prefix (`mod.`) and the import it joins (None: none needed).
type _Naming = tuple[str, ast.ImportFrom | None]


def _subclasses(
    project: ProjectView, module: SourceModule, place: FunctionPlace
) -> dict[str, _Naming]:
    """The module's classes deriving from the method's class, directly or through another such
    class of the module (`class Sync(Base)`, `class Base(auth.Auth[T])`), each with how the
    module names the model: through the import of the method's class (the model is imported
    beside it), a module alias (`auth.Model`), or nothing in the method's own module."""
    own_module = project.module_name(place.path) if place.path is not None else None
    if own_module is None or place.class_name is None:
        return {}
    roots: dict[str, _Naming] = {}
    if module.path == place.path:
        roots[place.class_name] = ("", None)
    else:
        bindings = _bindings(project, module, place.class_name, own_module)
        if bindings.refusal is not None:
            return {}  # a star import or a re-export: its classes stay unresolved (refused)
        for local, statement in bindings.names.items():
            roots[local] = ("", statement)
        for alias in bindings.module_aliases:
            roots[f"{alias}.{place.class_name}"] = (f"{alias}.", None)
    classes = [node for node in ast.walk(module.tree) if isinstance(node, ast.ClassDef)]
    found: dict[str, _Naming] = {}
    grown = True
    while grown:
        grown = False
        for cls in classes:
            if cls.name in found or (module.path == place.path and cls.name == place.class_name):
                continue
            naming = _derived_naming(cls, roots, found)
            if naming is not None:
                found[cls.name] = naming
                grown = True
    return found


def _derived_naming(
    cls: ast.ClassDef, roots: dict[str, _Naming], found: dict[str, _Naming]
) -> _Naming | None:
    """How the model is named in `cls`'s module when one of its bases is the method's class
    (as `roots` names it) or a class already found deriving from it."""
    for base in cls.bases:
        named = dotted_name(base.value if isinstance(base, ast.Subscript) else base)
        if named in roots:
            return roots[named]
        if named in found:
            return found[named]
    return None


def _own_name_uses(
    project: ProjectView, module: SourceModule, place: FunctionPlace, uses: Uses
) -> str | None:
    for node in ast.walk(module.tree):
        if isinstance(node, ast.Name) and node.id == place.name and isinstance(node.ctx, ast.Load):
            call = _called(module, node)
            if call is None:
                return f"`{place.name}` is handed on uncalled in {_where(project, module, node)}"
            uses.references.append(Reference(path=module.path, node=node, call=call))
    return None


class _Bindings(BaseModel):
    """How a module may name the function: local names bound to it (with their import), and
    dotted names bound to its module."""

    model_config = ConfigDict(arbitrary_types_allowed=True)

    names: dict[str, ast.ImportFrom] = Field(default_factory=dict)
    module_aliases: set[str] = Field(default_factory=set)
    refusal: str | None = None


def _bindings(project: ProjectView, module: SourceModule, name: str, own_module: str) -> _Bindings:
    bindings = _Bindings()
    for node in ast.walk(module.tree):
        if isinstance(node, ast.Import):
            bindings.module_aliases.update(
                alias.asname or alias.name for alias in node.names if alias.name == own_module
            )
            continue
        if not isinstance(node, ast.ImportFrom):
            continue
        base = _import_base(module, node)
        for alias in node.names:
            imports_it = base == own_module and alias.name in {name, "*"}
            if imports_it and (alias.name == "*" or module.is_package_init):
                how = "star-imports it" if alias.name == "*" else "re-exports it: public API"
                bindings.refusal = f"{_where(project, module, node)} {how}"
                return bindings
            if imports_it:
                bindings.names[alias.asname or alias.name] = node
            elif base is not None and f"{base}.{alias.name}" == own_module:
                bindings.module_aliases.add(alias.asname or alias.name)
    return bindings


def _imported_uses(
    project: ProjectView, module: SourceModule, place: FunctionPlace, uses: Uses
) -> str | None:
    own_module = project.module_name(place.path) if place.path is not None else None
    if own_module is None:
        return None
    bindings = _bindings(project, module, place.name, own_module)
    if bindings.refusal is not None:
        return bindings.refusal
    for node in ast.walk(module.tree):
        reference = _reference(module, node, place.name, bindings)
        if reference is None:
            continue
        call = _called(module, reference.node)
        if call is None:
            return f"`{place.name}` is handed on uncalled in {_where(project, module, node)}"
        uses.references.append(reference.model_copy(update={"call": call}))
    return None


def _reference(
    module: SourceModule, node: ast.AST, name: str, bindings: _Bindings
) -> Reference | None:
    if isinstance(node, ast.Name) and node.id in bindings.names and isinstance(node.ctx, ast.Load):
        return Reference(path=module.path, node=node, import_from=bindings.names[node.id])
    if (
        isinstance(node, ast.Attribute)
        and node.attr == name
        and dotted_name(node.value) in bindings.module_aliases
    ):
        prefix = f"{dotted_name(node.value)}."
        return Reference(path=module.path, node=node, model_prefix=prefix)
    return None


def _public_mention(
    project: ProjectView, module: SourceModule, place: FunctionPlace, own_module: str | None
) -> str | None:
    """A mention by name in a string: in `__all__` (public API) or a dotted path to the
    function (`mock.patch("pkg.mod.f")`, an entry point)."""
    dotted = f"{own_module}.{place.name}" if own_module else None
    for node in ast.walk(module.tree):
        if not isinstance(node, ast.Constant) or not isinstance(node.value, str):
            continue
        if node.value == place.name and _in_all(module, node) and place.class_name is None:
            return f"`{place.name}` is in `__all__` ({_where(project, module, node)}): public API"
        if dotted is not None and dotted in node.value:
            return f"`{dotted}` is named in a string in {_where(project, module, node)}"
    return None


def _in_all(module: SourceModule, node: ast.AST) -> bool:
    parent = module.parents.get(node)
    while parent is not None and not isinstance(parent, ast.stmt):
        parent = module.parents.get(parent)
    targets: list[ast.expr] = []
    if isinstance(parent, ast.Assign):
        targets = parent.targets
    elif isinstance(parent, ast.AugAssign | ast.AnnAssign):
        targets = [parent.target]
    return any(isinstance(target, ast.Name) and target.id == ALL_NAME for target in targets)
