"""Cutting a module into units: top-level statements, and the members of top-level classes.

A unit is the grain of analysis and of caching. Its boundaries are a function of the text alone,
so a fresh check and an editor that re-analyses only changed units give the same findings.

Boundaries come from a cheap line scan (a statement starts where a line begins at the unit's
indentation with code), verified by parsing: a candidate unit that does not parse is merged with
the next ones when the error says the construct runs on (an open bracket or string). A unit that
still does not parse is broken: its syntax error is reported and the broken lines are set aside
so the rest of that unit is still analysed.

Each top-level span records `reach`, the last line its boundaries depended on. After an edit,
spans that end and reach before the first edited line are kept as they were; splitting resumes
at the first one that does not, and stops at the first span start past the edit that was a span
start before (from there the text, and so the split, is the old one, moved by the lines the edit
added or removed).
"""

from __future__ import annotations

import ast
import bisect
import itertools
import operator
import re
import weakref
from collections.abc import Callable, Iterator
from typing import NamedTuple

from rules.parsing import (
    CLEAN,
    ParseError,
    ParseFunction,
    ParseOutcome,
    Unit,
    UnitKind,
    built,
    indentation,
    parse_unit,
    prefix_lines,
    split_text_lines,
    try_parse,
    wrapping,
)

# A statement starts at the given indentation with something that is not a comment, a closing
# bracket or a clause that continues the statement before it.
_STATEMENT_START = r"^{indent}(?![\s#)\]}}]|(?:else|elif|except|finally)\b)"
_TOP_LEVEL_START = re.compile(_STATEMENT_START.format(indent=""), re.MULTILINE)
_CLASS_HEADER = re.compile(r"(?:async\s+)?class\b")
_MAY_BE_CLASS = re.compile(r"[@#]|(?:async\s+)?class\b")
_TRIPLE_QUOTE = re.compile(r"[rRbBuUfF]{0,2}(\"\"\"|''')")
_RUNS_ON_MESSAGES = (
    "was never closed",
    "unterminated triple-quoted",
    "unexpected EOF",
    "expected an indented block",
    "unexpected indent",
)
# How many following candidates a unit may absorb one by one before the rest of the module is
# parsed once to find where the statement really ends.
MAX_STEPWISE_MERGES = 4
# Keywords that begin a statement and can never stand inside a bracket.
_STATEMENT_ONLY = re.compile(
    r"[ \t]*(?:async[ \t]+def|def|class|import|try|while|with|return|raise|pass|global"
    r"|nonlocal|assert|del)\b"
)
# How many memo entries beyond one split's worth (per span, plus a constant) are kept.
MEMO_SLACK_FACTOR = 2
MEMO_SLACK = 64
# A unit that runs on ends no earlier than the candidate after the next one (it takes in at
# least the next candidate's lines).
MIN_MERGED_CANDIDATES = 2
# A class verified through its members: clean, its tree never needed (its members are parsed).
_CLEAN = CLEAN

_Matcher = Callable[[str], object]  # a compiled pattern's `match`


def _runs_on(error: ParseError | None, segment_line_count: int) -> bool:
    """Whether a unit's error says its statement continues past the unit's end."""
    if error is None:
        return False
    if any(marker in error.message for marker in _RUNS_ON_MESSAGES):
        return True
    return error.line >= segment_line_count - 1


# Spans are named tuples, not models: a split builds one per statement on every keystroke, and
# they never leave the engine (rules see units).
class Span(NamedTuple):
    """A verified stretch of a block: its lines, parse outcome, and the last line its
    boundaries depend on (`reach`: an edit at or before it may move them)."""

    start: int
    end: int
    outcome: ParseOutcome
    reach: int


class PlacedSpan(NamedTuple):
    """A top-level span of a split with the units it gave. A span an edit left standing is the
    very same object in the next split (callers may cache by identity)."""

    start: int
    end: int
    reach: int
    units: list[Unit]


class _Layout:
    """The last split of a module: its lines, the lines that may start a top-level statement
    (before the decorator rule), and its spans."""

    def __init__(self, lines: list[str], matches: list[int], spans: list[PlacedSpan]) -> None:
        self.lines = lines
        self.matches = matches
        self.spans = spans


