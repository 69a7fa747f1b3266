"""The engine: text and settings in, findings out.

Python text is cut into units (`rules.splitter`, parsed by `rules.parsing`); each unit's findings and summaries are cached by
the unit's text, its class header and the settings, so re-checking an edited module costs the
units the edit touched plus the module-wide rules' pass over the summaries. A fresh check is the
same computation with an empty cache, which is why an editor and the CLI always agree.

What keeps a keystroke cheap on a big file:
- the split re-cuts only around the edit (`rules.splitter.SplitMemo`), and the top-level spans the
  edit left standing are the same objects, so their results are reused whole (`SpanResult`);
- units stream from the split to the analysis a span at a time, and no syntax tree outlives
  its analysis (results are cached, trees are not);
- module rules draw on per-unit summaries, made cheap where most modules need nothing more
  (STD101/STD102 keep the names a unit mentions and look closer only at candidates).
"""

from __future__ import annotations

import ast
import bisect
import gc
import logging
import sys
import threading
import traceback
from collections.abc import Callable, Generator, Iterable
from contextlib import contextmanager
from functools import partial
from typing import NamedTuple

from pydantic import BaseModel, ConfigDict

from rules.models import Finding, Fix, Position, Range, Severity, capped
from rules.noqa import (
    NoqaComment,
    comment_columns,
    comments_at,
    noqa_candidates,
    suppressed_codes,
)
from rules.notebooks import is_notebook
from rules.parsing import (
    ParseFunction,
    ParseOutcome,
    Unit,
    UnitKind,
    built,
    parse_unit,
    prefix_lines,
    unit_body,
    wrapping,
)
from rules.registry import Registry, default_registry
from rules.rule import (
    ClassInfo,
    FileContext,
    FixRequest,
    ModuleContext,
    ModuleRule,
    RefactorOffer,
    RefactorRequest,
    Rule,
    SuppressionContext,
    UnitContext,
    UnitRule,
)
from rules.settings import FileSettings
from rules.source import split_lines
from rules.splitter import PlacedSpan, SplitMemo, iter_spans
from rules.syntax import lists_module_names, may_read_own_namespace, own_namespace_listing

SYNTAX_ERROR_CODE = "syntax-error"
PYTHON_SUFFIXES = (".py", ".pyi")
logger = logging.getLogger(__name__)
# Parse outcomes are carried from check to check; beyond this many per unit they are rebuilt.
OUTCOME_SLACK_FACTOR = 3
OUTCOME_SLACK = 256
# ... and beyond this many characters of parsed text per character of the module (plus the
# slack): the merges a broken statement tries parse ever longer texts, and counted only by
# entries, the outcomes of a soak's drifting typing.py held 20 times its text (2.3 MB).
OUTCOME_TEXT_FACTOR = 4
OUTCOME_TEXT_SLACK = 256_000

type UnitKey = tuple[UnitKind, str, str, bool, str]


class CheckInterrupted(Exception):
    """A check given up because its caller asked it to (`Engine.check`'s `interrupt`)."""


class RuleFailure(BaseModel):
    """A rule that raised: reported, and the other rules' findings still stand."""

    code: str
    error: str
    details: str


class UnitResult(BaseModel):
    """What the rules found in one unit, in unit coordinates, noqa and severities applied."""

    model_config = ConfigDict(arbitrary_types_allowed=True)

    findings: list[Finding]
    summaries: dict[str, BaseModel]
    failures: list[RuleFailure]
    # (line, code) of each finding a noqa comment silenced, in unit coordinates
    suppressed: list[tuple[int, str]] = []
    # where the unit lists the module's names (`inspect.getmembers(sys.modules[__name__])`):
    # the 0-based line in the unit's text, and the code
    module_listing: tuple[int, str] | None = None


