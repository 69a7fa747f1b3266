"""The "Convert to Pydantic model" refactoring of STD101/STD102: a whole-project rewrite.

One conversion turns one dict of a function (a parameter, or the return) into a generated model,
like a rename: the function (signature, key accesses, returned displays) and every call site in
the project (`call_sites`) change together, in one fix across files, and the file declaring the
project's dependencies gets pydantic when the project does not depend on it (`dependencies`). When some use cannot keep its
behaviour the fix is refused with the reason (`Fix.refused`), never half made.
"""

from __future__ import annotations

import ast
import re
from pathlib import Path

from pydantic import BaseModel, ConfigDict, Field

from rules.checks.models.call_sites import (
    FileSites,
    ParameterBinding,
    Positions,
    Sites,
    parameter_sites,
    return_sites,
)
from rules.checks.models.dependencies import pydantic_dependency
from rules.checks.models.dict_shapes import (
    ANY_TYPE,
    NONE_TYPE,
    AccessKind,
    FunctionNode,
    ParameterShape,
    ReturnShape,
    TargetKind,
    analyse_parameter,
    analyse_return,
    default_of,
    expression_type,
    names_in,
)
from rules.checks.models.external_shapes import is_handler_event
from rules.checks.models.model_fields import (
    BASE_MODEL,
    CONFIG_DICT,
    ModelField,
    annotations_of,
    best_type,
    identical_model,
    imports_for,
    value_of,
    with_none,
)
from rules.checks.models.model_names import (
    field_name,
    free_name,
    parameter_model_name,
    return_model_name,
)
from rules.checks.models.project_uses import (
    FunctionPlace,
    ProjectView,
    Uses,
    find_uses,
    project_root_of,
)
from rules.checks.models.rewriter import Plan, rewrite
from rules.fixes import edits_between
from rules.models import FileEdits, Fix, Safety
from rules.syntax import dotted_name, first_lineno, listing_reason, named_arguments

STATICMETHOD = "staticmethod"
BUFFER = "<buffer>"  # the path of a text that is no file
# A docstring that says the function takes or returns a dict: callers were told so.
DOCUMENTED_DICT = re.compile(r"\b(?:dict|dictionary|dictionaries|Dict)\b")
TYPE_COMMENT = re.compile(r"#\s*type:\s*\(.*\)\s*->.*$")
MUTATING_METHODS = frozenset(
    {"append", "extend", "insert", "remove", "pop", "clear", "update", "add", "setdefault", "sort"}
)


class Target(BaseModel):
    """The dict to convert: a parameter of a function, or its return."""

    model_config = ConfigDict(frozen=True)

    kind: TargetKind
    function: str
    line: int = Field(description="0-based line inside the function's signature")
    parameter: str | None = None


class Workspace(BaseModel):
    """Where the conversion runs: the file, its project and the texts that differ from disk."""

    text: str
    path: str | None = None
    project_root: str | None = None
    open_texts: dict[str, str] = Field(default_factory=dict)


class Located(BaseModel):
    """The function to convert, found in the module's `ast`."""

    model_config = ConfigDict(arbitrary_types_allowed=True, frozen=True)

    function: FunctionNode
    class_name: str | None
    nested: bool
    statement_line: int = Field(description="1-based first line of its top-level statement")
    statement_end_line: int = Field(description="1-based last line of that statement")


def locate(tree: ast.Module, target: Target) -> Located | None:
    """The function `target` names, whose signature spans `target.line`."""
    for statement in tree.body:
        for function, class_name, nested in _functions_in(statement):
            if function.name != target.function:
                continue
            first = function.lineno - 1
            last = function.body[0].lineno - 1 if function.body else first
            if first <= target.line <= last:
                return Located(
                    function=function,
                    class_name=class_name,
                    nested=nested,
                    statement_line=first_lineno(statement),
                    statement_end_line=statement.end_lineno or statement.lineno,
                )
    return None