class _Splitter:
    """Finds the verified units of one block of lines (the module, or one class body)."""

    def __init__(self, lines: list[str], kind: UnitKind, parse: ParseFunction) -> None:
        self.lines = lines
        self.kind = kind
        self.parse = parse
        self.reach = 0  # the last line the current span's decision looked at
        self.start = 0  # where the current span starts (every parse is of text from there)
        self._last: tuple[str, int, int] = ("", 0, 0)  # the text handed out last, and its lines

    def text(self, start: int, end: int) -> str:
        self.reach = max(self.reach, end)  # the line at `end` was read: it is not a candidate
        text = "".join(self.lines[start:end])
        self._last = (text, start, end)
        return text

    def lines_of(self, text: str) -> list[str]:
        """The lines of `text`: sliced, not split again, when it is the text handed out last."""
        last, start, end = self._last
        return self.lines[start:end] if text is last else split_text_lines(text)

    def units(
        self, starts: list[int], end_of_block: int, stop: Callable[[int], bool] | None = None
    ) -> Iterator[Span]:
        """Verified spans from candidate start lines, one at a time (a caller that analyses
        each as it comes holds one span's tree at once, and can stop after any); `stop(line)`
        may end the walk at a span start (the caller knows the rest)."""
        bounds = [*starts, end_of_block]
        found = False
        index = 0
        while index < len(starts):
            start = bounds[index]
            if found and stop is not None and stop(start):
                break
            self.reach = self.start = start
            outcome = self.parse(self.text(start, bounds[index + 1]), self.kind)
            next_index = index + 1
            if (
                not outcome.clean
                and not outcome.bounded
                and _runs_on(outcome.error, bounds[index + 1] - start)
            ):
                merged = self._merge(bounds, index, outcome)
                if merged is not None:
                    next_index, outcome = merged
            found = True
            yield Span(start=start, end=bounds[next_index], outcome=outcome, reach=self.reach)
            index = next_index

    def _merge(
        self, bounds: list[int], index: int, outcome: ParseOutcome
    ) -> tuple[int, ParseOutcome] | None:
        """Absorb following candidates until the statement parses; None if it never does."""
        start = bounds[index]
        last = len(bounds) - 1
        if _is_unclosed_bracket(outcome.error):
            last = self._statement_only_candidate(bounds, index)
        first_end = max(
            index + MIN_MERGED_CANDIDATES, self._after_string(bounds, index, outcome.error)
        )
        candidates = range(first_end, min(last, first_end + MAX_STEPWISE_MERGES - 1) + 1)
        for end_index in candidates:
            merged = self.parse(self.text(start, bounds[end_index]), self.kind)
            if merged.clean:
                return end_index, merged
            if not _runs_on(merged.error, bounds[end_index] - start):
                break  # the candidates are not to be trusted here: let the parser decide
        if last < len(bounds) - 1:
            # the bracket cannot reach past a statement keyword: all the statement can be is
            # what comes before it (one bounded parse), else the user is mid-edit here
            if last > candidates.stop - 1:
                merged = self.parse(self.text(start, bounds[last]), self.kind)
                if merged.clean:
                    return last, merged
            return None
        return self._merge_by_parsing_rest(bounds, index)

    def _statement_only_candidate(self, bounds: list[int], index: int) -> int:
        """The first candidate after `index` that begins with a keyword no bracket can hold
        (`def`, `class`, `import`, ...): an unclosed bracket ends before it in valid code."""
        for end_index in range(index + 1, len(bounds) - 1):
            self.reach = max(self.reach, bounds[end_index])
            if _STATEMENT_ONLY.match(self.lines[bounds[end_index]]):
                return end_index
        self.reach = max(self.reach, bounds[-1])
        return len(bounds) - 1

    def _after_string(self, bounds: list[int], index: int, error: ParseError | None) -> int:
        """For an unterminated triple-quoted string, the first candidate past its closing quotes."""
        if error is None or "triple-quoted" not in error.message:
            return index + MIN_MERGED_CANDIDATES
        line = bounds[index] + error.line
        opening = _last_opening_quote(self.lines[line], error.character)
        if opening is None:
            return index + MIN_MERGED_CANDIDATES
        quote = opening.group(1)
        closing_line = _closing_line(self.lines, line, opening.end(), quote)
        self.reach = max(self.reach, bounds[-1] if closing_line is None else closing_line)
        if closing_line is None:
            return len(bounds) - 1
        for end_index in range(index + 1, len(bounds)):
            if bounds[end_index] > closing_line:
                return end_index
        return len(bounds) - 1

    def _merge_by_parsing_rest(
        self, bounds: list[int], index: int
    ) -> tuple[int, ParseOutcome] | None:
        """Parse from the unit's start to the block's end once to learn where the statement ends."""
        start = bounds[index]
        rest_text = self.text(start, bounds[-1])
        # only a clean parse can tell: recovery (a dozen more parses of the whole rest) could
        # never make it clean, and it made string-heavy classes take seconds to split
        prefix, suffix = wrapping(rest_text, self.kind)
        tree, _error = try_parse(prefix + rest_text + suffix, self.kind)
        if tree is None or not tree.body:
            return None
        first = tree.body[0]
        end_line = start + (first.end_lineno or first.lineno) - prefix_lines(self.kind)
        if self.kind is UnitKind.MEMBER and isinstance(first, ast.If):
            end_line = start + max((stmt.end_lineno or stmt.lineno) for stmt in first.body) - 1
        for end_index in range(index + 1, len(bounds)):
            if bounds[end_index] >= end_line:
                merged = self.parse(self.text(start, bounds[end_index]), self.kind)
                return (end_index, merged) if merged.clean else None
        return None