class SpanResult:
    """What one top-level span of a check gave: its units' findings (placed), summaries,
    failures and first syntax error, and the unit keys it used."""

    def __init__(self, span: PlacedSpan, first: bool, fingerprint: str) -> None:
        self.span = span  # held: the cache is keyed by its id, which must stay unique
        self.first = first  # the module's first span (its first unit is "first in block")
        self.fingerprint = fingerprint
        self.keys: list[tuple[UnitKey, int]] = []
        self.findings: list[Finding] = []
        self.summaries: dict[str, list[tuple[int, BaseModel]]] = {}
        self.failures: list[RuleFailure] = []
        self.syntax_error: Finding | None = None
        self.suppressed: list[tuple[int, str]] = []
        self.module_listing: tuple[int, str] | None = None  # the first, placed

    def fits(self, span: PlacedSpan, first: bool, fingerprint: str) -> bool:
        """Whether this result is the one of `span` in that position and settings."""
        return self.span is span and self.first == first and self.fingerprint == fingerprint


class UnitEntry(NamedTuple):
    """One unit of a re-split span, as last analysed: a split that hands on the very same unit
    object (a member the edit did not touch) gets this back without building its key."""

    # held: the entries are keyed by its id, which must stay unique; the unit as the split
    # keeps it, without its tree
    unit: Unit
    first: bool
    key: UnitKey
    result: UnitResult
    placed: list[Finding]
    suppressed: list[tuple[int, str]]  # placed


class UnitCache:
    """Parse outcomes, unit results and span results of earlier checks of one document.

    Each check starts from the previous check's cache. Span results are handed on for the
    spans the check had; the per-unit caches (parse outcomes, results, placements) are carried
    whole, because a span reused as a whole touches none of them, and rebuilt from the check's
    spans when they outgrow the document.
    """

    def __init__(
        self, previous: UnitCache | None = None, *, free_trees_later: bool = False
    ) -> None:
        # hold the trees a check parses until `free_trees()` (carried from check to check):
        # freeing a first check's trees (~2 ms of typing.py's) then need not come before the
        # caller hands out the findings (the server's diagnostics of an opened file)
        self.free_trees_later = free_trees_later or bool(previous and previous.free_trees_later)
        self.outcomes: dict[tuple[str, UnitKind], ParseOutcome] = (
            previous.outcomes if previous else {}
        )
        self.results: dict[UnitKey, UnitResult] = previous.results if previous else {}
        self.placed: dict[tuple[UnitKey, int], list[Finding]] = previous.placed if previous else {}
        self.classes: dict[str, ClassInfo] = previous.classes if previous else {}
        # where the real comment starts on each `noqa` line of a unit (None: it does not
        # tokenize), by unit kind and text, in unit lines
        self.comment_columns: dict[tuple[UnitKind, str], dict[int, int] | None] = (
            previous.comment_columns if previous else {}
        )
        self.spans: dict[int, SpanResult] = {}
        # units of the spans this check analysed (a span reused whole needs none of them)
        self.units: dict[int, UnitEntry] = {}
        self.splits: SplitMemo | None = None
        # the units the check parsed, trees and all, with `free_trees_later`: never carried
        self.spent: list[list[Unit]] = []

    def free_trees(self) -> None:
        """Let go of the syntax trees of the check that made this cache (see `spent`)."""
        self.spent = []


class Analysis(BaseModel):
    """The findings of one check of one file, and the cache to hand to the next check."""

    model_config = ConfigDict(arbitrary_types_allowed=True)

    findings: list[Finding]
    failures: list[RuleFailure] = []
    unit_count: int = 0
    cache: UnitCache | None = None

    def statement_lines(self) -> list[tuple[int, int]]:
        """The lines [start, end) of each top-level statement, as this check split the text
        (empty for a file that is not Python, or one where some statement does not parse)."""
        splits = self.cache.splits if self.cache is not None else None
        return splits.statement_lines() if splits is not None else []


