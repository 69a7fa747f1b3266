"""Shared by STD101 and STD102: finding dict signatures in a unit, and building their fix
lazily (the libcst rewrite of `rules.checks.models.conversion` runs only when the fix is chosen)."""

from __future__ import annotations

import ast
import re
from collections.abc import Iterator
from functools import partial
from typing import cast

from pydantic import BaseModel, ConfigDict, PrivateAttr

from rules.checks.models.dict_shapes import (
    FunctionNode,
    ParameterShape,
    ReturnShape,
    TargetKind,
    analyse_parameter,
    analyse_return,
    dict_type_of,
    dict_uses,
    functions_with_classes,
    has_transparent_decorators,
    is_exempt_function,
    names_in,
    uncalled_references,
)
from rules.checks.models.model_names import free_name, parameter_model_name, return_model_name
from rules.models import Finding, Fix, Range, Safety
from rules.parsing import ParseOutcome, UnitKind, parse_unit, unit_body
from rules.rule import (
    FixRequest,
    ModuleContext,
    ModuleRule,
    RefactorOffer,
    RefactorRequest,
    UnitContext,
)
from rules.source import lines_between, split_lines
from rules.syntax import DEFINITION_NODES, first_lineno, named_arguments

STUB_SUFFIX = ".pyi"
REWRITE_KIND = "refactor.rewrite"
MAX_KEYS_SHOWN = 4
LINENO_OFFSET = 2


# The per-unit memo key under which STD101 and STD102 share the names a unit mentions.
SHARED_NAMES_KEY = "mentioned-names"
# ... and the functions both look at.
SHARED_FUNCTIONS_KEY = "checked-functions"
_DEFINITIONS = frozenset(DEFINITION_NODES)
# Lines below a selection that may still belong to the signature it is on.
SIGNATURE_LOOKAHEAD_LINES = 10
_DICT_SIGNATURE_HINT = re.compile(r"\b(?:dict|Dict|Mapping|MutableMapping)\b")


class Candidate(BaseModel):
    """One dict of a function that could become a model."""

    model_config = ConfigDict(arbitrary_types_allowed=True, frozen=True)

    kind: TargetKind
    function: FunctionNode
    node: ast.AST  # where the finding points
    keys: list[str]
    blockers: list[str]
    parameter: str | None = None

    @property
    def model_name(self) -> str:
        if self.parameter is not None:
            return parameter_model_name(self.function.name, self.parameter)
        return return_model_name(self.function.name)

    @property
    def title(self) -> str:
        if self.parameter is not None:
            return f"Convert `{self.parameter}` to Pydantic model `{self.model_name}`"
        return f"Convert the return of `{self.function.name}` to Pydantic model `{self.model_name}`"

    @property
    def shown_keys(self) -> str:
        shown = ", ".join(f"`{key}`" for key in self.keys[:MAX_KEYS_SHOWN])
        return shown + (", ..." if len(self.keys) > MAX_KEYS_SHOWN else "")


def parameter_candidates(function: FunctionNode) -> Iterator[Candidate]:
    """The function's dict parameters whose keys are known."""
    if not has_transparent_decorators(function):
        return  # a registering decorator: the registry calls it with dicts
    for argument in named_arguments(function.args):
        shape: ParameterShape | None = analyse_parameter(function, argument)
        if shape is not None:
            yield Candidate(
                kind=TargetKind.PARAMETER,
                function=function,
                node=argument,
                keys=shape.keys,
                blockers=shape.blockers,
                parameter=argument.arg,
            )


def return_candidate(function: FunctionNode, annotated: bool) -> Candidate | None:
    """The function's returned dicts, when they have known keys and the annotation is a
    dict of anything (`annotated`) or missing (not `annotated`)."""
    if annotated != (function.returns is not None):
        return None
    if annotated and dict_type_of(function.returns) is None:
        return None
    shape: ReturnShape | None = analyse_return(function)
    if shape is None:
        return None
    node = function.returns if function.returns is not None else function
    return Candidate(
        kind=TargetKind.RETURN,
        function=function,
        node=node,
        keys=shape.keys,
        blockers=shape.blockers,
    )


def checked_functions(context: UnitContext) -> Iterator[FunctionNode]:
    """The unit's functions these rules look at (not in tests, stubs, overrides, protocols)."""
    if context.settings.is_test or (context.path or "").endswith(STUB_SUFFIX):
        return
    yield from context.shared(SHARED_FUNCTIONS_KEY, partial(_checked_functions, context))


def _checked_functions(context: UnitContext) -> list[FunctionNode]:
    bases = context.class_info.bases if context.class_info is not None else None
    return [
        function
        for function, class_bases in functions_with_classes(context.body, bases)
        if not is_exempt_function(function, class_bases)
    ]