def _is_unclosed_bracket(error: ParseError | None) -> bool:
    return error is not None and "was never closed" in error.message


def _closing_line(lines: list[str], line: int, column: int, quote: str) -> int | None:
    """The line where `quote` next occurs from `column` of `line` on (None: it never does).

    Scans only as far as the string reaches, never the whole text."""
    if quote in lines[line][column:]:
        return line
    for index in range(line + 1, len(lines)):
        if quote in lines[index]:
            return index
    return None


def _last_opening_quote(line: str, column: int) -> re.Match[str] | None:
    """The triple quote at or before `column` that CPython says never closes."""
    found = None
    for match in _TRIPLE_QUOTE.finditer(line):
        if match.start() > column:
            break
        found = match
    return found or _TRIPLE_QUOTE.search(line)


# Characters `_STATEMENT_START`'s lookahead refuses right after the indentation: a line with one
# of them there cannot start a statement, whatever its indentation (the other whitespace of
# `\s` is left to the pattern).
_NEVER_AFTER_INDENT = frozenset(" \t\n\r\f\v#)]}")


def _matching_lines(lines: list[str], pattern: re.Pattern[str], indent: str = "") -> list[int]:
    """The lines `pattern` (`_STATEMENT_START` at `indent`) matches at their start (before the
    decorator rule).

    One anchored match per line: scanning the joined text with a multi-line pattern costs a
    regex attempt per character, which dominated re-checks of big files. A line whose
    character after `indent` is one the pattern refuses is passed over without the regex:
    most lines are indented deeper than the statements sought, and a first check of a module
    matched every one (1.5 ms of typing.py's 3,400 lines).
    """
    match = pattern.match
    width = len(indent)
    never = _NEVER_AFTER_INDENT
    return [
        index
        for index, line in enumerate(lines)
        if line[width : width + 1] not in never and match(line)
    ]