class _CollectorPauses:
    """Counts the blocks that pause the cyclic garbage collector, on any thread (a check on the
    server's analysis thread, an answer unpickled on another): it is back on when the last one
    ends, if it was on when the first began."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._active = 0
        self._was_enabled = False

    def begin(self) -> None:
        with self._lock:
            if self._active == 0:
                self._was_enabled = gc.isenabled()
                gc.disable()
            self._active += 1

    def end(self) -> None:
        with self._lock:
            self._active -= 1
            if self._active == 0 and self._was_enabled:
                gc.enable()


_PAUSES = _CollectorPauses()


def pause_collector() -> None:
    """Stop automatic collection until the matching `resume_collector` (from any thread)."""
    _PAUSES.begin()


def resume_collector() -> None:
    """Undo one `pause_collector`: collection is back on after the last one, if it was on."""
    _PAUSES.end()


@contextmanager
def collector_paused() -> Generator[None]:
    """Pause the cyclic garbage collector while many objects that hold no cycle are built.

    Syntax trees hold no reference cycles (reference counting frees them), yet their allocation
    triggers full collections that doubled the time of a first check of a large file."""
    _PAUSES.begin()
    try:
        yield
    finally:
        _PAUSES.end()


def is_python(path: str | None) -> bool:
    """Whether `path` names a Python source file (None: an unsaved buffer, taken as Python)."""
    return path is None or path.endswith(PYTHON_SUFFIXES)


class SourceFile(BaseModel):
    """One file to check: its text (None when it is not text), path and settings."""

    model_config = ConfigDict(frozen=True)

    text: str | None
    settings: FileSettings
    path: str | None = None
    project_root: str | None = None

    @property
    def file_context(self) -> FileContext:
        """The view of this file a `FileRule` gets."""
        return FileContext(
            path=self.path, text=self.text, settings=self.settings, project_root=self.project_root
        )


class Engine:
    """Runs the registry's rules over texts."""

    def __init__(self, registry: Registry | None = None) -> None:
        self.registry = registry or default_registry()

    def check(
        self,
        source: SourceFile,
        cache: UnitCache | None = None,
        lines: list[str] | None = None,
        interrupt: Callable[[], bool] | None = None,
    ) -> Analysis:
        """Every active rule's findings for one file, reusing `cache` from an earlier check.

        `lines`, when the caller has them, must be `split_lines(source.text)`: an editor keeps
        a document as lines and splices only the edited ones, so passing them saves splitting
        the text again and lets the split compare unchanged lines by identity.

        `interrupt`, asked before each unit is analysed, may give the check up: it raises
        `CheckInterrupted` (the workspace index yields so to an edit)."""
        if source.text is not None and (is_python(source.path) or is_notebook(source.path)):
            with collector_paused():
                check = _PythonCheck(self.registry, source, cache or UnitCache(), interrupt)
                return check.run(source.text, lines)
        findings, failures = _file_findings(self.registry, source, split_lines(source.text or ""))
        return Analysis(findings=sorted(findings, key=_order), failures=failures)

    def refactorings(self, request: RefactorRequest) -> list[RefactorOffer]:
        """Every refactoring any active rule offers at a selection."""
        offers: list[RefactorOffer] = []
        for rule in self.registry.rules:
            try:
                offers.extend(rule.offer_refactorings(request))
            except Exception:  # one rule's broken offer must not hide the others'
                logger.exception("offering refactorings of %s failed", rule.code)
        return offers

    def resolve_refactoring(self, request: RefactorRequest, offer: RefactorOffer) -> Fix | None:
        """The edits of an offered refactoring."""
        rule = self.registry.get(offer.code)
        if rule is None:
            return None
        try:
            return rule.build_refactoring(request, offer)
        except Exception:  # as in resolve_fix
            logger.exception("building the refactoring %r failed", offer.title)
            return None

    def resolve_fix(self, request: FixRequest) -> Fix | None:
        """The complete fix of a finding, built from the text it was found in."""
        rule = self.registry.get(request.finding.code)
        if rule is None:
            return None
        try:
            return _with_room_for_deep_trees(partial(rule.build_fix, request))
        except Exception:  # a broken fix builder must not take the caller down
            logger.exception("building the fix of %s failed", request.finding.code)
            return None