def _functions_in(statement: ast.stmt) -> list[tuple[FunctionNode, str | None, bool]]:
    """Every function of a top-level statement: with its class for a method of a top-level
    class, and whether it is nested deeper."""
    found: list[tuple[FunctionNode, str | None, bool]] = []
    for node in ast.walk(statement):
        if not isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
            continue
        if node is statement:
            found.append((node, None, False))
        elif isinstance(statement, ast.ClassDef) and node in statement.body:
            found.append((node, statement.name, False))
        else:
            found.append((node, None, True))
    return found


def conversion_fix(workspace: Workspace, target: Target) -> Fix | None:
    """The unsafe fix converting `target`, as minimal edits of every file it changes (a fix
    with `refused` set when some use cannot keep its behaviour)."""
    tree = ast.parse(workspace.text)
    located = locate(tree, target)
    if located is None:
        return None
    conversion = _Conversion(workspace, tree, located)
    if target.kind is TargetKind.PARAMETER:
        return conversion.parameter(target.parameter or "")
    return conversion.returned()


def _refused(reason: str) -> Fix:
    return Fix(title="Not converted", safety=Safety.UNSAFE, edits=[], refused=reason)


class _Conversion:
    """One conversion: the module, its project, and the fix assembled from per-file plans."""

    def __init__(self, workspace: Workspace, tree: ast.Module, located: Located) -> None:
        self.workspace = workspace
        self.tree = tree
        self.located = located
        self.function = located.function
        self.root = project_root_of(workspace.path, workspace.project_root)
        self.own_path = workspace.path or BUFFER
        self.project = ProjectView(self.root, self.own_path, workspace.text, workspace.open_texts)
        self.model_import: tuple[str, str] | None = None  # a reused model of another module

    def uses(self) -> Uses:
        place = FunctionPlace(
            path=self.own_path,
            name=self.function.name,
            class_name=self.located.class_name,
            nested=self.located.nested,
            statement_span=(self.located.statement_line, self.located.statement_end_line),
            line=self.function.lineno,
        )
        return find_uses(self.project, place)

    def model(self, base_name: str, fields: list[ModelField]) -> tuple[str, str | None]:
        """The model's name and its class source (None when an identical model is reused:
        this module's, or another module's of the project, then imported)."""
        lines = [field.line for field in fields]
        if any(field.key != field.name for field in fields):
            lines.insert(0, f"model_config = {CONFIG_DICT}(populate_by_name=True)")
        body = "".join(f"    {line}\n" for line in lines)
        reused = identical_model(self.tree, body, fields)
        if reused is not None:
            return reused, None
        imported = self._project_model(body, fields)
        if imported is not None:
            source, reused = imported
            self.model_import = (source, reused)
            return reused, None
        name = free_name(base_name, names_in(self.tree.body))
        return name, f"class {name}({BASE_MODEL}):\n{body}"

    def _project_model(self, body: str, fields: list[ModelField]) -> tuple[str, str] | None:
        """An identical model in another module of the project that this module can import
        (its module and name), when its name is free here."""
        taken = names_in(self.tree.body)
        for path in self.project.files:
            if path == self.own_path:
                continue
            text = self.project.text(path)
            if text is None or BASE_MODEL not in text:
                continue
            module = self.project.parsed(path)
            source = self.project.module_name(path)
            if module is None or source is None:
                continue
            name = identical_model(module.tree, body, fields)
            if name is not None and name not in taken:
                return source, name
        return None

    def parameter(self, name: str) -> Fix:
        function = self.function
        argument = _argument(function, name)
        shape = analyse_parameter(function, argument) if argument is not None else None
        if argument is None or shape is None:
            return _refused(f"`{name}` is no longer a dict with known keys")
        if shape.blockers:
            return _refused("; ".join(shape.blockers))
        outside = (
            _runtime_event(function, name)
            or _documented_dict(function)
            or _type_comment(function, self.workspace.text)
            or _lists_own_names(self.tree)
        )
        if outside is not None:
            return _refused(outside)
        uses = self.uses()
        if uses.refusal is not None:
            return _refused(uses.refusal)
        binding = ParameterBinding(
            name=name,
            index=_positional_index(function, name),
            skip=self._skip(),
            optional=shape.optional,
            mutated=_mutation(function, shape),
        )
        binding.keys = set(shape.keys)
        probe = parameter_sites(self.project, uses, binding)
        if probe.refusal is not None:
            return _refused(probe.refusal)
        fields = _parameter_fields(shape, probe, self.workspace.text)
        model_name, class_source = self.model(parameter_model_name(function.name, name), fields)
        binding.model = model_name
        sites = parameter_sites(self.project, uses, binding)
        default = default_of(function, argument)
        own_displays: dict[tuple[int, int], str] = {}
        if isinstance(default, ast.Dict):
            own_displays[Positions(self.workspace.text).start(default)] = model_name
        plan = Plan(
            function=function.name,
            function_line=function.lineno,
            model=model_name,
            class_source=class_source,
            statement_line=self.located.statement_line,
            fields={field.key: field.name for field in fields},
            field_defaults={field.key: field.default for field in fields if field.default},
            parameter=name,
            displays=own_displays,
            imports=self._imports(fields, class_source),
        )
        title = f"Convert `{name}` to Pydantic model `{model_name}`"
        return self.fix(plan, sites, title)

    def returned(self) -> Fix:
        function = self.function
        shape = analyse_return(function)
        if shape is None:
            return _refused(f"`{function.name}` no longer returns dicts with known keys")
        if shape.blockers:
            return _refused("; ".join(shape.blockers))
        documented = (
            _documented_dict(function)
            or _type_comment(function, self.workspace.text)
            or _lists_own_names(self.tree)
        )
        if documented is not None:
            return _refused(documented)
        uses = self.uses()
        if uses.refusal is not None:
            return _refused(uses.refusal)
        fields = _return_fields(function, shape)
        model_name, class_source = self.model(return_model_name(function.name), fields)
        dump = _dump_arguments(fields, shape)
        sites = return_sites(self.project, uses, {field.key: field.name for field in fields}, dump)
        if sites.passed_on and not sites.read:
            return _refused(_dict_flows_on(function.name, sites))
        plan = Plan(
            function=function.name,
            function_line=function.lineno,
            model=model_name,
            class_source=class_source,
            statement_line=self.located.statement_line,
            fields={field.key: field.name for field in fields},
            returns=True,
            imports=self._imports(fields, class_source),
        )
        title = f"Convert the return of `{function.name}` to Pydantic model `{model_name}`"
        return self.fix(plan, sites, title)

    def _imports(self, fields: list[ModelField], class_source: str | None) -> list[tuple[str, str]]:
        if self.model_import is not None:
            return [self.model_import]
        return imports_for(fields, class_source)

    def _skip(self) -> int:
        if self.located.class_name is None:
            return 0
        decorators = {dotted_name(decorator) for decorator in self.function.decorator_list}
        return 0 if STATICMETHOD in decorators else 1

    def fix(self, plan: Plan, sites: Sites, title: str) -> Fix:
        """The fix: the own file's plan with its call sites, every other file's call sites,
        and `pyproject.toml` when pydantic must be added."""
        new_model = plan.class_source is not None
        dependency = pydantic_dependency(self.root, self.project.texts)
        if dependency.refusal is not None and new_model:
            return _refused(dependency.refusal)
        own = sites.files.get(self.own_path, FileSites())
        own_plan = plan.model_copy(
            update={
                "import_style": self.project.import_style,
                "displays": {**plan.displays, **own.displays},
                "validates": own.validates,
                "dumps": own.dumps,
                "subscripts": own.subscripts,
            }
        )
        text = rewrite(self.workspace.text, own_plan)
        if text == self.workspace.text:
            return _refused("the rewrite changes nothing")
        others = self.other_files(plan, sites)
        if isinstance(others, str):
            return _refused(others)
        description = [self._changed_files(sites, others)]
        title = _counted(title, sites, self.own_path)
        if dependency.edit is not None and new_model:
            others.append(dependency.edit)
            follow_up = f": {dependency.follow_up}" if dependency.follow_up else ""
            title += f"; adds pydantic to {dependency.declared_in}{follow_up}"
            description.append(f"Adds `pydantic` to {dependency.declared_in}{follow_up}.")
        if sites.validated:
            description.append(
                f"{sites.validated} argument(s) that are not dict displays are validated with "
                f"`{plan.model}.model_validate(...)` where they are passed."
            )
        return Fix(
            title=title,
            safety=Safety.UNSAFE,
            edits=edits_between(self.workspace.text, text),
            other_files=others,
            description="\n".join(description),
        )

    def _changed_files(self, sites: Sites, others: list[FileEdits]) -> str:
        """Which files change, each with its call sites: callers in other modules by name."""
        named = []
        for path in [self.own_path, *(other.path for other in others)]:
            calls = sites.files[path].calls if path in sites.files else 0
            where = self.project.relative(path)
            named.append(
                f"{where} ({calls} call site{'s' if calls != 1 else ''})" if calls else where
            )
        return f"Changes {len(named)} file{'s' if len(named) != 1 else ''}: {', '.join(named)}."

    def other_files(self, plan: Plan, sites: Sites) -> list[FileEdits] | str:
        """The edits of the call sites in other files (or why one cannot be made)."""
        model = plan.model
        others: list[FileEdits] = []
        for path, file_sites in sorted(sites.files.items()):
            if path == self.own_path:
                continue
            module = self.project.parsed(path)
            where = self.project.relative(path)
            if module is None:
                return f"{where} does not parse"
            if file_sites.import_beside and model in names_in(module.tree.body):
                return f"`{model}` already names something else in {where}"
            other_plan = Plan(
                model=model,
                fields=plan.fields,
                displays=file_sites.displays,
                validates=file_sites.validates,
                dumps=file_sites.dumps,
                subscripts=file_sites.subscripts,
                import_beside=file_sites.import_beside,
            )
            new_text = rewrite(module.text, other_plan)
            if new_text != module.text:
                others.append(FileEdits(path=path, edits=edits_between(module.text, new_text)))
        return others