class SplitMemo:
    """What the last split of a document found, for the next split to reuse.

    - its layout (lines, the lines that may start a statement, top-level spans): an edit
      re-splits only from the first span whose boundaries depended on an edited line, and stops
      where a span starts on the old boundary past the edit (the rest is the old split, moved);
    - the units of each top-level segment (keyed by its first line and text), the members of
      each verified class (keyed by its text), and each member unit (keyed by its line, text
      and class header: unchanged members are handed on as the same objects).

    All are functions of the text alone, so reusing them gives exactly what splitting again
    would."""

    def __init__(self, previous: SplitMemo | None = None) -> None:
        self.previous_layout = previous.layout if previous else None
        self.layout: _Layout | None = None
        # carried from split to split (entries are facts about a text, never stale) and
        # emptied when they outgrow the document
        self.segments: dict[tuple[int, str], list[Unit]] = previous.segments if previous else {}
        self.members: dict[str, list[Unit]] = previous.members if previous else {}
        self.parse: ParseFunction = parse_unit  # the split's parse function, set by the split
        # classes verified by this split, their members with syntax trees (not kept after it)
        self.verified: dict[str, list[Unit]] = {}
        # members (without trees) by line, text and class header, carried like the memos above
        self.member_units: dict[tuple[int, str, str], Unit] = (
            previous.member_units if previous else {}
        )
        # each class body's lines and the lines that may start a member, by class header and
        # body indentation
        self.bodies: dict[tuple[str, str], tuple[list[str], list[int]]] = (
            previous.bodies if previous else {}
        )

    @property
    def unit_count(self) -> int:
        """How many units the last split had."""
        return (
            sum(len(span.units) for span in self.previous_layout.spans)
            if self.previous_layout
            else 0
        )

    def statement_lines(self) -> list[tuple[int, int]]:
        """The lines [start, end) of each top-level statement of the last split; empty when
        the split has no layout or some statement does not parse (a refactoring is offered
        only where the whole text would parse: its rewrite parses the whole text)."""
        if self.layout is None:
            return []
        spans = self.layout.spans
        if any(unit.outcome.error is not None for span in spans for unit in span.units):
            return []
        return [(span.start, span.end) for span in spans]

    def units(self) -> list[Unit]:
        """The units of the last split (without their syntax trees)."""
        return [unit for span in self.layout.spans for unit in span.units] if self.layout else []

    def trim(self, span_count: int) -> None:
        """Forget the memos when they hold far more than one split of the document needs."""
        if len(self.segments) > MEMO_SLACK_FACTOR * span_count + MEMO_SLACK:
            self.segments.clear()
        if len(self.members) > MEMO_SLACK:
            self.members.clear()
        if len(self.bodies) > MEMO_SLACK_FACTOR * span_count + MEMO_SLACK:
            self.bodies.clear()
        if len(self.member_units) > MEMO_SLACK_FACTOR * self.unit_count + MEMO_SLACK:
            self.member_units.clear()


class _Reuse(NamedTuple):
    """How much of the last split an edit leaves standing."""

    kept: list[PlacedSpan]  # spans before the edit, as they were
    resume: int  # where splitting starts again
    matches: list[int]  # every line that may start a top-level statement
    tail: dict[int, int]  # old span start, moved to new lines -> index in the old spans
    tail_from: int  # the first new line whose span start may be an old one
    shift: int  # lines added (negative: removed) by the edit


def _common_prefix(old: list[str], new: list[str]) -> int:
    """How many first lines the two texts share (compared in C, stopping at the first
    difference: `compress` yields the indices of the pairs that differ)."""
    differs = map(operator.ne, old, new)
    return next(itertools.compress(itertools.count(), differs), min(len(old), len(new)))


def _common_suffix(old: list[str], new: list[str], prefix: int) -> int:
    """How many last lines the two texts share, not counting the first `prefix` of either."""
    limit = min(len(old), len(new)) - prefix
    differs = map(operator.ne, reversed(old), reversed(new))
    return min(next(itertools.compress(itertools.count(), differs), limit), limit)


def _matches_after_edit(
    old: list[int], lines: list[str], edit: tuple[int, int, int], match: _Matcher
) -> list[int]:
    """The lines `match` accepts after an edit, from those it accepted before: the old ones
    outside the edit (moved by its `shift`), matched anew inside it.

    `edit` is (first changed line, first line of the unchanged tail, shift), in new lines."""
    prefix, changed_end, shift = edit
    matches = old[: bisect.bisect_left(old, prefix)]
    matches.extend(index for index in range(prefix, changed_end) if match(lines[index]))
    matches.extend(start + shift for start in old[bisect.bisect_left(old, changed_end - shift) :])
    return matches