class _PythonCheck:
    """One check of one Python text, from the previous check's cache to a new one."""

    def __init__(
        self,
        registry: Registry,
        source: SourceFile,
        previous: UnitCache,
        interrupt: Callable[[], bool] | None = None,
    ) -> None:
        self.interrupt = interrupt
        self.registry = registry
        self.source = source
        self.settings = source.settings
        self.previous = previous
        self.cache = UnitCache(previous)
        self.failures: list[RuleFailure] = []
        # the rules this file's settings turn on, looked up once a check, not once a unit
        active = self.settings.is_active
        self.unit_rules = [rule for rule in registry.unit_rules if active(rule.code)]
        self.summarizing_rules = [rule for rule in registry.module_rules if active(rule.code)]
        # whether some unit may list the module's names: asked of the whole text once (the
        # units of most texts are then not asked at all)
        self.may_list_names = False

    def run(self, text: str, lines: list[str] | None = None) -> Analysis:
        memo = SplitMemo(self.previous.splits)
        lines = split_lines(text) if lines is None else lines
        self.may_list_names = may_read_own_namespace(text)
        parse = _carrying_parse(self.cache)
        self.cache.splits = memo
        findings: list[Finding] = []
        summaries: dict[str, list[tuple[int, BaseModel]]] = {}
        syntax_error: Finding | None = None
        unit_count = 0
        suppressed: list[tuple[int, str]] = []
        module_listing: tuple[int, str] | None = None
        # spans come one at a time, each analysed (and its trees dropped) in turn; a span the
        # edit left standing is the same object as last time, and so is its result
        for index, (span, units) in enumerate(
            iter_spans(text, parse=parse, memo=memo, lines=lines)
        ):
            result = self.previous.spans.get(id(span))
            if result is None or not result.fits(span, index == 0, self.settings.fingerprint):
                result = self._span_result(span, units, index == 0)
                if self.cache.free_trees_later and units is not span.units:  # parsed: trees
                    self.cache.spent.append(units)
            self.cache.spans[id(span)] = result
            unit_count += len(span.units)
            findings.extend(result.findings)
            suppressed.extend(result.suppressed)
            self.failures.extend(result.failures)
            for code, entries in result.summaries.items():
                summaries.setdefault(code, []).extend(entries)
            syntax_error = syntax_error or result.syntax_error
            module_listing = module_listing or result.module_listing
        self._trim(memo, unit_count, len(text))
        findings.extend(self._module_findings(summaries, lines, suppressed))
        file_findings, file_failures = _file_findings(self.registry, self.source, lines, suppressed)
        findings.extend(file_findings)
        self.failures.extend(file_failures)
        findings.extend(self._suppression_findings(text, lines, suppressed))
        if syntax_error is not None and self.settings.syntax_errors:
            findings.append(syntax_error)
        if module_listing is not None:
            listing = lists_module_names(module_listing[0] + 1, module_listing[1])
            findings = [_without_module_level_fix(finding, listing) for finding in findings]
        findings.sort(key=_order)
        # built, not validated: the findings are the rules' own validated objects, and
        # validating thousands again held the interpreter lock for 1.5 s on a 5 MB file (the
        # server's event loop waited all that time)
        return Analysis.model_construct(
            findings=findings, failures=self.failures, unit_count=unit_count, cache=self.cache
        )

    def _span_result(self, span: PlacedSpan, units: list[Unit], first_span: bool) -> SpanResult:
        """Analyse a span's units (each result cached by the unit's text) and place them."""
        result = SpanResult(span=span, first=first_span, fingerprint=self.settings.fingerprint)
        header: Unit | None = None
        previous_unit: Unit | None = None
        # each unit as analysed (fresh from the split, with its tree) and as the split keeps it
        # (the same but for the tree, the object a later split hands on): the entry is held by
        # the kept one, so no tree outlives the span's analysis (held by the fresh units, the
        # entries kept every tree of a first check until the next check, 377 of typing.py's)
        for unit, kept in zip(units, span.units, strict=True):
            if unit.kind is UnitKind.CLASS_HEADER:
                header = unit
                _remember_class_info(unit, self.cache)
            first = (first_span and previous_unit is None) or (
                unit.kind is UnitKind.MEMBER and previous_unit is header
            )
            previous_unit = unit
            if self.interrupt is not None and self.interrupt():
                raise CheckInterrupted
            entry = self.previous.units.get(id(kept))
            if not (
                entry is not None
                and entry.unit is kept
                and entry.first == first
                and entry.key[-1] == self.settings.fingerprint
            ):
                entry = self._unit_entry(unit, kept, first)
            self.cache.units[id(kept)] = entry
            unit_result = entry.result
            result.keys.append((entry.key, unit.start_line))
            result.findings.extend(entry.placed)
            result.suppressed.extend(entry.suppressed)
            result.failures.extend(unit_result.failures)
            for code, summary in unit_result.summaries.items():
                result.summaries.setdefault(code, []).append((unit.start_line, summary))
            if result.module_listing is None and unit_result.module_listing is not None:
                line, code = unit_result.module_listing
                result.module_listing = (line + unit.start_line, code)
            if result.syntax_error is None and unit.outcome.error is not None:
                result.syntax_error = _syntax_error_finding(unit)
        return result

    def _unit_entry(self, unit: Unit, kept: Unit, first: bool) -> UnitEntry:
        """A unit's result (cached by its text) placed at its line, held by `kept` (the unit
        as the split keeps it)."""
        key: UnitKey = (unit.kind, unit.text, unit.class_header, first, self.settings.fingerprint)
        unit_result = self.cache.results.get(key) or self._analyse_unit(unit, first)
        self.cache.results[key] = unit_result
        placed = self._placed(key, unit_result, unit.start_line)
        suppressed = [(line + unit.start_line, code) for line, code in unit_result.suppressed]
        return UnitEntry(
            unit=kept,
            first=first,
            key=key,
            result=unit_result,
            placed=placed,
            suppressed=suppressed,
        )

    def _trim(self, memo: SplitMemo, unit_count: int, characters: int) -> None:
        """Rebuild the carried caches from this check when they outgrow the document (in
        entries, or for the parse outcomes in the characters of their texts)."""
        limit = OUTCOME_SLACK_FACTOR * unit_count + OUTCOME_SLACK
        cache = self.cache
        # counted here, not as outcomes are added: the parse function holding the cache (to
        # count) would make a reference cycle through the memo that holds the parse function
        held = sum(len(text) for text, _kind in cache.outcomes)  # ~0.1 ms on typing.py
        if (
            len(cache.outcomes) > limit
            or held > OUTCOME_TEXT_FACTOR * characters + OUTCOME_TEXT_SLACK
        ):
            cache.outcomes = {
                (unit.text, unit.kind): unit.outcome.without_tree() for unit in memo.units()
            }
        if len(cache.classes) > OUTCOME_SLACK:
            cache.classes = {}
        if len(cache.comment_columns) > limit:
            cache.comment_columns = {}
        if len(cache.results) > limit or len(cache.placed) > limit:
            used = [entry for result in cache.spans.values() for entry in result.keys]
            results, placed = cache.results, cache.placed
            cache.results = {key: results[key] for key, _start in used if key in results}
            cache.placed = {place: placed[place] for place in used if place in placed}

    def _analyse_unit(self, unit: Unit, first: bool) -> UnitResult:
        outcome = unit.outcome
        if outcome.tree is None and not outcome.lost:
            outcome = parse_unit(unit.text, unit.kind)
        if outcome.tree is None:
            return UnitResult.model_construct(findings=[], summaries={}, failures=[], suppressed=[])
        class_info = None
        if unit.kind is UnitKind.MEMBER:
            class_info = _class_info(unit.class_header, self.cache)
        # one per unit: built, not validated (every field is known valid)
        context = built(
            UnitContext,
            unit=unit if outcome is unit.outcome else unit.model_copy(update={"outcome": outcome}),
            tree=outcome.tree,
            settings=self.settings,
            path=self.source.path,
            class_info=class_info,
            first_in_block=first,
            memo={},
        )
        failures: list[RuleFailure] = []
        findings: list[Finding] = []
        for rule in self.unit_rules:
            findings.extend(_unit_findings(rule, failures, context))
        summaries: dict[str, BaseModel] = {}
        for rule in self.summarizing_rules:
            summary = _guarded_summary(rule, failures, context)
            if summary is not None:
                summaries[rule.code] = summary
        suppressed: list[tuple[int, str]] = []
        kept: list[Finding] = []
        if findings:  # most units have none: their lines are never split
            suppressions = _Suppressions(context.lines, suppressed)
            kept = [
                _with_severity(finding, self.settings)
                for finding in findings
                if not suppressions.silence(finding) and not _on_set_aside_line(finding, outcome)
            ]
            kept.sort(key=_order)
        return built(
            UnitResult,
            findings=kept,
            summaries=summaries,
            failures=failures,
            suppressed=suppressed,
            module_listing=_module_listing(unit, outcome.tree) if self.may_list_names else None,
        )

    def _placed(self, key: UnitKey, result: UnitResult, start_line: int) -> list[Finding]:
        """A unit's findings moved to where the unit now starts (reusing the last placement)."""
        placement = (key, start_line)
        placed = self.cache.placed.get(placement)
        if placed is None:
            placed = [finding.shifted(start_line) for finding in result.findings]
            self.cache.placed[placement] = placed
        return placed

    def _suppression_findings(
        self, text: str, lines: list[str], suppressed: list[tuple[int, str]]
    ) -> list[Finding]:
        """What the suppression rules (STD901, STD902) find in the `# noqa:` comments."""
        rules = [
            rule for rule in self.registry.suppression_rules if self.settings.is_active(rule.code)
        ]
        if not rules or "noqa" not in text.lower():
            return []
        # built, not validated: validating copied every line of the text on each keystroke
        context = SuppressionContext.model_construct(
            text=text,
            lines=lines,
            used=frozenset(suppressed),
            settings=self.settings,
            known_codes=frozenset(self.registry.codes),
            path=self.source.path,
            found_comments=self._noqa_comments(text, lines),
        )
        findings: list[Finding] = []
        for rule in rules:
            found = _guarded(rule, self.failures, partial(rule.check_suppressions, context))
            findings.extend(_with_severity(finding, self.settings) for finding in found)
        return findings

    def _noqa_comments(self, text: str, lines: list[str]) -> list[NoqaComment]:
        """The `# noqa:` comments of the text: their lines tokenized unit by unit (each unit
        is whole statements, so its tokens are the whole text's), cached by unit text, so
        an edit tokenizes only the edited unit; the whole text, as `rules.noqa` does, when
        some unit does not parse (the text may not tokenize either)."""
        candidates = noqa_candidates(lines)
        if not candidates:
            return []
        columns = self._unit_comment_columns(text, candidates)
        if columns is None:
            columns = comment_columns(text, candidates)
        return comments_at(lines, candidates, columns)

    def _unit_comment_columns(self, text: str, candidates: set[int]) -> dict[int, int] | None:
        """Where the comment starts on each candidate line, from its unit's tokens; None when
        a unit does not parse or tokenize, or lines break where `tokenize` does not (a lone
        carriage return)."""
        splits = self.cache.splits
        units = splits.units() if splits is not None else []
        if not units or text.count("\r") != text.count("\r\n"):
            return None
        if any(unit.outcome.error is not None or unit.outcome.lost for unit in units):
            return None
        starts = [unit.start_line for unit in units]
        wanted: dict[int, Unit] = {}
        for line in candidates:
            index = bisect.bisect_right(starts, line) - 1
            if index < 0:
                return None
            wanted.setdefault(index, units[index])
        columns: dict[int, int] = {}
        for unit in wanted.values():
            unit_columns = self._comment_columns_of(unit)
            if unit_columns is None:
                return None
            for line, column in unit_columns.items():
                columns[unit.start_line + line] = column
        return columns

    def _comment_columns_of(self, unit: Unit) -> dict[int, int] | None:
        key = (unit.kind, unit.text)
        known = self.cache.comment_columns.get(key, False)
        if known is not False:
            return known
        shift = prefix_lines(unit.kind)
        local = {
            index + shift
            for index, line in enumerate(unit.text.split("\n"))
            if "noqa" in line.lower()
        }
        prefix, suffix = wrapping(unit.text, unit.kind)
        found = comment_columns(prefix + unit.text + suffix, local)
        columns = None if found is None else {line - shift: col for line, col in found.items()}
        self.cache.comment_columns[key] = columns
        return columns

    def _module_findings(
        self,
        summaries: dict[str, list[tuple[int, BaseModel]]],
        lines: list[str],
        suppressed: list[tuple[int, str]],
    ) -> list[Finding]:
        findings: list[Finding] = []
        for rule in self.registry.module_rules:
            if not self.settings.is_active(rule.code):
                continue
            # built per keystroke around every unit's summary: validating them would cost more
            # than most module passes
            context = ModuleContext.model_construct(
                summaries=summaries.get(rule.code, []),
                settings=self.settings,
                path=self.source.path,
            )
            found = _guarded(rule, self.failures, partial(rule.check_module, context))
            findings.extend(_kept(found, self.settings, lines, suppressed))
        return findings