def _dict_flows_on(name: str, sites: Sites) -> str:
    """Why converting a return whose every caller carries the dict on would only wrap each
    call in `.model_dump()`: the model would never be used, the program keeps the dict (and
    pays for building and dumping a model per call)."""
    more = len(sites.passed_on) - 1
    where = sites.passed_on[0] + (f" and {more} more" if more else "")
    return (
        f"no caller reads the result of `{name}` as a model: it is passed on as a dict "
        f"({where}), so each call would only be dumped back: convert its readers first"
    )


def _type_comment(function: FunctionNode, text: str) -> str | None:
    """Why a signature typed by a `# type: (...) -> T` comment is not rewritten: an annotation
    beside the comment contradicts it (type checkers reject both), and the comment is the
    project's way of typing."""
    first = function.lineno - 1
    last = function.body[0].lineno - 1 if function.body else first
    for line in text.splitlines()[first:last]:
        match = TYPE_COMMENT.search(line)
        if match is not None:
            return (
                f"`{function.name}` is typed by a type comment (`{match.group(0).strip()}`): "
                "turn it into annotations first"
            )
    return None


def _lists_own_names(tree: ast.Module) -> str | None:
    """Why a module that enumerates its own names gets no model class nor import: they would
    be found among its names (a lookup of its classes would meet `BaseModel` and the model)."""
    return listing_reason(tree)