def _reuse(layout: _Layout, lines: list[str]) -> _Reuse:
    """Which spans of the last split stand, where splitting resumes, and the lines that may
    start a statement (old ones outside the edit, matched anew inside it)."""
    prefix = _common_prefix(layout.lines, lines)
    suffix = _common_suffix(layout.lines, lines, prefix)
    shift = len(lines) - len(layout.lines)
    kept: list[PlacedSpan] = []
    for span in layout.spans:
        if span.reach >= prefix or span.end > prefix:
            break
        kept.append(span)
    resume = kept[-1].end if kept else 0
    changed_end = len(lines) - suffix  # first line of the unchanged tail (new lines)
    edit = (prefix, changed_end, shift)
    matches = _matches_after_edit(layout.matches, lines, edit, _TOP_LEVEL_START.match)
    tail = {
        span.start + shift: index
        for index, span in enumerate(layout.spans)
        if span.start + shift >= changed_end
    }
    return _Reuse(kept, resume, matches, tail, changed_end, shift)


def _starts_of(lines: list[str], matches: list[int], first: int) -> list[int]:
    """Candidate starts from line `first` (where no decorator is pending): the matching lines
    that do not follow a decorator."""
    starts: list[int] = []
    after_decorator = False
    for index in matches[bisect.bisect_left(matches, first) :]:
        if not after_decorator:
            starts.append(index)
        # a member's decorator is indented: it too stays with what it decorates
        after_decorator = lines[index].lstrip(" \t").startswith("@")
    return starts


def split_module(
    text: str,
    parse: ParseFunction = parse_unit,
    memo: SplitMemo | None = None,
    lines: list[str] | None = None,
) -> list[Unit]:
    """The units of a module: its top-level statements, top-level classes split into members.

    `lines` may be passed when the caller has split `text` already (`split_text_lines`).
    """
    return [unit for _span, units in iter_spans(text, parse, memo, lines) for unit in units]


def iter_spans(
    text: str,
    parse: ParseFunction = parse_unit,
    memo: SplitMemo | None = None,
    lines: list[str] | None = None,
) -> Iterator[tuple[PlacedSpan, list[Unit]]]:
    """The module's top-level spans in order, each with its units, a span at a time: a caller
    that analyses each as it comes holds the syntax trees of one span at once.

    Units the split parsed anew carry their trees; the memo keeps them without (a tree is
    only needed once: results are cached by text).
    """
    lines = lines if lines is not None else split_text_lines(text)
    memo = memo or SplitMemo()
    layout = memo.previous_layout
    memo.trim(len(layout.spans) if layout is not None else 0)
    memo.parse = parse
    if layout is None:
        reuse = _Reuse([], 0, _matching_lines(lines, _TOP_LEVEL_START), {}, len(lines), 0)
    else:
        reuse = _reuse(layout, lines)
    starts = _starts_of(lines, reuse.matches, reuse.resume)
    if not starts or starts[0] != reuse.resume:
        starts.insert(0, reuse.resume)
    placed = list(reuse.kept)
    for span in reuse.kept:
        yield span, span.units
    tail_index: list[int] = []

    def meets_old_split(line: int) -> bool:
        index = reuse.tail.get(line) if line >= reuse.tail_from else None
        if index is not None:
            tail_index.append(index)
        return index is not None

    splitter = _Splitter(lines, UnitKind.STATEMENT, parse)
    splitter.parse = _class_aware(parse, memo, splitter)
    for span in splitter.units(starts, len(lines), meets_old_split):
        fresh, kept = _span_units(span, lines, memo)
        placed.append(new_span := PlacedSpan(span.start, span.end, span.reach, kept))
        yield new_span, fresh
    memo.verified.clear()
    if tail_index and layout is not None:
        for old in layout.spans[tail_index[0] :]:
            moved = _moved_span(old, reuse.shift)
            placed.append(moved)
            yield moved, moved.units
    memo.layout = _Layout(lines, reuse.matches, placed)


def _span_units(span: Span, lines: list[str], memo: SplitMemo) -> tuple[list[Unit], list[Unit]]:
    """A re-split span's units: as the analysis gets them, and as the memo keeps them."""
    segment = lines[span.start : span.end]
    key = (span.start, "".join(segment))
    known = memo.segments.get(key)
    if known is None:
        fresh = _segment_units(segment, key, span.outcome, memo)
        known = [_without_tree(unit) for unit in fresh]
    else:
        fresh = known
    memo.segments[key] = known
    for unit in known:
        if unit.kind is UnitKind.MEMBER:
            memo.member_units[unit.start_line, unit.text, unit.class_header] = unit
    return fresh, known