def _module_listing(unit: Unit, tree: ast.Module) -> tuple[int, str] | None:
    """Where a unit lists its module's names, in its own lines (a top-level statement's bare
    `vars()` lists them; a class member's lists its class's)."""
    if not may_read_own_namespace(unit.text):
        return None
    node = own_namespace_listing(
        unit_body(tree, unit.kind), at_module_level=unit.kind is not UnitKind.MEMBER
    )
    if node is None:
        return None
    return node.lineno - 1 - prefix_lines(unit.kind), ast.unparse(node)


def _without_module_level_fix(finding: Finding, listing: str) -> Finding:
    """The finding with its fix refused when that fix adds a module-level name (the module
    lists its own names: the new import, constant or class would change what it finds)."""
    fix = finding.fix
    if fix is None or not fix.adds_module_names or not fix.applicable:
        return finding
    refused = fix.model_copy(update={"edits": [], "other_files": [], "refused": listing})
    return finding.model_copy(update={"fix": refused})


def _file_findings(
    registry: Registry,
    source: SourceFile,
    lines: list[str],
    suppressed: list[tuple[int, str]] | None = None,
) -> tuple[list[Finding], list[RuleFailure]]:
    findings: list[Finding] = []
    failures: list[RuleFailure] = []
    context = source.file_context
    for rule in registry.file_rules:
        if source.settings.is_active(rule.code) and rule.applies_to(source.path):
            found = _guarded(rule, failures, partial(rule.check_file, context))
            findings.extend(_kept(found, source.settings, lines, suppressed))
    return findings, failures