def _runtime_event(function: FunctionNode, name: str) -> str | None:
    """Why a Lambda handler's event cannot become a model in its signature."""
    if is_handler_event(function, name):
        return (
            f"`{function.name}` is invoked by the AWS Lambda runtime, which passes `{name}` "
            "as a dict: validate it inside the handler instead"
        )
    return None


def _documented_dict(function: FunctionNode) -> str | None:
    """Why the function's dicts are its documented API, when its docstring says it takes or
    returns a dict (callers outside the project were told so)."""
    docstring = ast.get_docstring(function) or ""
    if DOCUMENTED_DICT.search(docstring):
        return f"`{function.name}` is documented as taking or returning a dict: public API"
    return None


def _counted(title: str, sites: Sites, own_path: str) -> str:
    """The title with how many call sites in how many files change."""
    calls = sites.calls
    if not calls:
        return title
    files = len({own_path, *sites.files})
    return (
        f"{title} ({calls} call site{'s' if calls != 1 else ''} "
        f"in {files} file{'s' if files != 1 else ''})"
    )


def _argument(function: FunctionNode, name: str) -> ast.arg | None:
    return next((arg for arg in named_arguments(function.args) if arg.arg == name), None)


def _positional_index(function: FunctionNode, name: str) -> int | None:
    positional = [*function.args.posonlyargs, *function.args.args]
    return next((index for index, arg in enumerate(positional) if arg.arg == name), None)