def _moved_span(span: PlacedSpan, shift: int) -> PlacedSpan:
    if shift == 0:
        return span
    return PlacedSpan(
        span.start + shift,
        span.end + shift,
        span.reach + shift,
        [_moved(unit, shift) for unit in span.units],
    )


def _without_tree(unit: Unit) -> Unit:
    if unit.outcome.tree is None:
        return unit
    return built(
        Unit,
        kind=unit.kind,
        start_line=unit.start_line,
        text=unit.text,
        outcome=unit.outcome.without_tree(),
        class_header=unit.class_header,
    )


def _moved(unit: Unit, lines: int) -> Unit:
    if lines == 0:
        return unit
    return built(
        Unit,
        kind=unit.kind,
        start_line=unit.start_line + lines,
        text=unit.text,
        outcome=unit.outcome,
        class_header=unit.class_header,
    )


def _class_aware(parse: ParseFunction, memo: SplitMemo, splitter: _Splitter) -> ParseFunction:
    """A top-level parse that takes a class whose header and members all parse on their own as
    parsed: the whole class need not be parsed again after an edit to one of its members.

    The members are cut in module coordinates at once (the splitter knows where the parsed text
    starts), so that the split hands them on as they are.

    The splitter is held weakly: it holds this function, and a reference cycle would keep it,
    the module's lines and the memo alive after every split until a garbage collection (the
    server grew by ~30 KB a keystroke on typing.py)."""
    splitter_ref = weakref.ref(splitter)

    def verify(text: str, kind: UnitKind) -> ParseOutcome:
        splitter = splitter_ref()
        if splitter is not None and kind is UnitKind.STATEMENT and _MAY_BE_CLASS.match(text):
            first_line = splitter.start
            members = memo.verified.get(text) or memo.members.get(text)
            if members is not None:
                members = _placed_at(members, first_line)
            else:
                members = _split_class(splitter.lines_of(text), first_line, parse, memo)
            if members and all(unit.outcome.clean for unit in members):
                memo.verified[text] = members
                memo.members[text] = [_without_tree(unit) for unit in members]
                return _CLEAN
            if members and _errors_stay_inside(members):
                # the broken members are followed by a member that parses: whatever is open
                # in them closes inside the class, so the class ends where it seems to, and
                # parsing the whole (possibly huge) class again could only say so slowly
                memo.verified[text] = members
                return _contained_error(members)
        return parse(text, kind)

    return verify


def _errors_stay_inside(members: list[Unit]) -> bool:
    """Whether the broken members of a class cannot reach past it: each is followed by a member
    and its error cannot run on into that member (an open bracket cannot hold the `def` that
    follows it; an open string could hold anything, so it never counts as contained)."""
    if not members[-1].outcome.clean:
        return False
    for index, unit in enumerate(members):
        error = unit.outcome.error
        if error is None or not _runs_on(error, unit.line_count):
            continue
        if not _is_unclosed_bracket(error) or not _STATEMENT_ONLY.match(members[index + 1].text):
            return False
    return True


def _contained_error(members: list[Unit]) -> ParseOutcome:
    """The outcome of a class whose broken members cannot run past its end: their first
    error, in class coordinates, marked as bounded."""
    broken = next(unit for unit in members if not unit.outcome.clean)
    error = broken.outcome.error
    assert error is not None  # noqa: S101 - `broken` is not clean
    shift = broken.start_line - members[0].start_line  # members are in module coordinates
    moved = error.model_copy(
        update={"line": error.line + shift, "end_line": error.end_line + shift}
    )
    return ParseOutcome.model_construct(
        tree=None, error=moved, set_aside=frozenset(), lost=False, bounded=True
    )


def _segment_units(
    segment: list[str], key: tuple[int, str], outcome: ParseOutcome, memo: SplitMemo
) -> list[Unit]:
    start, text = key
    parse = memo.parse
    verified = memo.verified.get(text) or memo.members.get(text)
    if verified is not None:
        return _placed_at(verified, start)
    members = _split_class(segment, start, parse, memo)
    if members and (not outcome.clean or all(unit.outcome.clean for unit in members)):
        return members
    # every field given: validation would only cost time
    return [
        built(
            Unit,
            kind=UnitKind.STATEMENT,
            start_line=start,
            text=text,
            outcome=outcome,
            class_header="",
        )
    ]