def _carrying_parse(cache: UnitCache) -> ParseFunction:
    """A parse function that reuses the cache's outcomes and records new ones in it."""
    outcomes = cache.outcomes

    def parse(text: str, kind: UnitKind) -> ParseOutcome:
        key = (text, kind)
        known = outcomes.get(key)
        if known is not None:
            return known
        outcome = parse_unit(text, kind)
        outcomes[key] = outcome.without_tree()
        return outcome

    return parse


def _class_info(header: str, cache: UnitCache) -> ClassInfo | None:
    info = cache.classes.get(header)
    if info is None:
        info = _class_info_of(parse_unit(header, UnitKind.CLASS_HEADER).tree)
        if info is None:
            return None
    cache.classes[header] = info
    return info


def _remember_class_info(unit: Unit, cache: UnitCache) -> None:
    """Read a split class's header from the tree its unit was just parsed to, before its
    members ask for it (`_class_info` would parse the header's text again for each class)."""
    tree = unit.outcome.tree
    if tree is not None and unit.text not in cache.classes:
        info = _class_info_of(tree)
        if info is not None:
            cache.classes[unit.text] = info


def _class_info_of(tree: ast.Module | None) -> ClassInfo | None:
    if tree is None or not tree.body:
        return None
    node = tree.body[0]
    if not isinstance(node, ast.ClassDef):
        return None
    return ClassInfo(
        name=node.name,
        bases=tuple(ast.unparse(base) for base in node.bases),
        decorators=tuple(ast.unparse(decorator) for decorator in node.decorator_list),
        keywords=tuple(ast.unparse(keyword) for keyword in node.keywords),
    )