def _mutation(function: FunctionNode, shape: ParameterShape) -> str | None:
    """How the function changes the dict it is given (a caller holding it sees the change):
    a key set (`d["k"] = v`, `d["k"] += 1`), or a value changed in place (`d["k"].append`)."""
    for access in shape.accesses:
        if access.kind is AccessKind.WRITE:
            return f'`{shape.name}["{access.key}"] = ...`'
    for node in ast.walk(function):
        if (
            isinstance(node, ast.Subscript)
            and isinstance(node.ctx, ast.Store)
            and isinstance(node.value, ast.Name)
            and node.value.id == shape.name
        ):
            return f"`{ast.unparse(node)} = ...`"
        if (
            isinstance(node, ast.Attribute)
            and node.attr in MUTATING_METHODS
            and isinstance(node.value, ast.Subscript)
            and isinstance(node.value.value, ast.Name)
            and node.value.value.id == shape.name
        ):
            return f"`{ast.unparse(node)}(...)`"
    return None


def _parameter_fields(shape: ParameterShape, sites: Sites, text: str) -> list[ModelField]:
    """The fields: a type from the displays passed when every caller passes one (an argument
    validated from elsewhere may hold anything: `Any`), a default from `.get("k", literal)`."""
    taken: set[str] = set()
    fields: list[ModelField] = []
    typed = sites.validated == 0
    for key in shape.keys:
        accesses = [access for access in shape.accesses if access.key == key]
        kinds = {access.kind for access in accesses}
        values = [value_of(display, key) for display in sites.displays]
        evidence = [expression_type(value) for value in values if value is not None]
        hints = [access.hint for access in accesses if access.hint]
        field_type = best_type(evidence, hints) if typed else ANY_TYPE
        defaults = {
            ast.get_source_segment(text, access.default) or ast.unparse(access.default)
            for access in accesses
            if access.default is not None
        }
        plain = kinds & {AccessKind.GET, AccessKind.WRITE, AccessKind.CONTAINS}
        default = next(iter(defaults)) if len(defaults) == 1 and not plain else None
        missing = any(value is None for value in values)
        if default is None and (kinds - {AccessKind.READ} or missing):
            default = NONE_TYPE
            field_type = with_none(field_type)
        name = field_name(key, taken)
        taken.add(name)
        fields.append(ModelField(key=key, name=name, type=field_type, default=default))
    return fields


def _return_fields(function: FunctionNode, shape: ReturnShape) -> list[ModelField]:
    environment = annotations_of(function)
    optional = shape.optional_keys
    taken: set[str] = set()
    fields: list[ModelField] = []
    for key in shape.keys:
        values = [value_of(display, key) for display in shape.displays]
        evidence = [expression_type(value, environment) for value in values if value is not None]
        field_type = best_type(evidence, [])
        default = None
        if key in optional:
            default = NONE_TYPE
            field_type = with_none(field_type)
        name = field_name(key, taken)
        taken.add(name)
        fields.append(ModelField(key=key, name=name, type=field_type, default=default))
    return fields


def _dump_arguments(fields: list[ModelField], shape: ReturnShape) -> str:
    """`model_dump`'s arguments giving back the very dict: its keys (aliases), and only the
    keys the return set."""
    arguments = []
    if any(field.key != field.name for field in fields):
        arguments.append("by_alias=True")
    if shape.optional_keys:
        arguments.append("exclude_unset=True")
    return ", ".join(arguments)


def target_of(data: dict[str, str | int | float | bool | None]) -> Target | None:
    """The target a finding's or an offer's `data` names, if it is well formed."""
    try:
        return Target.model_validate(data)
    except ValueError:
        return None


def path_of(path: str | None) -> str | None:
    """The absolute path of a file on disk (None for a buffer or a relative name)."""
    if path is None:
        return None
    resolved = Path(path)
    return str(resolved) if resolved.is_absolute() else None