def _placed_at(members: list[Unit], first_line: int) -> list[Unit]:
    """A class's units (as cut for some position) for the class starting at `first_line`."""
    shift = first_line - members[0].start_line
    return members if shift == 0 else [_moved(unit, shift) for unit in members]


def _split_class(
    lines: list[str], first_line: int, parse: ParseFunction, memo: SplitMemo | None = None
) -> list[Unit] | None:
    """A top-level class as a header unit and one unit per body statement, or None.

    A member the memo has seen at the same line with the same text and class header is handed
    on as the same object (callers cache by identity)."""
    header_end = _class_header_end(lines)
    if header_end is None or header_end + 1 >= len(lines):
        return None
    body_indent = _bodyindentation(lines, header_end + 1)
    if not body_indent:
        return None
    header_text = "".join(lines[: header_end + 1])
    header = parse(header_text, UnitKind.CLASS_HEADER)
    if not header.clean:
        return None
    body = lines[header_end + 1 :]
    pattern = re.compile(_STATEMENT_START.format(indent=re.escape(body_indent)), re.MULTILINE)
    splitter = _Splitter(body, UnitKind.MEMBER, parse)
    starts = _starts_of(body, _body_matches(body, (header_text, body_indent), pattern, memo), 0)
    if not starts:
        return None
    if starts[0] != 0:
        starts.insert(0, 0)
    units = [
        built(
            Unit,
            kind=UnitKind.CLASS_HEADER,
            start_line=first_line,
            text=header_text,
            outcome=header,
            class_header="",
        )
    ]
    body_start = first_line + header_end + 1
    seen = memo.member_units if memo is not None else {}
    for span in splitter.units(starts, len(body)):
        text = "".join(body[span.start : span.end])
        known = seen.get((body_start + span.start, text, header_text))
        if known is not None and known.outcome.error == span.outcome.error:
            units.append(known)
            continue
        units.append(
            built(
                Unit,
                kind=UnitKind.MEMBER,
                start_line=body_start + span.start,
                text=text,
                outcome=span.outcome,
                class_header=header_text,
            )
        )
    return units


def _body_matches(
    body: list[str],
    key: tuple[str, str],
    pattern: re.Pattern[str],
    memo: SplitMemo | None,
) -> list[int]:
    """The lines of a class body that may start a member: after an edit to the class, matched
    anew only where its body changed (an edit in one method of a 3,000-line class would
    otherwise match every line of the class per keystroke).

    Kept by header and body indentation (`key`): which lines may start a member depends on
    the indentation as much as on the lines, and an edit that changes the first member's
    indentation changes it for every unchanged line too (matching only the edited lines kept
    the old members of a class that no longer parsed: stale findings, no syntax error)."""
    known = memo.bodies.get(key) if memo is not None else None
    if known is None:
        _header, indent = key
        matches = _matching_lines(body, pattern, indent)
    else:
        old_body, old_matches = known
        prefix = _common_prefix(old_body, body)
        changed_end = len(body) - _common_suffix(old_body, body, prefix)
        edit = (prefix, changed_end, len(body) - len(old_body))
        matches = _matches_after_edit(old_matches, body, edit, pattern.match)
    if memo is not None:
        memo.bodies[key] = (body, matches)
    return matches


def _class_header_end(lines: list[str]) -> int | None:
    """The index of the line that ends a class header (its colon), past any decorators."""
    index = 0
    while index < len(lines) and lines[index].lstrip().startswith(("@", "#")):
        index += 1
    if index >= len(lines) or not _CLASS_HEADER.match(lines[index]):
        return None
    depth = 0
    for line_index in range(index, len(lines)):
        code = lines[line_index].split("#", 1)[0].rstrip()
        depth += sum(code.count(bracket) for bracket in "([{")
        depth -= sum(code.count(bracket) for bracket in ")]}")
        if depth <= 0 and code.endswith(":"):
            return line_index
        if depth <= 0 and ":" in code:
            return None  # a one-line class (`class X: pass`) has no body to split
    return None


def _bodyindentation(lines: list[str], first_body_line: int) -> str:
    for line in lines[first_body_line:]:
        stripped = line.strip()
        if stripped and not stripped.startswith("#"):
            return indentation(line)
    return ""