class UnitUses(BaseModel):
    """How one unit uses names: results used as dicts, names handed on uncalled, every name."""

    model_config = ConfigDict(frozen=True)

    dict_uses: frozenset[str] = frozenset()
    references: frozenset[str] = frozenset()
    names: frozenset[str] = frozenset()


class DictSummary(BaseModel):
    """One unit's candidate findings, every name it mentions, and its text.

    How a unit uses other functions' results takes a walk with parent links; most modules have
    no candidate at all, so that walk is done only for a unit that mentions a candidate's
    function or model, from its text, once (the summary is cached with the unit).
    """

    model_config = ConfigDict(arbitrary_types_allowed=True)

    findings: list[Finding]
    mentioned: frozenset[str]
    source: str
    kind: UnitKind
    _uses: UnitUses | None = PrivateAttr(default=None)

    def may_use(self, name: str) -> bool:
        """Whether the unit mentions `name` at all (cheap; `uses` tells how)."""
        return name in self.mentioned

    def uses(self) -> UnitUses:
        """How the unit uses names (parsed again from its text the first time it is asked)."""
        if self._uses is None:
            self._uses = _uses_of(parse_unit(self.source, self.kind), self.kind)
        return self._uses


def _uses_of(outcome: ParseOutcome, kind: UnitKind) -> UnitUses:
    if outcome.tree is None:
        return UnitUses()
    body = unit_body(outcome.tree, kind)
    return UnitUses(
        dict_uses=frozenset(dict_uses(body)),
        references=frozenset(uncalled_references(body)),
        names=frozenset(names_in(body)),
    )


class _ModuleNames:
    """The names a module uses, asked one at a time (for `free_name`): only the units that
    mention a name are looked at closely."""

    def __init__(self, summaries: list[DictSummary]) -> None:
        self.summaries = summaries

    def __contains__(self, name: object) -> bool:
        return isinstance(name, str) and any(
            summary.may_use(name) and name in summary.uses().names for summary in self.summaries
        )


def _named_apart(found: Finding, taken: _ModuleNames) -> Finding:
    """The finding with its fix's title naming the model as the rewrite will: with a suffix
    when the module already uses the name."""
    model = found.data.get("model")
    if found.fix is None or not isinstance(model, str) or model not in taken:
        return found
    title = found.fix.title.replace(f"`{model}`", f"`{free_name(model, taken)}`")
    return found.model_copy(update={"fix": found.fix.model_copy(update={"title": title})})


def mentioned_names(nodes: list[ast.AST]) -> frozenset[str]:
    """Every name a unit's nodes mention: names, attribute names, definitions, imports."""
    names: set[str] = set()
    add = names.add
    for node in nodes:
        kind = type(node)
        if kind is ast.Name:
            add(cast("ast.Name", node).id)
        elif kind is ast.Attribute:
            add(cast("ast.Attribute", node).attr)
        elif kind is ast.alias:
            alias = cast("ast.alias", node)
            add((alias.asname or alias.name).split(".")[0])
        elif kind in _DEFINITIONS:
            add(cast("FunctionNode | ast.ClassDef", node).name)
    return frozenset(names)


def _used_elsewhere(found: Finding, summaries: list[DictSummary]) -> bool:
    """Whether module code uses a candidate return's result as a dict, or hands a candidate
    parameter's function to someone else (who calls it with whatever they call it with)."""
    function = found.data.get("function")
    if not isinstance(function, str):
        return False
    returns = found.data.get("kind") == TargetKind.RETURN.value
    for summary in summaries:
        if summary.may_use(function):
            uses = summary.uses()
            if function in (uses.dict_uses if returns else uses.references):
                return True
    return False