# The deepest syntax tree CPython 3.12's parser builds (measured: 2,988 levels of `a + a + ...`,
# of chained `a if a else ...`, of unary minus or attribute access; it refuses deeper code).
PARSER_MAX_DEPTH = 3000
# Python frames a rule's recursive walk spends per tree level, at most (the literal walk: 2-3).
FRAMES_PER_TREE_LEVEL = 4
# Room a walk of the deepest tree the parser builds needs above where the rule was called.
DEEP_WALK_FRAMES = PARSER_MAX_DEPTH * FRAMES_PER_TREE_LEVEL
_recursion_lock = threading.Lock()


def _with_room_for_deep_trees[T](run: Callable[[], T]) -> T:
    """Run a rule; one that reached the interpreter's recursion limit on deep code (a
    500-term sum, 1,000 chained conditionals: valid Python) runs again with room for the
    deepest tree the parser builds, so deep code never costs a rule its findings. The limit
    is raised only for that run (pure Python calls take no C stack in 3.12)."""
    try:
        return run()
    except RecursionError:
        pass
    with _recursion_lock:
        previous = sys.getrecursionlimit()
        sys.setrecursionlimit(previous + DEEP_WALK_FRAMES)
        try:
            return run()
        finally:
            sys.setrecursionlimit(previous)


