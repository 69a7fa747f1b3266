"""Shared by STD101 and STD102: finding dict signatures in a unit, and building their fix
lazily (the libcst rewrite of `rules.checks.models.conversion` runs only when the fix is chosen)."""

from __future__ import annotations

import ast
import re
from collections.abc import Iterator
from functools import partial

from pydantic import BaseModel, ConfigDict, PrivateAttr

from rules.checks.models.dict_shapes import (
    AccessKind,
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
from rules.checks.models.external_shapes import (
    KeyWrite,
    external_parameter,
    external_return,
    fills_callers_dict,
    is_handler_event,
    written_keys,
)
from rules.checks.models.model_names import free_name, parameter_model_name, return_model_name
from rules.models import Finding, Fix, Range, Safety
from rules.parsing import ParseOutcome, UnitKind, built, parse_unit, unit_body
from rules.rule import (
    FixRequest,
    ModuleContext,
    ModuleRule,
    RefactorOffer,
    RefactorRequest,
    UnitContext,
)
from rules.source import lines_between, split_lines
from rules.syntax import first_lineno, named_arguments

STUB_SUFFIX = ".pyi"
REWRITE_KIND = "refactor.rewrite"
MAX_KEYS_SHOWN = 4
LINENO_OFFSET = 2


# The per-unit memo key under which STD101 and STD102 share the functions both look at.
SHARED_FUNCTIONS_KEY = "checked-functions"
# What a parameter's finding carries from its unit to the module pass (removed there).
READS_KEY = "_reads"
FIRST_KEY = "_first_line"
LAST_KEY = "_last_line"
RETURNED_KEY = "_returned"
OWNERSHIP_DATA = frozenset({READS_KEY, FIRST_KEY, LAST_KEY, RETURNED_KEY})
KEY_SEPARATOR = "\x1f"
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
    external: str | None = None  # why the dict's shape is someone else's (no finding)
    read_keys: list[str] = []  # the keys a parameter's function reads (ownership is checked)

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
            reads = [access.key for access in shape.accesses if access.kind != AccessKind.WRITE]
            yield Candidate(
                kind=TargetKind.PARAMETER,
                function=function,
                node=argument,
                keys=shape.keys,
                blockers=shape.blockers,
                parameter=argument.arg,
                external=fills_callers_dict(reads)
                or external_parameter(function, argument.arg, shape.keys),
                read_keys=list(dict.fromkeys(reads)),
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
        external=external_return(function, shape.keys),
    )


def checked_functions(context: UnitContext) -> Iterator[FunctionNode]:
    """The unit's functions these rules look at (not in tests, stubs, overrides, protocols)."""
    if context.settings.is_test or (context.path or "").endswith(STUB_SUFFIX):
        return
    yield from context.shared(SHARED_FUNCTIONS_KEY, partial(_checked_functions, context))


def _checked_functions(context: UnitContext) -> list[FunctionNode]:
    own_class = context.class_info
    bases = own_class.bases if own_class is not None else None
    name = own_class.name if own_class is not None else None
    return [
        member.function
        for member in functions_with_classes(context.body, bases, name)
        if not is_exempt_function(member)
    ]


class UnitUses(BaseModel):
    """How one unit uses names: results used as dicts, names handed on uncalled, every name."""

    model_config = ConfigDict(frozen=True)

    dict_uses: frozenset[str] = frozenset()
    references: frozenset[str] = frozenset()
    names: frozenset[str] = frozenset()
    written: tuple[KeyWrite, ...] = ()  # keys the unit writes, with their unit lines (1-based)


class DictSummary(BaseModel):
    """One unit's candidate findings and its text.

    How a unit uses other functions' results takes a walk with parent links; most modules have
    no candidate at all, so that walk is done only for a unit whose text spells a candidate's
    function or model, from its text, once (the summary is cached with the unit).
    """

    model_config = ConfigDict(arbitrary_types_allowed=True)

    findings: list[Finding]
    source: str
    kind: UnitKind
    _uses: UnitUses | None = PrivateAttr(default=None)
    _ascii: bool | None = PrivateAttr(default=None)

    def may_use(self, name: str) -> bool:
        """Whether the unit may mention `name` at all (cheap, a test of its text; `uses`
        tells how). A name is spelled in the text as it is, unless the text is not ASCII
        (an identifier is read in its NFKC form, which other letters may spell)."""
        if self._ascii is None:
            self._ascii = self.source.isascii()
        return name in self.source or not self._ascii

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
        written=tuple(written_keys(body)),
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


def _module_writes(context: ModuleContext) -> list[KeyWrite]:
    """Every key the module writes, with its module line (0-based)."""
    writes: list[KeyWrite] = []
    for start, summary in context.summaries:
        if isinstance(summary, DictSummary):
            writes.extend((key, start + line - 1) for key, line in summary.uses().written)
    return writes


def _owned(finding: Finding, start: int, reads: str, written: list[KeyWrite]) -> bool:
    """Whether the module writes, outside the parameter's function, every key it reads: the
    shape is then the project's. Keys only ever read come from outside (a vendor's payload,
    an event, a dataset's row, a dict built in another module)."""
    first, last = finding.data.get(FIRST_KEY), finding.data.get(LAST_KEY)
    if not isinstance(first, int) or not isinstance(last, int):
        return False
    inside = range(start + first - 1, start + last)
    outside = {key for key, line in written if line not in inside}
    return all(key in outside for key in reads.split(KEY_SEPARATOR) if key)


def _returned_keys(finding: Finding) -> frozenset[str]:
    keys = finding.data.get(RETURNED_KEY)
    return frozenset(keys.split(KEY_SEPARATOR)) if isinstance(keys, str) and keys else frozenset()


def _without_ownership(finding: Finding) -> Finding:
    data = {key: value for key, value in finding.data.items() if key not in OWNERSHIP_DATA}
    return finding.model_copy(update={"data": data})


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

    refusal_verb = "not converted"

    fix_title = "Convert to a generated Pydantic model (unsafe: callers change)"

    def candidates_in(self, context: UnitContext) -> Iterator[Finding]:
        raise NotImplementedError

    def summarize(self, context: UnitContext) -> DictSummary | None:
        findings = list(self.candidates_in(context))
        # two per unit, every field known valid: built, not validated
        return built(
            DictSummary,
            private={"_uses": None, "_ascii": None},
            findings=findings,
            source=context.unit.text,
            kind=context.unit.kind,
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
        written: list[KeyWrite] | None = None
        shapes = [_returned_keys(finding) for _start, finding in found]
        for start, finding in found:
            reads = finding.data.get(READS_KEY)
            if isinstance(reads, str):
                if written is None:
                    written = _module_writes(context)
                if not _owned(finding, start, reads, written):
                    continue
            returned = _returned_keys(finding)
            if len(returned) == 1 and not any(
                len(shape) > 1 and returned <= shape for shape in shapes
            ):
                continue  # one key, in no larger shape of the module: a look-up or an envelope
            finding = _without_ownership(finding)
            if not _used_elsewhere(finding, units):
                yield _named_apart(finding, taken).shifted(start)

    def finding_for(self, context: UnitContext, candidate: Candidate, message: str) -> Finding:
        fix = None
        if candidate.blockers:
            message += " (no automatic fix: " + "; ".join(candidate.blockers) + ")"
        else:
            fix = Fix(title=candidate.title, safety=Safety.UNSAFE, adds_module_names=True)
        found = self.finding(message, self._range(context, candidate), fix)
        found.data.update(
            kind=candidate.kind.value,
            function=candidate.function.name,
            parameter=candidate.parameter,
            model=candidate.model_name,
        )
        if candidate.kind is TargetKind.PARAMETER and not is_handler_event(
            candidate.function, candidate.parameter or ""
        ):
            # the module pass keeps it only when the module writes these keys elsewhere
            found.data[READS_KEY] = KEY_SEPARATOR.join(candidate.read_keys)
            found.data[FIRST_KEY] = first_lineno(candidate.function)
            found.data[LAST_KEY] = candidate.function.end_lineno or candidate.function.lineno
        elif candidate.kind is TargetKind.RETURN:
            found.data[RETURNED_KEY] = KEY_SEPARATOR.join(candidate.keys)
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
        for member in functions_with_classes(body):
            function = member.function
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