class ConvertsToModel(ModuleRule):
    """A rule whose fix is "Convert to Pydantic model" (built lazily).

    A module rule because a return is only worth converting when no code of the module uses
    the function's result as a dict (`**f()`, `f().items()`, passing it on): each unit's
    candidates and dict uses are summarised, and the module pass drops returns used so.
    """

    fix_title = "Convert to a generated Pydantic model (unsafe: callers change)"

    def candidates_in(self, context: UnitContext) -> Iterator[Finding]:
        raise NotImplementedError

    def summarize(self, context: UnitContext) -> DictSummary | None:
        findings = list(self.candidates_in(context))
        mentioned = context.shared(SHARED_NAMES_KEY, partial(mentioned_names, context.nodes))
        # every field is built here: validation would copy the names for nothing
        return DictSummary.model_construct(
            findings=findings, mentioned=mentioned, source=context.unit.text, kind=context.unit.kind
        )

    def check_module(self, context: ModuleContext) -> Iterator[Finding]:
        found = [
            (start, finding)
            for start, summary in context.summaries
            if isinstance(summary, DictSummary)
            for finding in summary.findings
        ]
        if not found:
            return  # the usual module: no candidate, nothing to weigh
        units = [
            summary for _start, summary in context.summaries if isinstance(summary, DictSummary)
        ]
        taken = _ModuleNames(units)
        for start, finding in found:
            if not _used_elsewhere(finding, units):
                yield _named_apart(finding, taken).shifted(start)

    def finding_for(self, context: UnitContext, candidate: Candidate, message: str) -> Finding:
        fix = None
        if candidate.blockers:
            message += " (no automatic fix: " + "; ".join(candidate.blockers) + ")"
        else:
            fix = Fix(title=candidate.title, safety=Safety.UNSAFE, edits=None)
        found = self.finding(message, self._range(context, candidate), fix)
        found.data.update(
            kind=candidate.kind.value,
            function=candidate.function.name,
            parameter=candidate.parameter,
            model=candidate.model_name,
        )
        return found

    def _range(self, context: UnitContext, candidate: Candidate) -> Range:
        if isinstance(candidate.node, ast.FunctionDef | ast.AsyncFunctionDef):
            start = context.range_of(candidate.node).start
            line_text = context.lines[start.line] if start.line < len(context.lines) else ""
            column = line_text.find(candidate.function.name, start.character)
            if column < 0:
                return context.range_of(candidate.node)
            return Range.model_validate(
                {
                    "start": {"line": start.line, "character": column},
                    "end": {"line": start.line, "character": column + len(candidate.function.name)},
                }
            )
        return context.range_of(candidate.node)

    def build_fix(self, request: FixRequest) -> Fix | None:
        data = {**request.finding.data, "line": request.finding.range.start.line}
        return _conversion(request, data)

    def offer_refactorings(self, request: RefactorRequest) -> list[RefactorOffer]:
        first_line, last_line = request.range.start.line, request.range.end.line
        near = lines_between(request.text, first_line, last_line + SIGNATURE_LOOKAHEAD_LINES)
        if not _DICT_SIGNATURE_HINT.search(near):
            return []  # no dict-typed signature near the selection: no parse needed
        try:
            body = _statements_near(request)
        except (SyntaxError, ValueError):
            return []
        offers: list[RefactorOffer] = []
        first, last = request.range.start.line, request.range.end.line
        for function, _bases in functions_with_classes(body):
            start = first_lineno(function) - 1
            end = max(function.lineno - 1, function.body[0].lineno - LINENO_OFFSET)
            if last < start or first > end:
                continue
            offers.extend(self._offers_for(function))
        return offers

    def _offers_for(self, function: FunctionNode) -> list[RefactorOffer]:
        candidates = list(parameter_candidates(function))
        for annotated in (True, False):
            found = return_candidate(function, annotated)
            if found is not None:
                candidates.append(found)
        return [
            RefactorOffer(
                code=self.code,
                kind=REWRITE_KIND,
                title=candidate.title,
                data={
                    "kind": candidate.kind.value,
                    "function": function.name,
                    "parameter": candidate.parameter,
                    "line": getattr(candidate.node, "lineno", function.lineno) - 1,
                },
            )
            for candidate in candidates
            if not candidate.blockers
        ]

    def build_refactoring(self, request: RefactorRequest, offer: RefactorOffer) -> Fix | None:
        return _conversion(request, offer.data)


def _statements_near(request: RefactorRequest) -> list[ast.stmt]:
    """The top-level statements around the selection, in module lines: parsed alone when the
    request knows where statements are (a big module's whole tree weighs tens of MiB)."""
    if not request.statements:
        return ast.parse(request.text).body
    first, last = request.range.start.line, request.range.end.line + SIGNATURE_LOOKAHEAD_LINES
    lines = split_lines(request.text)
    body: list[ast.stmt] = []
    for start, end in request.statements:
        if start <= last and first < end:
            tree = ast.parse("".join(lines[start:end]))
            body.extend(ast.increment_lineno(tree, start).body)
    return body


def _conversion(
    request: FixRequest | RefactorRequest, data: dict[str, str | int | float | bool | None]
) -> Fix | None:
    """The rewrite, imported on first use: libcst is only needed when a fix is built."""
    from rules.checks.models.conversion import Workspace, conversion_fix, target_of

    target = target_of(data)
    if target is None:
        return None
    workspace = Workspace(
        text=request.text,
        path=request.path,
        project_root=request.project_root,
        open_texts=request.open_texts,
    )
    return conversion_fix(workspace, target)