def _guarded(
    rule: Rule, failures: list[RuleFailure], run: Callable[[], Iterable[Finding]]
) -> list[Finding]:
    """Run one rule's check; a rule that raises is recorded and yields nothing."""
    try:
        return _with_room_for_deep_trees(lambda: list(run()))
    except Exception as exc:  # isolation: one broken rule must not hide the others
        failures.append(_failure(rule, exc))
        return []


def _guarded_summary(
    rule: ModuleRule, failures: list[RuleFailure], context: UnitContext
) -> BaseModel | None:
    try:
        try:
            return rule.summarize(context)
        except RecursionError:  # as in _with_room_for_deep_trees (inlined: once per unit)
            return _with_room_for_deep_trees(partial(rule.summarize, context))
    except Exception as exc:  # isolation, as in _guarded
        failures.append(_failure(rule, exc))
        return None


def _unit_findings(
    rule: UnitRule, failures: list[RuleFailure], context: UnitContext
) -> list[Finding]:
    """`_guarded` of a unit rule's check, with its wrapping inlined: it runs for every rule
    on every unit of a first check."""
    try:
        try:
            return list(rule.check_unit(context))
        except RecursionError:
            return _with_room_for_deep_trees(lambda: list(rule.check_unit(context)))
    except Exception as exc:  # isolation, as in _guarded
        failures.append(_failure(rule, exc))
        return []


def _failure(rule: Rule, exc: Exception) -> RuleFailure:
    return RuleFailure(
        code=rule.code, error=f"{type(exc).__name__}: {exc}", details=traceback.format_exc()
    )


def _kept(
    findings: Iterable[Finding],
    settings: FileSettings,
    lines: list[str],
    suppressed: list[tuple[int, str]] | None = None,
) -> list[Finding]:
    suppressions = _Suppressions(lines, suppressed)
    return [
        _with_severity(finding, settings)
        for finding in findings
        if not suppressions.silence(finding)
    ]


def _with_severity(finding: Finding, settings: FileSettings) -> Finding:
    severity = capped(settings.severities.get(finding.code, Severity.WARNING), finding.severity_cap)
    if finding.severity is severity:
        return finding
    return finding.model_copy(update={"severity": severity})


class _Suppressions:
    """Which findings a `# noqa:` on their line silences (recorded in `record`), each line's
    comment read once: the line of a data table can hold thousands of findings."""

    def __init__(self, lines: list[str], record: list[tuple[int, str]] | None) -> None:
        self.lines = lines
        self.record = record
        self._codes: dict[int, frozenset[str]] = {}

    def silence(self, finding: Finding) -> bool:
        line = finding.range.start.line
        if not 0 <= line < len(self.lines):
            return False
        codes = self._codes.get(line)
        if codes is None:
            codes = self._codes[line] = suppressed_codes(self.lines[line])
        silenced = finding.code in codes
        if silenced and self.record is not None:
            self.record.append((line, finding.code))
        return silenced


def _on_set_aside_line(finding: Finding, outcome: ParseOutcome) -> bool:
    if not outcome.set_aside:
        return False
    lines = range(finding.range.start.line, finding.range.end.line + 1)
    return any(line in outcome.set_aside for line in lines)


def _syntax_error_finding(unit: Unit) -> Finding:
    error = unit.outcome.error
    assert error is not None  # noqa: S101 - callers check
    return Finding(
        code=SYNTAX_ERROR_CODE,
        message=f"SyntaxError: {error.message}",
        severity=Severity.ERROR,
        range=Range(
            start=Position(line=error.line, character=error.character),
            end=Position(line=error.end_line, character=error.end_character),
        ).shifted(unit.start_line),
    )


def _order(finding: Finding) -> tuple[int, int, str]:
    return (finding.range.start.line, finding.range.start.character, finding.code)
